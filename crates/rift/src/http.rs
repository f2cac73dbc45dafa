//! HTTP as Apache's `THttpClient` and `THttpServer` speak it: each call is a `POST` whose
//! body is the whole message (unframed), answered by `200 OK` with the reply message as
//! its body, both `application/x-thrift`. With hyper.
//!
//! The servers tell an HTTP connection from its first byte (an HTTP method is
//! upper-case ASCII, no Thrift framing starts with one) and serve it on the same port
//! as every other format. The clients post to a path of their endpoint
//! ([`crate::client::ClientBuilder::http`], [`crate::blocking::ClientBuilder::http`]).

use crate::protocol::Protocol;

/// The media type of Thrift over HTTP.
pub const CONTENT_TYPE: &str = "application/x-thrift";

/// The protocol of a message, from its first byte.
pub(crate) fn protocol_of(message: &[u8]) -> Option<Protocol> {
    match message.first()? {
        0x80 => Some(Protocol::Binary),
        0x82 => Some(Protocol::Compact),
        b'[' => Some(Protocol::Json),
        _ => None,
    }
}
