//! The `uuid` type: 16 bytes, written in network order.

use crate::error::{Error, Result};
use crate::protocol::{ProtocolReader, ProtocolWriter, TType};
use crate::value::{Decode, Encode};

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
