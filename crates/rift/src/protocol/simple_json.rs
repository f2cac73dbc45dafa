//! TSimpleJSONProtocol: readable, write-only JSON, as Apache's Python library writes it.
//!
//! Structs are objects keyed by field name, lists and sets are arrays, maps are objects,
//! bools are `1`/`0`, binary is base64, doubles are written as Python prints them. A
//! message writes only its body. There is no reader: field names and types are lost.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::json::{format_uuid, write_json_string};
use super::{Depth, ProtocolWriter, checked_len};
use crate::error::Result;
use crate::limits::Limits;
use crate::protocol::{MessageType, TType};

#[derive(Copy, Clone, Debug)]
enum Context {
    Base,
    List { first: bool },
    Pair { first: bool, colon: bool },
}

/// Writes TSimpleJSONProtocol into a buffer.
#[derive(Debug)]
pub struct SimpleJsonWriter<'a> {
    buf: &'a mut Vec<u8>,
    stack: Vec<Context>,
    depth: Depth,
}

impl<'a> SimpleJsonWriter<'a> {
    /// A writer that appends to `buf`.
    pub fn new(buf: &'a mut Vec<u8>) -> SimpleJsonWriter<'a> {
        SimpleJsonWriter::with_limits(buf, &Limits::default())
    }

    /// A writer with the nesting limit of `limits`.
    pub fn with_limits(buf: &'a mut Vec<u8>, limits: &Limits) -> SimpleJsonWriter<'a> {
        SimpleJsonWriter { buf, stack: vec![Context::Base], depth: Depth::new(limits.max_depth) }
    }

    /// Writes the separator before a value; returns whether the value is an object key.
    fn separate(&mut self) -> bool {
        let ctx = self.stack.last_mut().expect("the base context is never popped");
        let (sep, key) = match ctx {
            Context::Base => (None, false),
            Context::List { first } => {
                (if std::mem::replace(first, false) { None } else { Some(b',') }, false)
            }
            Context::Pair { first, colon } => {
                if std::mem::replace(first, false) {
                    *colon = true;
                    (None, true)
                } else {
                    let sep = if *colon { b':' } else { b',' };
                    *colon = !*colon;
                    (Some(sep), *colon)
                }
            }
        };
        if let Some(sep) = sep {
            self.buf.push(sep);
        }
        key
    }

    fn number(&mut self, text: &str) {
        if self.separate() {
            self.buf.push(b'"');
            self.buf.extend_from_slice(text.as_bytes());
            self.buf.push(b'"');
        } else {
            self.buf.extend_from_slice(text.as_bytes());
        }
    }

    fn open(&mut self, bracket: u8, ctx: Context) {
        self.separate();
        self.buf.push(bracket);
        self.stack.push(ctx);
    }

    fn close(&mut self, bracket: u8) {
        if self.stack.len() > 1 {
            self.stack.pop();
        }
        self.buf.push(bracket);
    }
}

/// Formats a double as Python's `str(float)`: the shortest digits that read back the
/// same value, in exponent form below 1e-4 and from 1e16.
pub(crate) fn format_python(value: f64) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    if value == 0.0 {
        return if value.is_sign_negative() { "-0.0".into() } else { "0.0".into() };
    }
    let sci = format!("{value:e}");
    let (mantissa, exponent) = sci.split_once('e').expect("exponent form");
    let exponent: i32 = exponent.parse().expect("an integer exponent");
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::from(if negative { "-" } else { "" });
    if (-4..16).contains(&exponent) {
        if exponent < 0 {
            out.push_str("0.");
            out.push_str(&"0".repeat((-exponent - 1) as usize));
            out.push_str(&digits);
        } else {
            let point = exponent as usize + 1;
            if digits.len() <= point {
                out.push_str(&digits);
                out.push_str(&"0".repeat(point - digits.len()));
                out.push_str(".0");
            } else {
                out.push_str(&digits[..point]);
                out.push('.');
                out.push_str(&digits[point..]);
            }
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exponent < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exponent.abs()));
    }
    out
}

impl ProtocolWriter for SimpleJsonWriter<'_> {
    fn write_message_begin(&mut self, _name: &str, _kind: MessageType, _seq: i32) -> Result<()> {
        self.stack.truncate(1);
        Ok(())
    }

    fn write_message_end(&mut self) -> Result<()> {
        Ok(())
    }

    fn write_struct_begin(&mut self, _name: &str) -> Result<()> {
        self.depth.enter()?;
        self.open(b'{', Context::Pair { first: true, colon: true });
        Ok(())
    }

    fn write_struct_end(&mut self) -> Result<()> {
        self.depth.leave();
        self.close(b'}');
        Ok(())
    }

    fn write_field_begin(&mut self, name: &str, _ttype: TType, _id: i16) -> Result<()> {
        self.separate();
        write_json_string(self.buf, name);
        Ok(())
    }

    fn write_field_end(&mut self) -> Result<()> {
        Ok(())
    }

    fn write_field_stop(&mut self) -> Result<()> {
        Ok(())
    }

    fn write_bool(&mut self, value: bool) -> Result<()> {
        self.number(if value { "1" } else { "0" });
        Ok(())
    }

    fn write_i8(&mut self, value: i8) -> Result<()> {
        self.number(&value.to_string());
        Ok(())
    }

    fn write_i16(&mut self, value: i16) -> Result<()> {
        self.number(&value.to_string());
        Ok(())
    }

    fn write_i32(&mut self, value: i32) -> Result<()> {
        self.number(&value.to_string());
        Ok(())
    }

    fn write_i64(&mut self, value: i64) -> Result<()> {
        self.number(&value.to_string());
        Ok(())
    }

    fn write_double(&mut self, value: f64) -> Result<()> {
        if value.is_finite() {
            self.number(&format_python(value));
        } else {
            // Python would write a bare `inf`, which is not JSON; write a string.
            self.separate();
            write_json_string(self.buf, &format_python(value));
        }
        Ok(())
    }

    fn write_string(&mut self, value: &str) -> Result<()> {
        checked_len(value.len())?;
        self.separate();
        write_json_string(self.buf, value);
        Ok(())
    }

    fn write_binary(&mut self, value: &[u8]) -> Result<()> {
        checked_len(value.len())?;
        self.separate();
        self.buf.push(b'"');
        self.buf.extend_from_slice(STANDARD.encode(value).as_bytes());
        self.buf.push(b'"');
        Ok(())
    }

    fn write_uuid(&mut self, value: &[u8; 16]) -> Result<()> {
        self.separate();
        write_json_string(self.buf, &format_uuid(value));
        Ok(())
    }

    fn write_list_begin(&mut self, _elem: TType, _len: usize) -> Result<()> {
        self.open(b'[', Context::List { first: true });
        Ok(())
    }

    fn write_list_end(&mut self) -> Result<()> {
        self.close(b']');
        Ok(())
    }

    fn write_set_begin(&mut self, elem: TType, len: usize) -> Result<()> {
        self.write_list_begin(elem, len)
    }

    fn write_set_end(&mut self) -> Result<()> {
        self.write_list_end()
    }

    fn write_map_begin(&mut self, _key: TType, _value: TType, _len: usize) -> Result<()> {
        self.open(b'{', Context::Pair { first: true, colon: true });
        Ok(())
    }

    fn write_map_end(&mut self) -> Result<()> {
        self.close(b'}');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::format_python;

    #[test]
    fn doubles_print_as_python() {
        let cases = [
            (0.75, "0.75"),
            (0.1, "0.1"),
            (1e100, "1e+100"),
            (-1.5e-7, "-1.5e-07"),
            (123456789.0, "123456789.0"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-0.0, "-0.0"),
            (3.0, "3.0"),
            (-5.235098235, "-5.235098235"),
            (5e-324, "5e-324"),
        ];
        for (value, want) in cases {
            assert_eq!(format_python(value), want);
        }
    }
}
