//! The server side of a connection.

use bytes::{Bytes, BytesMut};

use crate::error::Result;
use crate::limits::Limits;
use crate::service::{Reply, Request, settle};
use crate::transport::{Conduit, ReplyFormat, WireFormat};

/// What a server connection has for its driver.
#[derive(Debug)]
pub enum ServerEvent {
    /// A call, to hand to the processor; its outcome goes to
    /// [`ServerConnection::finish`].
    Request(Request),
    /// Nothing until more bytes arrive.
    NeedBytes,
    /// The connection speaks HTTP: serve it as such, with the bytes received so far put
    /// back in front of the stream.
    Http(Bytes),
}

/// One connection of a server, without I/O: bytes in, requests out, replies in, bytes
/// out. One message at a time: a client that sends several calls without waiting gets
/// the replies in order.
#[derive(Debug)]
pub struct ServerConnection {
    conduit: Conduit,
    /// The buffer replies are encoded into: it goes out with each request and comes
    /// back with its reply, so a connection encodes into the same memory every time.
    buf: Vec<u8>,
    /// A zlib stream's compressed output.
    scratch: Vec<u8>,
    /// The call being served, for an answer if its processor fails.
    serving: Option<(Bytes, ReplyFormat)>,
    /// Whether a message has been decoded (HTTP is told only from the first bytes).
    started: bool,
}

impl ServerConnection {
    /// A connection that accepts only `format`, or, with `None`, tells the format from
    /// the first bytes (unframed or framed binary, compact or JSON, header frames, a
    /// zlib stream of any of these, and HTTP).
    pub fn new(format: Option<WireFormat>, limits: Limits) -> ServerConnection {
        let conduit = match format {
            Some(format) => Conduit::new(format, limits),
            None => Conduit::detecting(limits),
        };
        ServerConnection { conduit, buf: Vec::new(), scratch: Vec::new(), serving: None, started: false }
    }

    /// Where the next bytes read from the stream go.
    pub fn read_buffer(&mut self) -> &mut BytesMut {
        self.conduit.read_buffer()
    }

    /// Takes in the bytes just read into [`ServerConnection::read_buffer`]. An error
    /// means the stream cannot be read on (a corrupt zlib stream, say).
    pub fn received(&mut self) -> Result<()> {
        self.conduit.received()
    }

    /// Whether nothing of a next message has arrived.
    pub fn is_between_messages(&self) -> bool {
        self.conduit.is_between_messages()
    }

    /// The limits messages are read with.
    pub fn limits(&self) -> &Limits {
        self.conduit.limits()
    }

    /// What to do next. An error means the connection cannot go on: a message that is
    /// malformed or over a limit, or an unreadable envelope.
    pub fn next_event(&mut self) -> Result<ServerEvent> {
        if !self.started && cfg!(feature = "http") && self.conduit.first_byte().is_some_and(looks_like_http) {
            return Ok(ServerEvent::Http(self.conduit.take_received()));
        }
        let Some(frame) = self.conduit.decode()? else { return Ok(ServerEvent::NeedBytes) };
        self.started = true;
        self.serving = Some((frame.message.clone(), frame.format));
        let request = Request::from_frame(frame, *self.conduit.limits(), std::mem::take(&mut self.buf))?;
        Ok(ServerEvent::Request(request))
    }

    /// The bytes to send for the outcome of processing the request last handed out (its
    /// reply, or an `INTERNAL_ERROR` exception when the processor panicked or the reply
    /// could not be encoded); empty when nothing is to be sent. `peer` names the client
    /// in logs.
    pub fn finish(&mut self, outcome: std::thread::Result<Result<Reply>>, peer: &str) -> Result<&[u8]> {
        let Some((message, format)) = self.serving.take() else { return Ok(&[]) };
        let reply = settle(outcome, message, format, *self.conduit.limits(), peer);
        self.buf = reply.into_buffer();
        if self.buf.is_empty() {
            // Nothing to send: not even a zlib stream's flush.
            return Ok(&[]);
        }
        self.conduit.encode(&self.buf, &mut self.scratch)
    }

    /// Gives up the memory of buffers that hold nothing, so that an idle connection
    /// costs little.
    pub fn shrink(&mut self) {
        self.conduit.shrink();
        self.buf = Vec::new();
        self.scratch = Vec::new();
    }
}

/// Whether a connection that starts with `first` speaks HTTP: a request starts with its
/// method, upper-case ASCII, and no Thrift framing starts with one.
pub(crate) fn looks_like_http(first: u8) -> bool {
    first.is_ascii_uppercase()
}
