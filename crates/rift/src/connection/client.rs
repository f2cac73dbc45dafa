//! The client side of a connection.

use bytes::{Bytes, BytesMut};

use crate::error::Result;
use crate::service::CallCodec;
use crate::transport::{Conduit, ReplyFormat, WireFormat};
use crate::value::Encode;

/// One connection of a client, without I/O: calls in, bytes out; bytes in, replies out.
#[derive(Debug)]
pub struct ClientConnection {
    conduit: Conduit,
    format: ReplyFormat,
    /// Calls are encoded here, framed in place, and sent from here.
    buf: Vec<u8>,
    /// A zlib stream's compressed output.
    scratch: Vec<u8>,
}

impl ClientConnection {
    /// A connection that speaks `format`.
    pub fn new(format: WireFormat, limits: crate::Limits) -> ClientConnection {
        ClientConnection {
            conduit: Conduit::new(format, limits),
            format: format.reply_format(),
            buf: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// Encodes a call of `method` with `args`: returns its sequence id and the bytes to
    /// send.
    pub fn encode_call<A: Encode + ?Sized>(
        &mut self,
        codec: &CallCodec,
        method: &str,
        oneway: bool,
        args: &A,
    ) -> Result<(i32, &[u8])> {
        self.buf.clear();
        let seq = codec.encode_framed(self.format, method, oneway, args, &mut self.buf)?;
        Ok((seq, self.conduit.encode(&self.buf, &mut self.scratch)?))
    }

    /// The bytes to send for one whole message, encoded already.
    pub fn encode_message(&mut self, message: &[u8]) -> Result<&[u8]> {
        self.buf.clear();
        self.format.encode_frame(message, &mut self.buf, self.conduit.limits())?;
        self.conduit.encode(&self.buf, &mut self.scratch)
    }

    /// The protocol of calls and replies.
    pub fn protocol(&self) -> crate::Protocol {
        self.format.protocol()
    }

    /// The limits replies are read with.
    pub fn limits(&self) -> &crate::Limits {
        self.conduit.limits()
    }

    /// Where the next bytes read from the stream go.
    pub fn read_buffer(&mut self) -> &mut BytesMut {
        self.conduit.read_buffer()
    }

    /// Takes in the bytes just read into [`ClientConnection::read_buffer`].
    pub fn received(&mut self) -> Result<()> {
        self.conduit.received()
    }

    /// Whether nothing of a next reply has arrived.
    pub fn is_between_messages(&self) -> bool {
        self.conduit.is_between_messages()
    }

    /// Whether `reply` answers call `seq`: its envelope reads and carries that sequence
    /// id. A reply that does not means the stream is out of step with its calls (a
    /// server that answered twice, or garbage that framed well): the connection should
    /// not carry another call.
    pub fn answers(&self, seq: i32, reply: &Bytes) -> bool {
        crate::service::read_envelope(self.format.protocol(), reply, *self.conduit.limits())
            .is_ok_and(|envelope| envelope.seq == seq)
    }

    /// The next whole reply message, or `None` until more bytes arrive. An error means
    /// the connection cannot be read on.
    pub fn next_reply(&mut self) -> Result<Option<Bytes>> {
        Ok(self.conduit.decode()?.map(|frame| frame.message))
    }
}
