//! The compact protocol (Apache's, first byte `0x82`): zigzag varints, field id deltas in
//! the type byte, bool values folded into field headers, little-endian doubles.

use bytes::Bytes;
use faststr::FastStr;

use super::input::not_utf8;
use super::{
    Depth, Input, ProtocolReader, ProtocolWriter, check_container_len, check_string_len, len_to_i32,
};
use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;
use crate::protocol::{FieldHeader, ListHeader, MapHeader, MessageHeader, MessageType, TType};

const PROTOCOL_ID: u8 = 0x82;
const VERSION: u8 = 1;
const VERSION_MASK: u8 = 0x1f;
const TYPE_SHIFT: u8 = 5;

// The compact type codes.
const CT_STOP: u8 = 0;
const CT_TRUE: u8 = 1;
const CT_FALSE: u8 = 2;
const CT_I8: u8 = 3;
const CT_I16: u8 = 4;
const CT_I32: u8 = 5;
const CT_I64: u8 = 6;
const CT_DOUBLE: u8 = 7;
const CT_BINARY: u8 = 8;
const CT_LIST: u8 = 9;
const CT_SET: u8 = 10;
const CT_MAP: u8 = 11;
const CT_STRUCT: u8 = 12;
const CT_UUID: u8 = 13;

/// The compact code of a type. `bool` as a collection element is `1`, as C++ and Python
/// write it.
#[inline]
fn compact_type(ttype: TType) -> u8 {
    match ttype {
        TType::Stop | TType::Void => CT_STOP,
        TType::Bool => CT_TRUE,
        TType::I8 => CT_I8,
        TType::I16 => CT_I16,
        TType::I32 => CT_I32,
        TType::I64 => CT_I64,
        TType::Double => CT_DOUBLE,
        TType::String => CT_BINARY,
        TType::List => CT_LIST,
        TType::Set => CT_SET,
        TType::Map => CT_MAP,
        TType::Struct => CT_STRUCT,
        TType::Uuid => CT_UUID,
    }
}

#[inline]
fn ttype_of(code: u8) -> Result<TType> {
    Ok(match code {
        CT_STOP => TType::Stop,
        CT_TRUE | CT_FALSE => TType::Bool,
        CT_I8 => TType::I8,
        CT_I16 => TType::I16,
        CT_I32 => TType::I32,
        CT_I64 => TType::I64,
        CT_DOUBLE => TType::Double,
        CT_BINARY => TType::String,
        CT_LIST => TType::List,
        CT_SET => TType::Set,
        CT_MAP => TType::Map,
        CT_STRUCT => TType::Struct,
        CT_UUID => TType::Uuid,
        _ => return Err(unknown_type(code)),
    })
}

#[cold]
fn unknown_type(code: u8) -> Error {
    Error::invalid(format!("unknown compact type code {code}"))
}

#[cold]
fn bad_field_id(raw: i32) -> Error {
    Error::invalid(format!("field id {raw} does not fit in i16"))
}

#[cold]
fn field_id_overflow() -> Error {
    Error::invalid("field id delta overflows i16")
}

#[inline]
fn zigzag32(n: i32) -> u32 {
    ((n << 1) ^ (n >> 31)) as u32
}

#[inline]
fn zigzag64(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

#[inline]
fn unzigzag32(n: u32) -> i32 {
    ((n >> 1) as i32) ^ -((n & 1) as i32)
}

#[inline]
fn unzigzag64(n: u64) -> i64 {
    ((n >> 1) as i64) ^ -((n & 1) as i64)
}

/// The field ids of enclosing structs, kept inline for the usual shallow nesting.
#[derive(Debug, Default)]
struct IdStack {
    inline: [i16; 16],
    len: usize,
    spill: Vec<i16>,
}

impl IdStack {
    #[inline]
    fn push(&mut self, id: i16) {
        if self.len < self.inline.len() {
            self.inline[self.len] = id;
        } else {
            self.spill.push(id);
        }
        self.len += 1;
    }

    #[inline]
    fn pop(&mut self) -> i16 {
        if self.len == 0 {
            return 0;
        }
        self.len -= 1;
        if self.len < self.inline.len() { self.inline[self.len] } else { self.spill.pop().unwrap_or(0) }
    }
}

/// Writes the compact protocol into a buffer.
#[derive(Debug)]
pub struct CompactWriter<'a> {
    buf: &'a mut Vec<u8>,
    depth: Depth,
    last_id: i16,
    ids: IdStack,
    /// The id of a bool field whose header waits for the value.
    pending_bool: Option<i16>,
}

impl<'a> CompactWriter<'a> {
    /// A writer that appends to `buf`, with the default nesting limit.
    pub fn new(buf: &'a mut Vec<u8>) -> CompactWriter<'a> {
        CompactWriter::with_limits(buf, &Limits::default())
    }

    /// A writer with the nesting limit of `limits`.
    pub fn with_limits(buf: &'a mut Vec<u8>, limits: &Limits) -> CompactWriter<'a> {
        CompactWriter {
            buf,
            depth: Depth::new(limits.max_depth),
            last_id: 0,
            ids: IdStack::default(),
            pending_bool: None,
        }
    }

    #[inline]
    fn varint32(&mut self, mut n: u32) {
        while n >= 0x80 {
            self.buf.push((n as u8) | 0x80);
            n >>= 7;
        }
        self.buf.push(n as u8);
    }

    #[inline]
    fn varint64(&mut self, mut n: u64) {
        while n >= 0x80 {
            self.buf.push((n as u8) | 0x80);
            n >>= 7;
        }
        self.buf.push(n as u8);
    }

    #[inline]
    fn field_header(&mut self, code: u8, id: i16) {
        let delta = i32::from(id) - i32::from(self.last_id);
        if (1..=15).contains(&delta) {
            self.buf.push(((delta as u8) << 4) | code);
        } else {
            self.buf.push(code);
            self.varint32(zigzag32(i32::from(id)));
        }
        self.last_id = id;
    }

    #[inline]
    fn collection(&mut self, elem: TType, len: usize) -> Result<()> {
        let len = len_to_i32(len)?;
        if len <= 14 {
            self.buf.push(((len as u8) << 4) | compact_type(elem));
        } else {
            self.buf.push(0xf0 | compact_type(elem));
            self.varint32(len as u32);
        }
        Ok(())
    }
}

impl ProtocolWriter for CompactWriter<'_> {
    #[inline]
    fn write_i32_elements(&mut self, values: &[i32]) -> Result<()> {
        self.buf.reserve(values.len() * 5);
        values.iter().for_each(|v| self.varint32(zigzag32(*v)));
        Ok(())
    }

    #[inline]
    fn write_i64_elements(&mut self, values: &[i64]) -> Result<()> {
        self.buf.reserve(values.len() * 10);
        values.iter().for_each(|v| self.varint64(zigzag64(*v)));
        Ok(())
    }

    fn write_message_begin(&mut self, name: &str, kind: MessageType, seq: i32) -> Result<()> {
        self.buf.push(PROTOCOL_ID);
        self.buf.push(VERSION | ((kind as u8) << TYPE_SHIFT));
        // The sequence id is a varint of its unsigned bits, not zigzag.
        self.varint32(seq as u32);
        self.write_binary(name.as_bytes())
    }

    fn write_message_end(&mut self) -> Result<()> {
        Ok(())
    }

    #[inline]
    fn write_struct_begin(&mut self, _name: &str) -> Result<()> {
        self.depth.enter()?;
        self.ids.push(self.last_id);
        self.last_id = 0;
        Ok(())
    }

    #[inline]
    fn write_struct_end(&mut self) -> Result<()> {
        self.depth.leave();
        self.last_id = self.ids.pop();
        Ok(())
    }

    #[inline]
    fn write_field_begin(&mut self, _name: &str, ttype: TType, id: i16) -> Result<()> {
        if ttype == TType::Bool {
            self.pending_bool = Some(id);
        } else {
            self.field_header(compact_type(ttype), id);
        }
        Ok(())
    }

    #[inline]
    fn write_field_end(&mut self) -> Result<()> {
        Ok(())
    }

    #[inline]
    fn write_field_stop(&mut self) -> Result<()> {
        self.buf.push(CT_STOP);
        Ok(())
    }

    #[inline]
    fn write_bool(&mut self, value: bool) -> Result<()> {
        let code = if value { CT_TRUE } else { CT_FALSE };
        match self.pending_bool.take() {
            Some(id) => self.field_header(code, id),
            None => self.buf.push(code),
        }
        Ok(())
    }

    #[inline]
    fn write_i8(&mut self, value: i8) -> Result<()> {
        self.buf.push(value as u8);
        Ok(())
    }

    #[inline]
    fn write_i16(&mut self, value: i16) -> Result<()> {
        self.varint32(zigzag32(i32::from(value)));
        Ok(())
    }

    #[inline]
    fn write_i32(&mut self, value: i32) -> Result<()> {
        self.varint32(zigzag32(value));
        Ok(())
    }

    #[inline]
    fn write_i64(&mut self, value: i64) -> Result<()> {
        self.varint64(zigzag64(value));
        Ok(())
    }

    #[inline]
    fn write_double(&mut self, value: f64) -> Result<()> {
        self.buf.extend_from_slice(&value.to_bits().to_le_bytes());
        Ok(())
    }

    #[inline]
    fn write_string(&mut self, value: &str) -> Result<()> {
        self.write_binary(value.as_bytes())
    }

    #[inline]
    fn write_binary(&mut self, value: &[u8]) -> Result<()> {
        let len = len_to_i32(value.len())?;
        self.buf.reserve(5 + value.len());
        self.varint32(len as u32);
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
        self.collection(elem, len)
    }

    #[inline]
    fn write_list_end(&mut self) -> Result<()> {
        Ok(())
    }

    #[inline]
    fn write_set_begin(&mut self, elem: TType, len: usize) -> Result<()> {
        self.collection(elem, len)
    }

    #[inline]
    fn write_set_end(&mut self) -> Result<()> {
        Ok(())
    }

    #[inline]
    fn write_map_begin(&mut self, key: TType, value: TType, len: usize) -> Result<()> {
        let len = len_to_i32(len)?;
        if len == 0 {
            self.buf.push(0);
        } else {
            self.varint32(len as u32);
            self.buf.push((compact_type(key) << 4) | compact_type(value));
        }
        Ok(())
    }

    #[inline]
    fn write_map_end(&mut self) -> Result<()> {
        Ok(())
    }
}

/// The fewest bytes a value of each type takes in the compact protocol.
pub(crate) fn min_size(ttype: TType) -> usize {
    match ttype {
        TType::Stop | TType::Void => 0,
        TType::Double => 8,
        TType::Uuid => 16,
        _ => 1,
    }
}

/// Reads the compact protocol from memory.
#[derive(Debug)]
pub struct CompactReader<'a> {
    input: Input<'a>,
    limits: Limits,
    depth: Depth,
    last_id: i16,
    ids: IdStack,
    /// The value of a bool field, carried in its header.
    pending_bool: Option<bool>,
}

impl<'a> CompactReader<'a> {
    /// A reader over `data` with the default limits.
    pub fn new(data: &'a [u8]) -> CompactReader<'a> {
        CompactReader::with_limits(data, Limits::default())
    }

    /// A reader over `data` with the given limits.
    pub fn with_limits(data: &'a [u8], limits: Limits) -> CompactReader<'a> {
        CompactReader::from_input(Input::new(data), limits)
    }

    /// A reader over `bytes`: `read_bytes` hands out slices of it without copying.
    pub fn from_bytes(bytes: &'a Bytes, limits: Limits) -> CompactReader<'a> {
        CompactReader::from_input(Input::from_bytes(bytes), limits)
    }

    fn from_input(input: Input<'a>, limits: Limits) -> CompactReader<'a> {
        CompactReader {
            input,
            depth: Depth::new(limits.max_depth),
            limits,
            last_id: 0,
            ids: IdStack::default(),
            pending_bool: None,
        }
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

    /// A varint of at most 5 bytes (as Apache's readers cap it) that fits 32 bits.
    #[inline]
    fn varint32(&mut self) -> Result<u32> {
        // Most varints (lengths, small numbers) are one byte.
        let first = self.input.read_u8()?;
        if first < 0x80 {
            return Ok(u32::from(first));
        }
        self.varint32_rest(first)
    }

    /// [`CompactReader::varint32`] past a first byte that says more follow.
    #[inline(never)]
    fn varint32_rest(&mut self, first: u8) -> Result<u32> {
        let mut result = u64::from(first & 0x7f);
        for i in 1..5 {
            let byte = self.input.read_u8()?;
            result |= u64::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                return u32::try_from(result).map_err(|_| Error::invalid("varint does not fit in 32 bits"));
            }
        }
        Err(Error::invalid("varint of more than 5 bytes for a 32-bit value"))
    }

    /// A varint of at most 10 bytes.
    #[inline]
    fn varint64(&mut self) -> Result<u64> {
        let first = self.input.read_u8()?;
        if first < 0x80 {
            return Ok(u64::from(first));
        }
        self.varint64_rest(first)
    }

    /// [`CompactReader::varint64`] past a first byte that says more follow.
    #[inline(never)]
    fn varint64_rest(&mut self, first: u8) -> Result<u64> {
        let mut result = u64::from(first & 0x7f);
        for i in 1..10 {
            let byte = self.input.read_u8()?;
            if i == 9 && byte > 1 {
                return Err(Error::invalid("varint does not fit in 64 bits"));
            }
            result |= u64::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                return Ok(result);
            }
        }
        Err(Error::invalid("varint of more than 10 bytes"))
    }

    #[inline]
    fn string_len(&mut self) -> Result<usize> {
        let len = self.varint32()?;
        check_string_len(i64::from(len), &self.limits, self.input.remaining())
            .map_err(|e| self.input.note_short(e, len as usize))
    }

    fn collection(&mut self) -> Result<ListHeader> {
        let header = self.input.read_u8()?;
        let elem = ttype_of(header & 0x0f)?;
        let short = header >> 4;
        let len = if short == 15 { i64::from(self.varint32()?) } else { i64::from(short) };
        let min = min_size(elem);
        let len = check_container_len(len, min, &self.limits, self.input.remaining())
            .map_err(|e| self.input.note_short(e, (len.max(0) as usize).saturating_mul(min)))?;
        if len > 0 && elem == TType::Stop {
            return Err(Error::invalid("Stop is not a type of collection elements"));
        }
        Ok(ListHeader { elem, len })
    }
}

impl ProtocolReader for CompactReader<'_> {
    fn skip_elements(&mut self, elem: TType, len: usize) -> Result<bool> {
        // Integers are varints; these are not.
        let size = match elem {
            TType::Bool | TType::I8 => 1,
            TType::Double => 8,
            TType::Uuid => 16,
            _ => return Ok(false),
        };
        self.input.take(len.saturating_mul(size))?;
        Ok(true)
    }

    fn max_skip_depth(&self) -> usize {
        self.limits.max_depth
    }

    fn read_message_begin(&mut self) -> Result<MessageHeader> {
        let id = self.input.read_u8()?;
        if id != PROTOCOL_ID {
            return Err(Error::new(ErrorKind::BadVersion, format!("bad compact protocol id {id:#04x}")));
        }
        let version_type = self.input.read_u8()?;
        let version = version_type & VERSION_MASK;
        if version != VERSION {
            return Err(Error::new(ErrorKind::BadVersion, format!("bad compact protocol version {version}")));
        }
        let kind = MessageType::from_code(i64::from(version_type >> TYPE_SHIFT))?;
        let seq = self.varint32()? as i32;
        let name = self.read_text()?;
        Ok(MessageHeader { name, kind, seq })
    }

    fn read_message_end(&mut self) -> Result<()> {
        Ok(())
    }

    #[inline]
    fn read_struct_begin(&mut self) -> Result<()> {
        self.depth.enter()?;
        self.ids.push(self.last_id);
        self.last_id = 0;
        Ok(())
    }

    #[inline]
    fn read_struct_end(&mut self) -> Result<()> {
        self.depth.leave();
        self.last_id = self.ids.pop();
        Ok(())
    }

    #[inline(always)]
    fn read_field_begin(&mut self) -> Result<FieldHeader> {
        let header = self.input.read_u8()?;
        let code = header & 0x0f;
        if code == CT_STOP {
            return Ok(FieldHeader { ttype: TType::Stop, id: 0 });
        }
        let delta = header >> 4;
        let id = if delta == 0 {
            let raw = unzigzag32(self.varint32()?);
            i16::try_from(raw).map_err(|_| bad_field_id(raw))?
        } else {
            self.last_id.checked_add(i16::from(delta)).ok_or_else(field_id_overflow)?
        };
        self.last_id = id;
        let ttype = ttype_of(code)?;
        if ttype == TType::Bool {
            self.pending_bool = Some(code == CT_TRUE);
        }
        Ok(FieldHeader { ttype, id })
    }

    #[inline]
    fn read_field_end(&mut self) -> Result<()> {
        self.pending_bool = None;
        Ok(())
    }

    #[inline]
    fn read_bool(&mut self) -> Result<bool> {
        match self.pending_bool.take() {
            Some(value) => Ok(value),
            // In a collection: 1 is true; C++ and Python take anything else as false.
            None => Ok(self.input.read_u8()? == CT_TRUE),
        }
    }

    #[inline]
    fn read_i8(&mut self) -> Result<i8> {
        Ok(self.input.read_u8()? as i8)
    }

    #[inline]
    fn read_i16(&mut self) -> Result<i16> {
        let value = unzigzag32(self.varint32()?);
        i16::try_from(value).map_err(|_| Error::invalid(format!("{value} does not fit in i16")))
    }

    #[inline]
    fn read_i32(&mut self) -> Result<i32> {
        Ok(unzigzag32(self.varint32()?))
    }

    #[inline]
    fn read_i64(&mut self) -> Result<i64> {
        Ok(unzigzag64(self.varint64()?))
    }

    #[inline]
    fn read_double(&mut self) -> Result<f64> {
        Ok(f64::from_bits(u64::from_le_bytes(self.input.read_array()?)))
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
        self.collection()
    }

    #[inline]
    fn read_list_end(&mut self) -> Result<()> {
        Ok(())
    }

    #[inline]
    fn read_set_begin(&mut self) -> Result<ListHeader> {
        self.collection()
    }

    #[inline]
    fn read_set_end(&mut self) -> Result<()> {
        Ok(())
    }

    fn read_map_begin(&mut self) -> Result<MapHeader> {
        let len = self.varint32()?;
        if len == 0 {
            return Ok(MapHeader { key: TType::Stop, value: TType::Stop, len: 0 });
        }
        let types = self.input.read_u8()?;
        let key = ttype_of(types >> 4)?;
        let value = ttype_of(types & 0x0f)?;
        if key == TType::Stop || value == TType::Stop {
            return Err(Error::invalid("Stop is not a type of map keys or values"));
        }
        let min = min_size(key) + min_size(value);
        let len = check_container_len(i64::from(len), min, &self.limits, self.input.remaining())
            .map_err(|e| self.input.note_short(e, (len as usize).saturating_mul(min)))?;
        Ok(MapHeader { key, value, len })
    }

    #[inline]
    fn read_map_end(&mut self) -> Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zigzag_round_trips() {
        for n in [0, 1, -1, 2, -2, i32::MAX, i32::MIN] {
            assert_eq!(unzigzag32(zigzag32(n)), n);
        }
        for n in [0, 1, -1, i64::MAX, i64::MIN] {
            assert_eq!(unzigzag64(zigzag64(n)), n);
        }
        assert_eq!(zigzag32(-1), 1);
        assert_eq!(zigzag32(1), 2);
    }

    #[test]
    fn varints_are_bounded() {
        let mut r = CompactReader::new(&[0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
        assert_eq!(r.varint32().unwrap_err().kind(), ErrorKind::InvalidData);
        let mut r = CompactReader::new(&[0xff; 11]);
        assert_eq!(r.varint64().unwrap_err().kind(), ErrorKind::InvalidData);
        let mut r = CompactReader::new(&[0xff, 0xff, 0xff, 0xff, 0x0f]);
        assert_eq!(r.varint32().unwrap(), u32::MAX);
    }

    #[test]
    fn field_id_deltas() {
        let mut buf = Vec::new();
        let mut w = CompactWriter::new(&mut buf);
        w.write_struct_begin("S").unwrap();
        w.write_field_begin("a", TType::I8, 1).unwrap();
        w.write_i8(7).unwrap();
        w.write_field_begin("b", TType::I8, 16).unwrap();
        w.write_i8(8).unwrap();
        w.write_field_begin("c", TType::Bool, 100).unwrap();
        w.write_bool(true).unwrap();
        w.write_field_begin("d", TType::I8, -5).unwrap();
        w.write_i8(9).unwrap();
        w.write_field_stop().unwrap();
        w.write_struct_end().unwrap();
        assert_eq!(buf, [0x13, 7, 0xf3, 8, 0x01, 0xc8, 0x01, 0x03, 0x09, 9, 0x00]);
        let mut r = CompactReader::new(&buf);
        r.read_struct_begin().unwrap();
        assert_eq!(r.read_field_begin().unwrap(), FieldHeader { ttype: TType::I8, id: 1 });
        assert_eq!(r.read_i8().unwrap(), 7);
        assert_eq!(r.read_field_begin().unwrap(), FieldHeader { ttype: TType::I8, id: 16 });
        assert_eq!(r.read_i8().unwrap(), 8);
        assert_eq!(r.read_field_begin().unwrap(), FieldHeader { ttype: TType::Bool, id: 100 });
        assert!(r.read_bool().unwrap());
        assert_eq!(r.read_field_begin().unwrap(), FieldHeader { ttype: TType::I8, id: -5 });
        assert_eq!(r.read_i8().unwrap(), 9);
        assert_eq!(r.read_field_begin().unwrap().ttype, TType::Stop);
    }
}
