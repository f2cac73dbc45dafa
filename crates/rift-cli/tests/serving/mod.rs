//! Running `rift serve` and `rift` with input, for the tests of the dynamic commands.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Output, Stdio};

/// A running `rift serve`, stopped when dropped.
#[derive(Debug)]
pub(crate) struct Serving {
    child: Child,
    /// `host:port` it listens on.
    pub(crate) address: String,
}

impl Serving {
    /// The port it listens on.
    #[allow(dead_code)]
    pub(crate) fn port(&self) -> &str {
        self.address.rsplit_once(':').map_or("", |(_, port)| port)
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `rift serve ARGS --port 0` and reads the address it prints.
#[allow(dead_code)]
pub(crate) fn rift_serve(args: &[&str]) -> Serving {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rift"))
        .arg("serve")
        .args(args)
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("rift serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let address = line.split(" on ").nth(1).and_then(|rest| rest.split(' ').next()).expect(&line).to_owned();
    Serving { child, address }
}

/// Runs `rift ARGS` with `stdin` as its standard input.
#[allow(dead_code)]
pub(crate) fn rift_with_input(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rift"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rift runs");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}
