//! The standard workload encodes to the sizes its README gives, and round-trips.

use rift::protocol::binary::{BinaryReader, BinaryWriter};
use rift::protocol::compact::{CompactReader, CompactWriter};
use rift::{Decode, Encode};
use rift_benchmarks::workload::{self, Request};

#[test]
fn encoded_sizes_match_the_workload() {
    for (message, binary_len, compact_len) in
        [(workload::standard(), 3022, 1942), (workload::large(), 1_048_650, 1_048_607)]
    {
        let mut binary = Vec::new();
        message.encode(&mut BinaryWriter::new(&mut binary)).unwrap();
        let mut compact = Vec::new();
        message.encode(&mut CompactWriter::new(&mut compact)).unwrap();
        assert_eq!(binary.len(), binary_len);
        assert_eq!(compact.len(), compact_len);
        assert_eq!(Request::decode(&mut BinaryReader::new(&binary)).unwrap(), message);
        assert_eq!(Request::decode(&mut CompactReader::new(&compact)).unwrap(), message);
    }
}
