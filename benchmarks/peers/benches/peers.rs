//! rift, Apache's `thrift` crate and pilota on the same messages, in the same run:
//! encode into a reused buffer and decode into an owned value, binary and compact, for
//! the standard and the large message of `../shared/bench/`. rift's types are the ones
//! rift-build generates from `bench.thrift`, as each peer's are its own generator's. Each implementation's
//! encodings are checked to have the workload's sizes first.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rift::protocol::binary::{BinaryReader, BinaryWriter};
use rift::protocol::compact::{CompactReader, CompactWriter};
use rift::{Decode, Encode, Limits};
use rift_benchmarks::generated::{self, Request};
use rift_benchmarks::workload;
use rift_peer_benchmarks::*;

fn bench(c: &mut Criterion) {
    for (name, hand, message, sizes) in [
        ("standard", workload::standard(), generated::standard(), [3022, 1942]),
        ("large", workload::large(), generated::large(), [1_048_650, 1_048_607]),
    ] {
        let apache_msg = to_apache(&hand);
        let pilota_msg = to_pilota(&hand);
        let mut group = c.benchmark_group(format!("codec/{name}"));
        group.throughput(Throughput::Elements(1));
        for (compact, proto, size) in [(false, "binary", sizes[0]), (true, "compact", sizes[1])] {
            let mut rift_bytes = Vec::new();
            if compact {
                message.encode(&mut CompactWriter::new(&mut rift_bytes)).unwrap();
            } else {
                message.encode(&mut BinaryWriter::new(&mut rift_bytes)).unwrap();
            }
            let mut apache_bytes = Vec::new();
            apache_encode(&apache_msg, compact, &mut apache_bytes);
            let mut pilota_buf = pilota::BytesMut::new();
            pilota_encode(&pilota_msg, compact, &mut pilota_buf);
            let pilota_bytes = pilota_buf.clone().freeze();
            assert_eq!([rift_bytes.len(), apache_bytes.len(), pilota_bytes.len()], [size; 3], "{name} {proto} sizes");

            let mut buf = Vec::with_capacity(size);
            group.bench_function(format!("{proto}/encode/rift"), |b| {
                b.iter(|| {
                    buf.clear();
                    if compact {
                        message.encode(&mut CompactWriter::new(&mut buf)).unwrap();
                    } else {
                        message.encode(&mut BinaryWriter::new(&mut buf)).unwrap();
                    }
                    std::hint::black_box(&buf);
                })
            });
            group.bench_function(format!("{proto}/encode/apache"), |b| {
                b.iter(|| {
                    buf.clear();
                    apache_encode(&apache_msg, compact, &mut buf);
                    std::hint::black_box(&buf);
                })
            });
            let mut pbuf = pilota::BytesMut::with_capacity(size);
            group.bench_function(format!("{proto}/encode/pilota"), |b| {
                b.iter(|| {
                    pbuf.clear();
                    pilota_encode(&pilota_msg, compact, &mut pbuf);
                    std::hint::black_box(&pbuf);
                })
            });
            // From `Bytes`, as rift's servers and clients decode: strings and binaries are
            // slices of the message, as pilota's are.
            let rift_bytes = rift::bytes::Bytes::from(rift_bytes);
            group.bench_function(format!("{proto}/decode/rift"), |b| {
                b.iter(|| {
                    if compact {
                        Request::decode(&mut CompactReader::from_bytes(&rift_bytes, Limits::default())).unwrap()
                    } else {
                        Request::decode(&mut BinaryReader::from_bytes(&rift_bytes, Limits::default())).unwrap()
                    }
                })
            });
            group.bench_function(format!("{proto}/decode/apache"), |b| b.iter(|| apache_decode(&apache_bytes, compact)));
            // pilota 0.12's compact reader panics on a bool field ("pending bool field not
            // read"); report that instead of a time.
            let works = std::panic::catch_unwind(|| pilota_decode(&pilota_bytes, compact)).is_ok();
            if works {
                group.bench_function(format!("{proto}/decode/pilota"), |b| b.iter(|| pilota_decode(&pilota_bytes, compact)));
            } else {
                eprintln!("codec/{name}/{proto}/decode/pilota: pilota panics decoding this message");
            }
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
