fn main() {
    rift_build::compile(&["idl/ThriftTest.thrift"], &["idl"]).expect("the cross-test IDL generates");
}
