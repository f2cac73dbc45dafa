//! The dynamic codec beside generated code on the standard message of `../shared/bench`,
//! binary protocol, in the same run: `cargo bench -p rift-dynamic`. The issue asks the
//! dynamic codec to stay within 3x of generated code.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use rift::bytes::Bytes;
use rift::protocol::binary::{BinaryReader, BinaryWriter};
use rift::{Decode, Encode, Limits};
use rift_benchmarks::generated::{self, Request};
use rift_dynamic::Schema;

fn bench(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../benchmarks/idl/bench.thrift");
    let schema = Schema::load(path, &[] as &[&str]).unwrap();
    let ty = schema.type_named("Request").unwrap();
    let message = generated::standard();
    let bytes = Bytes::from(rift::to_vec(&message, rift::Protocol::Binary).unwrap());
    let value = rift_dynamic::from_slice(&schema, &ty, &bytes, rift::Protocol::Binary).unwrap();

    let mut group = c.benchmark_group("standard/binary");
    let mut buf = Vec::with_capacity(4096);
    group.bench_function("encode/generated", |b| {
        b.iter(|| {
            buf.clear();
            message.encode(&mut BinaryWriter::new(&mut buf)).unwrap();
        })
    });
    group.bench_function("encode/dynamic", |b| {
        b.iter(|| {
            buf.clear();
            rift_dynamic::encode(&schema, &ty, &value, &mut BinaryWriter::new(&mut buf)).unwrap();
        })
    });
    group.bench_function("decode/generated", |b| {
        b.iter(|| Request::decode(&mut BinaryReader::from_bytes(&bytes, Limits::default())).unwrap())
    });
    group.bench_function("decode/dynamic", |b| {
        b.iter(|| {
            rift_dynamic::decode(&schema, &ty, &mut BinaryReader::from_bytes(&bytes, Limits::default()))
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
