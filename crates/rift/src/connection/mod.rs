//! The core of every connection, without I/O, in the manner of rustls's and quinn's
//! state machines: the servers and clients of [`crate::server`], [`crate::client`] and
//! [`crate::blocking`] only move bytes between a socket and these, and call the
//! processor.
//!
//! ```text
//! server: bytes in ─► read_buffer/received ─► (zlib) ─► format told once ─► frame
//!         ─► Request (envelope read once) ─► processor ─► Reply, encoded once into the
//!         connection's reused buffer, its frame begun in front and its length filled
//!         in after ─► finish ─► (zlib) ─► bytes out
//! client: call ─► encode_call (into the reused buffer, framed in place) ─► bytes out;
//!         bytes in ─► next_reply ─► reply message, decoded by the call's codec
//! ```
//!
//! Because nothing here waits, the whole path from bytes to a handler's reply can be
//! driven by a test or a fuzzer, in any chunking, without sockets.

mod client;
mod server;

pub use client::ClientConnection;
pub use server::{ServerConnection, ServerEvent};

#[cfg(test)]
mod tests;
