//! The multiplexed protocol: several services on one connection, told apart by a
//! `"Service:method"` name on calls.

use super::ProtocolWriter;
use crate::error::Result;
use crate::protocol::{MessageType, TType};

/// The separator between service and method names.
pub const SEPARATOR: char = ':';

/// Splits a multiplexed method name at its first `:` into service and method.
pub fn split_service(name: &str) -> Option<(&str, &str)> {
    name.split_once(SEPARATOR)
}

/// A writer that prefixes the method name of calls and oneway calls with
/// `"Service:"`, as Apache's `TMultiplexedProtocol` does; replies are unchanged.
#[derive(Debug)]
pub struct MultiplexedWriter<'s, W> {
    inner: W,
    service: &'s str,
    name: String,
}

impl<'s, W: ProtocolWriter> MultiplexedWriter<'s, W> {
    /// Wraps `inner` for calls to `service`.
    pub fn new(inner: W, service: &'s str) -> MultiplexedWriter<'s, W> {
        MultiplexedWriter { inner, service, name: String::new() }
    }

    /// The wrapped writer.
    pub fn into_inner(self) -> W {
        self.inner
    }
}

macro_rules! delegate {
    ($($name:ident($($arg:ident: $ty:ty),*);)*) => {
        $(
            #[inline]
            fn $name(&mut self, $($arg: $ty),*) -> Result<()> {
                self.inner.$name($($arg),*)
            }
        )*
    };
}

impl<W: ProtocolWriter> ProtocolWriter for MultiplexedWriter<'_, W> {
    fn write_message_begin(&mut self, name: &str, kind: MessageType, seq: i32) -> Result<()> {
        match kind {
            MessageType::Call | MessageType::Oneway => {
                self.name.clear();
                self.name.push_str(self.service);
                self.name.push(SEPARATOR);
                self.name.push_str(name);
                self.inner.write_message_begin(&self.name, kind, seq)
            }
            MessageType::Reply | MessageType::Exception => self.inner.write_message_begin(name, kind, seq),
        }
    }

    delegate! {
        write_message_end();
        write_struct_begin(name: &str);
        write_struct_end();
        write_field_begin(name: &str, ttype: TType, id: i16);
        write_field_end();
        write_field_stop();
        write_bool(value: bool);
        write_i8(value: i8);
        write_i16(value: i16);
        write_i32(value: i32);
        write_i64(value: i64);
        write_double(value: f64);
        write_string(value: &str);
        write_binary(value: &[u8]);
        write_uuid(value: &[u8; 16]);
        write_list_begin(elem: TType, len: usize);
        write_list_end();
        write_set_begin(elem: TType, len: usize);
        write_set_end();
        write_map_begin(key: TType, value: TType, len: usize);
        write_map_end();
    }
}
