//! Generates the peers' code for `../shared/bench/bench.thrift` into OUT_DIR: Apache's with
//! Debian's `thrift --gen rs` (`scripts/setup.sh` installs it), pilota's with pilota-build,
//! volo's (pilota's types and the service's server) with volo-build.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    let idl = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench/bench.thrift");
    println!("cargo:rerun-if-changed={}", idl.display());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());

    let apache = out.join("apache");
    std::fs::create_dir_all(&apache).unwrap();
    let status = Command::new("thrift")
        .args(["-out", apache.to_str().unwrap(), "--gen", "rs"])
        .arg(&idl)
        .status()
        .expect("Apache's `thrift` compiler (run scripts/setup.sh)");
    assert!(status.success(), "thrift --gen rs failed");
    // `include!` takes no inner attributes; the crate allows what they allowed.
    let file = apache.join("bench.rs");
    let code = std::fs::read_to_string(&file).unwrap();
    let code: String = code.lines().filter(|l| !l.starts_with("#![")).map(|l| format!("{l}\n")).collect();
    std::fs::write(&file, code).unwrap();

    pilota_build::Builder::thrift()
        .ignore_unused(false)
        .compile([&idl], pilota_build::Output::File(out.join("pilota.rs")));

    // volo's: pilota's types plus the `Bench` service's server and client, for
    // src/bin/volo-bench-server.rs.
    volo_build::Builder::thrift()
        .add_service(&idl)
        .ignore_unused(false)
        .filename(PathBuf::from("volo_gen.rs"))
        .write()
        .expect("volo-build generates bench.thrift");
}
