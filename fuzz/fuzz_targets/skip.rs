#![no_main]
//! Any bytes, skipped as a value of every type in every protocol.

libfuzzer_sys::fuzz_target!(|data: &[u8]| rift_fuzz::skip_all(data));
