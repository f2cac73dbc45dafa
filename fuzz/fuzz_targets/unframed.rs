#![no_main]
//! Any bytes as an unframed stream in pieces: the message found as it comes is the one a
//! walk of the whole input finds (or the same error).

libfuzzer_sys::fuzz_target!(|data: &[u8]| rift_fuzz::unframed(data));
