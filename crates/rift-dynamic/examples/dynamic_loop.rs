//! Encodes or decodes the standard message in a loop, generated or dynamic, for
//! profilers: `dynamic_loop [generated|dynamic] [encode|decode] [N]`.

use std::path::Path;

use rift::Encode;
use rift::bytes::Bytes;
use rift::protocol::binary::{BinaryReader, BinaryWriter};
use rift_benchmarks::generated::{self, Request};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dynamic = args.get(1).is_some_and(|a| a == "dynamic");
    let decode = args.get(2).is_some_and(|a| a == "decode");
    let n: usize = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../benchmarks/idl/bench.thrift");
    let schema = rift_dynamic::Schema::load(path, &[] as &[&str]).unwrap();
    let ty = schema.type_named("Request").unwrap();
    let message = generated::standard();
    let bytes = Bytes::from(rift::to_vec(&message, rift::Protocol::Binary).unwrap());
    let value = rift_dynamic::from_slice(&schema, &ty, &bytes, rift::Protocol::Binary).unwrap();
    let mut buf = Vec::with_capacity(4096);
    let mut total = 0usize;
    for _ in 0..n {
        match (dynamic, decode) {
            (false, false) => {
                buf.clear();
                message.encode(&mut BinaryWriter::new(&mut buf)).unwrap();
                total += buf.len();
            }
            (true, false) => {
                buf.clear();
                rift_dynamic::encode(&schema, &ty, &value, &mut BinaryWriter::new(&mut buf)).unwrap();
                total += buf.len();
            }
            (false, true) => {
                let r = <Request as rift::Decode>::decode(&mut BinaryReader::from_bytes(
                    &bytes,
                    rift::Limits::default(),
                ));
                total += std::hint::black_box(r.unwrap()).items.len();
            }
            (true, true) => {
                let r = rift_dynamic::decode(
                    &schema,
                    &ty,
                    &mut BinaryReader::from_bytes(&bytes, rift::Limits::default()),
                );
                total += std::hint::black_box(r.map(|_| 1).unwrap());
            }
        }
    }
    println!("{total}");
}
