//! `rift check` as a user runs it: exit codes, human and JSON output, include paths.

use std::path::Path;

use support::{rift, scratch};

mod support;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn valid_file_exits_zero() {
    let dir = scratch("ok", &[("ok.thrift", "struct A { 1: required string city }\n")]);
    let out = rift(&["check", "ok.thrift"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[test]
fn warnings_are_printed_but_exit_zero() {
    let dir = scratch("warn", &[("w.thrift", "struct A { i32 implicit }\n")]);
    let out = rift(&["check", "w.thrift"], &dir);
    assert_eq!(out.status.code(), Some(0));
    let err = text(&out.stderr);
    assert!(err.contains("warning: field `implicit` has no id"), "{err}");
    assert!(err.contains("--> w.thrift:1:16"), "{err}");
}

#[test]
fn errors_exit_one_with_snippet_and_caret() {
    let dir = scratch("err", &[("e.thrift", "struct A {\n  1: i32 a\n  1: i32 b\n}\n")]);
    let out = rift(&["check", "e.thrift"], &dir);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("error: field id 1 is used twice"), "{err}");
    assert!(err.contains("--> e.thrift:3:3"), "{err}");
    assert!(err.contains("3 |   1: i32 b"), "{err}");
    assert!(err.contains("^ used again by `b`"), "{err}");
    assert!(err.contains("- first used by `a`"), "{err}");
}

#[test]
fn all_errors_of_a_file_in_one_run() {
    let dir = scratch(
        "many",
        &[("m.thrift", "struct A {\n  1: i32\n}\nstruct B {\n  1: list<i32 x\n}\nenum C { D = }\n")],
    );
    let out = rift(&["check", "--format", "json", "m.thrift"], &dir);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json output");
    assert_eq!(json["errors"], 3, "{json:#}");
    let lines: Vec<u64> =
        json["diagnostics"].as_array().unwrap().iter().map(|d| d["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, vec![2, 5, 7]);
}

#[test]
fn json_format_has_places_and_labels() {
    let dir = scratch("json", &[("j.thrift", "struct Foo {}\nstruct Foo {}\n")]);
    let out = rift(&["check", "--format", "json", "j.thrift"], &dir);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json output");
    let d = &json["diagnostics"][0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "duplicate-definition");
    assert_eq!(d["file"], "j.thrift");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(2), Some(8)));
    let labels = d["labels"].as_array().unwrap();
    assert_eq!(labels.len(), 2);
    assert_eq!(labels[1]["line"], 1);
    assert_eq!(labels[1]["primary"], false);
    assert!(d["rendered"].as_str().unwrap().contains("first defined here"));
}

#[test]
fn include_dirs_are_searched() {
    let dir = scratch(
        "inc",
        &[
            ("idl/main.thrift", "include \"shared.thrift\"\nstruct A { 1: shared.S s }\n"),
            ("other/shared.thrift", "struct S { 1: i32 x }\n"),
        ],
    );
    let out = rift(&["check", "idl/main.thrift"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("cannot find included file \"shared.thrift\""));
    let out = rift(&["check", "-I", "other", "idl/main.thrift"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn several_files_in_one_run() {
    let dir =
        scratch("several", &[("a.thrift", "struct A {}\n"), ("b.thrift", "struct B { 1: Missing m }\n")]);
    let out = rift(&["check", "a.thrift", "b.thrift"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("unknown type `Missing`"));
}

#[test]
fn usage_errors_exit_two() {
    let dir = scratch("usage", &[]);
    assert_eq!(rift(&["check"], &dir).status.code(), Some(2));
    assert_eq!(rift(&["check", "--format", "xml", "a.thrift"], &dir).status.code(), Some(2));
    assert_eq!(rift(&["frobnicate"], &dir).status.code(), Some(2));
    assert_eq!(rift(&["--help"], &dir).status.code(), Some(0));
}

#[test]
fn missing_file_is_an_error() {
    let dir = scratch("missing", &[]);
    let out = rift(&["check", "nope.thrift"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("cannot read `nope.thrift`: no such file"), "{}", text(&out.stderr));
    std::fs::create_dir(dir.join("idl")).unwrap();
    let out = rift(&["check", "idl"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("`idl`: it is a directory"), "{}", text(&out.stderr));
}

#[test]
fn seed_weather_idl_is_valid() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seed/weather_service.thrift");
    if !seed.is_file() {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        assert!(!ci, "../shared/seed is missing");
        return;
    }
    let out = rift(&["check", seed.to_str().unwrap()], Path::new("."));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// 25 MB of pseudo-random bytes (xorshift), without NUL bytes when `nul` is false.
fn garbage(len: usize, nul: bool) -> Vec<u8> {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let b = (state >> 24) as u8;
            if nul || b != 0 { b } else { b'x' }
        })
        .collect()
}

/// Input that is not Thrift at all gets a bounded answer, quickly: a binary file one
/// error, a large text of garbage its first hundred errors and a count of the rest.
#[test]
fn garbage_gets_a_bounded_answer() {
    let dir = scratch("garbage", &[]);
    std::fs::write(dir.join("random.thrift"), garbage(25 << 20, true)).unwrap();
    std::fs::write(dir.join("text.thrift"), garbage(25 << 20, false)).unwrap();

    let started = std::time::Instant::now();
    let out = rift(&["check", "random.thrift"], &dir);
    eprintln!("rift check of 25 MB of random bytes: {:?}", started.elapsed());
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("is not a text file (a NUL byte at offset"), "{err}");
    assert!(err.trim_end().ends_with("error: check failed with 1 error"), "{err}");

    let started = std::time::Instant::now();
    let out = rift(&["check", "text.thrift"], &dir);
    eprintln!("rift check of 25 MB of garbage without NUL bytes: {:?}", started.elapsed());
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.len() < 256 << 10, "{} bytes of output", err.len());
    assert!(err.contains("more errors and warnings in this file are not shown"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
