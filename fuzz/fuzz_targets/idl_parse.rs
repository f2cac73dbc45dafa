#![no_main]
//! Any bytes, as a `.thrift` file: the front end must not panic, hang or overflow.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let schema = rift_idl::Loader::new().source("fuzz.thrift", text.as_ref()).load("fuzz.thrift");
    for d in schema.diagnostics() {
        let _ = d.render(schema.sources(), false);
    }
});
