#![no_main]
//! Any bytes as a server connection's incoming stream, in pieces, with the generated
//! processor behind it: detection, zlib, framing, envelopes, handler, replies.

libfuzzer_sys::fuzz_target!(|data: &[u8]| rift_fuzz::stream(data));
