//! Generates code for every test IDL file.

fn main() {
    let files: Vec<_> = std::fs::read_dir("idl")
        .expect("the idl directory")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "thrift"))
        .collect();
    if let Err(e) = rift_build::compile(&files, &["idl"]) {
        panic!("{e}");
    }
}
