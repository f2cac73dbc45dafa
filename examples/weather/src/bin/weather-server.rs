//! The weather service on port 9090: `ping` and `getTemperature`, over buffered binary by
//! default as in the seed. Answers clients of every format on that port unless
//! `--transport`/`--protocol` are given explicitly.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use clap::parser::ValueSource;
use rift_weather::{
    Options, Weather, WeatherServiceBlockingProcessor, WeatherServiceProcessor, init_logging,
};

#[derive(Debug, Parser)]
#[command(name = "weather-server", about = "Serves the weather service of the rift quick start")]
struct Cli {
    #[command(flatten)]
    options: Options,
}

fn main() -> ExitCode {
    init_logging();
    let matches = Options::for_server(<Cli as clap::CommandFactory>::command()).get_matches();
    let cli = <Cli as clap::FromArgMatches>::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let options = cli.options;
    let format = match options.wire_format() {
        Ok(format) => format,
        Err(e) => {
            eprintln!("weather-server: {e}");
            return ExitCode::from(2);
        }
    };
    // Given on the command line, the format is the only one accepted; by default every
    // client is answered in its own.
    let explicit = ["transport", "protocol"]
        .iter()
        .any(|name| matches!(matches.value_source(name), Some(ValueSource::CommandLine)));
    let addresses = options.listen_addresses();
    let result = if options.blocking {
        let mut server =
            rift::blocking::Server::new(WeatherServiceBlockingProcessor::new(Weather)).threads(4);
        if explicit {
            server = server.format(format);
        }
        let mut listener = Err(std::io::Error::other("no address to listen on"));
        for address in &addresses {
            listener = std::net::TcpListener::bind(address.as_str()).map_err(|e| cannot_listen(address, e));
            if listener.is_ok() {
                break;
            }
        }
        listener.and_then(|l| server.tcp_listener(l)).and_then(|bound| {
            println!("weather-server (blocking) listening on {}", describe(bound.local_addr()));
            bound.run()
        })
    } else {
        let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
        runtime.block_on(async {
            let mut server = rift::server::Server::new(WeatherServiceProcessor::new(Weather));
            if explicit {
                server = server.format(format);
            }
            let mut listener = Err(std::io::Error::other("no address to listen on"));
            for address in &addresses {
                listener = tokio::net::TcpListener::bind(address.as_str())
                    .await
                    .map_err(|e| cannot_listen(address, e));
                if listener.is_ok() {
                    break;
                }
            }
            let bound = server.listener(rift::server::Listener::Tcp(listener?));
            let addr = match bound.local_addr()? {
                rift::server::LocalAddr::Tcp(addr) => Some(addr),
                rift::server::LocalAddr::Unix(_) => None,
            };
            println!("weather-server listening on {}", describe(addr));
            let handle = bound.handle();
            tokio::spawn(async move {
                if tokio::signal::ctrl_c().await.is_ok() {
                    handle.shutdown(Duration::from_secs(5)).await;
                }
            });
            bound.run().await
        })
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("weather-server: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The error of binding `address`, naming it ("Address already in use" alone does not say
/// which).
fn cannot_listen(address: &str, e: std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("cannot listen on {address}: {e}"))
}

fn describe(addr: Option<std::net::SocketAddr>) -> String {
    addr.map_or_else(|| "?".to_owned(), |a| a.to_string())
}
