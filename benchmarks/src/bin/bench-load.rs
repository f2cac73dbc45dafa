//! The load generator of the RPC benchmark: keeps `--in-flight` calls outstanding on each
//! of `--connections` connections for `--duration` seconds (after `--warmup`), checks
//! every reply, and prints calls per second and latency percentiles:
//! `bench-load --addr 127.0.0.1:9090 --call echo --connections 64 --in-flight 1`.

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use hdrhistogram::Histogram;
use rift_benchmarks::rpc::{Call, FormatArgs, drive, percentiles, seconds};

/// Measures a server of `bench.thrift`.
#[derive(Debug, Parser)]
#[command(name = "bench-load")]
struct Cli {
    /// The server's address.
    #[arg(long, default_value = "127.0.0.1:9090")]
    addr: String,
    /// The call to make.
    #[arg(long, value_enum, default_value = "echo")]
    call: Call,
    /// Connections, each with its own calls in flight.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Calls in flight on each connection.
    #[arg(long, default_value_t = 1)]
    in_flight: usize,
    /// Seconds of warm-up, not counted.
    #[arg(long, default_value_t = 2.0)]
    warmup: f64,
    /// Seconds counted.
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    /// Threads of the load generator's runtime (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Rather than load: open this many connections, make one `ping` on each, and hold
    /// them idle for `--duration` seconds (for measuring a server's memory per idle
    /// connection).
    #[arg(long)]
    hold: Option<usize>,
    /// Print one line of key=value pairs rather than a sentence.
    #[arg(long)]
    machine: bool,
    #[command(flatten)]
    format: FormatArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let format = match cli.format.wire_format() {
        Ok(format) => format,
        Err(e) => {
            eprintln!("bench-load: {e}");
            return ExitCode::from(2);
        }
    };
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    if let Some(threads) = cli.threads {
        runtime.worker_threads(threads);
    }
    let runtime = runtime.enable_all().build().expect("a tokio runtime");
    if let Some(connections) = cli.hold {
        return match runtime.block_on(hold(&cli.addr, format, connections, seconds(cli.duration))) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("bench-load: {}: {e}", cli.addr);
                ExitCode::FAILURE
            }
        };
    }
    let start = Instant::now();
    let measure_from = start + seconds(cli.warmup);
    let end = measure_from + seconds(cli.duration);
    let result = runtime.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..cli.connections.max(1) {
            let addr = cli.addr.clone();
            let (call, in_flight) = (cli.call, cli.in_flight.max(1));
            tasks.spawn(async move { drive(&addr, format, call, in_flight, measure_from, end).await });
        }
        let mut calls = 0;
        let mut latency = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("histogram bounds");
        while let Some(done) = tasks.join_next().await {
            let tally = done.map_err(std::io::Error::other)??;
            calls += tally.calls;
            latency.add(&tally.latency).map_err(std::io::Error::other)?;
        }
        Ok::<_, std::io::Error>((calls, latency))
    });
    let (calls, latency) = match result {
        Ok(tally) => tally,
        Err(e) => {
            eprintln!("bench-load: {}: {e}", cli.addr);
            return ExitCode::FAILURE;
        }
    };
    let rate = calls as f64 / cli.duration.max(f64::MIN_POSITIVE);
    let (p50, p99, p999) = percentiles(&latency);
    if cli.machine {
        println!("calls_per_s={rate:.0} p50_us={p50} p99_us={p99} p999_us={p999} calls={calls}");
    } else {
        println!(
            "{:?} x {} connections x {} in flight: {rate:.0} calls/s, p50 {p50} µs, p99 {p99} µs, p99.9 {p999} µs",
            cli.call, cli.connections, cli.in_flight
        );
    }
    ExitCode::SUCCESS
}

/// Opens `connections` connections, makes one `ping` on each, and holds them for `time`.
async fn hold(
    addr: &str,
    format: rift::transport::WireFormat,
    connections: usize,
    time: std::time::Duration,
) -> std::io::Result<()> {
    let mut held = Vec::with_capacity(connections);
    for _ in 0..connections {
        held.push(rift_benchmarks::rpc::ping_once(addr, format).await?);
    }
    println!("holding {} idle connections", held.len());
    tokio::time::sleep(time).await;
    Ok(())
}
