//! What generated code uses, under one path with absolute names, so that a user never
//! has to match rift's dependencies. Not a public API: it changes with the generator.

pub use std::collections::{BTreeMap, BTreeSet};
pub use std::future::Future;
pub use std::sync::LazyLock;

pub use bytes::Bytes;
pub use faststr::FastStr;

pub use crate::collections::{HashMap, HashSet};

pub use crate::protocol::message::{ApplicationException, ApplicationExceptionKind};
pub use crate::protocol::{ProtocolReader, ProtocolWriter};
pub use crate::service::{
    BlockingChannel, BlockingProcessor, Channel, ClientError, Exceptions, NoException, Processor, Reply,
    Request, ServerError, serve, serve_blocking, serve_oneway, serve_oneway_blocking,
};
pub use crate::value::{Decode, Encode, MapVec, SetVec, Uuid, check_elem, initial_capacity};
pub use crate::{Error, ErrorKind, FieldHeader, Result, TType};

/// Writes a field that is always present.
#[inline]
pub fn write_field<W: ProtocolWriter + ?Sized, T: Encode + ?Sized>(
    w: &mut W,
    name: &str,
    id: i16,
    value: &T,
) -> Result<()> {
    w.write_field_begin(name, T::TTYPE, id)?;
    value.encode(w)?;
    w.write_field_end()
}

/// Writes an optional field when it is set.
#[inline]
pub fn write_opt_field<W: ProtocolWriter + ?Sized, T: Encode>(
    w: &mut W,
    name: &str,
    id: i16,
    value: &Option<T>,
) -> Result<()> {
    match value {
        Some(value) => write_field(w, name, id, value),
        None => Ok(()),
    }
}

/// Reads a field's value, recording where an error happened.
#[inline]
pub fn read_field<R: ProtocolReader + ?Sized, T: Decode>(
    r: &mut R,
    ty: &'static str,
    field: &'static str,
) -> Result<T> {
    T::decode(r).map_err(|e| e.in_field(ty, field))
}

/// A required field's value, or the error that it is missing.
#[inline]
pub fn required<T>(value: Option<T>, ty: &'static str, field: &'static str) -> Result<T> {
    value.ok_or_else(|| Error::missing_field(ty, field))
}

/// An error for a union with no member set on the wire.
#[cold]
pub fn empty_union(ty: &'static str) -> Error {
    Error::new(crate::ErrorKind::InvalidValue, format!("union `{ty}` has no member set"))
}

/// An error for a union with several members set on the wire.
#[cold]
pub fn union_with_two_members(ty: &'static str) -> Error {
    Error::new(crate::ErrorKind::InvalidValue, format!("union `{ty}` has more than one member set"))
}

/// An internal error from a handler's panic or other failure, as a
/// `TApplicationException`.
pub fn internal_error(message: impl Into<String>) -> ApplicationException {
    ApplicationException::new(ApplicationExceptionKind::InternalError, message)
}
