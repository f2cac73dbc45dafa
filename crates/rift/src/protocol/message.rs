//! Messages: the envelope of calls and replies, and `TApplicationException`, the error a
//! server sends instead of a reply.

use std::fmt;

use crate::error::{Error, Result};
use crate::protocol::{MessageType, TType};
use crate::protocol::{ProtocolReader, ProtocolWriter};
use crate::value::{Decode, Encode};

/// The type codes of `TApplicationException`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApplicationExceptionKind {
    /// 0: anything else.
    Unknown,
    /// 1: the server has no such method.
    UnknownMethod,
    /// 2: a message of a kind the receiver does not expect.
    InvalidMessageType,
    /// 3: a reply for another method than the call.
    WrongMethodName,
    /// 4: a reply with another sequence id than the call.
    BadSequenceId,
    /// 5: a reply without a result.
    MissingResult,
    /// 6: the handler failed (or panicked).
    InternalError,
    /// 7: the request could not be decoded.
    ProtocolError,
    /// 8: an unknown header transform.
    InvalidTransform,
    /// 9: an unknown protocol.
    InvalidProtocol,
    /// 10: a client type the server does not accept.
    UnsupportedClientType,
    /// A code this library does not know, kept as received.
    Other(i32),
}

impl ApplicationExceptionKind {
    /// The kind with this code.
    pub fn from_code(code: i32) -> ApplicationExceptionKind {
        use ApplicationExceptionKind::*;
        match code {
            0 => Unknown,
            1 => UnknownMethod,
            2 => InvalidMessageType,
            3 => WrongMethodName,
            4 => BadSequenceId,
            5 => MissingResult,
            6 => InternalError,
            7 => ProtocolError,
            8 => InvalidTransform,
            9 => InvalidProtocol,
            10 => UnsupportedClientType,
            other => Other(other),
        }
    }

    /// The code on the wire.
    pub fn code(self) -> i32 {
        use ApplicationExceptionKind::*;
        match self {
            Unknown => 0,
            UnknownMethod => 1,
            InvalidMessageType => 2,
            WrongMethodName => 3,
            BadSequenceId => 4,
            MissingResult => 5,
            InternalError => 6,
            ProtocolError => 7,
            InvalidTransform => 8,
            InvalidProtocol => 9,
            UnsupportedClientType => 10,
            Other(code) => code,
        }
    }
}

/// Apache Thrift's `TApplicationException`: `struct { 1: string message, 2: i32 type }`,
/// sent in an `EXCEPTION` message when a call fails outside the IDL's own exceptions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplicationException {
    /// What went wrong, for people.
    pub message: String,
    /// What went wrong, for programs.
    pub kind: ApplicationExceptionKind,
}

impl ApplicationException {
    /// A new exception.
    pub fn new(kind: ApplicationExceptionKind, message: impl Into<String>) -> ApplicationException {
        ApplicationException { message: message.into(), kind }
    }

    /// `UNKNOWN_METHOD` for `method`, worded as Apache's servers word it.
    pub fn unknown_method(method: &str) -> ApplicationException {
        ApplicationException::new(
            ApplicationExceptionKind::UnknownMethod,
            format!("Unknown function {method}"),
        )
    }
}

impl fmt::Display for ApplicationException {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "application exception {:?}: {}", self.kind, self.message)
    }
}

impl std::error::Error for ApplicationException {}

impl Encode for ApplicationException {
    const TTYPE: TType = TType::Struct;

    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_struct_begin("TApplicationException")?;
        w.write_field_begin("message", TType::String, 1)?;
        w.write_string(&self.message)?;
        w.write_field_end()?;
        w.write_field_begin("type", TType::I32, 2)?;
        w.write_i32(self.kind.code())?;
        w.write_field_end()?;
        w.write_field_stop()?;
        w.write_struct_end()
    }
}

impl Decode for ApplicationException {
    const TTYPE: TType = TType::Struct;

    fn decode<R: ProtocolReader + ?Sized>(r: &mut R) -> Result<Self> {
        let mut message = String::new();
        let mut kind = ApplicationExceptionKind::Unknown;
        r.read_struct_begin()?;
        loop {
            let field = r.read_field_begin()?;
            match (field.id, field.ttype) {
                (_, TType::Stop) => break,
                (1, TType::String) => {
                    message = r.read_string().map_err(|e| e.in_field("TApplicationException", "message"))?
                }
                (2, TType::I32) => {
                    kind = ApplicationExceptionKind::from_code(
                        r.read_i32().map_err(|e| e.in_field("TApplicationException", "type"))?,
                    )
                }
                (_, ttype) => r.skip(ttype)?,
            }
            r.read_field_end()?;
        }
        r.read_struct_end()?;
        Ok(ApplicationException { message, kind })
    }
}

/// Writes a whole message: envelope, body, end.
pub fn write_message<W: ProtocolWriter + ?Sized, T: Encode + ?Sized>(
    w: &mut W,
    name: &str,
    kind: MessageType,
    seq: i32,
    body: &T,
) -> Result<()> {
    w.write_message_begin(name, kind, seq)?;
    body.encode(w)?;
    w.write_message_end()
}

/// Writes an `EXCEPTION` message carrying `exception`.
pub fn write_exception<W: ProtocolWriter + ?Sized>(
    w: &mut W,
    name: &str,
    seq: i32,
    exception: &ApplicationException,
) -> Result<()> {
    write_message(w, name, MessageType::Exception, seq, exception)
}

/// Reads the body of a message whose envelope was read, and its end.
pub fn read_body<R: ProtocolReader + ?Sized, T: Decode>(r: &mut R) -> Result<T> {
    let body = T::decode(r)?;
    r.read_message_end()?;
    Ok(body)
}

/// Skips the body of a message whose envelope was read (an unknown method's arguments).
pub fn skip_body<R: ProtocolReader + ?Sized>(r: &mut R) -> Result<()> {
    r.skip(TType::Struct)?;
    r.read_message_end()
}

/// An error for a message of the wrong kind.
pub fn unexpected_message(kind: MessageType) -> Error {
    Error::invalid(format!("unexpected message of kind {kind:?}"))
}
