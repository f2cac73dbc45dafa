//! The protocols: how values become bytes and back.
//!
//! Every protocol is a [`ProtocolWriter`] that appends to a `Vec<u8>` and a
//! [`ProtocolReader`] over an in-memory buffer (sans-IO: transports deliver whole
//! messages or frames, protocols never touch a socket). Generated code and the value
//! traits are generic over these traits, so each protocol is compiled in, not called
//! through a vtable; `&mut dyn ProtocolWriter` works too, for code that picks a protocol
//! at run time.

pub mod binary;
pub mod compact;
pub mod json;
pub mod multiplexed;
pub mod simple_json;

use bytes::Bytes;

use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;
use crate::ttype::{FieldHeader, ListHeader, MapHeader, MessageHeader, MessageType, TType};

/// Writes values in one protocol.
///
/// Calls come in the order of the value: `write_struct_begin`, then for each field
/// `write_field_begin`, the value, `write_field_end`, then `write_field_stop` and
/// `write_struct_end`. Errors are limits (nesting, a collection longer than the
/// protocol can express), never I/O: output goes to memory.
pub trait ProtocolWriter {
    /// Starts a message.
    fn write_message_begin(&mut self, name: &str, kind: MessageType, seq: i32) -> Result<()>;
    /// Ends a message.
    fn write_message_end(&mut self) -> Result<()>;
    /// Starts a struct (also unions, exceptions, and the arguments and result of calls).
    fn write_struct_begin(&mut self, name: &str) -> Result<()>;
    /// Ends a struct.
    fn write_struct_end(&mut self) -> Result<()>;
    /// Starts a field.
    fn write_field_begin(&mut self, name: &str, ttype: TType, id: i16) -> Result<()>;
    /// Ends a field.
    fn write_field_end(&mut self) -> Result<()>;
    /// Marks the end of a struct's fields.
    fn write_field_stop(&mut self) -> Result<()>;
    /// Writes a `bool`.
    fn write_bool(&mut self, value: bool) -> Result<()>;
    /// Writes an `i8`.
    fn write_i8(&mut self, value: i8) -> Result<()>;
    /// Writes an `i16`.
    fn write_i16(&mut self, value: i16) -> Result<()>;
    /// Writes an `i32`.
    fn write_i32(&mut self, value: i32) -> Result<()>;
    /// Writes an `i64`.
    fn write_i64(&mut self, value: i64) -> Result<()>;
    /// Writes a `double`.
    fn write_double(&mut self, value: f64) -> Result<()>;
    /// Writes a `string`.
    fn write_string(&mut self, value: &str) -> Result<()>;
    /// Writes a `binary`.
    fn write_binary(&mut self, value: &[u8]) -> Result<()>;
    /// Writes a `uuid` (16 bytes in network order).
    fn write_uuid(&mut self, value: &[u8; 16]) -> Result<()>;
    /// Starts a list of `len` elements of type `elem`.
    fn write_list_begin(&mut self, elem: TType, len: usize) -> Result<()>;
    /// Ends a list.
    fn write_list_end(&mut self) -> Result<()>;
    /// Starts a set.
    fn write_set_begin(&mut self, elem: TType, len: usize) -> Result<()>;
    /// Ends a set.
    fn write_set_end(&mut self) -> Result<()>;
    /// Starts a map.
    fn write_map_begin(&mut self, key: TType, value: TType, len: usize) -> Result<()>;
    /// Ends a map.
    fn write_map_end(&mut self) -> Result<()>;

    /// Writes the elements of a list or set of `i32`; protocols with fixed-width
    /// integers write them in one go.
    #[inline]
    fn write_i32_elements(&mut self, values: &[i32]) -> Result<()> {
        values.iter().try_for_each(|v| self.write_i32(*v))
    }

    /// Writes the elements of a list or set of `i64`.
    #[inline]
    fn write_i64_elements(&mut self, values: &[i64]) -> Result<()> {
        values.iter().try_for_each(|v| self.write_i64(*v))
    }

    /// Writes the elements of a list or set of `double`.
    #[inline]
    fn write_double_elements(&mut self, values: &[f64]) -> Result<()> {
        values.iter().try_for_each(|v| self.write_double(*v))
    }
}

/// Reads values in one protocol from an in-memory buffer.
///
/// Every length is checked against the [`Limits`] and the bytes that remain before
/// anything is allocated; struct nesting is counted in `read_struct_begin` (and every
/// level of [`ProtocolReader::skip`]) and bounded by the depth limit;
/// strings are checked to be UTF-8. When the input ends early the error is
/// [`ErrorKind::UnexpectedEof`], so a stream reader knows to wait for more bytes.
pub trait ProtocolReader {
    /// Reads a message envelope.
    fn read_message_begin(&mut self) -> Result<MessageHeader>;
    /// Ends a message.
    fn read_message_end(&mut self) -> Result<()>;
    /// Starts a struct.
    fn read_struct_begin(&mut self) -> Result<()>;
    /// Ends a struct.
    fn read_struct_end(&mut self) -> Result<()>;
    /// Reads a field header; its `ttype` is `Stop` after the last field.
    fn read_field_begin(&mut self) -> Result<FieldHeader>;
    /// Ends a field.
    fn read_field_end(&mut self) -> Result<()>;
    /// Reads a `bool`.
    fn read_bool(&mut self) -> Result<bool>;
    /// Reads an `i8`.
    fn read_i8(&mut self) -> Result<i8>;
    /// Reads an `i16`.
    fn read_i16(&mut self) -> Result<i16>;
    /// Reads an `i32`.
    fn read_i32(&mut self) -> Result<i32>;
    /// Reads an `i64`.
    fn read_i64(&mut self) -> Result<i64>;
    /// Reads a `double`.
    fn read_double(&mut self) -> Result<f64>;
    /// Reads a `string`, checked to be UTF-8.
    fn read_string(&mut self) -> Result<String>;
    /// Reads a `binary`.
    fn read_binary(&mut self) -> Result<Vec<u8>>;
    /// Reads a `binary` as `Bytes`: a slice of the input, without copying, when the
    /// reader was made from `Bytes`.
    fn read_bytes(&mut self) -> Result<Bytes> {
        self.read_binary().map(Bytes::from)
    }
    /// Reads a `uuid`.
    fn read_uuid(&mut self) -> Result<[u8; 16]>;
    /// Starts a list.
    fn read_list_begin(&mut self) -> Result<ListHeader>;
    /// Ends a list.
    fn read_list_end(&mut self) -> Result<()>;
    /// Starts a set.
    fn read_set_begin(&mut self) -> Result<ListHeader>;
    /// Ends a set.
    fn read_set_end(&mut self) -> Result<()>;
    /// Starts a map.
    fn read_map_begin(&mut self) -> Result<MapHeader>;
    /// Ends a map.
    fn read_map_end(&mut self) -> Result<()>;

    /// Reads `len` elements of a list or set of `i32` (after its header) into `out`;
    /// protocols with fixed-width integers read them in one go.
    #[inline]
    fn read_i32_elements(&mut self, len: usize, out: &mut Vec<i32>) -> Result<()> {
        for _ in 0..len {
            out.push(self.read_i32()?);
        }
        Ok(())
    }

    /// Reads `len` elements of a list or set of `i64` into `out`.
    #[inline]
    fn read_i64_elements(&mut self, len: usize, out: &mut Vec<i64>) -> Result<()> {
        for _ in 0..len {
            out.push(self.read_i64()?);
        }
        Ok(())
    }

    /// Reads `len` elements of a list or set of `double` into `out`.
    #[inline]
    fn read_double_elements(&mut self, len: usize, out: &mut Vec<f64>) -> Result<()> {
        for _ in 0..len {
            out.push(self.read_double()?);
        }
        Ok(())
    }

    /// Reads and discards a `string` or `binary` without looking at its content.
    fn skip_binary(&mut self) -> Result<()> {
        self.read_bytes().map(drop)
    }

    /// How deeply [`ProtocolReader::skip`] follows nested values (structs and
    /// collections alike): the reader's depth limit.
    fn max_skip_depth(&self) -> usize {
        Limits::DEFAULT_MAX_DEPTH
    }

    /// Reads and discards one value of type `ttype`, whatever it contains. Every level
    /// of nesting counts against [`ProtocolReader::max_skip_depth`].
    fn skip(&mut self, ttype: TType) -> Result<()> {
        skip(self, ttype)
    }
}

/// Reads and discards a value; what [`ProtocolReader::skip`] does.
pub fn skip<R: ProtocolReader + ?Sized>(r: &mut R, ttype: TType) -> Result<()> {
    let max = r.max_skip_depth();
    skip_nested(r, ttype, max)
}

fn skip_nested<R: ProtocolReader + ?Sized>(r: &mut R, ttype: TType, levels: usize) -> Result<()> {
    let nested = matches!(ttype, TType::Struct | TType::List | TType::Set | TType::Map);
    if nested && levels == 0 {
        return Err(Error::new(ErrorKind::DepthLimit, "skipped values nest deeper than the depth limit"));
    }
    let skip = |r: &mut R, t: TType| skip_nested(r, t, levels - 1);
    match ttype {
        TType::Bool => r.read_bool().map(drop),
        TType::I8 => r.read_i8().map(drop),
        TType::I16 => r.read_i16().map(drop),
        TType::I32 => r.read_i32().map(drop),
        TType::I64 => r.read_i64().map(drop),
        TType::Double => r.read_double().map(drop),
        // Skipped strings are not checked to be UTF-8: they may be `binary`.
        TType::String => r.skip_binary(),
        TType::Uuid => r.read_uuid().map(drop),
        TType::Struct => {
            r.read_struct_begin()?;
            loop {
                let field = r.read_field_begin()?;
                if field.ttype == TType::Stop {
                    break;
                }
                skip(r, field.ttype)?;
                r.read_field_end()?;
            }
            r.read_struct_end()
        }
        TType::List => {
            let header = r.read_list_begin()?;
            for _ in 0..header.len {
                skip(r, header.elem)?;
            }
            r.read_list_end()
        }
        TType::Set => {
            let header = r.read_set_begin()?;
            for _ in 0..header.len {
                skip(r, header.elem)?;
            }
            r.read_set_end()
        }
        TType::Map => {
            let header = r.read_map_begin()?;
            for _ in 0..header.len {
                skip(r, header.key)?;
                skip(r, header.value)?;
            }
            r.read_map_end()
        }
        TType::Stop | TType::Void => Err(Error::invalid(format!("cannot skip a value of type {ttype:?}"))),
    }
}

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
