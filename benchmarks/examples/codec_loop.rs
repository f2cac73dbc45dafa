//! Encodes or decodes the standard message in a loop, for profilers (`perf record`,
//! `valgrind --tool=callgrind`): `codec_loop [binary|compact] [encode|decode] [N]`.

use rift::bytes::Bytes;
use rift::protocol::binary::{BinaryReader, BinaryWriter};
use rift::protocol::compact::{CompactReader, CompactWriter};
use rift::{Decode, Encode, Limits};
use rift_benchmarks::generated::{self, Request};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let compact = args.get(1).is_some_and(|a| a == "compact");
    let decode = args.get(2).is_none_or(|a| a == "decode");
    let n: usize = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let message = generated::standard();
    let mut buf = Vec::new();
    if compact {
        message.encode(&mut CompactWriter::new(&mut buf)).unwrap();
    } else {
        message.encode(&mut BinaryWriter::new(&mut buf)).unwrap();
    }
    let bytes = Bytes::from(buf.clone());
    let mut total = 0usize;
    for _ in 0..n {
        if decode {
            let value = if compact {
                Request::decode(&mut CompactReader::from_bytes(&bytes, Limits::default())).unwrap()
            } else {
                Request::decode(&mut BinaryReader::from_bytes(&bytes, Limits::default())).unwrap()
            };
            total += std::hint::black_box(value).items.len();
        } else {
            buf.clear();
            if compact {
                message.encode(&mut CompactWriter::new(&mut buf)).unwrap();
            } else {
                message.encode(&mut BinaryWriter::new(&mut buf)).unwrap();
            }
            total += std::hint::black_box(&buf).len();
        }
    }
    println!("{total}");
}
