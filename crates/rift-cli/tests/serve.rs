//! `rift serve` as a user runs it: a mock server from an IDL alone, called by `rift call`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serving::rift_serve;

mod serving;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn call(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rift")).arg("call").args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn answers_with_the_json_given_or_zero_values() {
    let idl = root().join("examples/weather/idl/weather_service.thrift");
    let idl = idl.to_str().unwrap();
    let server = rift_serve(&[idl, "--reply", "getTemperature=\"-3°C\""]);
    let out = call(&[&server.address, idl, "getTemperature", r#"{"location": {"city": "Oslo"}}"#]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "\"-3°C\"");
    // No answer given: the zero value, in any protocol and transport.
    let out = call(&["--protocol", "compact", "--transport", "framed", &server.address, idl, "ping"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "false");
}

#[test]
fn throws_the_exceptions_given() {
    let idl = root().join("benchmarks/idl/bench.thrift");
    let idl = idl.to_str().unwrap();
    let server = rift_serve(&[idl, "--throw", r#"echo={"err": {"message": "busy"}}"#]);
    let out =
        call(&[&server.address, idl, "Bench.echo", r#"{"req": {"seq": 1, "user": "u", "timestamp": 0}}"#]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown, serde_json::json!({"exception": "Overloaded", "value": {"message": "busy"}}));
    // A struct's zero value: its required fields zero, its defaults.
    let out = call(&[&server.address, idl, "ping"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "null");
}

#[test]
fn answers_that_do_not_fit_are_refused_at_start() {
    let idl = root().join("examples/weather/idl/weather_service.thrift");
    let out = Command::new(env!("CARGO_BIN_EXE_rift"))
        .args(["serve", idl.to_str().unwrap(), "--port", "0", "--reply", "getTemperature=12"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("expected string, found a number"), "{}", text(&out.stderr));
    let out = Command::new(env!("CARGO_BIN_EXE_rift"))
        .args(["serve", idl.to_str().unwrap(), "--port", "0", "--reply", "getWeather=1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no method `WeatherService.getWeather`"), "{}", text(&out.stderr));
}

#[test]
fn multiplexed_serves_every_service() {
    let dir = std::env::temp_dir().join(format!("rift-serve-mux-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let idl = dir.join("two.thrift");
    std::fs::write(&idl, "service Clock { i64 now() }\nservice Echo { string say(1: string text) }\n")
        .unwrap();
    let idl = idl.to_str().unwrap();
    let server = rift_serve(&[idl, "--multiplexed", "--reply", "now=42", "--reply", "Echo.say=\"hi\""]);
    let out = call(&["--multiplexed", "Echo", &server.address, idl, "Echo.say", r#"{"text": "x"}"#]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "\"hi\"");
    let out = call(&["--multiplexed", "Clock", &server.address, idl, "Clock.now"]);
    assert_eq!(text(&out.stdout).trim(), "42", "{}", text(&out.stderr));
    // A call without a service prefix goes to the first service.
    let out = call(&[&server.address, idl, "Clock.now"]);
    assert_eq!(text(&out.stdout).trim(), "42", "{}", text(&out.stderr));
    // Two services and no --multiplexed: say which to serve.
    let out = Command::new(env!("CARGO_BIN_EXE_rift")).args(["serve", idl, "--port", "0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("choose one with --service, or serve all with --multiplexed"));
}
