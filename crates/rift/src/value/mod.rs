//! The value traits: how a Rust value is written and read in any protocol, and their
//! implementations for the standard types Thrift types map to.
//!
//! Generated structs, the dynamic mode and hand-written types implement [`Encode`] and
//! [`Decode`]; both are generic over the protocol, so each protocol is compiled in.

mod collections;
mod uuid;

use bytes::Bytes;
use faststr::FastStr;

pub use collections::{MapVec, SetVec, check_elem, initial_capacity};
pub use uuid::Uuid;

use crate::error::Result;
use crate::protocol::{ProtocolReader, ProtocolWriter, TType};

/// A value that can be written in any protocol.
pub trait Encode {
    /// The type this value has on the wire.
    const TTYPE: TType;

    /// Writes the value.
    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()>;

    /// Writes the elements of a collection of this type (after its header). Scalars
    /// override it so that protocols can write them in one go.
    #[doc(hidden)]
    #[inline]
    fn encode_elements<'a, W, I>(items: I, w: &mut W) -> Result<()>
    where
        Self: 'a,
        W: ProtocolWriter + ?Sized,
        I: IntoIterator<Item = &'a Self>,
    {
        items.into_iter().try_for_each(|item| item.encode(w))
    }

    /// Writes a slice of values: [`Encode::encode_elements`] by default.
    #[doc(hidden)]
    #[inline]
    fn encode_slice<W: ProtocolWriter + ?Sized>(items: &[Self], w: &mut W) -> Result<()>
    where
        Self: Sized,
    {
        Self::encode_elements(items, w)
    }
}

/// A value that can be read from any protocol.
pub trait Decode: Sized {
    /// The type this value has on the wire.
    const TTYPE: TType;

    /// Reads the value.
    fn decode<R: ProtocolReader + ?Sized>(r: &mut R) -> Result<Self>;

    /// Reads `len` elements of a list of this type (after its header) into `out`.
    /// Scalars override it so that protocols can read them in one go.
    #[doc(hidden)]
    #[inline]
    fn decode_elements<R: ProtocolReader + ?Sized>(r: &mut R, len: usize, out: &mut Vec<Self>) -> Result<()> {
        for i in 0..len {
            out.push(Self::decode(r).map_err(|e| e.at_index(i))?);
        }
        Ok(())
    }
}

impl<T: Encode + ?Sized> Encode for &T {
    const TTYPE: TType = T::TTYPE;

    #[inline]
    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
        (**self).encode(w)
    }
}

impl<T: Encode + ?Sized> Encode for Box<T> {
    const TTYPE: TType = T::TTYPE;

    #[inline]
    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
        (**self).encode(w)
    }
}

impl<T: Decode> Decode for Box<T> {
    const TTYPE: TType = T::TTYPE;

    #[inline]
    fn decode<R: ProtocolReader + ?Sized>(r: &mut R) -> Result<Self> {
        T::decode(r).map(Box::new)
    }
}

impl<T: Encode> Encode for std::sync::Arc<T> {
    const TTYPE: TType = T::TTYPE;

    #[inline]
    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
        (**self).encode(w)
    }
}

impl<T: Decode> Decode for std::sync::Arc<T> {
    const TTYPE: TType = T::TTYPE;

    #[inline]
    fn decode<R: ProtocolReader + ?Sized>(r: &mut R) -> Result<Self> {
        T::decode(r).map(std::sync::Arc::new)
    }
}

macro_rules! scalar {
    ($ty:ty, $ttype:ident, $write:ident, $read:ident $(, $elements:ident, $read_elements:ident)?) => {
        impl Encode for $ty {
            const TTYPE: TType = TType::$ttype;

            #[inline]
            fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
                w.$write(*self)
            }

            $(
                #[inline]
                fn encode_slice<W: ProtocolWriter + ?Sized>(items: &[Self], w: &mut W) -> Result<()> {
                    w.$elements(items)
                }
            )?
        }

        impl Decode for $ty {
            const TTYPE: TType = TType::$ttype;

            #[inline]
            fn decode<R: ProtocolReader + ?Sized>(r: &mut R) -> Result<Self> {
                r.$read()
            }

            $(
                #[inline]
                fn decode_elements<R: ProtocolReader + ?Sized>(r: &mut R, len: usize, out: &mut Vec<Self>) -> Result<()> {
                    r.$read_elements(len, out)
                }
            )?
        }
    };
}

scalar!(bool, Bool, write_bool, read_bool);
scalar!(i8, I8, write_i8, read_i8);
scalar!(i16, I16, write_i16, read_i16);
scalar!(i32, I32, write_i32, read_i32, write_i32_elements, read_i32_elements);
scalar!(i64, I64, write_i64, read_i64, write_i64_elements, read_i64_elements);
scalar!(f64, Double, write_double, read_double, write_double_elements, read_double_elements);

impl Encode for str {
    const TTYPE: TType = TType::String;

    #[inline]
    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_string(self)
    }
}

impl Encode for String {
    const TTYPE: TType = TType::String;

    #[inline]
    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_string(self)
    }
}

impl Decode for String {
    const TTYPE: TType = TType::String;

    #[inline]
    fn decode<R: ProtocolReader + ?Sized>(r: &mut R) -> Result<Self> {
        r.read_string()
    }
}

/// `string` as a [`FastStr`]: decoding from a reader made from `Bytes` checks the
/// UTF-8 once and copies nothing.
impl Encode for FastStr {
    const TTYPE: TType = TType::String;

    #[inline]
    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_string(self)
    }
}

impl Decode for FastStr {
    const TTYPE: TType = TType::String;

    #[inline]
    fn decode<R: ProtocolReader + ?Sized>(r: &mut R) -> Result<Self> {
        r.read_text()
    }
}

/// `binary` as `Vec<u8>`. (There is no Thrift type for a `u8` alone, so `Vec<u8>` is
/// always `binary`, never a list.)
impl Encode for Vec<u8> {
    const TTYPE: TType = TType::String;

    #[inline]
    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_binary(self)
    }
}

impl Decode for Vec<u8> {
    const TTYPE: TType = TType::String;

    #[inline]
    fn decode<R: ProtocolReader + ?Sized>(r: &mut R) -> Result<Self> {
        r.read_binary()
    }
}

impl Encode for [u8] {
    const TTYPE: TType = TType::String;

    #[inline]
    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_binary(self)
    }
}

/// `binary` as `Bytes`: decoding from a reader made from `Bytes` copies nothing.
impl Encode for Bytes {
    const TTYPE: TType = TType::String;

    #[inline]
    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_binary(self)
    }
}

impl Decode for Bytes {
    const TTYPE: TType = TType::String;

    #[inline]
    fn decode<R: ProtocolReader + ?Sized>(r: &mut R) -> Result<Self> {
        r.read_bytes()
    }
}
