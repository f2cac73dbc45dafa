#![no_main]
//! Any bytes as JSON for a type of a schema loaded at run time: the mapping is stable.

libfuzzer_sys::fuzz_target!(|data: &[u8]| rift_fuzz::dynamic_json(data));
