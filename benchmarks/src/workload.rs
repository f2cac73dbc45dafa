//! The standard workload of `../shared/bench/`: the types of `bench.thrift` written as
//! generated code writes them, and the standard and large messages built exactly as the
//! workload's README says.

use rift::collections::{HashMap, HashSet};
use rift::{Decode, Encode, Error, FastStr, ProtocolReader, ProtocolWriter, Result, TType};

/// `enum Status`.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Status(pub i32);

impl Status {
    /// `OK`.
    pub const OK: Status = Status(0);
}

impl Encode for Status {
    const TTYPE: TType = TType::I32;
    #[inline]
    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_i32(self.0)
    }
}

impl Decode for Status {
    const TTYPE: TType = TType::I32;
    #[inline]
    fn decode<R: ProtocolReader + ?Sized>(r: &mut R) -> Result<Self> {
        r.read_i32().map(Status)
    }
}

/// `struct Point`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Point {
    /// `1: required double lat`
    pub lat: f64,
    /// `2: required double lon`
    pub lon: f64,
}

impl Encode for Point {
    const TTYPE: TType = TType::Struct;
    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_struct_begin("Point")?;
        w.write_field_begin("lat", TType::Double, 1)?;
        w.write_double(self.lat)?;
        w.write_field_end()?;
        w.write_field_begin("lon", TType::Double, 2)?;
        w.write_double(self.lon)?;
        w.write_field_end()?;
        w.write_field_stop()?;
        w.write_struct_end()
    }
}

impl Decode for Point {
    const TTYPE: TType = TType::Struct;
    fn decode<R: ProtocolReader + ?Sized>(r: &mut R) -> Result<Self> {
        let (mut lat, mut lon) = (None, None);
        r.read_struct_begin()?;
        loop {
            let f = r.read_field_begin()?;
            match (f.id, f.ttype) {
                (_, TType::Stop) => break,
                (1, TType::Double) => lat = Some(r.read_double().map_err(|e| e.in_field("Point", "lat"))?),
                (2, TType::Double) => lon = Some(r.read_double().map_err(|e| e.in_field("Point", "lon"))?),
                (_, t) => r.skip(t)?,
            }
            r.read_field_end()?;
        }
        r.read_struct_end()?;
        Ok(Point {
            lat: lat.ok_or_else(|| Error::missing_field("Point", "lat"))?,
            lon: lon.ok_or_else(|| Error::missing_field("Point", "lon"))?,
        })
    }
}

/// `struct Item`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Item {
    /// `1: required i64 id`
    pub id: i64,
    /// `2: required string name`
    pub name: FastStr,
    /// `3: optional Point location`
    pub location: Option<Point>,
    /// `4: list<i32> scores`
    pub scores: Vec<i32>,
    /// `5: Status status = Status.OK`
    pub status: Status,
}

impl Encode for Item {
    const TTYPE: TType = TType::Struct;
    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_struct_begin("Item")?;
        w.write_field_begin("id", TType::I64, 1)?;
        w.write_i64(self.id)?;
        w.write_field_end()?;
        w.write_field_begin("name", TType::String, 2)?;
        w.write_string(&self.name)?;
        w.write_field_end()?;
        if let Some(location) = &self.location {
            w.write_field_begin("location", TType::Struct, 3)?;
            location.encode(w)?;
            w.write_field_end()?;
        }
        w.write_field_begin("scores", TType::List, 4)?;
        self.scores.encode(w)?;
        w.write_field_end()?;
        w.write_field_begin("status", TType::I32, 5)?;
        self.status.encode(w)?;
        w.write_field_end()?;
        w.write_field_stop()?;
        w.write_struct_end()
    }
}

impl Decode for Item {
    const TTYPE: TType = TType::Struct;
    fn decode<R: ProtocolReader + ?Sized>(r: &mut R) -> Result<Self> {
        let (mut id, mut name, mut location, mut scores, mut status) = (None, None, None, None, None);
        r.read_struct_begin()?;
        loop {
            let f = r.read_field_begin()?;
            match (f.id, f.ttype) {
                (_, TType::Stop) => break,
                (1, TType::I64) => id = Some(r.read_i64().map_err(|e| e.in_field("Item", "id"))?),
                (2, TType::String) => name = Some(r.read_text().map_err(|e| e.in_field("Item", "name"))?),
                (3, TType::Struct) => {
                    location = Some(Point::decode(r).map_err(|e| e.in_field("Item", "location"))?)
                }
                (4, TType::List) => scores = Some(Vec::decode(r).map_err(|e| e.in_field("Item", "scores"))?),
                (5, TType::I32) => {
                    status = Some(Status::decode(r).map_err(|e| e.in_field("Item", "status"))?)
                }
                (_, t) => r.skip(t)?,
            }
            r.read_field_end()?;
        }
        r.read_struct_end()?;
        Ok(Item {
            id: id.ok_or_else(|| Error::missing_field("Item", "id"))?,
            name: name.ok_or_else(|| Error::missing_field("Item", "name"))?,
            location,
            scores: scores.unwrap_or_default(),
            status: status.unwrap_or(Status::OK),
        })
    }
}

/// `struct Request`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Request {
    /// `1: required i32 seq`
    pub seq: i32,
    /// `2: required string user`
    pub user: FastStr,
    /// `3: required i64 timestamp`
    pub timestamp: i64,
    /// `4: optional bool flag`
    pub flag: Option<bool>,
    /// `5: binary payload`
    pub payload: Vec<u8>,
    /// `6: list<Item> items`
    pub items: Vec<Item>,
    /// `7: map<string, string> tags`
    pub tags: HashMap<FastStr, FastStr>,
    /// `8: set<i64> ids`
    pub ids: HashSet<i64>,
    /// `9: double ratio`
    pub ratio: f64,
}

impl Encode for Request {
    const TTYPE: TType = TType::Struct;
    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
        w.write_struct_begin("Request")?;
        w.write_field_begin("seq", TType::I32, 1)?;
        w.write_i32(self.seq)?;
        w.write_field_end()?;
        w.write_field_begin("user", TType::String, 2)?;
        w.write_string(&self.user)?;
        w.write_field_end()?;
        w.write_field_begin("timestamp", TType::I64, 3)?;
        w.write_i64(self.timestamp)?;
        w.write_field_end()?;
        if let Some(flag) = self.flag {
            w.write_field_begin("flag", TType::Bool, 4)?;
            w.write_bool(flag)?;
            w.write_field_end()?;
        }
        w.write_field_begin("payload", TType::String, 5)?;
        w.write_binary(&self.payload)?;
        w.write_field_end()?;
        w.write_field_begin("items", TType::List, 6)?;
        self.items.encode(w)?;
        w.write_field_end()?;
        w.write_field_begin("tags", TType::Map, 7)?;
        self.tags.encode(w)?;
        w.write_field_end()?;
        w.write_field_begin("ids", TType::Set, 8)?;
        self.ids.encode(w)?;
        w.write_field_end()?;
        w.write_field_begin("ratio", TType::Double, 9)?;
        w.write_double(self.ratio)?;
        w.write_field_end()?;
        w.write_field_stop()?;
        w.write_struct_end()
    }
}

impl Decode for Request {
    const TTYPE: TType = TType::Struct;
    fn decode<R: ProtocolReader + ?Sized>(r: &mut R) -> Result<Self> {
        let mut out = Request::default();
        let (mut seq, mut user, mut timestamp) = (None, None, None);
        r.read_struct_begin()?;
        loop {
            let f = r.read_field_begin()?;
            match (f.id, f.ttype) {
                (_, TType::Stop) => break,
                (1, TType::I32) => seq = Some(r.read_i32().map_err(|e| e.in_field("Request", "seq"))?),
                (2, TType::String) => user = Some(r.read_text().map_err(|e| e.in_field("Request", "user"))?),
                (3, TType::I64) => {
                    timestamp = Some(r.read_i64().map_err(|e| e.in_field("Request", "timestamp"))?)
                }
                (4, TType::Bool) => {
                    out.flag = Some(r.read_bool().map_err(|e| e.in_field("Request", "flag"))?)
                }
                (5, TType::String) => {
                    out.payload = r.read_binary().map_err(|e| e.in_field("Request", "payload"))?
                }
                (6, TType::List) => out.items = Vec::decode(r).map_err(|e| e.in_field("Request", "items"))?,
                (7, TType::Map) => {
                    out.tags = HashMap::decode(r).map_err(|e| e.in_field("Request", "tags"))?
                }
                (8, TType::Set) => out.ids = HashSet::decode(r).map_err(|e| e.in_field("Request", "ids"))?,
                (9, TType::Double) => {
                    out.ratio = r.read_double().map_err(|e| e.in_field("Request", "ratio"))?
                }
                (_, t) => r.skip(t)?,
            }
            r.read_field_end()?;
        }
        r.read_struct_end()?;
        out.seq = seq.ok_or_else(|| Error::missing_field("Request", "seq"))?;
        out.user = user.ok_or_else(|| Error::missing_field("Request", "user"))?;
        out.timestamp = timestamp.ok_or_else(|| Error::missing_field("Request", "timestamp"))?;
        Ok(out)
    }
}

/// The payload pattern: byte `i` is `(i * 31 + 7) % 256`.
pub fn payload(len: usize) -> Vec<u8> {
    (0..len).map(|i| ((i * 31 + 7) % 256) as u8).collect()
}

/// Defines `standard()` and `large()` for the `Request`, `Item`, `Point` and `Status`
/// types in scope where it is invoked: the hand-written ones here, the generated ones
/// in [`crate::generated`].
macro_rules! messages {
    () => {
        /// The standard message: 3,022 bytes in binary, 1,942 in compact.
        pub fn standard() -> Request {
            Request {
                seq: 42,
                user: "user-0000000042".into(),
                timestamp: 1_700_000_000_000,
                flag: Some(true),
                payload: $crate::workload::payload(1024).into(),
                items: (0..16)
                    .map(|k| Item {
                        id: 1000 + k,
                        name: format!("item-{k}").into(),
                        location: (k % 2 == 0)
                            .then(|| Point { lat: k as f64 * 0.5, lon: -(k as f64) * 0.25 }),
                        scores: (k as i32..k as i32 + 10).collect(),
                        status: Status((k % 3) as i32),
                    })
                    .collect(),
                tags: (0..8).map(|j| (format!("key-{j}").into(), format!("value-{j}").into())).collect(),
                ids: (0..32).map(|j| 1_000_000_007 * (j + 1)).collect(),
                ratio: 0.75,
            }
        }

        /// The large message: 1,048,650 bytes in binary, 1,048,607 in compact.
        pub fn large() -> Request {
            Request {
                seq: 7,
                user: "large".into(),
                timestamp: 1,
                flag: None,
                payload: $crate::workload::payload(1_048_576).into(),
                ratio: 0.0,
                ..Request::default()
            }
        }
    };
}

pub(crate) use messages;

messages!();
