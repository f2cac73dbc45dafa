//! The `rift` command line tool.

#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// `println!` that does not panic when standard output is closed early (`rift ... | head`).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

mod call;
mod check;
mod decode;
mod generate;
mod serve;

/// Code generation allocates a token or syntax node at a time; mimalloc makes `rift gen`
/// of the Hive metastore 1.7 times quicker than the system allocator (0.27 s against
/// 0.46 s, median of 7).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Apache Thrift tooling, in Rust.
#[derive(Debug, Parser)]
#[command(name = "rift", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse and check .thrift files and everything they include
    Check(check::CheckArgs),
    /// Generate Rust for .thrift files into a directory
    Gen(generate::GenArgs),
    /// Call a method of a Thrift service, arguments and result in JSON
    Call(Box<call::CallArgs>),
    /// Serve any service from its IDL, answering with JSON given per method (a mock server)
    Serve(serve::ServeArgs),
    /// Show the bytes of a message or struct as JSON, by an IDL
    Decode(decode::DecodeArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout and succeed; usage errors exit with 2.
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Gen(args) => generate::run(&args),
        Command::Call(args) => finish(call::run(&args)),
        Command::Serve(args) => finish(serve::run(&args)),
        Command::Decode(args) => finish(decode::run(&args)),
    }
}

/// Why a command stopped: what to print on standard error, and the exit status.
#[derive(Debug)]
struct Failure {
    status: u8,
    message: String,
}

/// A failure of the command line, the IDL or the input: status 2.
fn usage(message: impl std::fmt::Display) -> Failure {
    Failure { status: 2, message: format!("error: {message}") }
}

/// A failure of the work itself (a call, a server, bytes that do not decode): status 1.
fn failed(message: impl std::fmt::Display) -> Failure {
    Failure { status: 1, message: format!("error: {message}") }
}

/// The IDL file and what it includes, or its diagnostics as `rift check` prints them.
fn load_schema(
    file: &std::path::Path,
    include_dirs: &[std::path::PathBuf],
) -> Result<rift_dynamic::Schema, Failure> {
    rift_dynamic::Schema::load(file, include_dirs).map_err(|e| Failure { status: 2, message: e.to_string() })
}

/// The exit status of a command, its failure printed.
fn finish(result: Result<ExitCode, Failure>) -> ExitCode {
    result.unwrap_or_else(|f| {
        eprintln!("{}", f.message);
        ExitCode::from(f.status)
    })
}
