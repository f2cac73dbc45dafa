//! The binary protocol: fixed-width big-endian integers, `i32` lengths.
//!
//! Messages are written strict (`0x8001_0000 | type`, name, seq); the reader takes both
//! strict and the old unversioned form (name, type byte, seq), as Apache's libraries do
//! by default.

use bytes::Bytes;
use faststr::FastStr;

use super::input::not_utf8;
use super::{
    Depth, Input, ProtocolReader, ProtocolWriter, check_container_len, check_string_len, checked_len,
    len_to_i32,
};
use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;
use crate::protocol::{FieldHeader, ListHeader, MapHeader, MessageHeader, MessageType, TType};

const VERSION_1: u32 = 0x8001_0000;
const VERSION_MASK: u32 = 0xffff_0000;

/// Writes the binary protocol into a buffer.
#[derive(Debug)]
pub struct BinaryWriter<'a> {
    buf: &'a mut Vec<u8>,
    depth: Depth,
}

impl<'a> BinaryWriter<'a> {
    /// A writer that appends to `buf`, with the default nesting limit.
    pub fn new(buf: &'a mut Vec<u8>) -> BinaryWriter<'a> {
        BinaryWriter::with_limits(buf, &Limits::default())
    }

    /// A writer with the nesting limit of `limits`.
    pub fn with_limits(buf: &'a mut Vec<u8>, limits: &Limits) -> BinaryWriter<'a> {
        BinaryWriter { buf, depth: Depth::new(limits.max_depth) }
    }

    #[inline]
    fn put_i32(&mut self, value: i32) {
        self.buf.extend_from_slice(&value.to_be_bytes());
    }
}

/// Appends fixed-width big-endian values in one pass over reserved space.
#[inline]
fn put_all<const N: usize, T: Copy>(buf: &mut Vec<u8>, values: &[T], to_bytes: impl Fn(T) -> [u8; N]) {
    let start = buf.len();
    buf.resize(start + N * values.len(), 0);
    for (chunk, v) in buf[start..].chunks_exact_mut(N).zip(values) {
        chunk.copy_from_slice(&to_bytes(*v));
    }
}

impl ProtocolWriter for BinaryWriter<'_> {
    #[inline]
    fn write_i32_elements(&mut self, values: &[i32]) -> Result<()> {
        put_all(self.buf, values, i32::to_be_bytes);
        Ok(())
    }

    #[inline]
    fn write_i64_elements(&mut self, values: &[i64]) -> Result<()> {
        put_all(self.buf, values, i64::to_be_bytes);
        Ok(())
    }

    #[inline]
    fn write_double_elements(&mut self, values: &[f64]) -> Result<()> {
        put_all(self.buf, values, |v: f64| v.to_bits().to_be_bytes());
        Ok(())
    }

    fn write_message_begin(&mut self, name: &str, kind: MessageType, seq: i32) -> Result<()> {
        self.put_i32((VERSION_1 | kind as u32) as i32);
        self.write_string(name)?;
        self.put_i32(seq);
        Ok(())
    }

    fn write_message_end(&mut self) -> Result<()> {
        Ok(())
    }

    #[inline]
    fn write_struct_begin(&mut self, _name: &str) -> Result<()> {
        self.depth.enter()
    }

    #[inline]
    fn write_struct_end(&mut self) -> Result<()> {
        self.depth.leave();
        Ok(())
    }

    #[inline]
    fn write_field_begin(&mut self, _name: &str, ttype: TType, id: i16) -> Result<()> {
        let [hi, lo] = id.to_be_bytes();
        self.buf.extend_from_slice(&[ttype.code(), hi, lo]);
        Ok(())
    }

    #[inline]
    fn write_field_end(&mut self) -> Result<()> {
        Ok(())
    }

    #[inline]
    fn write_field_stop(&mut self) -> Result<()> {
        self.buf.push(TType::Stop.code());
        Ok(())
    }

    #[inline]
    fn write_bool(&mut self, value: bool) -> Result<()> {
        self.buf.push(u8::from(value));
        Ok(())
    }

    #[inline]
    fn write_i8(&mut self, value: i8) -> Result<()> {
        self.buf.push(value as u8);
        Ok(())
    }

    #[inline]
    fn write_i16(&mut self, value: i16) -> Result<()> {
        self.buf.extend_from_slice(&value.to_be_bytes());
        Ok(())
    }

    #[inline]
    fn write_i32(&mut self, value: i32) -> Result<()> {
        self.put_i32(value);
        Ok(())
    }

    #[inline]
    fn write_i64(&mut self, value: i64) -> Result<()> {
        self.buf.extend_from_slice(&value.to_be_bytes());
        Ok(())
    }

    #[inline]
    fn write_double(&mut self, value: f64) -> Result<()> {
        self.buf.extend_from_slice(&value.to_bits().to_be_bytes());
        Ok(())
    }

    #[inline]
    fn write_string(&mut self, value: &str) -> Result<()> {
        self.write_binary(value.as_bytes())
    }

    #[inline]
    fn write_binary(&mut self, value: &[u8]) -> Result<()> {
        let len = checked_len(value.len())?;
        self.buf.reserve(4 + value.len());
        self.put_i32(len);
        self.buf.extend_from_slice(value);
        Ok(())
    }

    #[inline]
    fn write_uuid(&mut self, value: &[u8; 16]) -> Result<()> {
        self.buf.extend_from_slice(value);
        Ok(())
    }

    #[inline]
    fn write_list_begin(&mut self, elem: TType, len: usize) -> Result<()> {
        self.buf.push(elem.code());
        self.put_i32(len_to_i32(len)?);
        Ok(())
    }

    #[inline]
    fn write_list_end(&mut self) -> Result<()> {
        Ok(())
    }

    #[inline]
    fn write_set_begin(&mut self, elem: TType, len: usize) -> Result<()> {
        self.write_list_begin(elem, len)
    }

    #[inline]
    fn write_set_end(&mut self) -> Result<()> {
        self.write_list_end()
    }

    #[inline]
    fn write_map_begin(&mut self, key: TType, value: TType, len: usize) -> Result<()> {
        self.buf.push(key.code());
        self.buf.push(value.code());
        self.put_i32(len_to_i32(len)?);
        Ok(())
    }

    #[inline]
    fn write_map_end(&mut self) -> Result<()> {
        Ok(())
    }
}

/// Reads the binary protocol from memory.
#[derive(Debug)]
pub struct BinaryReader<'a> {
    input: Input<'a>,
    limits: Limits,
    depth: Depth,
    strict: bool,
}

/// The fewest bytes a value of each type takes in the binary protocol.
pub(crate) fn min_size(ttype: TType) -> usize {
    match ttype {
        TType::Stop | TType::Void => 0,
        TType::Bool | TType::I8 | TType::Struct => 1,
        TType::I16 => 2,
        TType::I32 | TType::String => 4,
        TType::I64 | TType::Double => 8,
        TType::List | TType::Set => 5,
        TType::Map => 6,
        TType::Uuid => 16,
    }
}

impl<'a> BinaryReader<'a> {
    /// A reader over `data` with the default limits.
    pub fn new(data: &'a [u8]) -> BinaryReader<'a> {
        BinaryReader::with_limits(data, Limits::default())
    }

    /// A reader over `data` with the given limits.
    pub fn with_limits(data: &'a [u8], limits: Limits) -> BinaryReader<'a> {
        BinaryReader { input: Input::new(data), depth: Depth::new(limits.max_depth), limits, strict: false }
    }

    /// A reader over `bytes`: `read_bytes` hands out slices of it without copying.
    pub fn from_bytes(bytes: &'a Bytes, limits: Limits) -> BinaryReader<'a> {
        BinaryReader {
            input: Input::from_bytes(bytes),
            depth: Depth::new(limits.max_depth),
            limits,
            strict: false,
        }
    }

    /// Rejects messages without a version header (the old unversioned form), as
    /// Apache's `strict_read` does. Default: accepted.
    #[must_use]
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// How many bytes have been read.
    pub fn position(&self) -> usize {
        self.input.position()
    }

    /// After running out of input: how long it must be for the read that failed to
    /// succeed.
    pub(crate) fn wanted(&self) -> usize {
        self.input.wanted()
    }

    /// How many bytes are left.
    pub fn remaining(&self) -> usize {
        self.input.remaining()
    }

    #[inline]
    fn get_i32(&mut self) -> Result<i32> {
        Ok(i32::from_be_bytes(self.input.read_array()?))
    }

    #[inline]
    fn string_len(&mut self) -> Result<usize> {
        let len = self.get_i32()?;
        check_string_len(i64::from(len), &self.limits, self.input.remaining())
            .map_err(|e| self.input.note_short(e, len.max(0) as usize))
    }

    /// Checks that a non-empty collection has element types that can hold values; an
    /// empty one may carry any (some writers put `Stop` there).
    #[inline]
    fn check_elem(ttype: TType, len: usize) -> Result<()> {
        if len > 0 && matches!(ttype, TType::Stop | TType::Void) {
            return Err(Error::invalid(format!("{ttype:?} is not a type of collection elements")));
        }
        Ok(())
    }

    fn list_header(&mut self) -> Result<ListHeader> {
        let elem = TType::from_code(self.input.read_u8()?)?;
        let len = self.get_i32()?;
        let min = min_size(elem);
        let len = check_container_len(i64::from(len), min, &self.limits, self.input.remaining())
            .map_err(|e| self.input.note_short(e, (len.max(0) as usize).saturating_mul(min)))?;
        Self::check_elem(elem, len)?;
        Ok(ListHeader { elem, len })
    }
}

impl ProtocolReader for BinaryReader<'_> {
    fn max_skip_depth(&self) -> usize {
        self.limits.max_depth
    }

    fn skip_elements(&mut self, elem: TType, len: usize) -> Result<bool> {
        let size = match elem {
            TType::Bool | TType::I8 => 1,
            TType::I16 => 2,
            TType::I32 => 4,
            TType::I64 | TType::Double => 8,
            TType::Uuid => 16,
            _ => return Ok(false),
        };
        self.input.take(len.saturating_mul(size))?;
        Ok(true)
    }

    #[inline]
    fn read_i32_elements(&mut self, len: usize, out: &mut Vec<i32>) -> Result<()> {
        let bytes = self.input.take(len.checked_mul(4).ok_or_else(Error::eof)?)?;
        out.extend(bytes.chunks_exact(4).map(|c| i32::from_be_bytes([c[0], c[1], c[2], c[3]])));
        Ok(())
    }

    #[inline]
    fn read_i64_elements(&mut self, len: usize, out: &mut Vec<i64>) -> Result<()> {
        let bytes = self.input.take(len.checked_mul(8).ok_or_else(Error::eof)?)?;
        out.extend(bytes.chunks_exact(8).map(|c| i64::from_be_bytes(c.try_into().expect("8 bytes"))));
        Ok(())
    }

    #[inline]
    fn read_double_elements(&mut self, len: usize, out: &mut Vec<f64>) -> Result<()> {
        let bytes = self.input.take(len.checked_mul(8).ok_or_else(Error::eof)?)?;
        out.extend(
            bytes.chunks_exact(8).map(|c| f64::from_bits(u64::from_be_bytes(c.try_into().expect("8 bytes")))),
        );
        Ok(())
    }

    fn read_message_begin(&mut self) -> Result<MessageHeader> {
        let first = self.get_i32()?;
        if first < 0 {
            let version = first as u32 & VERSION_MASK;
            if version != VERSION_1 {
                return Err(Error::new(
                    ErrorKind::BadVersion,
                    format!("bad binary protocol version {version:#010x}"),
                ));
            }
            let kind = MessageType::from_code(i64::from(first & 0xff))?;
            let name = self.read_text()?;
            let seq = self.get_i32()?;
            Ok(MessageHeader { name, kind, seq })
        } else {
            if self.strict {
                return Err(Error::new(ErrorKind::BadVersion, "message has no version header (strict read)"));
            }
            // The old form: the first word is the name's length.
            let len = check_string_len(i64::from(first), &self.limits, self.input.remaining())?;
            let name = self.input.take_text(len)?;
            let kind = MessageType::from_code(i64::from(self.input.read_u8()?))?;
            let seq = self.get_i32()?;
            Ok(MessageHeader { name, kind, seq })
        }
    }

    fn read_message_end(&mut self) -> Result<()> {
        Ok(())
    }

    #[inline]
    fn read_struct_begin(&mut self) -> Result<()> {
        self.depth.enter()
    }

    #[inline]
    fn read_struct_end(&mut self) -> Result<()> {
        self.depth.leave();
        Ok(())
    }

    #[inline]
    fn read_field_begin(&mut self) -> Result<FieldHeader> {
        let ttype = TType::from_code(self.input.read_u8()?)?;
        if ttype == TType::Stop {
            return Ok(FieldHeader { ttype, id: 0 });
        }
        let id = i16::from_be_bytes(self.input.read_array()?);
        Ok(FieldHeader { ttype, id })
    }

    #[inline]
    fn read_field_end(&mut self) -> Result<()> {
        Ok(())
    }

    #[inline]
    fn read_bool(&mut self) -> Result<bool> {
        // Any non-zero byte is true, as in every Apache library.
        Ok(self.input.read_u8()? != 0)
    }

    #[inline]
    fn read_i8(&mut self) -> Result<i8> {
        Ok(self.input.read_u8()? as i8)
    }

    #[inline]
    fn read_i16(&mut self) -> Result<i16> {
        Ok(i16::from_be_bytes(self.input.read_array()?))
    }

    #[inline]
    fn read_i32(&mut self) -> Result<i32> {
        self.get_i32()
    }

    #[inline]
    fn read_i64(&mut self) -> Result<i64> {
        Ok(i64::from_be_bytes(self.input.read_array()?))
    }

    #[inline]
    fn read_double(&mut self) -> Result<f64> {
        Ok(f64::from_bits(u64::from_be_bytes(self.input.read_array()?)))
    }

    #[inline]
    fn read_string(&mut self) -> Result<String> {
        let len = self.string_len()?;
        let bytes = self.input.take(len)?;
        std::str::from_utf8(bytes).map(str::to_owned).map_err(|_| not_utf8(bytes))
    }

    #[inline]
    fn read_text(&mut self) -> Result<FastStr> {
        let len = self.string_len()?;
        self.input.take_text(len)
    }

    #[inline]
    fn read_binary(&mut self) -> Result<Vec<u8>> {
        let len = self.string_len()?;
        Ok(self.input.take(len)?.to_vec())
    }

    #[inline]
    fn read_bytes(&mut self) -> Result<Bytes> {
        let len = self.string_len()?;
        self.input.take_bytes(len)
    }

    #[inline]
    fn read_uuid(&mut self) -> Result<[u8; 16]> {
        self.input.read_array()
    }

    #[inline]
    fn read_list_begin(&mut self) -> Result<ListHeader> {
        self.list_header()
    }

    #[inline]
    fn read_list_end(&mut self) -> Result<()> {
        Ok(())
    }

    #[inline]
    fn read_set_begin(&mut self) -> Result<ListHeader> {
        self.list_header()
    }

    #[inline]
    fn read_set_end(&mut self) -> Result<()> {
        Ok(())
    }

    fn read_map_begin(&mut self) -> Result<MapHeader> {
        let key = TType::from_code(self.input.read_u8()?)?;
        let value = TType::from_code(self.input.read_u8()?)?;
        let len = self.get_i32()?;
        let min = min_size(key) + min_size(value);
        let len = check_container_len(i64::from(len), min, &self.limits, self.input.remaining())
            .map_err(|e| self.input.note_short(e, (len.max(0) as usize).saturating_mul(min)))?;
        Self::check_elem(key, len)?;
        Self::check_elem(value, len)?;
        Ok(MapHeader { key, value, len })
    }

    #[inline]
    fn read_map_end(&mut self) -> Result<()> {
        Ok(())
    }
}
