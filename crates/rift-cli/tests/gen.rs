//! `rift gen` as a user runs it: a module tree written to a folder, the same bytes on
//! every run, and exit codes for broken IDL and bad usage.

use support::{rift, scratch};

mod support;

const SHARED: &str = "namespace rs shared\nstruct Location { 1: required string city }\n";
const WEATHER: &str = "include \"inc/shared.thrift\"\n\
    service Weather { double getTemperature(1: shared.Location where) }\n";

#[test]
fn writes_a_module_tree() {
    let dir = scratch("gen-tree", &[("inc/shared.thrift", SHARED), ("weather.thrift", WEATHER)]);
    let out = rift(&["gen", "-o", "out", "weather.thrift"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let root = std::fs::read_to_string(dir.join("out/mod.rs")).unwrap();
    assert!(root.contains("pub mod shared;") && root.contains("pub mod weather;"), "{root}");
    let weather = std::fs::read_to_string(dir.join("out/weather.rs")).unwrap();
    assert!(weather.starts_with("// @generated"), "{weather}");
    assert!(weather.contains("pub trait Weather") && weather.contains("fn get_temperature"), "{weather}");
    assert!(weather.contains("super::shared::Location"), "{weather}");
    let shared = std::fs::read_to_string(dir.join("out/shared.rs")).unwrap();
    assert!(shared.contains("pub struct Location"), "{shared}");

    // Deterministic: a second run writes the same bytes.
    let out = rift(&["gen", "-o", "again", "weather.thrift"], &dir);
    assert_eq!(out.status.code(), Some(0));
    for file in ["mod.rs", "weather.rs", "shared.rs"] {
        assert_eq!(
            std::fs::read(dir.join("out").join(file)).unwrap(),
            std::fs::read(dir.join("again").join(file)).unwrap(),
            "{file}"
        );
    }
}

#[test]
fn broken_idl_exits_one_and_writes_nothing() {
    let dir = scratch("gen-broken", &[("b.thrift", "struct A { 1: i32 a\n 1: i32 b }\n")]);
    let out = rift(&["gen", "-o", "out", "b.thrift"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("field id 1 is used twice"));
    assert!(!dir.join("out").exists());
}

#[test]
fn usage_errors_exit_two() {
    let dir = scratch("gen-usage", &[("a.thrift", "struct A {}\n")]);
    assert_eq!(rift(&["gen", "a.thrift"], &dir).status.code(), Some(2), "no -o");
    assert_eq!(rift(&["gen", "-o", "out"], &dir).status.code(), Some(2), "no file");
}
