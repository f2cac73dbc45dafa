//! Servers: the async one (`Server`, on tokio) and the blocking one
//! ([`crate::blocking::Server`]), both thin drivers of
//! [`crate::connection::ServerConnection`]: they accept, move bytes between the socket
//! and the connection, and call the processor.
//!
#![cfg_attr(feature = "tokio", doc = "```no_run")]
#![cfg_attr(not(feature = "tokio"), doc = "```ignore")]
//! # async fn run(processor: impl rift::Processor) -> std::io::Result<()> {
//! use std::time::Duration;
//! let server = rift::server::Server::new(processor).bind("127.0.0.1:9090").await?;
//! let handle = server.handle();
//! tokio::spawn(server.run());
//! // ...
//! handle.shutdown(Duration::from_secs(5)).await;
//! # Ok(())
//! # }
//! ```
//!
//! Each connection is served one message after another (a client that sends several
//! calls without waiting gets the replies in order): by a task of its own on the async
//! server, by whichever thread of the pool takes it on the blocking one. By default a server tells each
//! connection's format from its first bytes, as Apache's header servers do: unframed or
//! framed binary, compact or JSON, header frames, a zlib stream, and (with the `http`
//! feature) HTTP, all on one port. A handler that panics gets the client an
//! `INTERNAL_ERROR` exception and the connection lives on. Shutdown stops accepting,
//! ends the connections waiting for their next message, and lets the others finish the
//! call they are serving (the async server closes what is left at its deadline).

#[cfg(feature = "tokio")]
mod async_server;
pub(crate) mod blocking;
#[cfg(feature = "http")]
mod http;

use std::io;
use std::time::Duration;

pub use crate::config::ServerConfig;
#[cfg(feature = "tokio")]
pub use async_server::{Bound, Listener, LocalAddr, Server, ServerHandle};

/// How long an acceptor pauses after a failure that passes.
pub(crate) const ACCEPT_RETRY: Duration = Duration::from_millis(20);

/// Whether a failure to accept passes (the acceptor retries after a pause): the peer
/// gave up before it was accepted, a signal, or too many open files (connections end,
/// and descriptors come back).
pub(crate) fn is_transient(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset | io::ErrorKind::Interrupted
    ) || e.raw_os_error() == Some(24) // EMFILE
}
