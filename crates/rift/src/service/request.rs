//! One call as a server received it, and the reply a processor makes of it.
//!
//! A [`Request`] is parsed once: its envelope when it is made, its arguments (from the
//! same bytes, after the envelope) when the processor asks for them. Its reply is
//! encoded once, into the buffer the request carries: the connection's own, reused from
//! call to call, with the frame begun in front of it, so that a [`Reply`] is the bytes a
//! server sends.

use std::fmt;

use bytes::Bytes;
use faststr::FastStr;

use super::outcome::{HandlerError, Outcome, ReturnValue, ServerError};
use crate::error::{Error, Result};
use crate::limits::Limits;
use crate::protocol::message::{ApplicationException, ApplicationExceptionKind};
use crate::protocol::{MessageType, Protocol, ProtocolReader, TType, with_reader, with_writer};
use crate::transport::{Frame, ReplyFormat};
use crate::value::{Decode, Encode};

/// One request message as a server received it.
pub struct Request {
    message: Bytes,
    format: ReplyFormat,
    limits: Limits,
    kind: MessageType,
    seq: i32,
    /// The method as it came (for a multiplexed call, `"Service:method"`).
    name: FastStr,
    /// Where the method starts in `name`: past a multiplexing prefix once stripped.
    method_at: usize,
    /// Where the arguments start; 0 where they cannot be read on their own (JSON keeps
    /// a context from its envelope), and the envelope is read again.
    args: usize,
    /// Where the reply is encoded.
    buf: Vec<u8>,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.name)
            .field("kind", &self.kind)
            .field("seq", &self.seq)
            .field("format", &self.format)
            .field("len", &self.message.len())
            .finish()
    }
}

/// The envelope of a call, read once.
pub(crate) struct Envelope {
    pub(crate) kind: MessageType,
    pub(crate) seq: i32,
    pub(crate) name: FastStr,
    /// Where the body starts (0 for JSON).
    pub(crate) body: usize,
}

/// Reads the envelope at the front of `message`.
pub(crate) fn read_envelope(protocol: Protocol, message: &Bytes, limits: Limits) -> Result<Envelope> {
    with_reader!(protocol, from_bytes(message, limits), |r| {
        let header = r.read_message_begin()?;
        let body = if protocol == Protocol::Json { 0 } else { r.position() };
        Ok(Envelope { kind: header.kind, seq: header.seq, name: header.name, body })
    })
}

impl Request {
    /// Reads the envelope of a request message that came unframed (an HTTP body, a call
    /// in memory); the reply is a message of the same protocol, unframed.
    pub fn new(protocol: Protocol, message: Bytes, limits: Limits) -> Result<Request> {
        Request::parse(message, ReplyFormat::plain(protocol), limits, Vec::new())
    }

    /// A request from a frame a connection received, replying into `buf`.
    pub(crate) fn from_frame(frame: Frame, limits: Limits, buf: Vec<u8>) -> Result<Request> {
        Request::parse(frame.message, frame.format, limits, buf)
    }

    fn parse(message: Bytes, format: ReplyFormat, limits: Limits, buf: Vec<u8>) -> Result<Request> {
        let envelope = read_envelope(format.protocol(), &message, limits)?;
        Ok(Request {
            message,
            format,
            limits,
            kind: envelope.kind,
            seq: envelope.seq,
            method_at: 0,
            name: envelope.name,
            args: envelope.body,
            buf,
        })
    }

    /// The limits the message is read with.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The protocol of the message.
    pub fn protocol(&self) -> Protocol {
        self.format.protocol()
    }

    /// How the message came, and so how its reply is framed.
    pub fn format(&self) -> ReplyFormat {
        self.format
    }

    /// The whole message.
    pub fn bytes(&self) -> &Bytes {
        &self.message
    }

    /// The method called. For a multiplexed request routed to its service, without the
    /// `"Service:"` prefix.
    pub fn method(&self) -> &str {
        &self.name[self.method_at..]
    }

    /// The method's name as it came, with a multiplexing prefix if there was one.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The sequence id, which the reply repeats.
    pub fn seq(&self) -> i32 {
        self.seq
    }

    /// The kind of message (a call or a oneway call, from well-behaved clients).
    pub fn kind(&self) -> MessageType {
        self.kind
    }

    /// Whether the caller waits for no reply.
    pub fn is_oneway(&self) -> bool {
        self.kind == MessageType::Oneway
    }

    /// Strips a multiplexing prefix of `service_len` bytes and its `:` from the method
    /// name (a multiplexing processor does this before handing the request on).
    pub fn strip_service(&mut self, service_len: usize) {
        let at = self.method_at + service_len + 1;
        if self.name.is_char_boundary(at) {
            self.method_at = at;
        }
    }

    /// Decodes the arguments struct, from the bytes after the envelope. Strings and
    /// binaries of the arguments may be slices of the message rather than copies.
    pub fn decode_args<T: Decode>(&self) -> Result<T> {
        fn read<R: ProtocolReader, T: Decode>(r: &mut R, envelope: bool) -> Result<T> {
            if envelope {
                r.read_message_begin()?;
            }
            let args = T::decode(r)?;
            r.read_message_end()?;
            Ok(args)
        }
        if self.args == 0 {
            return with_reader!(self.protocol(), from_bytes(&self.message, self.limits), |r| read(r, true));
        }
        let body = self.message.slice(self.args..);
        with_reader!(self.protocol(), from_bytes(&body, self.limits), |r| read(r, false))
    }

    /// Skips the arguments, checking that they are well formed.
    fn skip_args(&self) -> Result<()> {
        with_reader!(self.protocol(), from_bytes(&self.message, self.limits), |r| {
            r.read_message_begin()?;
            r.skip(TType::Struct)?;
            r.read_message_end()
        })
    }

    /// No reply: what a oneway call gets.
    pub fn no_reply(self) -> Reply {
        Reply::none_with(self.buf)
    }

    /// Encodes the reply into the request's buffer, framed as the request came.
    fn send<T: Encode + ?Sized>(mut self, kind: MessageType, body: &T) -> Result<Reply> {
        if self.is_oneway() {
            return Ok(Reply::none_with(self.buf));
        }
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        let start = self.format.begin_frame(&mut buf);
        let protocol = self.protocol();
        let (name, seq) = (&self.name[self.method_at..], self.seq);
        with_writer!(protocol, &mut buf, |w| crate::protocol::message::write_message(
            w, name, kind, seq, body
        ))?;
        let message = start.message()..buf.len();
        self.format.end_frame(&mut buf, start, &self.limits)?;
        // A payload compressed by its frame is no longer where it was written.
        let message = (self.format.header.is_none_or(|h| !h.zlib)).then_some(message);
        Ok(Reply { bytes: buf, message })
    }

    /// A `REPLY` with the result struct.
    pub fn reply<T: Encode + ?Sized>(self, result: &T) -> Result<Reply> {
        self.send(MessageType::Reply, result)
    }

    /// The reply to a handler's outcome: a `REPLY` with the value or a declared
    /// exception, or an `EXCEPTION` with a `TApplicationException`.
    pub fn respond<T: ReturnValue, X: HandlerError>(
        self,
        outcome: std::result::Result<T, X>,
    ) -> Result<Reply> {
        match outcome {
            Ok(value) => self.reply(&Outcome::<T, X::Exception>(Ok(value))),
            Err(error) => match error.into_server_error() {
                ServerError::Exception(e) => self.reply(&Outcome::<T, X::Exception>(Err(e))),
                ServerError::Application(e) => self.exception(&e),
            },
        }
    }

    /// An `EXCEPTION` reply.
    pub fn exception(self, exception: &ApplicationException) -> Result<Reply> {
        self.send(MessageType::Exception, exception)
    }

    /// The reply to arguments that could not be decoded: `PROTOCOL_ERROR`.
    pub fn protocol_error(self, error: &Error) -> Result<Reply> {
        self.exception(&ApplicationException::new(ApplicationExceptionKind::ProtocolError, error.to_string()))
    }

    /// The reply to a method the service does not have: its arguments are skipped, then
    /// `UNKNOWN_METHOD`, as Apache's servers answer (`PROTOCOL_ERROR` when the arguments
    /// are malformed, as for a method the service has).
    pub fn unknown_method(self) -> Result<Reply> {
        if let Err(e) = self.skip_args() {
            return self.protocol_error(&e);
        }
        let exception = ApplicationException::unknown_method(self.method());
        self.exception(&exception)
    }

    /// An `INTERNAL_ERROR` exception with `text`, logged (nothing for a oneway call).
    pub(crate) fn internal_error(self, text: &str, peer: &str) -> Reply {
        tracing::error!(%peer, method = self.method(), error = %text, "the call failed");
        self.exception(&ApplicationException::new(ApplicationExceptionKind::InternalError, text))
            .unwrap_or_else(|_| Reply::none())
    }
}

/// What a processor returns for a request: the reply's bytes, framed as the request
/// came, or nothing (for a oneway call).
#[derive(Clone, PartialEq, Eq)]
pub struct Reply {
    bytes: Vec<u8>,
    /// Where the message is in `bytes`; `None` for no reply (or a compressed one).
    message: Option<std::ops::Range<usize>>,
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_none() {
            f.write_str("Reply::None")
        } else {
            f.debug_struct("Reply").field("len", &self.bytes.len()).finish()
        }
    }
}

impl Reply {
    /// No reply (a oneway call).
    pub fn none() -> Reply {
        Reply { bytes: Vec::new(), message: None }
    }

    /// No reply, keeping a buffer to reuse.
    fn none_with(mut bytes: Vec<u8>) -> Reply {
        bytes.clear();
        Reply { bytes, message: None }
    }

    /// Whether there is nothing to send.
    pub fn is_none(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The reply message, unframed (`None` when there is none, or when its frame
    /// compressed it).
    pub fn message(&self) -> Option<&[u8]> {
        self.message.clone().map(|range| &self.bytes[range])
    }

    /// The bytes to send: the reply message in its frame.
    pub fn framed(&self) -> &[u8] {
        &self.bytes
    }

    /// The reply message, unframed, without copying it.
    pub fn into_message(self) -> Option<Bytes> {
        let range = self.message?;
        Some(Bytes::from(self.bytes).slice(range))
    }

    /// The buffer, to reuse.
    pub(crate) fn into_buffer(self) -> Vec<u8> {
        self.bytes
    }
}
