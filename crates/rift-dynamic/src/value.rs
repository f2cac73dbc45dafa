//! Values as the wire holds them.

use rift::FastStr;
use rift::bytes::Bytes;

/// A Thrift value, typed by a schema outside it.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `bool`.
    Bool(bool),
    /// `i8` (`byte`).
    I8(i8),
    /// `i16`.
    I16(i16),
    /// `i32`, and enums by number.
    I32(i32),
    /// `i64`.
    I64(i64),
    /// `double`.
    Double(f64),
    /// `string`.
    String(FastStr),
    /// `binary`.
    Binary(Bytes),
    /// `uuid`, its 16 bytes in the order written.
    Uuid([u8; 16]),
    /// `list`.
    List(Vec<Value>),
    /// `set`, in the order of the wire.
    Set(Vec<Value>),
    /// `map`, in the order of the wire.
    Map(Vec<(Value, Value)>),
    /// `struct`, `union` and `exception`.
    Struct(Struct),
}

/// The fields of a struct, union or exception that are set, by id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Struct {
    /// `(id, value)`, in the order read or set.
    pub fields: Vec<(i16, Value)>,
}

impl Struct {
    /// The value of field `id`, if set.
    pub fn get(&self, id: i16) -> Option<&Value> {
        self.fields.iter().find(|(i, _)| *i == id).map(|(_, v)| v)
    }

    /// Sets field `id`, replacing its value if it was set.
    pub fn set(&mut self, id: i16, value: Value) {
        match self.fields.iter_mut().find(|(i, _)| *i == id) {
            Some(slot) => slot.1 = value,
            None => self.fields.push((id, value)),
        }
    }
}
