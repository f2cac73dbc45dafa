//! The seam between generated services and what carries their messages.
//!
//! A server hands each request message (whole, in memory) to a [`Processor`] as a
//! [`Request`] and sends back the [`Reply`] it returns; generated processors decode the
//! arguments, call the handler and encode the result through the methods of `Request`,
//! which pick the protocol at run time. A client calls through a [`Channel`] (async) or
//! a [`BlockingChannel`]: generated clients give it the method name and the argument
//! struct and get the result struct back. Transports implement channels; [`Loopback`]
//! connects a client straight to a processor, in memory.

use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicI32, Ordering};

use bytes::Bytes;

use crate::Protocol;
use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;
use crate::message::{ApplicationException, ApplicationExceptionKind};
use crate::protocol::binary::{BinaryReader, BinaryWriter};
use crate::protocol::compact::{CompactReader, CompactWriter};
use crate::protocol::json::{JsonReader, JsonWriter};
use crate::protocol::multiplexed::MultiplexedWriter;
use crate::protocol::{ProtocolReader, ProtocolWriter};
use crate::transport::{Framing, WireFormat, check_frame_len};
use crate::ttype::{FieldHeader, MessageHeader, MessageType, TType};
use crate::value::{Decode, Encode};

/// Runs `f` with a reader of `protocol` over `data`.
fn with_reader<T>(
    protocol: Protocol,
    data: &[u8],
    limits: Limits,
    f: impl FnOnce(&mut dyn ProtocolReader) -> T,
) -> T {
    match protocol {
        Protocol::Binary => f(&mut BinaryReader::with_limits(data, limits)),
        Protocol::Compact => f(&mut CompactReader::with_limits(data, limits)),
        Protocol::Json => f(&mut JsonReader::with_limits(data, limits)),
    }
}

/// Reads a whole message of `protocol`: the envelope, a body of type `T`, the end.
fn read_message<T: Decode>(protocol: Protocol, data: &[u8], limits: Limits) -> Result<(MessageHeader, T)> {
    fn read<R: ProtocolReader + ?Sized, T: Decode>(r: &mut R) -> Result<(MessageHeader, T)> {
        let header = r.read_message_begin()?;
        let body = T::decode(r)?;
        r.read_message_end()?;
        Ok((header, body))
    }
    match protocol {
        Protocol::Binary => read(&mut BinaryReader::with_limits(data, limits)),
        Protocol::Compact => read(&mut CompactReader::with_limits(data, limits)),
        Protocol::Json => read(&mut JsonReader::with_limits(data, limits)),
    }
}

/// Writes a whole message of `protocol`; with `service`, calls are multiplexed.
pub fn write_message<T: Encode + ?Sized>(
    protocol: Protocol,
    service: Option<&str>,
    header: (&str, MessageType, i32),
    body: &T,
    out: &mut Vec<u8>,
) -> Result<()> {
    fn write<W: ProtocolWriter, T: Encode + ?Sized>(
        w: W,
        service: Option<&str>,
        h: (&str, MessageType, i32),
        body: &T,
    ) -> Result<()> {
        match service {
            Some(service) => {
                crate::message::write_message(&mut MultiplexedWriter::new(w, service), h.0, h.1, h.2, body)
            }
            None => {
                let mut w = w;
                crate::message::write_message(&mut w, h.0, h.1, h.2, body)
            }
        }
    }
    match protocol {
        Protocol::Binary => write(BinaryWriter::new(out), service, header, body),
        Protocol::Compact => write(CompactWriter::new(out), service, header, body),
        Protocol::Json => write(JsonWriter::new(out), service, header, body),
    }
}

/// One request message as a server received it.
#[derive(Clone)]
pub struct Request {
    protocol: Protocol,
    bytes: Bytes,
    limits: Limits,
    header: MessageHeader,
    /// The method, without a multiplexing service prefix.
    method: String,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("protocol", &self.protocol)
            .field("header", &self.header)
            .field("len", &self.bytes.len())
            .finish()
    }
}

impl Request {
    /// Reads the envelope of a request message.
    pub fn new(protocol: Protocol, bytes: Bytes, limits: Limits) -> Result<Request> {
        let header = with_reader(protocol, &bytes, limits, |r| r.read_message_begin())?;
        let method = header.name.clone();
        Ok(Request { protocol, bytes, limits, header, method })
    }

    /// The limits the message is read with.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The envelope as received.
    pub fn header(&self) -> &MessageHeader {
        &self.header
    }

    /// The protocol of the message.
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// The whole message.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The method called. For a multiplexed request routed to its service, without the
    /// `"Service:"` prefix.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// Whether the caller waits for no reply.
    pub fn is_oneway(&self) -> bool {
        self.header.kind == MessageType::Oneway
    }

    /// Strips a multiplexing prefix from the method name (a multiplexing processor
    /// does this before handing the request to its service).
    pub fn strip_service(&mut self, service_len: usize) {
        if self.method.len() > service_len {
            self.method.drain(..=service_len);
        }
    }

    /// Decodes the arguments struct.
    pub fn decode_args<T: Decode>(&self) -> Result<T> {
        read_message::<T>(self.protocol, &self.bytes, self.limits).map(|(_, args)| args)
    }

    fn send<T: Encode + ?Sized>(&self, kind: MessageType, body: &T) -> Result<Reply> {
        if self.is_oneway() {
            return Ok(Reply::None);
        }
        let mut out = Vec::with_capacity(256);
        write_message(self.protocol, None, (&self.method, kind, self.header.seq), body, &mut out)?;
        Ok(Reply::Message(out))
    }

    /// A `REPLY` with the result struct.
    pub fn reply<T: Encode + ?Sized>(&self, result: &T) -> Result<Reply> {
        self.send(MessageType::Reply, result)
    }

    /// The reply to a handler's outcome: a `REPLY` with the value or a declared
    /// exception, or an `EXCEPTION` with a `TApplicationException`.
    pub fn respond<T: ReturnValue, X: HandlerError>(
        &self,
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
    pub fn exception(&self, exception: &ApplicationException) -> Result<Reply> {
        self.send(MessageType::Exception, exception)
    }

    /// The reply to arguments that could not be decoded: `PROTOCOL_ERROR`.
    pub fn protocol_error(&self, error: &Error) -> Result<Reply> {
        self.exception(&ApplicationException::new(ApplicationExceptionKind::ProtocolError, error.to_string()))
    }

    /// The reply to a method the service does not have: its arguments are skipped, then
    /// `UNKNOWN_METHOD`, as Apache's servers answer.
    pub fn unknown_method(&self) -> Result<Reply> {
        with_reader(self.protocol, &self.bytes, self.limits, |r| {
            r.read_message_begin()?;
            r.skip(TType::Struct)?;
            r.read_message_end()
        })?;
        self.exception(&ApplicationException::unknown_method(&self.method))
    }
}

/// What a server sends for a processor's outcome on the call in `message`: the reply;
/// or, when the reply could not be encoded or the handler panicked, an `INTERNAL_ERROR`
/// exception (nothing for a oneway call), logged. The call is read again only then,
/// so the hot path keeps no copy of its envelope.
pub(crate) fn settle(
    protocol: Protocol,
    message: Bytes,
    limits: Limits,
    outcome: std::thread::Result<Result<Reply>>,
    peer: &str,
) -> Reply {
    let text = match outcome {
        Ok(Ok(reply)) => return reply,
        Ok(Err(e)) => format!("the reply could not be encoded: {e}"),
        Err(panic) => panic_message(&*panic),
    };
    internal_error_reply(protocol, message, limits, &text, peer)
}

/// An `INTERNAL_ERROR` exception with `text` for the call in `message` (nothing for a
/// oneway call), logged.
pub(crate) fn internal_error_reply(
    protocol: Protocol,
    message: Bytes,
    limits: Limits,
    text: &str,
    peer: &str,
) -> Reply {
    let Ok(request) = Request::new(protocol, message, limits) else { return Reply::None };
    tracing::error!(%peer, method = request.method(), error = %text, "the call failed");
    request
        .exception(&ApplicationException::new(ApplicationExceptionKind::InternalError, text))
        .unwrap_or(Reply::None)
}

/// The text of a panic's payload.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "the handler panicked".to_owned()
    }
}

/// What a processor returns for a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// Nothing to send (a oneway call).
    None,
    /// A whole reply message, in the request's protocol.
    Message(Vec<u8>),
}

/// Handles requests for a service (generated code implements it for each service).
pub trait Processor: Send + Sync + 'static {
    /// The service's name, as in the IDL.
    fn service_name(&self) -> &'static str;

    /// Handles one request. `Err` means the request could not be answered at all (the
    /// reply could not be encoded); every other failure is a reply.
    fn process(&self, request: Request) -> impl Future<Output = Result<Reply>> + Send;
}

/// Handles requests for a service on the caller's thread.
pub trait BlockingProcessor: Send + Sync + 'static {
    /// The service's name, as in the IDL.
    fn service_name(&self) -> &'static str;

    /// Handles one request.
    fn process(&self, request: Request) -> Result<Reply>;
}

/// An uninhabited type: the declared exceptions of a function that declares none.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum NoException {}

impl fmt::Display for NoException {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {}
    }
}

impl std::error::Error for NoException {}

impl Exceptions for NoException {
    fn encode_field<W: ProtocolWriter + ?Sized>(&self, _: &mut W) -> Result<()> {
        match *self {}
    }

    fn decode_field<R: ProtocolReader + ?Sized>(_: &mut R, _: FieldHeader) -> Result<Option<Self>> {
        Ok(None)
    }
}

/// The exceptions a function declares, as the fields of its result struct that hold
/// them (generated code implements it for each function's exception enum).
pub trait Exceptions: Sized + Send + 'static {
    /// Writes the exception as its field of the result struct.
    fn encode_field<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()>;

    /// Reads the exception if `field` is one of the declared ones; `None` leaves the
    /// field unread.
    fn decode_field<R: ProtocolReader + ?Sized>(r: &mut R, field: FieldHeader) -> Result<Option<Self>>;
}

/// What a function returns: a value, which travels as field 0 (`success`) of the result
/// struct, or nothing (`()`, for `void`).
pub trait ReturnValue: Sized + Send + 'static {
    /// Writes the value as field 0.
    fn encode_success<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()>;

    /// Reads the value if `field` holds it; `None` leaves the field unread.
    fn decode_success<R: ProtocolReader + ?Sized>(r: &mut R, field: FieldHeader) -> Result<Option<Self>>;

    /// The value of a result struct without fields: `()` for `void`, else none.
    fn absent() -> Option<Self>;
}

impl<T: Encode + Decode + Send + 'static> ReturnValue for T {
    #[inline]
    fn encode_success<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_field_begin("success", <T as Encode>::TTYPE, 0)?;
        self.encode(w)?;
        w.write_field_end()
    }

    #[inline]
    fn decode_success<R: ProtocolReader + ?Sized>(r: &mut R, field: FieldHeader) -> Result<Option<Self>> {
        if field.id == 0 && field.ttype == <T as Decode>::TTYPE {
            T::decode(r).map(Some).map_err(|e| e.in_field("result", "success"))
        } else {
            Ok(None)
        }
    }

    fn absent() -> Option<Self> {
        None
    }
}

impl ReturnValue for () {
    fn encode_success<W: ProtocolWriter + ?Sized>(&self, _: &mut W) -> Result<()> {
        Ok(())
    }

    fn decode_success<R: ProtocolReader + ?Sized>(_: &mut R, _: FieldHeader) -> Result<Option<Self>> {
        Ok(None)
    }

    fn absent() -> Option<Self> {
        Some(())
    }
}

/// A function's result struct: the value, or one of its declared exceptions.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome<T, E>(pub std::result::Result<T, E>);

impl<T: ReturnValue, E: Exceptions> Outcome<T, E> {
    /// Reads a result struct; `None` when it holds neither a value nor a declared
    /// exception (Apache's clients call that `MISSING_RESULT`).
    pub fn decode_optional<R: ProtocolReader + ?Sized>(r: &mut R) -> Result<Option<Self>> {
        let mut outcome = None;
        r.read_struct_begin()?;
        loop {
            let field = r.read_field_begin()?;
            if field.ttype == TType::Stop {
                break;
            }
            if let Some(value) = T::decode_success(r, field)? {
                outcome = Some(Outcome(Ok(value)));
            } else if let Some(e) = E::decode_field(r, field)? {
                outcome = Some(Outcome(Err(e)));
            } else {
                r.skip(field.ttype)?;
            }
            r.read_field_end()?;
        }
        r.read_struct_end()?;
        Ok(outcome.or_else(|| T::absent().map(|v| Outcome(Ok(v)))))
    }
}

impl<T: ReturnValue, E: Exceptions> Encode for Outcome<T, E> {
    const TTYPE: TType = TType::Struct;

    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_struct_begin("result")?;
        match &self.0 {
            Ok(value) => value.encode_success(w)?,
            Err(e) => e.encode_field(w)?,
        }
        w.write_field_stop()?;
        w.write_struct_end()
    }
}

impl<T: ReturnValue, E: Exceptions> Decode for Outcome<T, E> {
    const TTYPE: TType = TType::Struct;

    fn decode<R: ProtocolReader + ?Sized>(r: &mut R) -> Result<Self> {
        Outcome::decode_optional(r)?.ok_or_else(|| {
            Error::new(ErrorKind::MissingField, "the result holds neither a value nor an exception")
        })
    }
}

/// The error type of a handler method: [`ApplicationException`] for a function without
/// declared exceptions, [`ServerError`] for one with some.
pub trait HandlerError: Send {
    /// The declared exceptions.
    type Exception: Exceptions;

    /// As a [`ServerError`].
    fn into_server_error(self) -> ServerError<Self::Exception>;
}

impl HandlerError for ApplicationException {
    type Exception = NoException;

    fn into_server_error(self) -> ServerError<NoException> {
        ServerError::Application(self)
    }
}

impl<E: Exceptions> HandlerError for ServerError<E> {
    type Exception = E;

    fn into_server_error(self) -> ServerError<E> {
        self
    }
}

/// Serves one call: decodes the arguments `A`, calls `handler` with them and encodes
/// its outcome. Arguments that do not decode get a `PROTOCOL_ERROR` reply.
pub async fn serve<A, T, X, F>(request: &Request, handler: impl FnOnce(A) -> F) -> Result<Reply>
where
    A: Decode,
    T: ReturnValue,
    X: HandlerError,
    F: Future<Output = std::result::Result<T, X>>,
{
    match request.decode_args::<A>() {
        Ok(args) => request.respond(handler(args).await),
        Err(e) => request.protocol_error(&e),
    }
}

/// Serves one call of a `oneway` function: no reply, whatever happens.
pub async fn serve_oneway<A, X, F>(request: &Request, handler: impl FnOnce(A) -> F) -> Result<Reply>
where
    A: Decode,
    F: Future<Output = std::result::Result<(), X>>,
{
    if let Ok(args) = request.decode_args::<A>() {
        // Nobody waits for the outcome.
        let _ = handler(args).await;
    }
    Ok(Reply::None)
}

/// [`serve`] for blocking handlers.
pub fn serve_blocking<A, T, X>(
    request: &Request,
    handler: impl FnOnce(A) -> std::result::Result<T, X>,
) -> Result<Reply>
where
    A: Decode,
    T: ReturnValue,
    X: HandlerError,
{
    match request.decode_args::<A>() {
        Ok(args) => request.respond(handler(args)),
        Err(e) => request.protocol_error(&e),
    }
}

/// [`serve_oneway`] for blocking handlers.
pub fn serve_oneway_blocking<A, X>(
    request: &Request,
    handler: impl FnOnce(A) -> std::result::Result<(), X>,
) -> Result<Reply>
where
    A: Decode,
{
    if let Ok(args) = request.decode_args::<A>() {
        let _ = handler(args);
    }
    Ok(Reply::None)
}

/// The error of a handler: one of the function's declared exceptions, which reaches the
/// client typed, or anything else, which reaches it as a `TApplicationException`.
#[derive(Debug)]
pub enum ServerError<E> {
    /// A declared exception.
    Exception(E),
    /// Anything else.
    Application(ApplicationException),
}

impl<E> From<ApplicationException> for ServerError<E> {
    fn from(e: ApplicationException) -> Self {
        ServerError::Application(e)
    }
}

impl<E: fmt::Display> fmt::Display for ServerError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServerError::Exception(e) => e.fmt(f),
            ServerError::Application(e) => e.fmt(f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for ServerError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ServerError::Exception(e) => Some(e),
            ServerError::Application(e) => Some(e),
        }
    }
}

/// The error of a client call.
#[derive(Debug)]
#[non_exhaustive]
pub enum ClientError<E = NoException> {
    /// One of the function's declared exceptions.
    Exception(E),
    /// The server answered with a `TApplicationException`.
    Application(ApplicationException),
    /// A reply that could not be decoded, or a request that could not be encoded.
    Protocol(Error),
    /// The message could not be carried (connection refused or lost, timeout).
    Transport(Box<dyn std::error::Error + Send + Sync>),
}

impl<E> ClientError<E> {
    /// Turns the declared exception into another type (for a method's own enum).
    pub fn map_exception<F>(self, f: impl FnOnce(E) -> F) -> ClientError<F> {
        match self {
            ClientError::Exception(e) => ClientError::Exception(f(e)),
            ClientError::Application(e) => ClientError::Application(e),
            ClientError::Protocol(e) => ClientError::Protocol(e),
            ClientError::Transport(e) => ClientError::Transport(e),
        }
    }
}

impl ClientError<NoException> {
    /// A call error of a function without declared exceptions, as one with some.
    pub fn widen<F>(self) -> ClientError<F> {
        self.map_exception(|e| match e {})
    }
}

impl<E> From<Error> for ClientError<E> {
    fn from(e: Error) -> Self {
        ClientError::Protocol(e)
    }
}

impl<E> From<ApplicationException> for ClientError<E> {
    fn from(e: ApplicationException) -> Self {
        ClientError::Application(e)
    }
}

impl<E: fmt::Display> fmt::Display for ClientError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Exception(e) => write!(f, "the server threw {e}"),
            ClientError::Application(e) => e.fmt(f),
            ClientError::Protocol(e) => e.fmt(f),
            ClientError::Transport(e) => write!(f, "transport error: {e}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for ClientError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ClientError::Exception(e) => Some(e),
            ClientError::Application(e) => Some(e),
            ClientError::Protocol(e) => Some(e),
            ClientError::Transport(e) => Some(e.as_ref()),
        }
    }
}

/// Carries calls of generated clients (async). Transports implement it.
pub trait Channel: Send + Sync {
    /// Calls `method` with `args` and returns its value or declared exception. An
    /// `EXCEPTION` reply is [`ClientError::Application`].
    fn call<A, T, E>(
        &self,
        method: &'static str,
        args: &A,
    ) -> impl Future<Output = Result<T, ClientError<E>>> + Send
    where
        A: Encode + Sync,
        T: ReturnValue,
        E: Exceptions;

    /// Sends a oneway call of `method` with `args`.
    fn oneway<A>(
        &self,
        method: &'static str,
        args: &A,
    ) -> impl Future<Output = Result<(), ClientError>> + Send
    where
        A: Encode + Sync;
}

/// Carries calls of generated blocking clients. Transports implement it.
pub trait BlockingChannel: Send + Sync {
    /// Calls `method` with `args` and returns its value or declared exception.
    fn call<A: Encode, T: ReturnValue, E: Exceptions>(
        &self,
        method: &'static str,
        args: &A,
    ) -> Result<T, ClientError<E>>;

    /// Sends a oneway call.
    fn oneway<A: Encode>(&self, method: &'static str, args: &A) -> Result<(), ClientError>;
}

/// Encodes calls and decodes replies for a channel: what every transport's channel
/// does around its I/O. It numbers calls, checks that a reply answers its call, and turns
/// `EXCEPTION` replies into errors.
#[derive(Debug)]
pub struct CallCodec {
    protocol: Protocol,
    service: Option<String>,
    limits: Limits,
    seq: AtomicI32,
}

impl CallCodec {
    /// A codec for `protocol`, multiplexed to `service` when given.
    pub fn new(protocol: Protocol, service: Option<String>, limits: Limits) -> CallCodec {
        CallCodec { protocol, service, limits, seq: AtomicI32::new(0) }
    }

    /// The protocol.
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// Encodes a call; returns its sequence id.
    pub fn encode_call<A: Encode + ?Sized>(
        &self,
        method: &str,
        oneway: bool,
        args: &A,
        out: &mut Vec<u8>,
    ) -> Result<i32> {
        let seq = self.seq.fetch_add(1, Ordering::Relaxed).wrapping_add(1);
        let kind = if oneway { MessageType::Oneway } else { MessageType::Call };
        write_message(self.protocol, self.service.as_deref(), (method, kind, seq), args, out)?;
        Ok(seq)
    }

    /// Encodes a call framed as `format` says (a zlib stream is the connection's, not
    /// the call's), in one buffer: a framed call's length is written in front of it
    /// afterwards. Returns its sequence id.
    pub fn encode_framed<A: Encode + ?Sized>(
        &self,
        format: WireFormat,
        method: &str,
        oneway: bool,
        args: &A,
    ) -> Result<(i32, Vec<u8>)> {
        let mut out = Vec::with_capacity(256);
        match format.framing {
            Framing::Unframed => {
                let seq = self.encode_call(method, oneway, args, &mut out)?;
                Ok((seq, out))
            }
            Framing::Framed => {
                out.extend_from_slice(&[0; 4]);
                let seq = self.encode_call(method, oneway, args, &mut out)?;
                let len = out.len() - 4;
                check_frame_len(len, &self.limits)?;
                out[..4].copy_from_slice(&(len as u32).to_be_bytes());
                Ok((seq, out))
            }
            Framing::Header => {
                let seq = self.encode_call(method, oneway, args, &mut out)?;
                let mut framed = Vec::with_capacity(out.len() + 32);
                format.encode_frame(&out, &mut framed, &self.limits)?;
                Ok((seq, framed))
            }
        }
    }

    /// Decodes the reply to call `seq` of `method`: its value or declared exception, or
    /// the `TApplicationException` it carries.
    pub fn decode_reply<T: ReturnValue, E: Exceptions>(
        &self,
        method: &str,
        seq: i32,
        reply: &[u8],
    ) -> Result<T, ClientError<E>> {
        // One pass, monomorphised per protocol: the result is the hot part of a reply.
        match self.protocol {
            Protocol::Binary => read_reply(&mut BinaryReader::with_limits(reply, self.limits), method, seq),
            Protocol::Compact => read_reply(&mut CompactReader::with_limits(reply, self.limits), method, seq),
            Protocol::Json => read_reply(&mut JsonReader::with_limits(reply, self.limits), method, seq),
        }
    }
}

/// Reads the reply to call `seq` of `method`, envelope and result.
fn read_reply<R: ProtocolReader, T: ReturnValue, E: Exceptions>(
    r: &mut R,
    method: &str,
    seq: i32,
) -> Result<T, ClientError<E>> {
    let header = r.read_message_begin()?;
    if header.seq != seq {
        return Err(ClientError::Application(ApplicationException::new(
            ApplicationExceptionKind::BadSequenceId,
            format!("reply has sequence id {}, the call {seq}", header.seq),
        )));
    }
    match header.kind {
        MessageType::Exception => {
            let e = ApplicationException::decode(r)?;
            r.read_message_end()?;
            Err(ClientError::Application(e))
        }
        MessageType::Reply => {
            if header.name != method {
                return Err(ClientError::Application(ApplicationException::new(
                    ApplicationExceptionKind::WrongMethodName,
                    format!("reply for `{}` to a call of `{method}`", header.name),
                )));
            }
            let outcome = Outcome::<T, E>::decode_optional(r)?;
            r.read_message_end()?;
            match outcome {
                Some(Outcome(Ok(value))) => Ok(value),
                Some(Outcome(Err(e))) => Err(ClientError::Exception(e)),
                None => Err(ClientError::Application(ApplicationException::new(
                    ApplicationExceptionKind::MissingResult,
                    format!("{method} failed: unknown result"),
                ))),
            }
        }
        other => Err(ClientError::Protocol(Error::new(
            ErrorKind::InvalidData,
            format!("a {other:?} message where a reply was expected"),
        ))),
    }
}

/// A channel that hands calls straight to a processor in memory, through the full
/// encode and decode of `protocol`: for tests, and for calling a service in-process.
#[derive(Debug)]
pub struct Loopback<P> {
    processor: P,
    codec: CallCodec,
}

impl<P> Loopback<P> {
    /// Calls `processor` in `protocol`.
    pub fn new(processor: P, protocol: Protocol) -> Loopback<P> {
        Loopback { processor, codec: CallCodec::new(protocol, None, Limits::default()) }
    }

    /// The processor called.
    pub fn processor(&self) -> &P {
        &self.processor
    }

    fn request<E>(&self, message: Vec<u8>) -> Result<Request, ClientError<E>> {
        Ok(Request::new(self.codec.protocol, Bytes::from(message), Limits::default())?)
    }
}

impl<P: Processor> Channel for Loopback<P> {
    async fn call<A, T, E>(&self, method: &'static str, args: &A) -> Result<T, ClientError<E>>
    where
        A: Encode + Sync,
        T: ReturnValue,
        E: Exceptions,
    {
        let mut out = Vec::new();
        let seq = self.codec.encode_call(method, false, args, &mut out)?;
        let request = self.request(out)?;
        match self.processor.process(request).await? {
            Reply::Message(reply) => self.codec.decode_reply(method, seq, &reply),
            Reply::None => Err(ClientError::Protocol(Error::invalid("no reply to a call"))),
        }
    }

    async fn oneway<A>(&self, method: &'static str, args: &A) -> Result<(), ClientError>
    where
        A: Encode + Sync,
    {
        let mut out = Vec::new();
        self.codec.encode_call(method, true, args, &mut out)?;
        let request = self.request(out)?;
        self.processor.process(request).await?;
        Ok(())
    }
}

/// A blocking channel that hands calls straight to a blocking processor.
#[derive(Debug)]
pub struct BlockingLoopback<P> {
    processor: P,
    codec: CallCodec,
}

impl<P> BlockingLoopback<P> {
    /// Calls `processor` in `protocol`.
    pub fn new(processor: P, protocol: Protocol) -> BlockingLoopback<P> {
        BlockingLoopback { processor, codec: CallCodec::new(protocol, None, Limits::default()) }
    }

    /// The processor called.
    pub fn processor(&self) -> &P {
        &self.processor
    }
}

impl<P: BlockingProcessor> BlockingChannel for BlockingLoopback<P> {
    fn call<A: Encode, T: ReturnValue, E: Exceptions>(
        &self,
        method: &'static str,
        args: &A,
    ) -> Result<T, ClientError<E>> {
        let mut out = Vec::new();
        let seq = self.codec.encode_call(method, false, args, &mut out)?;
        let request = Request::new(self.codec.protocol, Bytes::from(out), Limits::default())?;
        match self.processor.process(request)? {
            Reply::Message(reply) => self.codec.decode_reply(method, seq, &reply),
            Reply::None => Err(ClientError::Protocol(Error::invalid("no reply to a call"))),
        }
    }

    fn oneway<A: Encode>(&self, method: &'static str, args: &A) -> Result<(), ClientError> {
        let mut out = Vec::new();
        self.codec.encode_call(method, true, args, &mut out)?;
        let request = Request::new(self.codec.protocol, Bytes::from(out), Limits::default())?;
        self.processor.process(request)?;
        Ok(())
    }
}
