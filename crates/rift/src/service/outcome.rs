//! What a function returns and throws: result structs, declared exceptions, and the
//! errors of handlers and of calls.

use std::fmt;

use crate::error::{Error, ErrorKind, Result};
use crate::protocol::message::ApplicationException;
use crate::protocol::{FieldHeader, ProtocolReader, ProtocolWriter, TType};
use crate::value::{Decode, Encode};

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

impl<E> ClientError<E> {
    /// The errors of a transport failure, outermost first: the boxed error, and what it
    /// wraps (an `io::Error`'s inner error included, which `source` skips).
    fn transport_chain(&self) -> impl Iterator<Item = &(dyn std::error::Error + 'static)> {
        let first: Option<&(dyn std::error::Error + 'static)> = match self {
            ClientError::Transport(e) => Some(e.as_ref()),
            _ => None,
        };
        std::iter::successors(first, |e| match e.downcast_ref::<std::io::Error>() {
            Some(io) => io.get_ref().map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => e.source(),
        })
    }

    fn io_kinds(&self) -> impl Iterator<Item = std::io::ErrorKind> + '_ {
        self.transport_chain().filter_map(|e| e.downcast_ref::<std::io::Error>()).map(std::io::Error::kind)
    }

    /// Whether the call failed because the server could not be reached: refused,
    /// unresolvable, unreachable, or a TLS handshake that failed (see
    /// [`crate::client::ConnectError`]).
    pub fn is_connect(&self) -> bool {
        self.transport_chain().any(|e| e.is::<crate::client::ConnectError>())
    }

    /// Whether a timeout of the client's (to connect, read, write, or the whole call)
    /// passed. Timeouts of `tower` layers are their own error types.
    pub fn is_timeout(&self) -> bool {
        self.io_kinds().any(|k| matches!(k, std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock))
    }

    /// Whether the reply could not be read as a message of the client's protocol and
    /// transport: bytes the codec or the framing refused, as a server answering in
    /// another protocol (or not speaking Thrift at all) sends.
    pub fn is_unreadable(&self) -> bool {
        matches!(self, ClientError::Protocol(_))
            || self.io_kinds().any(|k| k == std::io::ErrorKind::InvalidData)
    }

    /// Whether the connection was closed under the call: by the server (before or in
    /// the middle of its reply) or reset.
    pub fn is_closed(&self) -> bool {
        use std::io::ErrorKind as K;
        !self.is_connect()
            && self.io_kinds().any(|k| {
                matches!(
                    k,
                    K::UnexpectedEof
                        | K::ConnectionReset
                        | K::ConnectionAborted
                        | K::BrokenPipe
                        | K::NotConnected
                )
            })
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
