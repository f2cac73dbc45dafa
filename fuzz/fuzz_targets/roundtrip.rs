#![no_main]
//! Any bytes decoded as a struct of every type (ordered maps) in any protocol: encode(decode(x)) is stable.

libfuzzer_sys::fuzz_target!(|data: &[u8]| rift_fuzz::roundtrip(data));
