//! `rift call` as a user runs it, against the quick start's weather service (served by
//! rift's blocking server in this process): results, listings, and each kind of error
//! with its exit code.

use std::path::{Path, PathBuf};
use std::process::Output;

use rift_weather::{Weather, WeatherServiceBlockingProcessor};

mod serving;

fn idl() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/weather/idl/weather_service.thrift")
}

/// A weather server on a free port, for the rest of the test process.
fn server() -> String {
    let bound = rift::blocking::Server::new(WeatherServiceBlockingProcessor::new(Weather))
        .threads(4)
        .bind("127.0.0.1:0")
        .unwrap();
    let addr = bound.local_addr().unwrap().to_string();
    std::thread::spawn(move || bound.run());
    addr
}

fn rift(args: &[&str], stdin: Option<&str>) -> Output {
    serving::rift_with_input(args, stdin.unwrap_or_default().as_bytes())
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn calls_print_the_result_as_json() {
    let addr = server();
    let idl = idl();
    let idl = idl.to_str().unwrap();
    let out = rift(
        &["call", &addr, idl, "WeatherService.getTemperature", r#"{"location": {"city": "New York"}}"#],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "\"25°C\"");
    // Another protocol and transport; the method without its service; no arguments.
    let out = rift(&["call", "--protocol", "compact", "--transport", "framed", &addr, idl, "ping"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "true");
    // Arguments from standard input.
    let args = ["call", "--protocol", "json", &addr, idl, "getTemperature", "-d", "@"];
    let out = rift(&args, Some(r#"{"location": {"city": "Oslo", "country": "NO"}}"#));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "\"25°C\"");
}

#[test]
fn list_shows_what_can_be_called() {
    let out = rift(&["call", "--list", idl().to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "WeatherService.ping()\nWeatherService.getTemperature(location)\n");
}

#[test]
fn errors_say_what_is_wrong_with_exit_codes() {
    let addr = server();
    let idl = idl();
    let idl = idl.to_str().unwrap();
    let out = rift(&["call", &addr, idl, "getWeather"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no method `getWeather` (methods: WeatherService.ping"),
        "{}",
        text(&out.stderr)
    );

    let out = rift(&["call", &addr, idl, "getTemperature", r#"{"location": {"town": "x"}}"#], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("at `location.town`: `Location` has no field `town`"),
        "{}",
        text(&out.stderr)
    );

    let out = rift(&["call", &addr, idl, "getTemperature", "{location"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("the arguments are not JSON"), "{}", text(&out.stderr));

    let nobody = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().to_string()
    };
    let out = rift(&["call", &nobody, idl, "ping"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(&format!("is a server listening on {nobody}?")),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn describe_shows_types_and_a_template() {
    let bench = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../benchmarks/idl/bench.thrift");
    let out = rift(&["call", "--describe", bench.to_str().unwrap(), "Bench.echo"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    let mut lines = shown.lines();
    assert_eq!(lines.next(), Some("Request Bench.echo(1: Request req)"));
    assert_eq!(lines.next(), Some("  throws (1: Overloaded err)"));
    let template: serde_json::Value = serde_json::from_str(&lines.collect::<Vec<_>>().join("\n")).unwrap();
    assert_eq!(template["req"]["items"][0]["status"], serde_json::json!("OK"));
    assert_eq!(template["req"]["ids"], serde_json::json!([0]));
    // The template is arguments the method takes.
    let out = rift(&["call", "--describe", idl().to_str().unwrap(), "getTemperature"], None);
    assert_eq!(
        text(&out.stdout).lines().next(),
        Some("string WeatherService.getTemperature(1: Location location)")
    );
}

#[test]
fn a_silent_or_foreign_peer_is_an_error_that_says_so() {
    let idl = idl();
    let idl = idl.to_str().unwrap();
    // A peer that takes the call and never answers: the timeout.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_addr = silent.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        let kept: Vec<_> = silent.incoming().take(1).collect();
        std::thread::sleep(std::time::Duration::from_secs(5));
        drop(kept);
    });
    let started = std::time::Instant::now();
    let out = rift(&["call", "--timeout", "0.5", &silent_addr, idl, "ping"], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("did not answer in time"), "{}", text(&out.stderr));
    assert!(started.elapsed() < std::time::Duration::from_secs(4), "{:?}", started.elapsed());

    // A peer that answers in something else (an HTTP server, here).
    let foreign = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let foreign_addr = foreign.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        if let Some(Ok(mut stream)) = foreign.incoming().next() {
            use std::io::{Read, Write};
            let mut buf = [0u8; 256];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        }
    });
    let out = rift(&["call", "--timeout", "5", &foreign_addr, idl, "ping"], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("does the server speak this --protocol"), "{}", text(&out.stderr));
}

/// Over TLS: the server's certificate checked against `--ca`, a client certificate
/// presented with `--cert`/`--key` to a server that asks for one.
#[test]
fn calls_over_tls_check_certificates() {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf = |names: Vec<String>| {
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(names).unwrap().signed_by(&key, &ca, &ca_key).unwrap();
        (cert.pem(), key.serialize_pem())
    };
    let (server_cert, server_key) = leaf(vec!["localhost".into()]);
    let (client_cert, client_key) = leaf(vec!["client.rift.test".into()]);
    let dir = std::env::temp_dir().join(format!("rift-call-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in [("ca.pem", ca.pem()), ("client.pem", client_cert), ("client.key", client_key)] {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let config =
        rift::tls::server_config(server_cert.as_bytes(), server_key.as_bytes(), Some(ca.pem().as_bytes()))
            .unwrap();
    let bound = rift::blocking::Server::new(WeatherServiceBlockingProcessor::new(Weather))
        .tls(config)
        .threads(2)
        .bind("127.0.0.1:0")
        .unwrap();
    let port = bound.local_addr().unwrap().port();
    std::thread::spawn(move || bound.run());
    let addr = format!("localhost:{port}");
    let path = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let (ca_file, cert, key) = (path("ca.pem"), path("client.pem"), path("client.key"));
    let idl = idl();
    let idl = idl.to_str().unwrap();
    let tls = ["--tls", "--ca", ca_file.as_str(), "--cert", cert.as_str(), "--key", key.as_str()];
    let mut args = vec!["call"];
    args.extend(tls);
    args.extend([addr.as_str(), idl, "ping"]);
    let out = rift(&args, None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "true");
    // Without the client certificate the server refuses the handshake.
    let out = rift(&["call", "--tls", "--ca", &ca_file, &addr, idl, "ping"], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    // --tls without --ca is a usage error.
    let out = rift(&["call", "--tls", &addr, idl, "ping"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--tls needs --ca"), "{}", text(&out.stderr));
}
