#![no_main]
//! Any bytes as one whole message to the generated processor (plain and multiplexed): every reply answers its call.

libfuzzer_sys::fuzz_target!(|data: &[u8]| rift_fuzz::process(data));
