//! Generates code for every test IDL file: once plain, and once with serde derives into
//! `OUT_DIR/with_serde` (with `Eq` and `Hash` asked for on one type, too).

fn main() {
    let files: Vec<_> = std::fs::read_dir("idl")
        .expect("the idl directory")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "thrift"))
        .collect();
    if let Err(e) = rift_build::compile(&files, &["idl"]) {
        panic!("{e}");
    }
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let serde = rift_build::Builder::new()
        .include_dir("idl")
        .serde(true)
        .derive_for("services.NotFound", ["Eq", "Hash"])
        .out_dir(out.join("with_serde"));
    if let Err(e) = serde.compile(&files) {
        panic!("{e}");
    }
}
