//! The dynamic codec against generated code, on the standard workload's `bench.thrift`:
//! the same bytes in every protocol, both ways; and the JSON mapping.

use std::path::Path;

use rift::{Limits, Protocol};
use rift_benchmarks::generated::{self, Request};
use rift_dynamic::json::{from_json, to_json};
use rift_dynamic::{Schema, Value, from_slice, to_vec};
use serde_json::json;

const PROTOCOLS: [Protocol; 3] = [Protocol::Binary, Protocol::Compact, Protocol::Json];

fn schema() -> Schema {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../benchmarks/idl/bench.thrift");
    Schema::load(path, &[] as &[&str]).expect("bench.thrift loads")
}

#[test]
fn same_bytes_as_generated_code_in_every_protocol() {
    let schema = schema();
    let ty = schema.type_named("Request").expect("Request is defined");
    for message in [generated::standard(), generated::large(), Request::default()] {
        for protocol in PROTOCOLS {
            let bytes = rift::to_vec(&message, protocol).unwrap();
            let value = from_slice(&schema, &ty, &bytes, protocol).unwrap();
            // Written again, dynamically: the same bytes (maps and sets keep the order
            // they were read in).
            assert_eq!(to_vec(&schema, &ty, &value, protocol).unwrap(), bytes, "{protocol:?}");
            // And generated code reads what the dynamic codec writes.
            let again: Request = rift::from_slice(&bytes, protocol, Limits::default()).unwrap();
            assert_eq!(again, message, "{protocol:?}");
        }
    }
}

#[test]
fn dynamic_struct_goes_through_the_runtime_encode_trait() {
    let schema = schema();
    let ty = schema.type_named("Request").unwrap();
    let bytes = rift::to_vec(&generated::standard(), Protocol::Compact).unwrap();
    let value = from_slice(&schema, &ty, &bytes, Protocol::Compact).unwrap();
    let wrapped = rift_dynamic::DynamicStruct { schema: &schema, ty: &ty, value: &value };
    assert_eq!(rift::to_vec(&wrapped, Protocol::Compact).unwrap(), bytes);
}

#[test]
fn json_round_trips_and_reads_as_a_person_writes_it() {
    let schema = schema();
    let ty = schema.type_named("Request").unwrap();
    let bytes = rift::to_vec(&generated::standard(), Protocol::Binary).unwrap();
    let value = from_slice(&schema, &ty, &bytes, Protocol::Binary).unwrap();
    let shown = to_json(&schema, &ty, &value);
    assert_eq!(shown["seq"], json!(42));
    assert_eq!(shown["user"], json!("user-0000000042"));
    assert_eq!(shown["items"][1]["status"], json!("DEGRADED"), "enums by name");
    assert_eq!(shown["items"][0]["location"], json!({"lat": 0.0, "lon": -0.0}));
    assert!(shown["items"][1].get("location").is_none(), "absent optional fields are left out");
    assert_eq!(shown["tags"]["key-3"], json!("value-3"));
    assert!(shown["payload"].as_str().unwrap().starts_with("B"), "binary as base64");
    // Back from JSON: the same message (a JSON object does not keep the order of a
    // map's entries, which a map does not have).
    let back = from_json(&schema, &ty, &shown).unwrap();
    let bytes = to_vec(&schema, &ty, &back, Protocol::Binary).unwrap();
    let request: Request = rift::from_slice(&bytes, Protocol::Binary, Limits::default()).unwrap();
    assert_eq!(request, generated::standard());

    // What a person writes: defaults filled in, i64 beyond 2^53 exact (as a number or a
    // string of digits).
    let written =
        json!({"seq": 1, "user": "u", "timestamp": "9007199254740993", "ids": [9007199254740993_i64]});
    let value = from_json(&schema, &ty, &written).unwrap();
    let Value::Struct(fields) = &value else { panic!("{value:?}") };
    assert_eq!(fields.get(3), Some(&Value::I64(9_007_199_254_740_993)));
    assert_eq!(fields.get(8), Some(&Value::Set(vec![Value::I64(9_007_199_254_740_993)])));
    let bytes = to_vec(&schema, &ty, &value, Protocol::Compact).unwrap();
    let decoded: Request = rift::from_slice(&bytes, Protocol::Compact, Limits::default()).unwrap();
    assert_eq!(decoded.timestamp, 9_007_199_254_740_993);
    assert_eq!(to_json(&schema, &ty, &value)["timestamp"], json!(9_007_199_254_740_993_i64));
}

#[test]
fn json_that_does_not_fit_says_where() {
    let schema = schema();
    let ty = schema.type_named("Request").unwrap();
    let cases = [
        (json!({"seq": 1, "user": "u"}), "", "required field `timestamp` of `Request` is missing"),
        (json!({"seq": "x", "user": "u", "timestamp": 1}), "seq", "expected an integer (i32)"),
        (json!({"seq": 1, "user": "u", "timestamp": 1, "colour": 1}), "colour", "has no field `colour`"),
        (
            json!({"seq": 1, "user": "u", "timestamp": 1, "items": [{"id": 1, "name": "a"}, {"id": 2, "name": 7}]}),
            "items[1].name",
            "expected string, found a number",
        ),
        (
            json!({"seq": 1, "user": "u", "timestamp": 1, "items": [{"id": 1, "name": "a", "status": "UP"}]}),
            "items[0].status",
            "`UP` is not a value of enum `Status` (OK, DEGRADED, DOWN)",
        ),
        (json!({"seq": 1, "user": "u", "timestamp": 1, "payload": "***"}), "payload", "base64"),
        (json!({"seq": 3_000_000_000_i64, "user": "u", "timestamp": 1}), "seq", "out of range for i32"),
    ];
    for (input, path, message) in cases {
        let e = from_json(&schema, &ty, &input).unwrap_err();
        assert_eq!(e.path(), path, "{input}: {e}");
        assert!(e.message().contains(message), "{input}: {e}");
    }
}

#[test]
fn values_that_do_not_fit_the_schema_are_refused_when_written() {
    let schema = schema();
    let ty = schema.type_named("Point").unwrap();
    let mut point = rift_dynamic::Struct::default();
    point.set(1, Value::Double(1.0));
    let e = to_vec(&schema, &ty, &Value::Struct(point.clone()), Protocol::Binary).unwrap_err();
    assert!(e.to_string().contains("required field `lon` of `Point` is not set"), "{e}");
    point.set(2, Value::String("east".into()));
    let e = to_vec(&schema, &ty, &Value::Struct(point), Protocol::Binary).unwrap_err();
    assert!(e.to_string().contains("in `Point.lon`: a string where the schema has double"), "{e}");
}

#[test]
fn a_broken_idl_is_an_error_with_its_diagnostics() {
    let dir = std::env::temp_dir().join(format!("rift-dynamic-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.thrift");
    std::fs::write(&path, "struct A { 1: Missing m }\n").unwrap();
    let e = Schema::load(&path, &[] as &[&str]).unwrap_err();
    assert_eq!(e.errors(), 1);
    assert!(e.to_string().contains("unknown type `Missing`"), "{e}");
}

/// Found by the `dynamic_decode` fuzz target: a union read with no member the schema
/// knows decoded, then could not be written. It is written empty now, as generated code
/// writes its `Unknown` member; a union with two members is refused when read.
#[test]
fn unions_without_a_known_member_are_written_empty() {
    let idl = "union U { 1: i32 a, 2: string b }\nstruct S { 1: U u }\n";
    let idl = rift_idl::Loader::new().source("u.thrift", idl).load("u.thrift");
    let schema = Schema::from_idl(idl).unwrap();
    let s = schema.type_named("S").unwrap();
    // S { u: U { 9: i32 5 } }, binary.
    let unknown = [12, 0, 1, 8, 0, 9, 0, 0, 0, 5, 0, 0];
    let value = from_slice(&schema, &s, &unknown, Protocol::Binary).unwrap();
    let written = to_vec(&schema, &s, &value, Protocol::Binary).unwrap();
    assert_eq!(written, [12, 0, 1, 0, 0]);
    assert_eq!(
        to_vec(&schema, &s, &from_slice(&schema, &s, &written, Protocol::Binary).unwrap(), Protocol::Binary)
            .unwrap(),
        written
    );
    // Two members: refused.
    let two = [12, 0, 1, 8, 0, 1, 0, 0, 0, 5, 11, 0, 2, 0, 0, 0, 0, 0, 0];
    assert!(from_slice(&schema, &s, &two, Protocol::Binary).is_err());
    // A value built by hand with two members is refused when written.
    let u = schema.type_named("U").unwrap();
    let mut both = rift_dynamic::Struct::default();
    both.set(1, Value::I32(1));
    both.set(2, Value::String("x".into()));
    assert!(to_vec(&schema, &u, &Value::Struct(both), Protocol::Binary).is_err());
}
