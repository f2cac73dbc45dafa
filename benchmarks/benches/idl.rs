//! Parse and resolve throughput of the IDL front end, in bytes of IDL per second: on the
//! real-world corpus of `../shared/idl-corpus` (when it is there) and on a generated
//! 50 MB file.
//!
//! Run with `cargo bench -p rift-benchmarks --bench idl`.

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rift_idl::Loader;

/// The corpus files the reference accepts, each with its include directories.
fn corpus() -> Vec<(PathBuf, Vec<PathBuf>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/idl-corpus");
    let Ok(manifest) = std::fs::read_to_string(dir.join("MANIFEST.tsv")) else {
        eprintln!("../shared/idl-corpus is missing: skipping the corpus benchmark");
        return Vec::new();
    };
    manifest
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let ok = cols.get(10) == Some(&"ok") && !cols[3].starts_with("fbthrift");
            ok.then(|| {
                let dirs = cols[9].split_whitespace().filter(|a| *a != "-I").map(|d| dir.join(d)).collect();
                (dir.join(cols[3]), dirs)
            })
        })
        .collect()
}

fn bench_corpus(c: &mut Criterion) {
    let files = corpus();
    if files.is_empty() {
        return;
    }
    // Bytes of IDL read per pass, includes counted each time they are loaded.
    let bytes: usize = files
        .iter()
        .map(|(path, dirs)| {
            let schema = Loader::new().include_dirs(dirs.iter().cloned()).load(path);
            assert!(!schema.has_errors(), "{}", path.display());
            schema.sources().files().map(|(_, f)| f.text().len()).sum::<usize>()
        })
        .sum();
    let mut group = c.benchmark_group("idl");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("corpus: load, parse and resolve every accepted file", |b| {
        b.iter(|| {
            for (path, dirs) in &files {
                let schema = Loader::new().include_dirs(dirs.iter().cloned()).load(path);
                std::hint::black_box(schema);
            }
        })
    });
    group.finish();
}

fn bench_synthetic(c: &mut Criterion) {
    let text = rift_benchmarks::synthetic_idl(50 * 1024 * 1024);
    let loader = Loader::new().source("synthetic.thrift", text.clone());
    let schema = loader.load("synthetic.thrift");
    assert!(!schema.has_errors(), "{:?}", schema.diagnostics().first());
    drop(schema);
    let mut group = c.benchmark_group("idl");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);
    let mut sources = rift_idl::SourceMap::new();
    let id = sources.add("synthetic.thrift", text.as_str());
    group.bench_function("synthetic 50 MB: parse only", |b| {
        b.iter(|| std::hint::black_box(rift_idl::parse(sources.get(id).text(), id)))
    });
    group.bench_function("synthetic 50 MB: parse and resolve", |b| {
        b.iter(|| std::hint::black_box(loader.load("synthetic.thrift")))
    });
    group.finish();
}

criterion_group!(benches, bench_corpus, bench_synthetic);
criterion_main!(benches);
