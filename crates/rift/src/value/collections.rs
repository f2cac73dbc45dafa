//! Lists, sets and maps: `Vec`, the standard sets and maps, and `SetVec`/`MapVec` for
//! elements that can be neither ordered nor hashed.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasher, Hash};

use crate::error::{Error, Result};
use crate::protocol::{ProtocolReader, ProtocolWriter, TType};
use crate::value::{Decode, Encode};

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
