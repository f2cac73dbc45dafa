//! The value traits: how a Rust value is written and read in any protocol, and their
//! implementations for the standard types Thrift types map to.
//!
//! Generated structs, the dynamic mode and hand-written types implement [`Encode`] and
//! [`Decode`]; both are generic over the protocol, so each protocol is compiled in.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasher, Hash};

use bytes::Bytes;

use crate::error::{Error, Result};
use crate::protocol::{ProtocolReader, ProtocolWriter};
use crate::ttype::TType;

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

/// A `uuid`: 16 bytes in network order (the order in which the text form is written).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uuid(pub [u8; 16]);

impl Uuid {
    /// The nil uuid.
    pub const NIL: Uuid = Uuid([0; 16]);

    /// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, with or without braces.
    pub fn parse(text: &str) -> Result<Uuid> {
        crate::protocol::json::parse_uuid(text).map(Uuid)
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

impl std::fmt::Display for Uuid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::protocol::json::format_uuid(&self.0))
    }
}

impl std::str::FromStr for Uuid {
    type Err = Error;

    fn from_str(s: &str) -> Result<Uuid> {
        Uuid::parse(s)
    }
}

/// A `uuid` is its text form in serde (`"00112233-4455-6677-8899-aabbccddeeff"`).
#[cfg(feature = "serde")]
impl serde::Serialize for Uuid {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Uuid {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl Encode for Uuid {
    const TTYPE: TType = TType::Uuid;

    #[inline]
    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_uuid(&self.0)
    }
}

impl Decode for Uuid {
    const TTYPE: TType = TType::Uuid;

    #[inline]
    fn decode<R: ProtocolReader + ?Sized>(r: &mut R) -> Result<Self> {
        r.read_uuid().map(Uuid)
    }
}

/// Checks that the elements on the wire have the type the Rust collection holds. An
/// empty collection may name any type (compact writes none for an empty map).
#[inline]
pub fn check_elem(found: TType, expected: TType, len: usize) -> Result<()> {
    if len == 0 || found == expected {
        Ok(())
    } else {
        Err(Error::invalid(format!("collection elements are {found:?} on the wire, expected {expected:?}")))
    }
}

/// How many elements to reserve room for before reading a collection: the declared
/// length was checked against the input, but an element in memory can be much larger
/// than on the wire, so reserve at most about a megabyte up front and grow from there.
#[inline]
pub fn initial_capacity<T>(len: usize) -> usize {
    let size = std::mem::size_of::<T>().max(1);
    len.min((1 << 20) / size)
}

impl<T: Encode> Encode for Vec<T> {
    const TTYPE: TType = TType::List;

    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_list_begin(T::TTYPE, self.len())?;
        T::encode_slice(self, w)?;
        w.write_list_end()
    }
}

impl<T: Encode> Encode for [T] {
    const TTYPE: TType = TType::List;

    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_list_begin(T::TTYPE, self.len())?;
        T::encode_slice(self, w)?;
        w.write_list_end()
    }
}

macro_rules! encode_list_like {
    ($ty:ident, $ttype:ident, $begin:ident, $end:ident $(, $s:ident)?) => {
        impl<T: Encode $(, $s)?> Encode for $ty<T $(, $s)?> {
            const TTYPE: TType = TType::$ttype;

            fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
                w.$begin(T::TTYPE, self.len())?;
                T::encode_elements(self, w)?;
                w.$end()
            }
        }
    };
}

encode_list_like!(HashSet, Set, write_set_begin, write_set_end, S);
encode_list_like!(BTreeSet, Set, write_set_begin, write_set_end);

impl<T: Decode> Decode for Vec<T> {
    const TTYPE: TType = TType::List;

    fn decode<R: ProtocolReader + ?Sized>(r: &mut R) -> Result<Self> {
        let header = r.read_list_begin()?;
        check_elem(header.elem, T::TTYPE, header.len)?;
        let mut out = Vec::with_capacity(initial_capacity::<T>(header.len));
        T::decode_elements(r, header.len, &mut out)?;
        r.read_list_end()?;
        Ok(out)
    }
}

impl<T: Decode + Eq + Hash, S: BuildHasher + Default> Decode for HashSet<T, S> {
    const TTYPE: TType = TType::Set;

    fn decode<R: ProtocolReader + ?Sized>(r: &mut R) -> Result<Self> {
        let header = r.read_set_begin()?;
        check_elem(header.elem, T::TTYPE, header.len)?;
        let mut out = HashSet::with_capacity_and_hasher(initial_capacity::<T>(header.len), S::default());
        for i in 0..header.len {
            out.insert(T::decode(r).map_err(|e| e.at_index(i))?);
        }
        r.read_set_end()?;
        Ok(out)
    }
}

impl<T: Decode + Ord> Decode for BTreeSet<T> {
    const TTYPE: TType = TType::Set;

    fn decode<R: ProtocolReader + ?Sized>(r: &mut R) -> Result<Self> {
        let header = r.read_set_begin()?;
        check_elem(header.elem, T::TTYPE, header.len)?;
        let mut out = BTreeSet::new();
        for i in 0..header.len {
            out.insert(T::decode(r).map_err(|e| e.at_index(i))?);
        }
        r.read_set_end()?;
        Ok(out)
    }
}

impl<K: Encode, V: Encode, S> Encode for HashMap<K, V, S> {
    const TTYPE: TType = TType::Map;

    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_map_begin(K::TTYPE, V::TTYPE, self.len())?;
        for (k, v) in self {
            k.encode(w)?;
            v.encode(w)?;
        }
        w.write_map_end()
    }
}

impl<K: Encode, V: Encode> Encode for BTreeMap<K, V> {
    const TTYPE: TType = TType::Map;

    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_map_begin(K::TTYPE, V::TTYPE, self.len())?;
        for (k, v) in self {
            k.encode(w)?;
            v.encode(w)?;
        }
        w.write_map_end()
    }
}

impl<K: Decode + Eq + Hash, V: Decode, S: BuildHasher + Default> Decode for HashMap<K, V, S> {
    const TTYPE: TType = TType::Map;

    fn decode<R: ProtocolReader + ?Sized>(r: &mut R) -> Result<Self> {
        let header = r.read_map_begin()?;
        check_elem(header.key, K::TTYPE, header.len)?;
        check_elem(header.value, V::TTYPE, header.len)?;
        let mut out = HashMap::with_capacity_and_hasher(initial_capacity::<(K, V)>(header.len), S::default());
        for i in 0..header.len {
            let k = K::decode(r).map_err(|e| e.at_index(i))?;
            let v = V::decode(r).map_err(|e| e.at_index(i))?;
            out.insert(k, v);
        }
        r.read_map_end()?;
        Ok(out)
    }
}

impl<K: Decode + Ord, V: Decode> Decode for BTreeMap<K, V> {
    const TTYPE: TType = TType::Map;

    fn decode<R: ProtocolReader + ?Sized>(r: &mut R) -> Result<Self> {
        let header = r.read_map_begin()?;
        check_elem(header.key, K::TTYPE, header.len)?;
        check_elem(header.value, V::TTYPE, header.len)?;
        let mut out = BTreeMap::new();
        for i in 0..header.len {
            let k = K::decode(r).map_err(|e| e.at_index(i))?;
            let v = V::decode(r).map_err(|e| e.at_index(i))?;
            out.insert(k, v);
        }
        r.read_map_end()?;
        Ok(out)
    }
}

/// A `set` whose elements cannot be ordered or hashed (they contain a `double`), kept
/// as a list in the order received.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(transparent))]
pub struct SetVec<T>(pub Vec<T>);

/// A `map` whose keys cannot be ordered or hashed (they contain a `double`), kept as
/// a list of entries in the order received.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(transparent))]
pub struct MapVec<K, V>(pub Vec<(K, V)>);

impl<T: Encode> Encode for SetVec<T> {
    const TTYPE: TType = TType::Set;

    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_set_begin(T::TTYPE, self.0.len())?;
        T::encode_slice(&self.0, w)?;
        w.write_set_end()
    }
}

impl<T: Decode> Decode for SetVec<T> {
    const TTYPE: TType = TType::Set;

    fn decode<R: ProtocolReader + ?Sized>(r: &mut R) -> Result<Self> {
        let header = r.read_set_begin()?;
        check_elem(header.elem, T::TTYPE, header.len)?;
        let mut out = Vec::with_capacity(initial_capacity::<T>(header.len));
        T::decode_elements(r, header.len, &mut out)?;
        r.read_set_end()?;
        Ok(SetVec(out))
    }
}

impl<K: Encode, V: Encode> Encode for MapVec<K, V> {
    const TTYPE: TType = TType::Map;

    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_map_begin(K::TTYPE, V::TTYPE, self.0.len())?;
        for (k, v) in &self.0 {
            k.encode(w)?;
            v.encode(w)?;
        }
        w.write_map_end()
    }
}

impl<K: Decode, V: Decode> Decode for MapVec<K, V> {
    const TTYPE: TType = TType::Map;

    fn decode<R: ProtocolReader + ?Sized>(r: &mut R) -> Result<Self> {
        let header = r.read_map_begin()?;
        check_elem(header.key, K::TTYPE, header.len)?;
        check_elem(header.value, V::TTYPE, header.len)?;
        let mut out = Vec::with_capacity(initial_capacity::<(K, V)>(header.len));
        for i in 0..header.len {
            let k = K::decode(r).map_err(|e| e.at_index(i))?;
            let v = V::decode(r).map_err(|e| e.at_index(i))?;
            out.push((k, v));
        }
        r.read_map_end()?;
        Ok(MapVec(out))
    }
}
