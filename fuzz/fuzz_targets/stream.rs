#![no_main]
//! Any bytes as a connection's incoming stream: detection, zlib, framing, envelopes.

libfuzzer_sys::fuzz_target!(|data: &[u8]| rift_fuzz::stream(data));
