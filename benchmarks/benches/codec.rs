//! Encode and decode of the standard and large messages of `../shared/bench/`, in the
//! binary and compact protocols: nanoseconds per message into a reused buffer and into
//! an owned value (from `Bytes`, as servers and clients decode), on the types rift-build
//! generates (`generated`), the same with `Maps::BTree` (`btree`) and with
//! `Maps::BTree` and `Strings::Owned` (`owned`), and on the same types written by hand
//! (`hand`). Run with `cargo bench -p rift-benchmarks --bench codec`.
//!
//! The same figures for Apache's `thrift` crate and for pilota come from
//! `benchmarks/peers` (its own workspace: their dependency trees stay out of CI).

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use rift::bytes::Bytes;
use rift::protocol::binary::{BinaryReader, BinaryWriter};
use rift::protocol::compact::{CompactReader, CompactWriter};
use rift::{Decode, Encode, Limits};
use rift_benchmarks::{generated, workload};

fn codec<T: Encode + Decode>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    kind: &str,
    message: &T,
    sizes: (usize, usize),
) {
    let mut binary = Vec::new();
    message.encode(&mut BinaryWriter::new(&mut binary)).unwrap();
    let mut compact = Vec::new();
    message.encode(&mut CompactWriter::new(&mut compact)).unwrap();
    assert_eq!((binary.len(), compact.len()), sizes, "encoded sizes of the {kind} message");

    let mut buf = Vec::with_capacity(binary.len());
    // What encoding is measured against: copying the encoded bytes once.
    group.bench_function(format!("binary/copy/{kind}"), |b| {
        b.iter(|| {
            buf.clear();
            buf.extend_from_slice(std::hint::black_box(&binary));
            std::hint::black_box(&buf);
        })
    });
    group.bench_function(format!("binary/encode/{kind}"), |b| {
        b.iter(|| {
            buf.clear();
            message.encode(&mut BinaryWriter::new(&mut buf)).unwrap();
            std::hint::black_box(&buf);
        })
    });
    // Decoded from `Bytes`, as servers and clients hand messages to generated code:
    // strings and binaries are slices of the message.
    let (binary, compact) = (Bytes::from(binary), Bytes::from(compact));
    // Each value is dropped as soon as it is made, as a server drops a request it has
    // answered, and as the peer benchmarks measure.
    group.bench_function(format!("binary/decode/{kind}"), |b| {
        b.iter(|| T::decode(&mut BinaryReader::from_bytes(&binary, Limits::default())).unwrap())
    });
    group.bench_function(format!("compact/encode/{kind}"), |b| {
        b.iter(|| {
            buf.clear();
            message.encode(&mut CompactWriter::new(&mut buf)).unwrap();
            std::hint::black_box(&buf);
        })
    });
    group.bench_function(format!("compact/decode/{kind}"), |b| {
        b.iter(|| T::decode(&mut CompactReader::from_bytes(&compact, Limits::default())).unwrap())
    });
}

fn bench(c: &mut Criterion) {
    for (name, sizes) in [("standard", (3022, 1942)), ("large", (1_048_650, 1_048_607))] {
        let mut group = c.benchmark_group(format!("codec/{name}"));
        group.throughput(Throughput::Elements(1));
        if name == "standard" {
            codec(&mut group, "generated", &generated::standard(), sizes);
            codec(&mut group, "btree", &generated::btree::standard(), sizes);
            codec(&mut group, "owned", &generated::owned::standard(), sizes);
            codec(&mut group, "hand", &workload::standard(), sizes);
        } else {
            codec(&mut group, "generated", &generated::large(), sizes);
            codec(&mut group, "hand", &workload::large(), sizes);
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
