//! rift: Apache Thrift for Rust.
//!
//! This crate is the runtime: the [`Encode`] and [`Decode`] value traits that generated
//! code, the dynamic mode and hand-written types implement; the protocols (binary,
//! compact, TJSONProtocol, TSimpleJSONProtocol, multiplexed) as writers and readers over
//! in-memory buffers; the THeader format; messages and `TApplicationException`; errors
//! that say where they happened; the [`Limits`] every decoder enforces; and the
//! transports, servers and clients that carry generated services.
//!
//! The layers, each a folder of the source:
//!
//! - [`protocol`]: how values become bytes and back ([`Protocol`], the readers and
//!   writers), and the value traits [`Encode`] and [`Decode`];
//! - [`transport`]: how messages are cut from a byte stream and framed (unframed,
//!   framed, THeader, zlib), and how a server tells a client's format;
//! - [`service`]: the seam generated code plugs into ([`Processor`], [`Request`],
//!   [`Reply`], [`Channel`]), [`multiplex`];
//! - [`connection`]: the I/O-free core of every server and client connection;
//! - [`server`] and [`client`]: drivers of that core on tokio and on the standard
//!   library's sockets ([`blocking`]), with `http`, `tls` and `tower` beside them.
//!
//! ```
//! use rift::{Protocol, Limits};
//!
//! let bytes = rift::to_vec(&vec![1i32, 2, 3], Protocol::Compact).unwrap();
//! let back: Vec<i32> = rift::from_slice(&bytes, Protocol::Compact, Limits::default()).unwrap();
//! assert_eq!(back, [1, 2, 3]);
//! ```
//!
//! ## Feature flags
//!
//! None is on by default.
//!
//! - `tokio`: the async server and client.
//! - `zlib`: the zlib transform of the header protocol, and the zlib transport.
//! - `tls`: TLS with rustls for every server and client.
//! - `http`: HTTP with hyper, as Apache's `THttpClient` and `THttpServer` (implies `tokio`).
//! - `tower`: the async client and processors as `tower` services.
//! - `serde`: serde support for the types generated code uses.

pub mod client;
#[doc(hidden)]
pub mod codegen;
mod config;
pub mod connection;
mod error;
#[cfg(feature = "http")]
pub mod http;
mod limits;
pub mod protocol;
pub mod server;
pub mod service;
mod socket;
#[cfg(feature = "tls")]
pub mod tls;
#[cfg(feature = "tower")]
pub mod tower;
pub mod transport;
mod value;

pub use bytes;
pub use config::{ClientConfig, Endpoint, ServerConfig};
pub use error::{Error, ErrorKind, PathSegment, Result};
pub use faststr::FastStr;
pub use limits::Limits;
pub use protocol::message::{self, ApplicationException, ApplicationExceptionKind};
pub use protocol::{
    FieldHeader, ListHeader, MapHeader, MessageHeader, MessageType, Protocol, ProtocolReader, ProtocolWriter,
    TType,
};
pub use service::multiplex;
pub use service::{
    BlockingChannel, BlockingProcessor, Channel, ClientError, Exceptions, HandlerError, Loopback,
    NoException, Outcome, Processor, Reply, Request, ReturnValue, ServerError,
};
pub use transport::header;
pub use value::{Decode, Encode, MapVec, SetVec, Uuid};

/// The maps and sets of generated code: the standard library's, with a fast hasher.
pub mod collections {
    /// The hasher: foldhash, seeded at random per process. Several times quicker than
    /// the standard library's SipHash on the short keys of messages, and still no fixed
    /// seed for a peer to aim collisions at.
    pub type RandomState = foldhash::fast::RandomState;

    /// A standard `HashMap` with [`RandomState`]: make one with `default()` or by
    /// collecting an iterator.
    pub type HashMap<K, V> = std::collections::HashMap<K, V, RandomState>;

    /// A standard `HashSet` with [`RandomState`].
    pub type HashSet<T> = std::collections::HashSet<T, RandomState>;
}

/// The blocking server and client, on the standard library's sockets: no async runtime.
///
/// ```no_run
/// # fn run(processor: impl rift::BlockingProcessor) -> std::io::Result<()> {
/// // One thread serves every connection, one call at a time.
/// rift::blocking::Server::new(processor).bind("0.0.0.0:9090")?.run()
/// # }
/// ```
pub mod blocking {
    pub use crate::client::blocking::{Client, ClientBuilder};
    pub use crate::config::{ClientConfig, Endpoint, ServerConfig};
    pub use crate::server::blocking::{Bound, Server, ServerHandle};
}

/// Encodes a value in a protocol, appending to `buf`.
pub fn encode_into<T: Encode + ?Sized>(value: &T, protocol: Protocol, buf: &mut Vec<u8>) -> Result<()> {
    protocol::with_writer!(protocol, buf, |w| value.encode(w))
}

/// Encodes a value in a protocol.
pub fn to_vec<T: Encode + ?Sized>(value: &T, protocol: Protocol) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    encode_into(value, protocol, &mut buf)?;
    Ok(buf)
}

/// Decodes a value from a buffer in a protocol.
pub fn from_slice<T: Decode>(data: &[u8], protocol: Protocol, limits: Limits) -> Result<T> {
    protocol::with_reader!(protocol, with_limits(data, limits), |r| T::decode(r))
}

/// Includes the module tree that `rift_build` generated into `OUT_DIR`, from a crate
/// whose `build.rs` ran `rift_build::compile`:
///
/// ```text
/// mod idl {
///     rift::include_generated!();
/// }
/// ```
///
/// A build script that generates several trees, each into its own folder of `OUT_DIR`
/// (`Builder::out_dir`), names the folder: `rift::include_generated!("with_serde")`.
#[macro_export]
macro_rules! include_generated {
    () => {
        include!(concat!(env!("OUT_DIR"), "/rift_generated.rs"));
    };
    ($dir:literal) => {
        include!(concat!(env!("OUT_DIR"), "/", $dir, "/rift_generated.rs"));
    };
}
