//! The in-memory input of the binary and compact readers, and the checks every length
//! read from the wire goes through before anything is reserved for it.

use bytes::Bytes;
use bytestring::ByteString;

use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;

/// Counts nesting against the depth limit.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Depth {
    current: usize,
    max: usize,
}

impl Depth {
    pub(crate) fn new(max: usize) -> Depth {
        Depth { current: 0, max }
    }

    #[inline]
    pub(crate) fn enter(&mut self) -> Result<()> {
        if self.current >= self.max {
            return Err(Error::new(
                ErrorKind::DepthLimit,
                format!("values nest deeper than the limit of {} levels", self.max),
            ));
        }
        self.current += 1;
        Ok(())
    }

    #[inline]
    pub(crate) fn leave(&mut self) {
        self.current = self.current.saturating_sub(1);
    }
}

/// An in-memory input with bounds checks, shared by the binary and compact readers.
#[derive(Debug)]
pub(crate) struct Input<'a> {
    data: &'a [u8],
    pos: usize,
    /// The `Bytes` that `data` is, for zero-copy `read_bytes`.
    owner: Option<&'a Bytes>,
}

impl<'a> Input<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Input<'a> {
        Input { data, pos: 0, owner: None }
    }

    pub(crate) fn from_bytes(bytes: &'a Bytes) -> Input<'a> {
        Input { data: bytes, pos: 0, owner: Some(bytes) }
    }

    #[inline]
    pub(crate) fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    #[inline]
    pub(crate) fn read_u8(&mut self) -> Result<u8> {
        match self.data.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => Err(Error::eof()),
        }
    }

    #[inline]
    pub(crate) fn read_array<const N: usize>(&mut self) -> Result<[u8; N]> {
        match self.data.get(self.pos..self.pos + N) {
            Some(slice) => {
                self.pos += N;
                let mut out = [0u8; N];
                out.copy_from_slice(slice);
                Ok(out)
            }
            None => Err(Error::eof()),
        }
    }

    /// The next `len` bytes, which the caller has checked against the limits.
    #[inline]
    pub(crate) fn take(&mut self, len: usize) -> Result<&'a [u8]> {
        if len > self.remaining() {
            return Err(Error::eof());
        }
        let slice = &self.data[self.pos..self.pos + len];
        self.pos += len;
        Ok(slice)
    }

    pub(crate) fn take_bytes(&mut self, len: usize) -> Result<Bytes> {
        let start = self.pos;
        let slice = self.take(len)?;
        Ok(match self.owner {
            Some(owner) => owner.slice(start..start + len),
            None => Bytes::copy_from_slice(slice),
        })
    }

    /// The next `len` bytes as a string, checked to be UTF-8 once: a slice of the input
    /// when the input is `Bytes`, a copy otherwise.
    pub(crate) fn take_text(&mut self, len: usize) -> Result<ByteString> {
        let start = self.pos;
        let slice = self.take(len)?;
        match self.owner {
            Some(owner) => ByteString::try_from(owner.slice(start..start + len)).map_err(not_utf8),
            None => std::str::from_utf8(slice).map(ByteString::from).map_err(not_utf8),
        }
    }
}

#[cold]
pub(crate) fn not_utf8(e: std::str::Utf8Error) -> Error {
    Error::invalid(format!("string is not valid UTF-8 (invalid byte at offset {})", e.valid_up_to()))
        .with_source(e)
}

/// Checks a string or binary length from the wire before it is read.
#[inline]
pub(crate) fn check_string_len(len: i64, limits: &Limits, remaining: usize) -> Result<usize> {
    if len < 0 {
        return Err(Error::new(ErrorKind::NegativeSize, format!("negative string length {len}")));
    }
    let len = len as u64;
    if len > limits.max_string_len as u64 {
        return Err(Error::new(
            ErrorKind::SizeLimit,
            format!("string of {len} bytes is longer than the limit of {}", limits.max_string_len),
        ));
    }
    if len > remaining as u64 {
        return Err(Error::new(
            ErrorKind::UnexpectedEof,
            format!("string of {len} bytes, but only {remaining} bytes remain"),
        ));
    }
    Ok(len as usize)
}

/// Checks a collection size from the wire: against the limit, and against how many
/// elements the remaining bytes can hold at `min_size` bytes each.
#[inline]
pub(crate) fn check_container_len(
    len: i64,
    min_size: usize,
    limits: &Limits,
    remaining: usize,
) -> Result<usize> {
    if len < 0 {
        return Err(Error::new(ErrorKind::NegativeSize, format!("negative collection size {len}")));
    }
    let len = len as u64;
    if len > limits.max_container_len as u64 {
        return Err(Error::new(
            ErrorKind::SizeLimit,
            format!("collection of {len} elements is larger than the limit of {}", limits.max_container_len),
        ));
    }
    let needed = len.saturating_mul(min_size as u64);
    if needed > limits.max_message_size as u64 {
        return Err(Error::new(
            ErrorKind::SizeLimit,
            format!(
                "collection of {len} elements cannot fit in a message of at most {} bytes",
                limits.max_message_size
            ),
        ));
    }
    if needed > remaining as u64 {
        return Err(Error::new(
            ErrorKind::UnexpectedEof,
            format!(
                "collection of {len} elements needs at least {needed} bytes, but only {remaining} remain"
            ),
        ));
    }
    Ok(len as usize)
}

/// Converts a collection length for writing: protocols carry sizes as `i32`.
#[inline]
pub(crate) fn len_to_i32(len: usize) -> Result<i32> {
    i32::try_from(len).map_err(|_| {
        Error::new(ErrorKind::InvalidValue, format!("a length of {len} does not fit in the protocol's i32"))
    })
}

/// Checks a string length of a value being written.
#[inline]
pub(crate) fn checked_len(len: usize) -> Result<i32> {
    len_to_i32(len)
}
