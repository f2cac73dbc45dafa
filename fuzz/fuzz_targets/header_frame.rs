#![no_main]
//! Any bytes, as a THeader frame and as the start of a connection to detect.

libfuzzer_sys::fuzz_target!(|data: &[u8]| rift_fuzz::header(data));
