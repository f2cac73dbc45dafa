//! TJSONProtocol: Apache's round-trippable JSON, as its C++, Java and Python libraries
//! write it. There is no spec document; the reference libraries are the spec.
//!
//! - message: `[1,"name",type,seq,{...}]`
//! - struct: `{"1":{"i32":5},"2":{"str":"x"}}`, keyed by quoted field id
//! - list and set: `["i32",3,1,2,3]`; map: `["str","i32",2,{"a":1,"b":2}]`
//! - bool is `1`/`0`; numbers in key position are quoted; binary is padded base64;
//!   NaN and infinities are the strings `"NaN"`, `"Infinity"`, `"-Infinity"`; doubles
//!   have 17 significant digits (`%.17g`).

use base64::Engine;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use bytes::Bytes;

use super::{Depth, ProtocolReader, ProtocolWriter, check_container_len, checked_len};
use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;
use crate::protocol::{FieldHeader, ListHeader, MapHeader, MessageHeader, MessageType, TType};

const VERSION: i64 = 1;

/// The JSON name of a type.
pub(crate) fn type_name(ttype: TType) -> Result<&'static str> {
    Ok(match ttype {
        TType::Bool => "tf",
        TType::I8 => "i8",
        TType::I16 => "i16",
        TType::I32 => "i32",
        TType::I64 => "i64",
        TType::Double => "dbl",
        TType::String => "str",
        TType::Struct => "rec",
        TType::Map => "map",
        TType::List => "lst",
        TType::Set => "set",
        TType::Uuid => "uid",
        TType::Stop | TType::Void => {
            return Err(Error::new(ErrorKind::InvalidValue, format!("{ttype:?} has no JSON type name")));
        }
    })
}

fn type_of_name(name: &str) -> Result<TType> {
    Ok(match name {
        "tf" => TType::Bool,
        "i8" => TType::I8,
        "i16" => TType::I16,
        "i32" => TType::I32,
        "i64" => TType::I64,
        "dbl" => TType::Double,
        "str" => TType::String,
        "rec" => TType::Struct,
        "map" => TType::Map,
        "lst" => TType::List,
        "set" => TType::Set,
        "uid" => TType::Uuid,
        _ => return Err(Error::invalid(format!("unknown JSON type name {name:?}"))),
    })
}

/// Where in the JSON document the writer or reader is: what separates the next value.
#[derive(Copy, Clone, Debug)]
enum Context {
    /// Top level: nothing.
    Base,
    /// In an array: `,` between values.
    List { first: bool },
    /// In an object: `:` after a key, `,` after a value. Keys are written quoted.
    Pair { first: bool, colon: bool },
}

impl Context {
    /// Advances past one value; returns the separator to put before it.
    #[inline]
    fn next(&mut self) -> Option<u8> {
        match self {
            Context::Base => None,
            Context::List { first } => {
                if *first {
                    *first = false;
                    None
                } else {
                    Some(b',')
                }
            }
            Context::Pair { first, colon } => {
                if *first {
                    *first = false;
                    *colon = true;
                    None
                } else {
                    let sep = if *colon { b':' } else { b',' };
                    *colon = !*colon;
                    Some(sep)
                }
            }
        }
    }

    /// Whether the value about to be written is a key, so a number must be quoted.
    #[inline]
    fn in_key(&self) -> bool {
        matches!(self, Context::Pair { colon: true, .. })
    }
}

/// Writes TJSONProtocol into a buffer.
#[derive(Debug)]
pub struct JsonWriter<'a> {
    buf: &'a mut Vec<u8>,
    stack: Vec<Context>,
    depth: Depth,
}

impl<'a> JsonWriter<'a> {
    /// A writer that appends to `buf`, with the default nesting limit.
    pub fn new(buf: &'a mut Vec<u8>) -> JsonWriter<'a> {
        JsonWriter::with_limits(buf, &Limits::default())
    }

    /// A writer with the nesting limit of `limits`.
    pub fn with_limits(buf: &'a mut Vec<u8>, limits: &Limits) -> JsonWriter<'a> {
        JsonWriter { buf, stack: vec![Context::Base], depth: Depth::new(limits.max_depth) }
    }

    fn context(&mut self) -> &mut Context {
        self.stack.last_mut().expect("the base context is never popped")
    }

    /// Writes the separator the current context needs; returns whether the value is a key.
    #[inline]
    fn separate(&mut self) -> bool {
        let ctx = self.context();
        let sep = ctx.next();
        let key = ctx.in_key();
        if let Some(sep) = sep {
            self.buf.push(sep);
        }
        key
    }

    fn number(&mut self, text: &str) {
        let key = self.separate();
        if key {
            self.buf.push(b'"');
            self.buf.extend_from_slice(text.as_bytes());
            self.buf.push(b'"');
        } else {
            self.buf.extend_from_slice(text.as_bytes());
        }
    }

    fn integer(&mut self, value: i64) {
        self.number(&value.to_string());
    }

    fn string(&mut self, value: &str) {
        self.separate();
        write_json_string(self.buf, value);
    }

    fn object_start(&mut self) {
        self.separate();
        self.buf.push(b'{');
        self.stack.push(Context::Pair { first: true, colon: true });
    }

    fn object_end(&mut self) {
        self.pop();
        self.buf.push(b'}');
    }

    fn array_start(&mut self) {
        self.separate();
        self.buf.push(b'[');
        self.stack.push(Context::List { first: true });
    }

    fn array_end(&mut self) {
        self.pop();
        self.buf.push(b']');
    }

    fn pop(&mut self) {
        if self.stack.len() > 1 {
            self.stack.pop();
        }
    }
}

/// Writes a JSON string: `"` and `\` escaped, control characters as `\b \f \n \r \t` or
/// `\u00XX`; everything else, `/` and non-ASCII included, as is.
pub(crate) fn write_json_string(buf: &mut Vec<u8>, value: &str) {
    buf.reserve(value.len() + 2);
    buf.push(b'"');
    let bytes = value.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: Option<&[u8]> = match b {
            b'"' => Some(b"\\\""),
            b'\\' => Some(b"\\\\"),
            b'\x08' => Some(b"\\b"),
            b'\x0c' => Some(b"\\f"),
            b'\n' => Some(b"\\n"),
            b'\r' => Some(b"\\r"),
            b'\t' => Some(b"\\t"),
            0..=0x1f => None,
            _ => continue,
        };
        buf.extend_from_slice(&bytes[start..i]);
        match escape {
            Some(seq) => buf.extend_from_slice(seq),
            None => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                buf.extend_from_slice(b"\\u00");
                buf.push(HEX[usize::from(b >> 4)]);
                buf.push(HEX[usize::from(b & 0xf)]);
            }
        }
        start = i + 1;
    }
    buf.extend_from_slice(&bytes[start..]);
    buf.push(b'"');
}

/// Formats a double as C's `%.17g` (what C++'s and Python's TJSONProtocol write):
/// 17 significant digits, trailing zeros dropped, exponent form below 1e-4 and from 1e17.
pub(crate) fn format_g17(value: f64) -> String {
    if value == 0.0 {
        return if value.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let sci = format!("{value:.16e}");
    let (mantissa, exponent) = sci.split_once('e').expect("exponent form");
    let exponent: i32 = exponent.parse().expect("an integer exponent");
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if !(-4..17).contains(&exponent) {
        let digits = digits.trim_end_matches('0');
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exponent < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exponent.abs()));
    } else if exponent < 0 {
        out.push_str("0.");
        for _ in 0..(-exponent - 1) {
            out.push('0');
        }
        out.push_str(digits.trim_end_matches('0'));
    } else {
        let point = exponent as usize + 1;
        let (int, frac) = digits.split_at(point.min(digits.len()));
        out.push_str(int);
        let frac = frac.trim_end_matches('0');
        if !frac.is_empty() {
            out.push('.');
            out.push_str(frac);
        }
    }
    out
}

/// Formats a uuid as lower-case `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
pub(crate) fn format_uuid(value: &[u8; 16]) -> String {
    let hex: String = value.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// Parses a uuid in canonical form, with or without braces.
pub(crate) fn parse_uuid(text: &str) -> Result<[u8; 16]> {
    let text = text.strip_prefix('{').and_then(|t| t.strip_suffix('}')).unwrap_or(text);
    let bad = || Error::invalid(format!("{text:?} is not a uuid"));
    let bytes = text.as_bytes();
    if bytes.len() != 36 || [8, 13, 18, 23].iter().any(|&i| bytes[i] != b'-') {
        return Err(bad());
    }
    let hex: Vec<u8> = bytes.iter().copied().filter(|&b| b != b'-').collect();
    let mut out = [0u8; 16];
    for (i, pair) in hex.chunks(2).enumerate() {
        let s = std::str::from_utf8(pair).map_err(|_| bad())?;
        out[i] = u8::from_str_radix(s, 16).map_err(|_| bad())?;
    }
    Ok(out)
}

impl ProtocolWriter for JsonWriter<'_> {
    fn write_message_begin(&mut self, name: &str, kind: MessageType, seq: i32) -> Result<()> {
        self.stack.truncate(1);
        self.array_start();
        self.integer(VERSION);
        self.string(name);
        self.integer(kind as i64);
        self.integer(i64::from(seq));
        Ok(())
    }

    fn write_message_end(&mut self) -> Result<()> {
        self.array_end();
        Ok(())
    }

    fn write_struct_begin(&mut self, _name: &str) -> Result<()> {
        self.depth.enter()?;
        self.object_start();
        Ok(())
    }

    fn write_struct_end(&mut self) -> Result<()> {
        self.depth.leave();
        self.object_end();
        Ok(())
    }

    fn write_field_begin(&mut self, _name: &str, ttype: TType, id: i16) -> Result<()> {
        let name = type_name(ttype)?;
        self.integer(i64::from(id));
        self.object_start();
        self.string(name);
        Ok(())
    }

    fn write_field_end(&mut self) -> Result<()> {
        self.object_end();
        Ok(())
    }

    fn write_field_stop(&mut self) -> Result<()> {
        Ok(())
    }

    fn write_bool(&mut self, value: bool) -> Result<()> {
        self.integer(i64::from(value));
        Ok(())
    }

    fn write_i8(&mut self, value: i8) -> Result<()> {
        self.integer(i64::from(value));
        Ok(())
    }

    fn write_i16(&mut self, value: i16) -> Result<()> {
        self.integer(i64::from(value));
        Ok(())
    }

    fn write_i32(&mut self, value: i32) -> Result<()> {
        self.integer(i64::from(value));
        Ok(())
    }

    fn write_i64(&mut self, value: i64) -> Result<()> {
        self.integer(value);
        Ok(())
    }

    fn write_double(&mut self, value: f64) -> Result<()> {
        if value.is_finite() {
            self.number(&format_g17(value));
        } else {
            // Special values are strings, quoted in any position (as C++ writes them).
            let text = if value.is_nan() {
                "NaN"
            } else if value > 0.0 {
                "Infinity"
            } else {
                "-Infinity"
            };
            self.string(text);
        }
        Ok(())
    }

    fn write_string(&mut self, value: &str) -> Result<()> {
        checked_len(value.len())?;
        self.string(value);
        Ok(())
    }

    fn write_binary(&mut self, value: &[u8]) -> Result<()> {
        checked_len(value.len())?;
        self.separate();
        self.buf.push(b'"');
        let start = self.buf.len();
        self.buf.resize(start + value.len().div_ceil(3) * 4, 0);
        let written =
            STANDARD.encode_slice(value, &mut self.buf[start..]).expect("space for base64 was reserved");
        self.buf.truncate(start + written);
        self.buf.push(b'"');
        Ok(())
    }

    fn write_uuid(&mut self, value: &[u8; 16]) -> Result<()> {
        self.string(&format_uuid(value));
        Ok(())
    }

    fn write_list_begin(&mut self, elem: TType, len: usize) -> Result<()> {
        let name = type_name(elem)?;
        self.array_start();
        self.string(name);
        self.integer(i64::from(super::len_to_i32(len)?));
        Ok(())
    }

    fn write_list_end(&mut self) -> Result<()> {
        self.array_end();
        Ok(())
    }

    fn write_set_begin(&mut self, elem: TType, len: usize) -> Result<()> {
        self.write_list_begin(elem, len)
    }

    fn write_set_end(&mut self) -> Result<()> {
        self.write_list_end()
    }

    fn write_map_begin(&mut self, key: TType, value: TType, len: usize) -> Result<()> {
        let (key, value) = (type_name(key)?, type_name(value)?);
        self.array_start();
        self.string(key);
        self.string(value);
        self.integer(i64::from(super::len_to_i32(len)?));
        self.object_start();
        Ok(())
    }

    fn write_map_end(&mut self) -> Result<()> {
        self.object_end();
        self.array_end();
        Ok(())
    }
}

/// Reads TJSONProtocol from memory. It accepts what Apache's writers produce (and
/// whitespace between tokens): numbers quoted or not in key position, base64 with or
/// without padding, `\uXXXX` escapes with surrogate pairs, special doubles as strings.
#[derive(Debug)]
pub struct JsonReader<'a> {
    data: &'a [u8],
    pos: usize,
    stack: Vec<Context>,
    limits: Limits,
    depth: Depth,
}

/// Base64 that accepts input with or without `=` padding.
const LENIENT_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

impl<'a> JsonReader<'a> {
    /// A reader over `data` with the default limits.
    pub fn new(data: &'a [u8]) -> JsonReader<'a> {
        JsonReader::with_limits(data, Limits::default())
    }

    /// A reader over `data` with the given limits.
    pub fn with_limits(data: &'a [u8], limits: Limits) -> JsonReader<'a> {
        JsonReader { data, pos: 0, stack: vec![Context::Base], depth: Depth::new(limits.max_depth), limits }
    }

    /// A reader over `bytes` (JSON strings are unescaped, so nothing is shared with it).
    pub fn from_bytes(bytes: &'a Bytes, limits: Limits) -> JsonReader<'a> {
        JsonReader::with_limits(bytes, limits)
    }

    /// How many bytes have been read.
    pub fn position(&self) -> usize {
        self.pos
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.data.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Result<u8> {
        self.skip_ws();
        self.data.get(self.pos).copied().ok_or_else(Error::eof)
    }

    fn expect(&mut self, want: u8) -> Result<()> {
        let got = self.peek()?;
        if got != want {
            return Err(Error::invalid(format!(
                "expected `{}` in JSON at byte {}, found `{}`",
                want as char,
                self.pos,
                got.escape_ascii()
            )));
        }
        self.pos += 1;
        Ok(())
    }

    /// Reads the separator before a value; returns whether the value is a key.
    fn separate(&mut self) -> Result<bool> {
        let ctx = self.stack.last_mut().expect("the base context is never popped");
        let sep = ctx.next();
        let key = ctx.in_key();
        if let Some(sep) = sep {
            self.expect(sep)?;
        }
        Ok(key)
    }

    fn object_start(&mut self) -> Result<()> {
        self.separate()?;
        self.expect(b'{')?;
        self.stack.push(Context::Pair { first: true, colon: true });
        Ok(())
    }

    fn object_end(&mut self) -> Result<()> {
        self.expect(b'}')?;
        self.pop();
        Ok(())
    }

    fn array_start(&mut self) -> Result<()> {
        self.separate()?;
        self.expect(b'[')?;
        self.stack.push(Context::List { first: true });
        Ok(())
    }

    fn array_end(&mut self) -> Result<()> {
        self.expect(b']')?;
        self.pop();
        Ok(())
    }

    fn pop(&mut self) {
        if self.stack.len() > 1 {
            self.stack.pop();
        }
    }

    /// A JSON string (after its separator was read), unescaped and checked to be UTF-8.
    fn raw_string(&mut self) -> Result<String> {
        self.expect(b'"')?;
        let mut out: Vec<u8> = Vec::new();
        let mut high_surrogate: Option<u16> = None;
        loop {
            let start = self.pos;
            // Copy a run of plain bytes at once.
            while let Some(&b) = self.data.get(self.pos) {
                if b == b'"' || b == b'\\' {
                    break;
                }
                self.pos += 1;
            }
            if self.pos > start {
                if high_surrogate.is_some() {
                    return Err(Error::invalid("a high surrogate escape is not followed by a low one"));
                }
                out.extend_from_slice(&self.data[start..self.pos]);
            }
            if out.len() > self.limits.max_string_len {
                return Err(Error::new(
                    ErrorKind::SizeLimit,
                    format!("string longer than the limit of {} bytes", self.limits.max_string_len),
                ));
            }
            match self.data.get(self.pos) {
                None => return Err(Error::eof()),
                Some(b'"') => {
                    self.pos += 1;
                    if high_surrogate.is_some() {
                        return Err(Error::invalid("a high surrogate escape is not followed by a low one"));
                    }
                    return String::from_utf8(out)
                        .map_err(|e| Error::invalid("string is not valid UTF-8").with_source(e));
                }
                Some(_) => {
                    let escape = *self.data.get(self.pos + 1).ok_or_else(Error::eof)?;
                    self.pos += 2;
                    let simple = match escape {
                        b'"' => Some(b'"'),
                        b'\\' => Some(b'\\'),
                        b'/' => Some(b'/'),
                        b'b' => Some(b'\x08'),
                        b'f' => Some(b'\x0c'),
                        b'n' => Some(b'\n'),
                        b'r' => Some(b'\r'),
                        b't' => Some(b'\t'),
                        b'u' => None,
                        other => {
                            return Err(Error::invalid(format!(
                                "unknown escape `\\{}` in JSON string",
                                other.escape_ascii()
                            )));
                        }
                    };
                    if let Some(b) = simple {
                        if high_surrogate.is_some() {
                            return Err(Error::invalid(
                                "a high surrogate escape is not followed by a low one",
                            ));
                        }
                        out.push(b);
                        continue;
                    }
                    let hex = self.data.get(self.pos..self.pos + 4).ok_or_else(Error::eof)?;
                    let unit = std::str::from_utf8(hex)
                        .ok()
                        .and_then(|h| u16::from_str_radix(h, 16).ok())
                        .ok_or_else(|| Error::invalid("bad `\\u` escape in JSON string"))?;
                    self.pos += 4;
                    let ch = match (high_surrogate.take(), unit) {
                        (None, 0xd800..=0xdbff) => {
                            high_surrogate = Some(unit);
                            continue;
                        }
                        (Some(high), 0xdc00..=0xdfff) => {
                            let code =
                                0x10000 + ((u32::from(high) - 0xd800) << 10) + (u32::from(unit) - 0xdc00);
                            char::from_u32(code)
                        }
                        (None, 0xdc00..=0xdfff) => {
                            return Err(Error::invalid("a low surrogate escape without a high one"));
                        }
                        (Some(_), _) => {
                            return Err(Error::invalid(
                                "a high surrogate escape is not followed by a low one",
                            ));
                        }
                        (None, unit) => char::from_u32(u32::from(unit)),
                    };
                    let ch = ch.ok_or_else(|| Error::invalid("bad `\\u` escape in JSON string"))?;
                    let mut utf8 = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut utf8).as_bytes());
                }
            }
        }
    }

    fn string(&mut self) -> Result<String> {
        self.separate()?;
        self.raw_string()
    }

    /// The characters of a number: `+-.0-9Ee`.
    fn numeric(&mut self) -> Result<&'a str> {
        self.skip_ws();
        let start = self.pos;
        while let Some(b'+' | b'-' | b'.' | b'0'..=b'9' | b'e' | b'E') = self.data.get(self.pos) {
            self.pos += 1;
        }
        if self.pos == start {
            return match self.data.get(self.pos) {
                None => Err(Error::eof()),
                Some(b) => Err(Error::invalid(format!(
                    "expected a number in JSON at byte {}, found `{}`",
                    self.pos,
                    b.escape_ascii()
                ))),
            };
        }
        Ok(std::str::from_utf8(&self.data[start..self.pos]).expect("ASCII digits"))
    }

    fn integer(&mut self) -> Result<i64> {
        let key = self.separate()?;
        // Numbers are quoted in key position; accept them quoted anywhere.
        let quoted = key || self.peek()? == b'"';
        if quoted {
            self.expect(b'"')?;
        }
        let text = self.numeric()?;
        let value = text
            .parse::<i64>()
            .map_err(|e| Error::invalid(format!("{text:?} is not an integer")).with_source(e))?;
        if quoted {
            self.expect(b'"')?;
        }
        Ok(value)
    }

    fn double(&mut self) -> Result<f64> {
        self.separate()?;
        if self.peek()? == b'"' {
            let text = self.raw_string()?;
            return match text.as_str() {
                "NaN" => Ok(f64::NAN),
                "Infinity" => Ok(f64::INFINITY),
                "-Infinity" => Ok(f64::NEG_INFINITY),
                _ => text
                    .parse::<f64>()
                    .map_err(|e| Error::invalid(format!("{text:?} is not a number")).with_source(e)),
            };
        }
        // Apache's Python writer puts NaN and infinities unquoted: `nan`, `inf`, `-inf`.
        for (word, value) in [("nan", f64::NAN), ("inf", f64::INFINITY), ("-inf", f64::NEG_INFINITY)] {
            if self.data[self.pos..].starts_with(word.as_bytes()) {
                self.pos += word.len();
                return Ok(value);
            }
        }
        let text = self.numeric()?;
        text.parse::<f64>().map_err(|e| Error::invalid(format!("{text:?} is not a number")).with_source(e))
    }

    fn typed_integer<T: TryFrom<i64>>(&mut self, name: &str) -> Result<T> {
        let value = self.integer()?;
        T::try_from(value).map_err(|_| Error::invalid(format!("{value} is out of range for {name}")))
    }

    fn type_name(&mut self) -> Result<TType> {
        let name = self.string()?;
        type_of_name(&name)
    }

    fn collection_len(&mut self, min_size: usize) -> Result<usize> {
        let len = self.integer()?;
        check_container_len(len, min_size, &self.limits, self.data.len() - self.pos)
    }
}

impl ProtocolReader for JsonReader<'_> {
    fn max_skip_depth(&self) -> usize {
        self.limits.max_depth
    }

    fn read_message_begin(&mut self) -> Result<MessageHeader> {
        self.stack.truncate(1);
        self.array_start()?;
        let version = self.integer()?;
        if version != VERSION {
            return Err(Error::new(ErrorKind::BadVersion, format!("bad JSON protocol version {version}")));
        }
        let name = faststr::FastStr::from(self.string()?);
        let kind = MessageType::from_code(self.integer()?)?;
        let seq = self.typed_integer("i32")?;
        Ok(MessageHeader { name, kind, seq })
    }

    fn read_message_end(&mut self) -> Result<()> {
        self.array_end()
    }

    fn read_struct_begin(&mut self) -> Result<()> {
        self.depth.enter()?;
        self.object_start()
    }

    fn read_struct_end(&mut self) -> Result<()> {
        self.depth.leave();
        self.object_end()
    }

    fn read_field_begin(&mut self) -> Result<FieldHeader> {
        if self.peek()? == b'}' {
            return Ok(FieldHeader { ttype: TType::Stop, id: 0 });
        }
        let id = self.typed_integer("a field id")?;
        self.object_start()?;
        let ttype = self.type_name()?;
        Ok(FieldHeader { ttype, id })
    }

    fn read_field_end(&mut self) -> Result<()> {
        self.object_end()
    }

    fn read_bool(&mut self) -> Result<bool> {
        Ok(self.integer()? != 0)
    }

    fn read_i8(&mut self) -> Result<i8> {
        self.typed_integer("i8")
    }

    fn read_i16(&mut self) -> Result<i16> {
        self.typed_integer("i16")
    }

    fn read_i32(&mut self) -> Result<i32> {
        self.typed_integer("i32")
    }

    fn read_i64(&mut self) -> Result<i64> {
        self.integer()
    }

    fn read_double(&mut self) -> Result<f64> {
        self.double()
    }

    fn read_string(&mut self) -> Result<String> {
        self.string()
    }

    fn read_binary(&mut self) -> Result<Vec<u8>> {
        let text = self.string()?;
        LENIENT_BASE64
            .decode(text.as_bytes())
            .map_err(|e| Error::invalid("binary value is not base64").with_source(e))
    }

    fn read_uuid(&mut self) -> Result<[u8; 16]> {
        let text = self.string()?;
        parse_uuid(&text)
    }

    /// A string or base64 binary: either way a JSON string, read without decoding it.
    fn skip_binary(&mut self) -> Result<()> {
        self.string().map(drop)
    }

    fn read_list_begin(&mut self) -> Result<ListHeader> {
        self.array_start()?;
        let elem = self.type_name()?;
        let len = self.collection_len(1)?;
        Ok(ListHeader { elem, len })
    }

    fn read_list_end(&mut self) -> Result<()> {
        self.array_end()
    }

    fn read_set_begin(&mut self) -> Result<ListHeader> {
        self.read_list_begin()
    }

    fn read_set_end(&mut self) -> Result<()> {
        self.read_list_end()
    }

    fn read_map_begin(&mut self) -> Result<MapHeader> {
        self.array_start()?;
        let key = self.type_name()?;
        let value = self.type_name()?;
        let len = self.collection_len(2)?;
        self.object_start()?;
        Ok(MapHeader { key, value, len })
    }

    fn read_map_end(&mut self) -> Result<()> {
        self.object_end()?;
        self.array_end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g17_matches_c() {
        let cases = [
            (0.75, "0.75"),
            (0.1, "0.10000000000000001"),
            (1e100, "1e+100"),
            (-1.5e-7, "-1.4999999999999999e-07"),
            (123456789.0, "123456789"),
            (1e16, "10000000000000000"),
            (1e17, "1e+17"),
            (0.0001, "0.0001"),
            (0.00001, "1.0000000000000001e-05"),
            (-0.0, "-0"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
            (5e-324, "4.9406564584124654e-324"),
            (3.0, "3"),
            (-5.235098235, "-5.2350982349999997"),
        ];
        for (value, want) in cases {
            assert_eq!(format_g17(value), want, "{value:e}");
        }
    }

    #[test]
    fn strings_escape_like_the_reference() {
        let mut buf = Vec::new();
        write_json_string(&mut buf, "a\"b\\c/d\n\x01é");
        assert_eq!(String::from_utf8(buf).unwrap(), "\"a\\\"b\\\\c/d\\n\\u0001é\"");
    }

    #[test]
    fn uuids() {
        let u = parse_uuid("00112233-4455-6677-8899-aabbccddeeff").unwrap();
        assert_eq!(format_uuid(&u), "00112233-4455-6677-8899-aabbccddeeff");
        assert!(parse_uuid("{00112233-4455-6677-8899-AABBCCDDEEFF}").is_ok());
        assert!(parse_uuid("00112233-4455-6677-8899-aabbccddeef").is_err());
    }

    #[test]
    fn surrogate_pairs_and_escapes() {
        let mut r = JsonReader::new(br#""\ud83d\ude00 \u00e9 \/ \t""#);
        assert_eq!(r.read_string().unwrap(), "😀 é / \t");
        let mut r = JsonReader::new(br#""\ud83d x""#);
        assert!(r.read_string().is_err());
    }
}
