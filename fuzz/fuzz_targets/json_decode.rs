#![no_main]
//! Any bytes, decoded as a message and as values in the json protocol: errors, never panics.

use rift::protocol::json::JsonReader as Reader;

libfuzzer_sys::fuzz_target!(|data: &[u8]| rift_fuzz::decode_all(|| Reader::new(data)));
