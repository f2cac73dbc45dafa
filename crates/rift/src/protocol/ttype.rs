//! The type codes of the wire, message kinds, and the headers protocols read.

use crate::error::{Error, Result};

/// The type of a value on the wire, with Apache Thrift's codes (as the binary and JSON
/// protocols number them).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum TType {
    /// The end of a struct's fields.
    Stop = 0,
    /// No value (function results only).
    Void = 1,
    /// `bool`.
    Bool = 2,
    /// `i8` (`byte`).
    I8 = 3,
    /// `double`.
    Double = 4,
    /// `i16`.
    I16 = 6,
    /// `i32`, and enums.
    I32 = 8,
    /// `i64`.
    I64 = 10,
    /// `string` and `binary`.
    String = 11,
    /// `struct`, `union` and `exception`.
    Struct = 12,
    /// `map`.
    Map = 13,
    /// `set`.
    Set = 14,
    /// `list`.
    List = 15,
    /// `uuid`.
    Uuid = 16,
}

impl TType {
    /// The type with this code.
    #[inline]
    pub fn from_code(code: u8) -> Result<TType> {
        Ok(match code {
            0 => TType::Stop,
            1 => TType::Void,
            2 => TType::Bool,
            3 => TType::I8,
            4 => TType::Double,
            6 => TType::I16,
            8 => TType::I32,
            10 => TType::I64,
            11 => TType::String,
            12 => TType::Struct,
            13 => TType::Map,
            14 => TType::Set,
            15 => TType::List,
            16 => TType::Uuid,
            _ => return Err(unknown_type(code)),
        })
    }

    /// The code.
    pub fn code(self) -> u8 {
        self as u8
    }
}

#[cold]
fn unknown_type(code: u8) -> Error {
    Error::invalid(format!("unknown type code {code}"))
}

/// The kind of a message.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum MessageType {
    /// A request that expects a reply.
    Call = 1,
    /// A successful reply (which may carry a declared exception).
    Reply = 2,
    /// A `TApplicationException` instead of a reply.
    Exception = 3,
    /// A request that expects no reply.
    Oneway = 4,
}

impl MessageType {
    /// The kind with this code.
    pub fn from_code(code: i64) -> Result<MessageType> {
        Ok(match code {
            1 => MessageType::Call,
            2 => MessageType::Reply,
            3 => MessageType::Exception,
            4 => MessageType::Oneway,
            _ => {
                return Err(Error::new(
                    crate::ErrorKind::InvalidData,
                    format!("unknown message type {code}"),
                ));
            }
        })
    }
}

/// The envelope of a message: method name, kind and sequence id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageHeader {
    /// The method (for a multiplexed call, `"Service:method"`): a slice of the message
    /// when it was read from `Bytes`.
    pub name: faststr::FastStr,
    /// Call, reply, exception or oneway.
    pub kind: MessageType,
    /// Matches a reply to its call.
    pub seq: i32,
}

/// The header of a field as read: its type and id; `ttype` is `Stop` after the last field.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct FieldHeader {
    /// The type of the value that follows.
    pub ttype: TType,
    /// The field id.
    pub id: i16,
}

/// The header of a list or set: element type and count.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ListHeader {
    /// The type of each element.
    pub elem: TType,
    /// The number of elements (checked against the limits and the remaining input).
    pub len: usize,
}

/// The header of a map: key and value types and entry count. An empty map may carry no
/// types (compact): they are then `Stop`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct MapHeader {
    /// The type of the keys.
    pub key: TType,
    /// The type of the values.
    pub value: TType,
    /// The number of entries.
    pub len: usize,
}
