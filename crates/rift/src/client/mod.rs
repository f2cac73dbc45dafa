//! Clients: the async one (`Client`, on tokio; pooled or pipelined) and the blocking one
//! ([`crate::blocking::Client`]), both thin drivers of
//! [`crate::connection::ClientConnection`] behind the [`crate::Channel`] and
//! [`crate::BlockingChannel`] that generated clients call.
//!
#![cfg_attr(feature = "tokio", doc = "```no_run")]
#![cfg_attr(not(feature = "tokio"), doc = "```ignore")]
//! # async fn run() -> std::io::Result<()> {
//! use rift::client::{Client, Endpoint};
//! let channel = Client::builder(Endpoint::tcp("localhost:9090")).connect().await?;
//! // let weather = WeatherServiceClient::new(channel);
//! # Ok(())
//! # }
//! ```
//!
//! A client is meant to be shared: each call takes an idle connection (or opens one)
//! and gives it back when the reply has come, so calls made at the same time go over
//! connections of their own; a pipelined async client carries them all over one
//! connection instead. A connection that failed in any way is closed, never reused.

#[cfg(feature = "tokio")]
mod async_client;
pub(crate) mod blocking;
#[cfg(feature = "http")]
pub(crate) mod http;
#[cfg(feature = "tokio")]
mod pipelined;

use std::io;
use std::sync::Mutex;

pub use crate::config::{ClientConfig, Endpoint};
use crate::error::Error;
use crate::service::ClientError;
#[cfg(feature = "tokio")]
pub use async_client::{Client, ClientBuilder};

/// The reply to a call made with `call_raw`: the message whole, for the caller to read
/// (envelope and result) in `protocol`, with `limits`.
#[derive(Clone, Debug)]
pub struct RawReply {
    /// The sequence id the call was sent with.
    pub seq: i32,
    /// The reply message; `None` for a oneway call.
    pub message: Option<bytes::Bytes>,
    /// The protocol it is in.
    pub protocol: crate::Protocol,
    /// The limits the client reads replies with.
    pub limits: crate::Limits,
}

/// A failure to connect to a server (including its TLS handshake), inside the
/// `io::Error` of a [`ClientError::Transport`]: what [`ClientError::is_connect`] finds.
#[derive(Debug)]
pub struct ConnectError {
    endpoint: String,
    source: io::Error,
}

impl ConnectError {
    /// The endpoint that could not be reached.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot connect to {}: {}", self.endpoint, self.source)
    }
}

impl std::error::Error for ConnectError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// `e`, from connecting to `endpoint`, marked as such (its kind kept).
pub(crate) fn connect_failed(endpoint: impl std::fmt::Display, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), ConnectError { endpoint: endpoint.to_string(), source: e })
}

/// Idle connections kept for later calls, shared by the calls of one client.
#[derive(Debug)]
pub(crate) struct Pool<C> {
    idle: Mutex<Vec<C>>,
    max_idle: usize,
}

impl<C> Pool<C> {
    pub(crate) fn new(max_idle: usize) -> Pool<C> {
        Pool { idle: Mutex::new(Vec::new()), max_idle }
    }

    /// The most recently used idle connection for which `usable` holds; the others
    /// looked at are dropped.
    pub(crate) fn take(&self, mut usable: impl FnMut(&mut C) -> bool) -> Option<C> {
        loop {
            let conn = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
            let mut conn = conn?;
            if usable(&mut conn) {
                return Some(conn);
            }
        }
    }

    /// Keeps a connection for a later call, unless enough are kept.
    pub(crate) fn give_back(&self, conn: C) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < self.max_idle {
            idle.push(conn);
        }
    }
}

/// Why a call failed in a client: its message, or its connection.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The call could not be encoded, or the reply decoded.
    Protocol(Error),
    /// The connection could not carry it.
    Transport(io::Error),
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        Failure::Transport(e)
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Protocol(e)
    }
}

impl<E> From<Failure> for ClientError<E> {
    fn from(f: Failure) -> ClientError<E> {
        match f {
            Failure::Protocol(e) => ClientError::Protocol(e),
            Failure::Transport(e) => ClientError::Transport(Box::new(e)),
        }
    }
}

/// A decoding error of a stream as an I/O error: the connection cannot be read on.
pub(crate) fn invalid_data(e: Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

/// The error for a server that closed the connection where a reply was awaited.
pub(crate) fn closed_early(between_messages: bool) -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        if between_messages {
            "the server closed the connection without replying"
        } else {
            "the server closed the connection in the middle of the reply"
        },
    )
}
