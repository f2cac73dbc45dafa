//! Generates the fuzz IDL twice: with the default options (hashed maps and sets, what
//! users get) and with ordered ones (so that encoding a decoded value is canonical and
//! the round-trip target can compare bytes).

use std::path::PathBuf;

fn main() {
    let idl = "idl/fuzz.thrift";
    println!("cargo:rerun-if-changed={idl}");
    rift_build::compile(&[idl], &["idl"]).expect("the fuzz IDL generates");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("ordered");
    std::fs::create_dir_all(&out).expect("OUT_DIR is writable");
    rift_build::Builder::new()
        .include_dir("idl")
        .maps(rift_build::Maps::BTree)
        .out_dir(out)
        .compile(&[idl])
        .expect("the fuzz IDL generates with ordered maps");
}
