//! The configuration of servers and clients, async and blocking alike.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::limits::Limits;
use crate::transport::WireFormat;

/// What a server accepts, and how long it waits. Built by the servers' setters (or from
/// `ServerConfig::default()`, field by field); fields may be added.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ServerConfig {
    /// The one format accepted; `None` (the default) tells each connection's format
    /// from its first message.
    pub format: Option<WireFormat>,
    /// Limits on messages and frames.
    pub limits: Limits,
    /// The most connections served at once; more wait to be accepted. Default: 10,000.
    pub max_connections: usize,
    /// How long a message may take to arrive once its first bytes have. Default: 30 s.
    pub read_timeout: Option<Duration>,
    /// How long a connection may wait for its next message. Default: 5 minutes.
    pub idle_timeout: Option<Duration>,
    /// How long writing a reply may take. Default: 30 s.
    pub write_timeout: Option<Duration>,
    /// How long a TLS handshake may take, from when the connection is accepted.
    /// Default: 10 s.
    pub handshake_timeout: Option<Duration>,
    /// Threads of the blocking server, each serving one call at a time, for any number
    /// of connections. Default: 4, so that a handler that blocks (or never returns)
    /// does not stop the server.
    pub threads: usize,
    /// TLS, when set: every connection is a TLS session (see [`crate::tls`]).
    #[cfg(feature = "tls")]
    pub tls: Option<std::sync::Arc<rustls::ServerConfig>>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            format: None,
            limits: Limits::default(),
            max_connections: 10_000,
            read_timeout: Some(Duration::from_secs(30)),
            idle_timeout: Some(Duration::from_secs(300)),
            write_timeout: Some(Duration::from_secs(30)),
            handshake_timeout: Some(Duration::from_secs(10)),
            threads: 4,
            #[cfg(feature = "tls")]
            tls: None,
        }
    }
}

/// How a client connects and waits. Built by the client builders' setters (or from
/// `ClientConfig::default()`, field by field); fields may be added.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ClientConfig {
    /// The format of calls and replies. Default: unframed binary.
    pub format: WireFormat,
    /// The service name for the multiplexed protocol; `None`: not multiplexed.
    pub service: Option<String>,
    /// Limits on replies.
    pub limits: Limits,
    /// How long connecting may take. Default: 10 s.
    pub connect_timeout: Option<Duration>,
    /// How long a reply may take to arrive. Default: 60 s.
    pub read_timeout: Option<Duration>,
    /// How long sending a call may take. Default: 30 s.
    pub write_timeout: Option<Duration>,
    /// The most idle connections kept for later calls. Default: 16.
    pub max_idle: usize,
    /// Whether the async client carries all calls over one connection, several at once
    /// (replies matched by sequence id). Default: off.
    pub pipelined: bool,
    /// The most calls a pipelined connection carries at once, sent and not yet
    /// answered; more wait their turn (within the write timeout). Default: 100.
    pub max_in_flight: usize,
    /// TLS, when set: the configuration, and the name to check the server's
    /// certificate against (default: the host of a TCP endpoint).
    #[cfg(feature = "tls")]
    pub tls: Option<(std::sync::Arc<rustls::ClientConfig>, Option<String>)>,
    /// HTTP, when set: each call a `POST` to this path.
    #[cfg(feature = "http")]
    pub http: Option<String>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            format: WireFormat::default(),
            service: None,
            limits: Limits::default(),
            connect_timeout: Some(Duration::from_secs(10)),
            read_timeout: Some(Duration::from_secs(60)),
            write_timeout: Some(Duration::from_secs(30)),
            max_idle: 16,
            pipelined: false,
            max_in_flight: 100,
            #[cfg(feature = "tls")]
            tls: None,
            #[cfg(feature = "http")]
            http: None,
        }
    }
}

/// Where a client connects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// A TCP address, `host:port`.
    Tcp(String),
    /// A Unix domain socket.
    Unix(PathBuf),
}

impl Endpoint {
    /// A TCP address, `host:port`.
    pub fn tcp(addr: impl Into<String>) -> Endpoint {
        Endpoint::Tcp(addr.into())
    }

    /// A Unix domain socket.
    pub fn unix(path: impl Into<PathBuf>) -> Endpoint {
        Endpoint::Unix(path.into())
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Tcp(addr) => f.write_str(addr),
            Endpoint::Unix(path) => write!(f, "unix:{}", path.display()),
        }
    }
}

/// The setters that the async and the blocking client builders share, over their
/// `config: ClientConfig`.
macro_rules! client_setters {
    () => {
        /// Sets the format of calls and replies. Default: unframed (buffered) binary.
        #[must_use]
        pub fn format(mut self, format: $crate::transport::WireFormat) -> Self {
            self.config.format = format;
            self
        }

        /// Calls `service` through the multiplexed protocol. Default: not multiplexed.
        #[must_use]
        pub fn multiplexed(mut self, service: impl Into<String>) -> Self {
            self.config.service = Some(service.into());
            self
        }

        /// Sets the limits on replies. Default: `Limits::default()`.
        #[must_use]
        pub fn limits(mut self, limits: $crate::Limits) -> Self {
            self.config.limits = limits;
            self
        }

        /// Sets how long connecting may take (`None`: no limit). Default: 10 s.
        #[must_use]
        pub fn connect_timeout(mut self, timeout: Option<std::time::Duration>) -> Self {
            self.config.connect_timeout = timeout;
            self
        }

        /// Sets how long a reply may take (`None`: no limit). Default: 60 s.
        #[must_use]
        pub fn read_timeout(mut self, timeout: Option<std::time::Duration>) -> Self {
            self.config.read_timeout = timeout;
            self
        }

        /// Sets how long sending a call may take (`None`: no limit). Default: 30 s.
        #[must_use]
        pub fn write_timeout(mut self, timeout: Option<std::time::Duration>) -> Self {
            self.config.write_timeout = timeout;
            self
        }

        /// Sets the most idle connections kept for later calls. Default: 16.
        #[must_use]
        pub fn max_idle(mut self, n: usize) -> Self {
            self.config.max_idle = n;
            self
        }

        /// Connects with TLS (see [`crate::tls::client_config`]), checking the server's
        /// certificate against `server_name`, by default the endpoint's host.
        #[cfg(feature = "tls")]
        #[must_use]
        pub fn tls(
            mut self,
            config: std::sync::Arc<rustls::ClientConfig>,
            server_name: Option<String>,
        ) -> Self {
            self.config.tls = Some((config, server_name));
            self
        }
    };
}
pub(crate) use client_setters;

/// The setters that the async and the blocking servers share, over their
/// `config: ServerConfig`.
macro_rules! server_setters {
    () => {
        /// Accepts only `format` (Apache's servers accept one; Apache's clients never
        /// need more). Default: detected per connection.
        #[must_use]
        pub fn format(mut self, format: $crate::transport::WireFormat) -> Self {
            self.config.format = Some(format);
            self
        }

        /// Sets the limits on messages and frames. Default: `Limits::default()`.
        #[must_use]
        pub fn limits(mut self, limits: $crate::Limits) -> Self {
            self.config.limits = limits;
            self
        }

        /// Sets how long a message may take to arrive once started (`None`: no limit).
        /// Default: 30 s.
        #[must_use]
        pub fn read_timeout(mut self, timeout: Option<std::time::Duration>) -> Self {
            self.config.read_timeout = timeout;
            self
        }

        /// Sets how long a connection may wait for its next message (`None`: no limit).
        /// Default: 5 minutes.
        #[must_use]
        pub fn idle_timeout(mut self, timeout: Option<std::time::Duration>) -> Self {
            self.config.idle_timeout = timeout;
            self
        }

        /// Sets how long writing a reply may take (`None`: no limit). Default: 30 s.
        #[must_use]
        pub fn write_timeout(mut self, timeout: Option<std::time::Duration>) -> Self {
            self.config.write_timeout = timeout;
            self
        }

        /// Sets how long a TLS handshake may take from when the connection is
        /// accepted (`None`: no limit). Default: 10 s.
        #[must_use]
        pub fn handshake_timeout(mut self, timeout: Option<std::time::Duration>) -> Self {
            self.config.handshake_timeout = timeout;
            self
        }

        /// Serves TLS sessions only (see [`crate::tls::server_config`]).
        #[cfg(feature = "tls")]
        #[must_use]
        pub fn tls(mut self, config: std::sync::Arc<rustls::ServerConfig>) -> Self {
            self.config.tls = Some(config);
            self
        }

        /// Replaces the whole configuration.
        #[must_use]
        pub fn config(mut self, config: $crate::config::ServerConfig) -> Self {
            self.config = config;
            self
        }
    };
}
pub(crate) use server_setters;
