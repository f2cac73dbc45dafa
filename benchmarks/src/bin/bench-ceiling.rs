//! The ceiling of the RPC benchmark: a server of framed binary `bench.thrift` calls that
//! decodes nothing (`rift_benchmarks::rpc::ceiling_connection`): what the machine, the
//! kernel and tokio allow before any codec or handler. `bench-ceiling --port 9090`.

use std::process::ExitCode;

use clap::Parser;

/// Echoes calls back as replies without decoding them.
#[derive(Debug, Parser)]
#[command(name = "bench-ceiling")]
struct Cli {
    /// The port to listen on (127.0.0.1).
    #[arg(long, default_value_t = 9090)]
    port: u16,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime");
    let result: std::io::Result<()> = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", cli.port)).await?;
        eprintln!("bench-ceiling: on 127.0.0.1:{}", cli.port);
        loop {
            let (stream, _) = listener.accept().await?;
            tokio::spawn(async move {
                let _ = rift_benchmarks::rpc::ceiling_connection(stream).await;
            });
        }
    });
    if let Err(e) = result {
        eprintln!("bench-ceiling: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
