#![no_main]
//! Any bytes to the dynamic processor (`rift serve`): as one whole message, and as a
//! connection's stream in pieces.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    rift_fuzz::dynamic_process(data);
    rift_fuzz::dynamic_stream(data);
});
