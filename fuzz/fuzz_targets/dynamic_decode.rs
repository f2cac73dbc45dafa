#![no_main]
//! Any bytes decoded by schema at run time in any protocol: encode(decode(x)) is stable.

libfuzzer_sys::fuzz_target!(|data: &[u8]| rift_fuzz::dynamic_decode(data));
