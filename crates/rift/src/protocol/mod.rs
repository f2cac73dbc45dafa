//! The protocols: how values become bytes and back.
//!
//! Every protocol is a [`ProtocolWriter`] that appends to a `Vec<u8>` and a
//! [`ProtocolReader`] over an in-memory buffer (sans-IO: transports deliver whole
//! messages or frames, protocols never touch a socket). Generated code and the value
//! traits are generic over these traits, so each protocol is compiled in, not called
//! through a vtable; `&mut dyn ProtocolWriter` works too, for code that picks a protocol
//! at run time. [`Protocol`] names the ones that can be chosen at run time.

pub mod binary;
pub mod compact;
mod input;
pub mod json;
pub mod message;
pub mod multiplexed;
pub mod simple_json;
mod skip;
mod ttype;

use std::fmt;
use std::str::FromStr;

use bytes::Bytes;
use faststr::FastStr;

pub(crate) use input::{Depth, Input, check_container_len, check_string_len, checked_len, len_to_i32};
pub use skip::skip;
pub use ttype::{FieldHeader, ListHeader, MapHeader, MessageHeader, MessageType, TType};

use crate::error::Result;
use crate::limits::Limits;

/// The protocols that can be chosen at run time.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// The binary protocol (strict).
    Binary,
    /// The compact protocol.
    Compact,
    /// TJSONProtocol.
    Json,
}

impl FromStr for Protocol {
    type Err = String;

    /// `binary`, `compact` or `json`, as in Apache's cross test.
    fn from_str(s: &str) -> std::result::Result<Protocol, String> {
        match s {
            "binary" => Ok(Protocol::Binary),
            "compact" => Ok(Protocol::Compact),
            "json" => Ok(Protocol::Json),
            other => Err(format!("unknown protocol `{other}` (binary, compact, json, header)")),
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Protocol::Binary => "binary",
            Protocol::Compact => "compact",
            Protocol::Json => "json",
        })
    }
}

/// Runs `$body` with `$r` bound to a reader of `$protocol` made by `$ctor` (`with_limits`
/// over a `&[u8]`, or `from_bytes` over a `&Bytes` for zero-copy reads), monomorphised per
/// protocol.
macro_rules! with_reader {
    ($protocol:expr, $ctor:ident($($arg:expr),*), |$r:ident| $body:expr) => {
        match $protocol {
            $crate::protocol::Protocol::Binary => {
                let $r = &mut $crate::protocol::binary::BinaryReader::$ctor($($arg),*);
                $body
            }
            $crate::protocol::Protocol::Compact => {
                let $r = &mut $crate::protocol::compact::CompactReader::$ctor($($arg),*);
                $body
            }
            $crate::protocol::Protocol::Json => {
                let $r = &mut $crate::protocol::json::JsonReader::$ctor($($arg),*);
                $body
            }
        }
    };
}
pub(crate) use with_reader;

/// Runs `$body` with `$w` bound to a writer of `$protocol` appending to `$buf`.
macro_rules! with_writer {
    ($protocol:expr, $buf:expr, |$w:ident| $body:expr) => {
        match $protocol {
            $crate::protocol::Protocol::Binary => {
                let $w = &mut $crate::protocol::binary::BinaryWriter::new($buf);
                $body
            }
            $crate::protocol::Protocol::Compact => {
                let $w = &mut $crate::protocol::compact::CompactWriter::new($buf);
                $body
            }
            $crate::protocol::Protocol::Json => {
                let $w = &mut $crate::protocol::json::JsonWriter::new($buf);
                $body
            }
        }
    };
}
pub(crate) use with_writer;

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
    /// Reads a `string` as a [`FastStr`]: a slice of the input, checked to be UTF-8
    /// and not copied, when the reader was made from `Bytes`.
    fn read_text(&mut self) -> Result<FastStr> {
        self.read_string().map(FastStr::from)
    }
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

    /// Reads and discards `len` elements of a list or set of `elem` (after its header)
    /// in one step, where the protocol can (fixed-width elements); `false` when it
    /// cannot, and nothing was read.
    fn skip_elements(&mut self, elem: TType, len: usize) -> Result<bool> {
        let _ = (elem, len);
        Ok(false)
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
