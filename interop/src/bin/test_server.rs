//! rift's cross-test server: `ThriftTest` (and, with a multiplexed protocol,
//! `SecondService` beside it) on the port, Unix socket, transport and protocol that
//! Apache's cross-test runner names.

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use rift::multiplex::{BlockingMultiplexed, Multiplexed};
use rift::{BlockingProcessor, Limits, Processor};
use rift_interop::{
    Connection, Handler, Second, SecondServiceBlockingProcessor, SecondServiceProcessor,
    ThriftTestBlockingProcessor, ThriftTestProcessor, limits,
};

/// Serves Apache Thrift's cross-test services.
#[derive(Parser, Debug)]
#[command(name = "test_server", version)]
struct Cli {
    #[command(flatten)]
    connection: Connection,
    /// simple, thread-pool or threaded: the blocking server; nonblocking: the async one.
    #[arg(long = "server-type", default_value = "nonblocking")]
    server_type: String,
    /// The longest string or binary accepted, in bytes.
    #[arg(long = "string-limit")]
    string_limit: Option<usize>,
    /// The most elements of a list, set or map accepted.
    #[arg(long = "container-limit")]
    container_limit: Option<usize>,
    /// Threads: the blocking server's handlers, or the async runtime's workers.
    #[arg(short = 'n', long = "workers", default_value_t = 4)]
    workers: usize,
}

/// What every server is configured with.
struct Setup<'a> {
    cli: &'a Cli,
    limits: Limits,
    tls: Option<Arc<rustls::ServerConfig>>,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .init();
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("test_server: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> std::io::Result<()> {
    let tls = if cli.connection.ssl {
        let (cert, key, ca) = cli.connection.pem("server")?;
        Some(rift::tls::server_config(&cert, &key, Some(&ca)).map_err(std::io::Error::other)?)
    } else {
        None
    };
    let setup = Setup { cli, limits: limits(cli.string_limit, cli.container_limit), tls };
    let multiplexed = cli.connection.protocol.multiplexed;
    match cli.server_type.as_str() {
        "simple" | "thread-pool" | "threaded" => {
            let handler = ThriftTestBlockingProcessor::new(Handler);
            if multiplexed {
                let mux = BlockingMultiplexed::new()
                    .with_default("ThriftTest", handler)
                    .with("SecondService", SecondServiceBlockingProcessor::new(Second));
                setup.run_blocking(mux)
            } else {
                setup.run_blocking(handler)
            }
        }
        "nonblocking" => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(cli.workers.max(1))
                .enable_all()
                .build()?;
            let handler = ThriftTestProcessor::new(Handler);
            if multiplexed {
                let mux = Multiplexed::new()
                    .with_default("ThriftTest", handler)
                    .with("SecondService", SecondServiceProcessor::new(Second));
                runtime.block_on(setup.run_async(mux))
            } else {
                runtime.block_on(setup.run_async(handler))
            }
        }
        other => Err(std::io::Error::other(format!(
            "unknown server type `{other}` (simple, thread-pool, threaded, nonblocking)"
        ))),
    }
}

impl Setup<'_> {
    /// A TCP listener on every interface, IPv6 and IPv4 where the machine has both.
    fn tcp(&self) -> std::io::Result<std::net::TcpListener> {
        let port = self.cli.connection.port;
        std::net::TcpListener::bind(("::", port)).or_else(|_| std::net::TcpListener::bind(("0.0.0.0", port)))
    }

    fn run_blocking<P: BlockingProcessor>(&self, processor: P) -> std::io::Result<()> {
        let mut server = rift::blocking::Server::new(processor).threads(self.cli.workers).limits(self.limits);
        if let Some(format) = self.cli.connection.wire_format() {
            server = server.format(format);
        }
        if let Some(tls) = &self.tls {
            server = server.tls(tls.clone());
        }
        let bound = match &self.cli.connection.domain_socket {
            Some(path) => server.bind_unix(path)?,
            None => server.tcp_listener(self.tcp()?)?,
        };
        eprintln!("test_server: the blocking server is listening");
        bound.run()
    }

    async fn run_async<P: Processor>(&self, processor: P) -> std::io::Result<()> {
        let mut server = rift::server::Server::new(processor).limits(self.limits);
        if let Some(format) = self.cli.connection.wire_format() {
            server = server.format(format);
        }
        if let Some(tls) = &self.tls {
            server = server.tls(tls.clone());
        }
        let bound = match &self.cli.connection.domain_socket {
            Some(path) => server.bind_unix(path).await?,
            None => {
                let listener = self.tcp()?;
                listener.set_nonblocking(true)?;
                server.listener(rift::server::Listener::Tcp(tokio::net::TcpListener::from_std(listener)?))
            }
        };
        eprintln!("test_server: the async server is listening");
        bound.run().await
    }
}
