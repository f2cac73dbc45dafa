//! The `Bench` service of the standard workload (`ping`, `echo`, `fire`), served by rift
//! for the RPC benchmark: `bench-server --port 9090 --transport framed --protocol binary`
//! (`--blocking` for the blocking server, `--threads` for its workers or the runtime's).

use std::process::ExitCode;

use clap::Parser;
use rift_benchmarks::generated::{BenchBlockingProcessor, BenchProcessor};
use rift_benchmarks::rpc::{FormatArgs, Handler};

/// Serves the `Bench` service.
#[derive(Debug, Parser)]
#[command(name = "bench-server")]
struct Cli {
    /// The port to listen on (127.0.0.1).
    #[arg(long, default_value_t = 9090)]
    port: u16,
    #[command(flatten)]
    format: FormatArgs,
    /// Serve with the blocking server (a pool of threads taking turns at the poller) instead of tokio.
    #[arg(long)]
    blocking: bool,
    /// Worker threads: the blocking server's calls at once, or the tokio runtime's
    /// (default: one per core for both).
    #[arg(long)]
    threads: Option<usize>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let format = match cli.format.wire_format() {
        Ok(format) => format,
        Err(e) => {
            eprintln!("bench-server: {e}");
            return ExitCode::from(2);
        }
    };
    let addr = format!("127.0.0.1:{}", cli.port);
    let result = if cli.blocking {
        rift::blocking::Server::new(BenchBlockingProcessor::new(Handler))
            .format(format)
            .threads(
                cli.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())),
            )
            .bind(&addr)
            .and_then(|server| {
                eprintln!("bench-server: blocking, {format:?}, on {addr}");
                server.run()
            })
    } else {
        let mut runtime = tokio::runtime::Builder::new_multi_thread();
        if let Some(threads) = cli.threads {
            runtime.worker_threads(threads);
        }
        let runtime = runtime.enable_all().build().expect("a tokio runtime");
        runtime.block_on(async {
            let server =
                rift::server::Server::new(BenchProcessor::new(Handler)).format(format).bind(&addr).await?;
            eprintln!("bench-server: async, {format:?}, on {addr}");
            server.run().await
        })
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench-server: {addr}: {e}");
            ExitCode::FAILURE
        }
    }
}
