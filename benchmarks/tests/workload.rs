//! The standard workload encodes to the sizes its README gives, and round-trips, both
//! as hand-written types and as the types rift-build generates; the two encode the same
//! bytes.

use std::path::Path;

use rift::protocol::binary::{BinaryReader, BinaryWriter};
use rift::protocol::compact::{CompactReader, CompactWriter};
use rift::{Decode, Encode};
use rift_benchmarks::{generated, workload};

fn encode<T: Encode>(value: &T) -> (Vec<u8>, Vec<u8>) {
    let mut binary = Vec::new();
    value.encode(&mut BinaryWriter::new(&mut binary)).unwrap();
    let mut compact = Vec::new();
    value.encode(&mut CompactWriter::new(&mut compact)).unwrap();
    (binary, compact)
}

#[test]
fn encoded_sizes_match_the_workload() {
    for (message, binary_len, compact_len) in
        [(workload::standard(), 3022, 1942), (workload::large(), 1_048_650, 1_048_607)]
    {
        let (binary, compact) = encode(&message);
        assert_eq!(binary.len(), binary_len);
        assert_eq!(compact.len(), compact_len);
        assert_eq!(workload::Request::decode(&mut BinaryReader::new(&binary)).unwrap(), message);
        assert_eq!(workload::Request::decode(&mut CompactReader::new(&compact)).unwrap(), message);
    }
}

/// The generated and the hand-written types agree on the wire. Maps and sets are hashed,
/// so their entries may come in another order: the bytes have the same length, and each
/// side reads what the other wrote.
#[test]
fn generated_types_encode_what_hand_written_ones_do() {
    for (hand, generated) in
        [(workload::standard(), generated::standard()), (workload::large(), generated::large())]
    {
        let (binary, compact) = encode(&generated);
        let (hand_binary, hand_compact) = encode(&hand);
        assert_eq!((binary.len(), compact.len()), (hand_binary.len(), hand_compact.len()));
        assert_eq!(generated::Request::decode(&mut BinaryReader::new(&binary)).unwrap(), generated);
        assert_eq!(generated::Request::decode(&mut CompactReader::new(&compact)).unwrap(), generated);
        assert_eq!(generated::Request::decode(&mut BinaryReader::new(&hand_binary)).unwrap(), generated);
        assert_eq!(generated::Request::decode(&mut CompactReader::new(&hand_compact)).unwrap(), generated);
        assert_eq!(workload::Request::decode(&mut BinaryReader::new(&binary)).unwrap(), hand);
        assert_eq!(workload::Request::decode(&mut CompactReader::new(&compact)).unwrap(), hand);
    }
}

/// `idl/bench.thrift` is the workload's IDL, copied so that the crate builds without
/// `../shared`; it must not drift from the original.
#[test]
fn bench_idl_is_the_workloads() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let original = manifest.join("../../shared/bench/bench.thrift");
    let Ok(original) = std::fs::read_to_string(&original) else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "../shared/bench is missing, and CI=true requires it"
        );
        eprintln!("../shared/bench/bench.thrift not found: the copy is not compared");
        return;
    };
    let copy = std::fs::read_to_string(manifest.join("idl/bench.thrift")).unwrap();
    assert_eq!(copy, original, "benchmarks/idl/bench.thrift differs from ../shared/bench/bench.thrift");
}
