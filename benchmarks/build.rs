//! Generates the types of the standard workload from `idl/bench.thrift`, a copy of
//! `../shared/bench/bench.thrift` (a test checks that the two agree): with the default
//! options, and with the other choices of map and string types, so that the codec
//! benchmark measures what the defaults were chosen by.

use std::path::PathBuf;

use rift_build::{Builder, Maps, Strings};

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR is set by cargo"));
    let variants = [
        (None, Builder::new()),
        (Some("btree"), Builder::new().maps(Maps::BTree)),
        (Some("owned"), Builder::new().maps(Maps::BTree).strings(Strings::Owned)),
    ];
    for (dir, builder) in variants {
        let builder = match dir {
            Some(dir) => builder.out_dir(out.join(dir)),
            None => builder,
        };
        if let Err(e) = builder.include_dir("idl").compile(&["idl/bench.thrift"]) {
            panic!("{e}");
        }
    }
}
