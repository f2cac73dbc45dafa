#![no_main]
//! Any bytes as the replies a client connection receives, in every format, in pieces.

libfuzzer_sys::fuzz_target!(|data: &[u8]| rift_fuzz::client(data));
