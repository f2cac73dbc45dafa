//! The weather service against Apache Thrift's Python library and thriftpy2, as separate
//! processes: the seed's own client and server (`../shared/seed/`, unchanged, with code
//! from Debian's `thrift -r --gen py`), Apache's Python client and server in every
//! transport and protocol, and a thriftpy2 client. Each test checks what the processes
//! print.
//!
//! Without Python's `thrift` and `thriftpy2`, the `thrift` compiler or `../shared`, the
//! tests say so and check nothing, except under `CI=true`, where that is a failure
//! (`scripts/setup.sh` installs what they need).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

const SEED_LINE: &str = "The temperature in New York is";

fn say(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

fn missing(what: &str) {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    let message = format!("{what} is missing: this interop test checked nothing (run scripts/setup.sh)");
    assert!(!ci, "{message}; under CI=true this is a failure");
    say(&format!("warning: {message}"));
}

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn seed_dir() -> PathBuf {
    manifest_dir().join("../../../shared/seed")
}

/// RIFT_PYTHON, else the environment `scripts/setup.sh` makes, else the one on the path.
fn python() -> String {
    let venv = manifest_dir().join("../../.venv/bin/python");
    std::env::var("RIFT_PYTHON").ok().unwrap_or_else(|| {
        if venv.exists() { venv.to_string_lossy().into_owned() } else { "python3".to_owned() }
    })
}

/// What the tests need: Python with `thrift` and `thriftpy2`, and the seed's IDL
/// compiled by `thrift -r --gen py` into a folder for PYTHONPATH.
fn setup() -> Option<&'static Path> {
    static GENERATED: OnceLock<Option<PathBuf>> = OnceLock::new();
    GENERATED
        .get_or_init(|| {
            let ok = Command::new(python())
                .args(["-c", "import thrift, thriftpy2"])
                .output()
                .is_ok_and(|o| o.status.success());
            if !ok {
                missing("python3 with `thrift` and `thriftpy2`");
                return None;
            }
            let idl = seed_dir().join("weather_service.thrift");
            if !idl.exists() {
                missing("../shared/seed (the founding document's weather example)");
                return None;
            }
            let out = std::env::temp_dir().join(format!("rift-weather-py-{}", std::process::id()));
            std::fs::create_dir_all(&out).unwrap();
            match Command::new("thrift").args(["-r", "--gen", "py", "-out"]).arg(&out).arg(&idl).output() {
                Ok(o) if o.status.success() => Some(out),
                Ok(o) => panic!("thrift --gen py failed: {}", String::from_utf8_lossy(&o.stderr)),
                Err(_) => {
                    missing("Apache's `thrift` compiler (Debian's thrift-compiler)");
                    None
                }
            }
        })
        .as_deref()
}

/// A process killed when the guard goes.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_for_port(port: u16, process: &mut Process) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = process.0.try_wait() {
            panic!("the server exited with {status} before listening on {port}");
        }
        assert!(start.elapsed() < Duration::from_secs(20), "nothing listens on port {port}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs a command to its end, or kills it after 30 seconds.
fn run(command: &mut Command) -> Output {
    let child =
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(Duration::from_secs(30)) {
        Ok(output) => output.expect("the command runs"),
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            panic!("{command:?} did not finish in 30 s");
        }
    }
}

fn stdout_of(output: &Output, what: &str) -> String {
    assert!(
        output.status.success(),
        "{what} failed ({}):\nstdout: {}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn rust_server(args: &[&str]) -> Process {
    Process(
        Command::new(env!("CARGO_BIN_EXE_weather-server"))
            .args(args)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("weather-server starts"),
    )
}

fn rust_client(args: &[&str]) -> String {
    let output = run(Command::new(env!("CARGO_BIN_EXE_weather-client")).args(args));
    stdout_of(&output, &format!("weather-client {args:?}"))
}

/// The seed's scripts use port 9090: one test at a time may.
fn port_9090() -> MutexGuard<'static, ()> {
    static PORT: Mutex<()> = Mutex::new(());
    PORT.lock().unwrap_or_else(|e| e.into_inner())
}

#[test]
fn seed_python_client_against_the_rust_server() {
    let Some(generated) = setup() else { return };
    let _port = port_9090();
    for extra in [&[][..], &["--blocking"]] {
        let mut server = rust_server(extra);
        wait_for_port(9090, &mut server);
        let output = run(Command::new(python())
            .arg("weather_client.py")
            .current_dir(seed_dir())
            .env("PYTHONPATH", generated));
        let printed = stdout_of(&output, "the seed's weather_client.py");
        assert_eq!(printed, "The temperature in New York is 25°C\n", "server {extra:?}");
    }
}

#[test]
fn rust_client_against_the_seed_python_server() {
    let Some(generated) = setup() else { return };
    let _port = port_9090();
    let mut server = Process(
        Command::new(python())
            .arg("weather_server.py")
            .current_dir(seed_dir())
            .env("PYTHONPATH", generated)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the seed's server starts"),
    );
    wait_for_port(9090, &mut server);
    for extra in [&[][..], &["--blocking"]] {
        // The seed's server answers "25Â°C", the blog post's text as it was extracted.
        let printed = rust_client(extra);
        assert!(printed.starts_with(SEED_LINE) && printed.contains("25"), "{extra:?}: {printed}");
        assert_eq!(printed, "The temperature in New York is 25Â°C\n");
    }
}

const FORMATS: &[(&str, &str)] = &[
    ("buffered", "binary"),
    ("buffered", "compact"),
    ("buffered", "json"),
    ("framed", "binary"),
    ("framed", "compact"),
    ("framed", "json"),
    ("buffered", "header"),
    ("zlib", "binary"),
    ("zlib", "compact"),
    ("zlib", "json"),
    ("http", "binary"),
    ("http", "compact"),
    ("http", "json"),
];

#[test]
fn apache_python_clients_in_every_format_against_the_rust_server() {
    let Some(generated) = setup() else { return };
    let script = manifest_dir().join("python/apache_client.py");
    // One port for every format (detected), then each format alone.
    let port = free_port();
    let mut detecting = rust_server(&["--port", &port.to_string()]);
    wait_for_port(port, &mut detecting);
    for (transport, protocol) in FORMATS {
        let output = run(Command::new(python())
            .arg(&script)
            .args(["--port", &port.to_string(), "--transport", transport, "--protocol", protocol])
            .env("PYTHONPATH", generated));
        let printed = stdout_of(&output, &format!("apache_client.py {transport} {protocol}"));
        assert_eq!(printed, "The temperature in New York is 25°C\n", "{transport} {protocol}");
    }
    for (transport, protocol) in FORMATS {
        for extra in [&[][..], &["--blocking"]] {
            let port = free_port();
            let port_text = port.to_string();
            let mut args = vec!["--port", &port_text, "--transport", transport, "--protocol", protocol];
            args.extend_from_slice(extra);
            let mut server = rust_server(&args);
            wait_for_port(port, &mut server);
            let output = run(Command::new(python())
                .arg(&script)
                .args(["--port", &port_text, "--transport", transport, "--protocol", protocol])
                .env("PYTHONPATH", generated));
            let printed = stdout_of(&output, &format!("apache_client.py {transport} {protocol} {extra:?}"));
            assert_eq!(printed, "The temperature in New York is 25°C\n", "{transport} {protocol} {extra:?}");
        }
    }
}

#[test]
fn rust_clients_against_apache_python_servers_in_every_format() {
    let Some(generated) = setup() else { return };
    let script = manifest_dir().join("python/apache_server.py");
    for (transport, protocol) in FORMATS {
        let port = free_port();
        let port_text = port.to_string();
        let mut child = Command::new(python())
            .arg(&script)
            .args(["--port", &port_text, "--transport", transport, "--protocol", protocol])
            .env("PYTHONPATH", generated)
            .stdout(Stdio::piped())
            // THttpServer logs every request.
            .stderr(Stdio::null())
            .spawn()
            .expect("apache_server.py starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "listening", "{transport} {protocol}");
        let _server = Process(child);
        for extra in [&[][..], &["--blocking"]] {
            let mut args = vec![
                "--host",
                "127.0.0.1",
                "--port",
                &port_text,
                "--transport",
                transport,
                "--protocol",
                protocol,
            ];
            args.extend_from_slice(extra);
            let printed = rust_client(&args);
            assert_eq!(
                printed, "The temperature in New York is 21°C in New York\n",
                "{transport} {protocol} {extra:?}"
            );
        }
    }
}

#[test]
fn thriftpy2_client_against_the_rust_server() {
    if setup().is_none() {
        return;
    }
    let port = free_port();
    let mut server = rust_server(&["--port", &port.to_string()]);
    wait_for_port(port, &mut server);
    let script = manifest_dir().join("python/thriftpy2_client.py");
    let idl = manifest_dir().join("idl/weather_service.thrift");
    for (transport, protocol) in
        [("buffered", "binary"), ("framed", "binary"), ("buffered", "compact"), ("framed", "compact")]
    {
        let output = run(Command::new(python()).arg(&script).arg(&idl).args([
            "--port",
            &port.to_string(),
            "--transport",
            transport,
            "--protocol",
            protocol,
        ]));
        let printed = stdout_of(&output, &format!("thriftpy2_client.py {transport} {protocol}"));
        assert_eq!(printed, "The temperature in New York is 25°C\n", "{transport} {protocol}");
    }
}

/// The example's IDL is the seed's, unchanged.
#[test]
fn the_example_idl_is_the_seeds() {
    let seed = seed_dir().join("weather_service.thrift");
    let Ok(seed) = std::fs::read(seed) else {
        missing("../shared/seed");
        return;
    };
    assert_eq!(std::fs::read(manifest_dir().join("idl/weather_service.thrift")).unwrap(), seed);
}
