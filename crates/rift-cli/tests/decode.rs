//! `rift decode` as a user runs it: messages and structs, in hex, base64 or raw bytes,
//! framed or not, shown as JSON by the quick start's IDL.

use std::path::{Path, PathBuf};
use std::process::Output;

mod serving;

fn idl() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/weather/idl/weather_service.thrift")
}

fn decode(args: &[&str], stdin: &[u8]) -> Output {
    let idl = idl();
    let mut all = vec!["decode", idl.to_str().unwrap()];
    all.extend_from_slice(args);
    serving::rift_with_input(&all, stdin)
}

fn json(out: &Output) -> serde_json::Value {
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `getTemperature(Location(city="New York", country="USA"))` as Apache's Python client
/// sends it, in the binary and the compact protocol.
const BINARY_CALL: &str = "800100010000000e67657454656d7065726174757265000000000c00010b0001000000084e657720596f726b\
                           0b0002000000035553410000";
const COMPACT_CALL: &str = "8221000e67657454656d70657261747572651c18084e657720596f726b18035553410000";

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

#[test]
fn calls_in_any_protocol_and_form() {
    let want = serde_json::json!({
        "method": "getTemperature", "type": "call", "seq": 0,
        "args": {"location": {"city": "New York", "country": "USA"}},
    });
    // Hex on the command line, protocol told from the bytes.
    assert_eq!(json(&decode(&[BINARY_CALL], b"")), want);
    // Raw bytes on standard input.
    assert_eq!(json(&decode(&[], &unhex(COMPACT_CALL))), want);
    // Base64, in a frame of the framed transport.
    let mut framed = (unhex(BINARY_CALL).len() as u32).to_be_bytes().to_vec();
    framed.extend(unhex(BINARY_CALL));
    let text = base64_of(&framed);
    assert_eq!(json(&decode(&["--input", "base64", &text], b"")), want);
}

#[test]
fn structs_by_type() {
    let out = decode(&["--type", "Location", "--protocol", "compact", "18044f736c6f00"], b"");
    assert_eq!(json(&out), serde_json::json!({"city": "Oslo"}));
}

#[test]
fn bytes_that_do_not_decode_say_so() {
    let out = decode(&["ffff"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("give --protocol"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let truncated = &BINARY_CALL[..40];
    let out = decode(&[truncated], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("the bytes do not decode"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn base64_of(data: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(data)
}
