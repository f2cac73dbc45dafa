//! Generates the types of the standard workload from `idl/bench.thrift`, a copy of
//! `../shared/bench/bench.thrift` (a test checks that the two agree).

fn main() {
    if let Err(e) = rift_build::compile(&["idl/bench.thrift"], &["idl"]) {
        panic!("{e}");
    }
}
