//! The client's side of a call, without I/O: encoding calls, and reading replies.

use std::sync::atomic::{AtomicI32, Ordering};

use bytes::Bytes;

use super::outcome::{ClientError, Exceptions, Outcome, ReturnValue};
use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;
use crate::protocol::binary::BinaryWriter;
use crate::protocol::compact::CompactWriter;
use crate::protocol::json::JsonWriter;
use crate::protocol::message::{ApplicationException, ApplicationExceptionKind};
use crate::protocol::multiplexed::MultiplexedWriter;
use crate::protocol::{MessageType, Protocol, ProtocolReader, ProtocolWriter, with_reader};
use crate::transport::ReplyFormat;
use crate::value::{Decode, Encode};

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
        (name, kind, seq): (&str, MessageType, i32),
        body: &T,
    ) -> Result<()> {
        match service {
            Some(service) => crate::protocol::message::write_message(
                &mut MultiplexedWriter::new(w, service),
                name,
                kind,
                seq,
                body,
            ),
            None => {
                let mut w = w;
                crate::protocol::message::write_message(&mut w, name, kind, seq, body)
            }
        }
    }
    match protocol {
        Protocol::Binary => write(BinaryWriter::new(out), service, header, body),
        Protocol::Compact => write(CompactWriter::new(out), service, header, body),
        Protocol::Json => write(JsonWriter::new(out), service, header, body),
    }
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

    /// The limits replies are read with.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Encodes a call, unframed, at the end of `out`; returns its sequence id.
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

    /// Encodes a call framed as `format` at the end of `out`, in one pass: what goes
    /// before the message is written first and its length filled in afterwards (a zlib
    /// stream is the connection's, not the call's). Returns its sequence id.
    pub fn encode_framed<A: Encode + ?Sized>(
        &self,
        format: ReplyFormat,
        method: &str,
        oneway: bool,
        args: &A,
        out: &mut Vec<u8>,
    ) -> Result<i32> {
        let start = format.begin_frame(out);
        let seq = self.encode_call(method, oneway, args, out)?;
        format.end_frame(out, start, &self.limits)?;
        Ok(seq)
    }

    /// Decodes the reply to call `seq` of `method`: its value or declared exception, or
    /// the `TApplicationException` it carries. Strings and binaries of the value may be
    /// slices of `reply`.
    pub fn decode_reply<T: ReturnValue, E: Exceptions>(
        &self,
        method: &str,
        seq: i32,
        reply: &Bytes,
    ) -> Result<T, ClientError<E>> {
        // One pass, monomorphised per protocol: the result is the hot part of a reply.
        with_reader!(self.protocol, from_bytes(reply, self.limits), |r| read_reply(r, method, seq))
    }
}

/// Reads the reply to call `seq` of `method`, envelope and result.
fn read_reply<R: ProtocolReader, T: ReturnValue, E: Exceptions>(
    r: &mut R,
    method: &str,
    seq: i32,
) -> Result<T, ClientError<E>> {
    read_reply_envelope(r, method, seq)?;
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

/// Reads the envelope of the reply to call `seq` of `method`, leaving `r` at its result
/// struct: an error for another sequence id or method, for a message that is not a
/// reply, and for an `EXCEPTION` (its `TApplicationException`, read whole). For readers
/// of results that are not generated types (the dynamic client).
pub fn read_reply_envelope<R: ProtocolReader + ?Sized, E>(
    r: &mut R,
    method: &str,
    seq: i32,
) -> Result<(), ClientError<E>> {
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
        MessageType::Reply if *header.name != *method => {
            Err(ClientError::Application(ApplicationException::new(
                ApplicationExceptionKind::WrongMethodName,
                format!("reply for `{}` to a call of `{method}`", header.name),
            )))
        }
        MessageType::Reply => Ok(()),
        other => Err(ClientError::Protocol(Error::new(
            ErrorKind::InvalidData,
            format!("a {other:?} message where a reply was expected"),
        ))),
    }
}
