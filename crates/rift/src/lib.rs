//! rift: Apache Thrift for Rust.
//!
//! This crate is the runtime: the [`Encode`] and [`Decode`] value traits that generated
//! code, the dynamic mode and hand-written types implement; the protocols (binary,
//! compact, TJSONProtocol, TSimpleJSONProtocol, multiplexed) as writers and readers over
//! in-memory buffers; the THeader format; messages and `TApplicationException`; errors
//! that say where they happened; the [`Limits`] every decoder enforces; and the
//! transports, servers and clients that carry generated services: [`transport`]
//! (framing and detection), `server` and `client` (async, on tokio), [`blocking`],
//! [`multiplex`], `http`, `tls` and `tower`.
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

pub mod blocking;
#[cfg(feature = "tokio")]
pub mod client;
#[doc(hidden)]
pub mod codegen;
mod config;
mod error;
pub mod header;
#[cfg(feature = "http")]
pub mod http;
mod limits;
pub mod message;
pub mod multiplex;
pub mod protocol;
#[cfg(feature = "tokio")]
pub mod server;
pub mod service;
#[cfg(feature = "tls")]
pub mod tls;
#[cfg(feature = "tower")]
pub mod tower;
pub mod transport;
mod ttype;
mod value;

pub use config::{ClientConfig, Endpoint, ServerConfig};
pub use error::{Error, ErrorKind, PathSegment, Result};
pub use limits::Limits;
pub use message::{ApplicationException, ApplicationExceptionKind};
pub use protocol::{ProtocolReader, ProtocolWriter};
pub use service::{
    BlockingChannel, BlockingProcessor, Channel, ClientError, Exceptions, HandlerError, Loopback,
    NoException, Outcome, Processor, Reply, Request, ReturnValue, ServerError,
};
pub use ttype::{FieldHeader, ListHeader, MapHeader, MessageHeader, MessageType, TType};
pub use value::{Decode, Encode, MapVec, SetVec, Uuid, check_elem, initial_capacity};

use protocol::binary::{BinaryReader, BinaryWriter};
use protocol::compact::{CompactReader, CompactWriter};
use protocol::json::{JsonReader, JsonWriter};

/// The protocols that can be chosen at run time.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// The binary protocol (strict).
    Binary,
    /// The compact protocol.
    Compact,
    /// TJSONProtocol.
    Json,
}

/// Encodes a value in a protocol, appending to `buf`.
pub fn encode_into<T: Encode + ?Sized>(value: &T, protocol: Protocol, buf: &mut Vec<u8>) -> Result<()> {
    match protocol {
        Protocol::Binary => value.encode(&mut BinaryWriter::new(buf)),
        Protocol::Compact => value.encode(&mut CompactWriter::new(buf)),
        Protocol::Json => value.encode(&mut JsonWriter::new(buf)),
    }
}

/// Encodes a value in a protocol.
pub fn to_vec<T: Encode + ?Sized>(value: &T, protocol: Protocol) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    encode_into(value, protocol, &mut buf)?;
    Ok(buf)
}

/// Decodes a value from a buffer in a protocol.
pub fn from_slice<T: Decode>(data: &[u8], protocol: Protocol, limits: Limits) -> Result<T> {
    match protocol {
        Protocol::Binary => T::decode(&mut BinaryReader::with_limits(data, limits)),
        Protocol::Compact => T::decode(&mut CompactReader::with_limits(data, limits)),
        Protocol::Json => T::decode(&mut JsonReader::with_limits(data, limits)),
    }
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
