fn main() {
    rift_build::compile(&["idl/calc.thrift"], &["idl"]).expect("the test IDL generates");
}
