//! The weather service of the founding blog post (`idl/weather_service.thrift`, the
//! seed's IDL unchanged), served and called with rift: the handler, and the options the
//! `weather-server` and `weather-client` binaries share, named as in Apache Thrift's
//! cross test so that other tools can drive them.

use std::fmt;

use rift::FastStr;
use rift::transport::{Framing, WireFormat};

/// The code generated from `idl/weather_service.thrift` by `build.rs`.
pub mod idl {
    rift::include_generated!();
}

pub use idl::weather_service::{
    Location, WeatherService, WeatherServiceBlocking, WeatherServiceBlockingClient,
    WeatherServiceBlockingProcessor, WeatherServiceClient, WeatherServiceProcessor,
};

/// The weather service: always up, always 25 °C, as in the blog post.
#[derive(Clone, Copy, Debug, Default)]
pub struct Weather;

impl Weather {
    fn temperature(location: &Location) -> FastStr {
        let _ = location;
        FastStr::from_static_str("25°C")
    }
}

impl WeatherService for Weather {
    async fn ping(&self) -> Result<bool, rift::ApplicationException> {
        Ok(true)
    }

    async fn get_temperature(&self, location: Location) -> Result<FastStr, rift::ApplicationException> {
        Ok(Weather::temperature(&location))
    }
}

impl WeatherServiceBlocking for Weather {
    fn ping(&self) -> Result<bool, rift::ApplicationException> {
        Ok(true)
    }

    fn get_temperature(&self, location: Location) -> Result<FastStr, rift::ApplicationException> {
        Ok(Weather::temperature(&location))
    }
}

/// A transport, by its name in Apache's cross test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TransportName {
    /// Unframed, as the seed's `TBufferedTransport`.
    Buffered,
    /// Length-prefixed frames, as `TFramedTransport`.
    Framed,
    /// HTTP POST, as `THttpClient` and `THttpServer`.
    Http,
    /// A zlib stream, as `TZlibTransport`.
    Zlib,
}

/// A protocol, by its name in Apache's cross test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ProtocolName {
    /// `TBinaryProtocol`, as in the seed.
    Binary,
    /// `TCompactProtocol`.
    Compact,
    /// `TJSONProtocol`.
    Json,
    /// `THeaderProtocol` (binary payload).
    Header,
}

/// The options both binaries take. Each binary words their help for itself
/// ([`Options::for_server`], [`Options::for_client`]).
#[derive(Clone, Debug, clap::Args)]
pub struct Options {
    /// The host.
    #[arg(long)]
    pub host: Option<String>,
    /// The port.
    #[arg(long, default_value_t = 9090)]
    pub port: u16,
    /// The transport.
    #[arg(long, value_enum, default_value = "buffered")]
    pub transport: TransportName,
    /// The protocol.
    #[arg(long, value_enum, default_value = "binary")]
    pub protocol: ProtocolName,
    /// Blocking rather than async.
    #[arg(long)]
    pub blocking: bool,
}

/// A combination this build cannot serve yet.
#[derive(Debug)]
pub struct Unsupported(pub String);

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unsupported {}

impl Options {
    /// `command` with the options' help worded for the server.
    pub fn for_server(command: clap::Command) -> clap::Command {
        command
            .mut_arg("host", |a| {
                a.help("The address to listen on [default: every interface, as the seed's TServerSocket]")
            })
            .mut_arg("port", |a| a.help("The port to listen on"))
            .mut_arg("transport", |a| {
                a.help("The only transport to accept [without --transport or --protocol: every client in its own]")
            })
            .mut_arg("protocol", |a| a.help("The only protocol to accept (see --transport)"))
            .mut_arg("blocking", |a| a.help("Serve with the blocking server (threads taking turns at the poller)"))
    }

    /// `command` with the options' help worded for the client.
    pub fn for_client(command: clap::Command) -> clap::Command {
        command
            .mut_arg("host", |a| a.help("The host to connect to [default: localhost]"))
            .mut_arg("port", |a| a.help("The port to connect to"))
            .mut_arg("transport", |a| a.help("The transport to call with"))
            .mut_arg("protocol", |a| a.help("The protocol to call with"))
            .mut_arg("blocking", |a| a.help("Call with the blocking client instead of the async one"))
    }

    /// The wire format the options name.
    pub fn wire_format(&self) -> Result<WireFormat, Unsupported> {
        let protocol = match self.protocol {
            ProtocolName::Binary | ProtocolName::Header => rift::Protocol::Binary,
            ProtocolName::Compact => rift::Protocol::Compact,
            ProtocolName::Json => rift::Protocol::Json,
        };
        let framing = match (self.protocol, self.transport) {
            (ProtocolName::Header, TransportName::Http) => {
                return Err(Unsupported("the header protocol does not go over HTTP".into()));
            }
            (ProtocolName::Header, _) => Framing::Header,
            (_, TransportName::Buffered | TransportName::Zlib | TransportName::Http) => Framing::Unframed,
            (_, TransportName::Framed) => Framing::Framed,
        };

        let format = WireFormat::new(framing, protocol);
        Ok(if self.transport == TransportName::Zlib { format.with_zlib() } else { format })
    }

    /// The address to connect to: `host:port`.
    pub fn connect_address(&self) -> String {
        format!("{}:{}", self.host.as_deref().unwrap_or("localhost"), self.port)
    }

    /// The addresses to listen on, in order of preference: the host given, or every
    /// interface (IPv6 and, through it, IPv4; IPv4 alone where IPv6 is off).
    pub fn listen_addresses(&self) -> Vec<String> {
        match &self.host {
            Some(host) => vec![format!("{host}:{}", self.port)],
            None => vec![format!("[::]:{}", self.port), format!("0.0.0.0:{}", self.port)],
        }
    }
}

/// Logs to stderr, filtered by `RUST_LOG` (default: `info`).
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(std::io::stderr)
        .try_init();
}
