//! `rift call` against Apache's Python weather server (`examples/weather/python`, code
//! from `thrift --gen py`), in every transport and protocol it serves: the value printed
//! is the one Apache's own Python client gets.
//!
//! Needs Python with `thrift` (`scripts/setup.sh` puts it in `.venv`) and Debian's
//! `thrift` compiler. Without them the test says so and passes, except under `CI=true`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

mod serving;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn python() -> String {
    let venv = root().join(".venv/bin/python");
    std::env::var("RIFT_PYTHON").ok().unwrap_or_else(|| {
        if venv.exists() { venv.to_string_lossy().into_owned() } else { "python3".to_owned() }
    })
}

/// The example's IDL compiled by `thrift --gen py`, or why it could not be.
fn generated() -> Result<PathBuf, String> {
    let ok = Command::new(python()).args(["-c", "import thrift"]).output().is_ok_and(|o| o.status.success());
    if !ok {
        return Err("Python with `thrift`".to_owned());
    }
    let out = std::env::temp_dir().join(format!("rift-call-py-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let idl = root().join("examples/weather/idl/weather_service.thrift");
    match Command::new("thrift").args(["-r", "--gen", "py", "-out"]).arg(&out).arg(&idl).output() {
        Ok(o) if o.status.success() => Ok(out),
        _ => Err("Apache's `thrift` compiler".to_owned()),
    }
}

/// Says that `what` is missing so `test` checked nothing: a failure under `CI=true`, a
/// warning elsewhere.
fn missing(what: &str, test: &str) {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    assert!(!ci, "{what} is missing: {test} checked nothing");
    eprintln!("warning: {what} is missing: {test} checked nothing (run scripts/setup.sh)");
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts Apache's Python server of the example and waits for its "listening" line.
fn python_server(generated: &Path, port: u16, transport: &str, protocol: &str) -> Server {
    let port = port.to_string();
    let args = ["--port", port.as_str(), "--transport", transport, "--protocol", protocol];
    python_script_server("apache_server.py", &args, generated)
}

#[test]
fn rift_call_against_apaches_python_server_in_every_format() {
    let generated = match generated() {
        Ok(dir) => dir,
        Err(what) => {
            missing(&what, "the rift call interop test");
            return;
        }
    };
    let idl = root().join("examples/weather/idl/weather_service.thrift");
    let formats = [
        ("buffered", "binary"),
        ("buffered", "compact"),
        ("buffered", "json"),
        ("framed", "binary"),
        ("framed", "compact"),
        ("zlib", "binary"),
        ("http", "binary"),
        ("http", "json"),
        ("buffered", "header"),
    ];
    for (transport, protocol) in formats {
        let port = free_port();
        let _server = python_server(&generated, port, transport, protocol);
        let address = format!("127.0.0.1:{port}");
        let out = Command::new(env!("CARGO_BIN_EXE_rift"))
            .args(["call", "--timeout", "10", "--transport", transport, "--protocol", protocol, &address])
            .arg(&idl)
            .args(["WeatherService.getTemperature", r#"{"location": {"city": "Paris", "country": "FR"}}"#])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{transport} {protocol}: {}", String::from_utf8_lossy(&out.stderr));
        // What the Python server's handler returns, which its own client prints.
        assert_eq!(stdout.trim(), "\"21°C in Paris\"", "{transport} {protocol}");
    }
}

#[test]
fn python_clients_against_rift_serve() {
    let generated = match generated() {
        Ok(dir) => dir,
        Err(what) => {
            missing(&what, "the rift serve interop test");
            return;
        }
    };
    let idl = root().join("examples/weather/idl/weather_service.thrift");
    let server = serving::rift_serve(&[
        idl.to_str().unwrap(),
        "--reply",
        "ping=true",
        "--reply",
        "getTemperature=\"-3°C\"",
    ]);
    let port = server.port().to_owned();
    let script = root().join("examples/weather/python/apache_client.py");
    for (transport, protocol) in [
        ("buffered", "binary"),
        ("framed", "compact"),
        ("buffered", "json"),
        ("zlib", "binary"),
        ("http", "binary"),
        ("buffered", "header"),
    ] {
        let out = Command::new(python())
            .arg(&script)
            .args(["--port", &port, "--transport", transport, "--protocol", protocol])
            .env("PYTHONPATH", &generated)
            .output()
            .unwrap();
        assert!(out.status.success(), "{transport} {protocol}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "The temperature in New York is -3°C");
    }
    // thriftpy2, which loads the IDL at run time as rift serve does.
    let thriftpy2 =
        Command::new(python()).args(["-c", "import thriftpy2"]).output().is_ok_and(|o| o.status.success());
    if thriftpy2 {
        let idl = root().join("examples/weather/idl/weather_service.thrift");
        let out = Command::new(python())
            .arg(root().join("examples/weather/python/thriftpy2_client.py"))
            .arg(&idl)
            .args(["--port", &port])
            .output()
            .unwrap();
        assert!(out.status.success(), "thriftpy2: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "The temperature in New York is -3°C");
    } else {
        missing("thriftpy2", "the thriftpy2 client against rift serve");
    }
}

/// Starts a Python server script of the weather example and waits for its "listening".
fn python_script_server(script: &str, args: &[&str], pythonpath: &Path) -> Server {
    let mut child = Command::new(python())
        .arg(root().join("examples/weather/python").join(script))
        .args(args)
        .env("PYTHONPATH", pythonpath)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "listening", "{script} did not start");
    Server(child)
}

#[test]
fn rift_call_against_a_thriftpy2_server() {
    let thriftpy2 =
        Command::new(python()).args(["-c", "import thriftpy2"]).output().is_ok_and(|o| o.status.success());
    if !thriftpy2 {
        missing("thriftpy2", "the thriftpy2 server test");
        return;
    }
    let idl = root().join("examples/weather/idl/weather_service.thrift");
    for (transport, protocol) in
        [("buffered", "binary"), ("buffered", "compact"), ("framed", "binary"), ("framed", "compact")]
    {
        let port = free_port().to_string();
        let args = [idl.to_str().unwrap(), "--port", &port, "--transport", transport, "--protocol", protocol];
        let _server = python_script_server("thriftpy2_server.py", &args, Path::new(""));
        let out = Command::new(env!("CARGO_BIN_EXE_rift"))
            .args(["call", "--transport", transport, "--protocol", protocol, &format!("127.0.0.1:{port}")])
            .arg(&idl)
            .args(["getTemperature", r#"{"location": {"city": "Rome"}}"#])
            .output()
            .unwrap();
        assert!(out.status.success(), "{transport} {protocol}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "\"19°C in Rome\"", "{transport} {protocol}");
    }
}

/// The founding blog post's own server (port 9090, buffered binary): `rift call` prints
/// the temperature its own client prints.
#[test]
fn rift_call_against_the_seeds_python_server() {
    let seed = root().join("../shared/seed");
    let generated = match (seed.join("weather_server.py").exists(), generated()) {
        (true, Ok(dir)) => dir,
        (exists, result) => {
            let what = if exists { result.err().unwrap_or_default() } else { "../shared/seed".to_owned() };
            missing(&what, "the seed server test");
            return;
        }
    };
    if std::net::TcpStream::connect("127.0.0.1:9090").is_ok() {
        panic!("port 9090, which the seed's server uses, is taken by another program");
    }
    let server = Server(
        Command::new(python())
            .arg(seed.join("weather_server.py"))
            .env("PYTHONPATH", &generated)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap(),
    );
    let started = std::time::Instant::now();
    while std::net::TcpStream::connect("127.0.0.1:9090").is_err() {
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "the seed's server did not listen");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _server = server;
    let idl = root().join("examples/weather/idl/weather_service.thrift");
    let out = Command::new(env!("CARGO_BIN_EXE_rift"))
        .args(["call", "localhost:9090"])
        .arg(&idl)
        .args(["WeatherService.getTemperature", r#"{"location": {"city": "New York", "country": "USA"}}"#])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let value: String = serde_json::from_slice(&out.stdout).unwrap();
    let client = Command::new(python())
        .arg(seed.join("weather_client.py"))
        .env("PYTHONPATH", &generated)
        .output()
        .unwrap();
    assert!(client.status.success(), "{}", String::from_utf8_lossy(&client.stderr));
    assert_eq!(
        String::from_utf8_lossy(&client.stdout).trim(),
        format!("The temperature in New York is {value}")
    );
}
