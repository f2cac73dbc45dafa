//! Encode and decode of the standard and large messages of `../shared/bench/`, in the
//! binary and compact protocols: nanoseconds per message into a reused buffer and into
//! an owned value. Run with `cargo bench -p rift-benchmarks --bench codec`.
//!
//! The same figures for Apache's `thrift` crate and for pilota come from
//! `benchmarks/peers` (its own workspace: their dependency trees stay out of CI).

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use rift::protocol::binary::{BinaryReader, BinaryWriter};
use rift::protocol::compact::{CompactReader, CompactWriter};
use rift::{Decode, Encode};
use rift_benchmarks::workload::{self, Request};

fn bench(c: &mut Criterion) {
    for (name, message, sizes) in [
        ("standard", workload::standard(), (3022, 1942)),
        ("large", workload::large(), (1_048_650, 1_048_607)),
    ] {
        let mut binary = Vec::new();
        message.encode(&mut BinaryWriter::new(&mut binary)).unwrap();
        let mut compact = Vec::new();
        message.encode(&mut CompactWriter::new(&mut compact)).unwrap();
        assert_eq!((binary.len(), compact.len()), sizes, "encoded sizes of the {name} message");

        let mut group = c.benchmark_group(format!("codec/{name}"));
        group.throughput(Throughput::Elements(1));
        let mut buf = Vec::with_capacity(binary.len());
        group.bench_function("rift/binary/encode", |b| {
            b.iter(|| {
                buf.clear();
                message.encode(&mut BinaryWriter::new(&mut buf)).unwrap();
                std::hint::black_box(&buf);
            })
        });
        group.bench_function("rift/binary/decode", |b| {
            b.iter_batched(
                || (),
                |()| Request::decode(&mut BinaryReader::new(&binary)).unwrap(),
                BatchSize::SmallInput,
            )
        });
        group.bench_function("rift/compact/encode", |b| {
            b.iter(|| {
                buf.clear();
                message.encode(&mut CompactWriter::new(&mut buf)).unwrap();
                std::hint::black_box(&buf);
            })
        });
        group.bench_function("rift/compact/decode", |b| {
            b.iter_batched(
                || (),
                |()| Request::decode(&mut CompactReader::new(&compact)).unwrap(),
                BatchSize::SmallInput,
            )
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
