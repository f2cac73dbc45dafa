fn main() {
    // The seed's IDL, unchanged: `idl/weather_service.thrift`.
    rift_build::compile(&["idl/weather_service.thrift"], &["idl"]).expect("the weather IDL generates");
}
