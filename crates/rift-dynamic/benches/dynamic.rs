//! The dynamic codec beside generated code on the standard message of `../shared/bench`,
//! binary protocol, in the same run: `cargo bench -p rift-dynamic`. The issue asks the
//! dynamic codec to stay within 3x of generated code. And the time to load a large IDL.

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

/// Loading the Hive metastore IDL (with fb303), from `../shared/idl-corpus` when it is
/// beside the repository: ThriftPy2's `load` of it takes 174 ms on this machine.
fn load(c: &mut Criterion) {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/idl-corpus");
    let file = corpus
        .join("apache__hive/standalone-metastore/metastore-common/src/main/thrift/hive_metastore.thrift");
    if !file.exists() {
        eprintln!("../shared/idl-corpus is not beside the repository: no load benchmark");
        return;
    }
    let include = corpus.join("_include_roots/thrift-prefix");
    c.bench_function("load/hive_metastore", |b| {
        b.iter(|| Schema::load(&file, std::slice::from_ref(&include)).expect("the Hive IDL loads"))
    });
}

criterion_group!(benches, bench, load);
criterion_main!(benches);
