//! THeader: Apache's framed format with a header (magic `0x0FFF`) that names the payload's
//! protocol, lists transforms (zlib) and carries key/value info headers; and the
//! detection a header server does to answer unframed, framed and header clients each in
//! their own format.
//!
//! ```text
//! i32 length (of everything after it)
//! u16 0x0FFF | u16 flags | i32 sequence id | u16 header size / 4
//! varint protocol id, varint transform count, varint transform ids...
//! info headers: varint 1 (key/value), varint count, (varint len, bytes) pairs...
//! zero padding to the header size, then the payload (transforms applied)
//! ```

use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;
use crate::protocol::Input;

/// The magic number in the high 16 bits of a header frame's first word.
pub const MAGIC: u16 = 0x0FFF;

/// The largest header frame the format allows (the length's top bits are reserved).
pub const MAX_FRAME_SIZE: usize = 0x3FFF_FFFF;

const BINARY_VERSION_1: u32 = 0x8001_0000;
const BINARY_VERSION_MASK: u32 = 0xffff_0000;
const COMPACT_PROTOCOL_ID: u8 = 0x82;
const COMPACT_VERSION: u8 = 1;
const INFO_KEY_VALUE: u64 = 1;

/// The protocol of a header frame's payload.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum SubProtocol {
    /// 0: binary.
    Binary,
    /// 1: TJSONProtocol (C++ only among Apache's libraries).
    Json,
    /// 2: compact.
    Compact,
}

impl SubProtocol {
    /// The id on the wire.
    pub fn id(self) -> u64 {
        match self {
            SubProtocol::Binary => 0,
            SubProtocol::Json => 1,
            SubProtocol::Compact => 2,
        }
    }

    fn from_id(id: u64) -> Result<SubProtocol> {
        match id {
            0 => Ok(SubProtocol::Binary),
            1 => Ok(SubProtocol::Json),
            2 => Ok(SubProtocol::Compact),
            _ => Err(Error::new(ErrorKind::InvalidData, format!("unknown header protocol id {id}"))),
        }
    }
}

/// A transform applied to a header frame's payload.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Transform {
    /// 1: zlib compression (needs the `zlib` feature).
    Zlib,
}

impl Transform {
    /// The id on the wire.
    pub fn id(self) -> u64 {
        match self {
            Transform::Zlib => 1,
        }
    }
}

/// A decoded header frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderFrame {
    /// The flags word.
    pub flags: u16,
    /// The sequence id of the frame (the payload's message has its own).
    pub seq_id: i32,
    /// The payload's protocol.
    pub protocol: SubProtocol,
    /// Transforms that were applied to the payload, in the order they were applied.
    pub transforms: Vec<Transform>,
    /// Key/value info headers, in the order received.
    pub headers: Vec<(Vec<u8>, Vec<u8>)>,
    /// The payload, with the transforms undone.
    pub payload: Vec<u8>,
}

impl HeaderFrame {
    /// The value of an info header.
    pub fn header(&self, key: &str) -> Option<&[u8]> {
        self.headers.iter().find(|(k, _)| k == key.as_bytes()).map(|(_, v)| v.as_slice())
    }
}

/// What to put in a header frame around a payload.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrameOptions {
    /// The flags word. Default: 0.
    pub flags: u16,
    /// The frame's sequence id; by convention the payload message's. Default: 0.
    pub seq_id: i32,
    /// The payload's protocol. Default: binary.
    pub protocol: Option<SubProtocol>,
    /// Transforms to apply, in order. Default: none.
    pub transforms: Vec<Transform>,
    /// Key/value info headers. Default: none.
    pub headers: Vec<(Vec<u8>, Vec<u8>)>,
}

fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn varint(input: &mut Input<'_>) -> Result<u64> {
    let mut result = 0u64;
    for i in 0..10 {
        let byte = input.read_u8().map_err(|_| truncated_header())?;
        result |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Ok(result);
        }
    }
    Err(Error::invalid("varint of more than 10 bytes in a header"))
}

fn truncated_header() -> Error {
    Error::invalid("the header ends before its fields do")
}

/// Appends a whole header frame, length prefix included, for `payload`.
pub fn write_frame(out: &mut Vec<u8>, options: &FrameOptions, payload: &[u8], limits: &Limits) -> Result<()> {
    let mut header = Vec::with_capacity(16);
    put_varint(&mut header, options.protocol.unwrap_or(SubProtocol::Binary).id());
    put_varint(&mut header, options.transforms.len() as u64);
    for t in &options.transforms {
        put_varint(&mut header, t.id());
    }
    if !options.headers.is_empty() {
        put_varint(&mut header, INFO_KEY_VALUE);
        put_varint(&mut header, options.headers.len() as u64);
        for (k, v) in &options.headers {
            put_varint(&mut header, k.len() as u64);
            header.extend_from_slice(k);
            put_varint(&mut header, v.len() as u64);
            header.extend_from_slice(v);
        }
    }
    header.resize(header.len().div_ceil(4) * 4, 0);
    let words = u16::try_from(header.len() / 4)
        .map_err(|_| Error::new(ErrorKind::SizeLimit, "header info is larger than the format's 256 KiB"))?;
    if header.len() > limits.max_header_size {
        return Err(Error::new(
            ErrorKind::SizeLimit,
            format!(
                "a header block of {} bytes is larger than the limit of {}",
                header.len(),
                limits.max_header_size
            ),
        ));
    }

    let mut transformed;
    let mut body = payload;
    for t in &options.transforms {
        transformed = apply(*t, body)?;
        body = &transformed;
    }
    let length = 10 + header.len() + body.len();
    if length > limits.max_frame_size.min(MAX_FRAME_SIZE) {
        return Err(Error::new(
            ErrorKind::SizeLimit,
            format!("a header frame of {length} bytes is larger than the limit of {}", limits.max_frame_size),
        ));
    }
    out.reserve(4 + length);
    out.extend_from_slice(&(length as u32).to_be_bytes());
    out.extend_from_slice(&MAGIC.to_be_bytes());
    out.extend_from_slice(&options.flags.to_be_bytes());
    out.extend_from_slice(&options.seq_id.to_be_bytes());
    out.extend_from_slice(&words.to_be_bytes());
    out.extend_from_slice(&header);
    out.extend_from_slice(body);
    Ok(())
}

/// Reads a header frame's content: everything after its length prefix.
pub fn read_frame(frame: &[u8], limits: &Limits) -> Result<HeaderFrame> {
    let parsed = parse(frame, limits)?;
    let mut payload = frame[parsed.end..].to_vec();
    for t in parsed.transforms.iter().rev() {
        payload = undo(*t, &payload, limits)?;
    }
    let Parsed { flags, seq_id, protocol, transforms, headers, .. } = parsed;
    Ok(HeaderFrame { flags, seq_id, protocol, transforms, headers, payload })
}

/// A header frame's payload as a server needs it.
#[derive(Debug)]
pub(crate) struct Payload {
    pub(crate) seq_id: i32,
    pub(crate) protocol: SubProtocol,
    /// Whether the payload came compressed (the answer is compressed too).
    pub(crate) zlib: bool,
    /// The payload, a slice of the frame when it was not transformed.
    pub(crate) payload: bytes::Bytes,
}

/// [`read_frame`] without copying an untransformed payload, and without keeping the
/// info headers.
pub(crate) fn read_frame_bytes(frame: bytes::Bytes, limits: &Limits) -> Result<Payload> {
    let parsed = parse(&frame, limits)?;
    let zlib = parsed.transforms.contains(&Transform::Zlib);
    let payload = if parsed.transforms.is_empty() {
        frame.slice(parsed.end..)
    } else {
        let mut payload = frame[parsed.end..].to_vec();
        for t in parsed.transforms.iter().rev() {
            payload = undo(*t, &payload, limits)?;
        }
        bytes::Bytes::from(payload)
    };
    Ok(Payload { seq_id: parsed.seq_id, protocol: parsed.protocol, zlib, payload })
}

struct Parsed {
    flags: u16,
    seq_id: i32,
    protocol: SubProtocol,
    transforms: Vec<Transform>,
    headers: Vec<(Vec<u8>, Vec<u8>)>,
    /// Where the payload starts.
    end: usize,
}

fn parse(frame: &[u8], limits: &Limits) -> Result<Parsed> {
    if frame.len() < 10 {
        return Err(truncated_header());
    }
    let magic = u16::from_be_bytes([frame[0], frame[1]]);
    if magic != MAGIC {
        return Err(Error::new(ErrorKind::BadVersion, format!("not a header frame (magic {magic:#06x})")));
    }
    let flags = u16::from_be_bytes([frame[2], frame[3]]);
    let seq_id = i32::from_be_bytes([frame[4], frame[5], frame[6], frame[7]]);
    let header_len = usize::from(u16::from_be_bytes([frame[8], frame[9]])) * 4;
    if header_len > limits.max_header_size {
        return Err(Error::new(
            ErrorKind::SizeLimit,
            format!(
                "a header block of {header_len} bytes is larger than the limit of {}",
                limits.max_header_size
            ),
        ));
    }
    let end = 10 + header_len;
    if end > frame.len() {
        return Err(Error::new(
            ErrorKind::SizeLimit,
            format!("header of {header_len} bytes is larger than its frame of {} bytes", frame.len()),
        ));
    }
    let mut input = Input::new(&frame[10..end]);
    let protocol = SubProtocol::from_id(varint(&mut input)?)?;
    let count = varint(&mut input)?;
    if count > input.remaining() as u64 {
        return Err(truncated_header());
    }
    let mut transforms = Vec::with_capacity(count as usize);
    for _ in 0..count {
        match varint(&mut input)? {
            1 => transforms.push(Transform::Zlib),
            other => {
                return Err(Error::new(ErrorKind::InvalidData, format!("unknown header transform {other}"))
                    .with_source(crate::ApplicationException::new(
                        crate::ApplicationExceptionKind::InvalidTransform,
                        format!("Unknown transform: {other}"),
                    )));
            }
        }
    }
    let mut headers = Vec::new();
    while input.remaining() > 0 {
        // Unknown info types (and the zero padding) end the info headers.
        if varint(&mut input)? != INFO_KEY_VALUE {
            break;
        }
        let count = varint(&mut input)?;
        for _ in 0..count {
            let key = header_string(&mut input)?;
            let value = header_string(&mut input)?;
            headers.push((key, value));
        }
    }
    Ok(Parsed { flags, seq_id, protocol, transforms, headers, end })
}

fn header_string(input: &mut Input<'_>) -> Result<Vec<u8>> {
    let len = varint(input)?;
    if len > input.remaining() as u64 {
        return Err(Error::new(
            ErrorKind::SizeLimit,
            format!("info header of {len} bytes is longer than the header that holds it"),
        ));
    }
    Ok(input.take(len as usize)?.to_vec())
}

#[cfg(feature = "zlib")]
fn apply(transform: Transform, data: &[u8]) -> Result<Vec<u8>> {
    use std::io::Write;
    match transform {
        Transform::Zlib => {
            let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            encoder
                .write_all(data)
                .and_then(|()| encoder.finish())
                .map_err(|e| Error::invalid("zlib failed").with_source(e))
        }
    }
}

#[cfg(feature = "zlib")]
fn undo(transform: Transform, data: &[u8], limits: &Limits) -> Result<Vec<u8>> {
    use std::io::Read;
    match transform {
        Transform::Zlib => {
            let limit = limits.max_frame_size;
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(data)
                .take(limit as u64 + 1)
                .read_to_end(&mut out)
                .map_err(|e| Error::invalid("payload is not valid zlib").with_source(e))?;
            if out.len() > limit {
                return Err(Error::new(
                    ErrorKind::SizeLimit,
                    format!("decompressed payload is larger than the limit of {limit} bytes"),
                ));
            }
            Ok(out)
        }
    }
}

#[cfg(not(feature = "zlib"))]
fn apply(transform: Transform, _data: &[u8]) -> Result<Vec<u8>> {
    Err(Error::new(
        ErrorKind::NotImplemented,
        format!("the {transform:?} transform needs rift's `zlib` feature"),
    ))
}

#[cfg(not(feature = "zlib"))]
fn undo(transform: Transform, _data: &[u8], _limits: &Limits) -> Result<Vec<u8>> {
    Err(Error::new(
        ErrorKind::NotImplemented,
        format!("the {transform:?} transform needs rift's `zlib` feature"),
    ))
}

/// How a client frames and encodes its messages, as a header server tells them apart.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum ClientType {
    /// THeader frames.
    Header,
    /// Framed transport, binary protocol.
    FramedBinary,
    /// Unframed (buffered) transport, binary protocol.
    UnframedBinary,
    /// Framed transport, compact protocol.
    FramedCompact,
    /// Unframed (buffered) transport, compact protocol.
    UnframedCompact,
}

/// What [`detect`] found.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Detected {
    /// The client type.
    Client(ClientType),
    /// At least this many bytes are needed to tell.
    NeedBytes(usize),
    /// None of the known formats.
    Unknown,
}

/// Tells the client type from the first bytes of a message: unframed binary starts with
/// the strict version word, unframed compact with `0x82` and version 1; otherwise the
/// first word is a frame length and the second tells header (`0x0FFF`), binary and
/// compact apart.
pub fn detect(prefix: &[u8]) -> Detected {
    if prefix.len() < 4 {
        return Detected::NeedBytes(4);
    }
    let first = u32::from_be_bytes([prefix[0], prefix[1], prefix[2], prefix[3]]);
    if first & BINARY_VERSION_MASK == BINARY_VERSION_1 {
        return Detected::Client(ClientType::UnframedBinary);
    }
    if prefix[0] == COMPACT_PROTOCOL_ID && prefix[1] & 0x1f == COMPACT_VERSION {
        return Detected::Client(ClientType::UnframedCompact);
    }
    if prefix.len() < 8 {
        return Detected::NeedBytes(8);
    }
    let second = u32::from_be_bytes([prefix[4], prefix[5], prefix[6], prefix[7]]);
    if second >> 16 == u32::from(MAGIC) {
        Detected::Client(ClientType::Header)
    } else if second & BINARY_VERSION_MASK == BINARY_VERSION_1 {
        Detected::Client(ClientType::FramedBinary)
    } else if prefix[4] == COMPACT_PROTOCOL_ID && prefix[5] & 0x1f == COMPACT_VERSION {
        Detected::Client(ClientType::FramedCompact)
    } else {
        Detected::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_round_trip_with_headers() {
        let options = FrameOptions {
            seq_id: 7,
            protocol: Some(SubProtocol::Compact),
            headers: vec![(b"key".to_vec(), b"value".to_vec())],
            ..FrameOptions::default()
        };
        let mut out = Vec::new();
        write_frame(&mut out, &options, b"payload", &Limits::default()).unwrap();
        let length = u32::from_be_bytes(out[..4].try_into().unwrap()) as usize;
        assert_eq!(length, out.len() - 4);
        assert_eq!((out.len() - 4 - 10 - 7) % 4, 0, "header padded to 4 bytes");
        let frame = read_frame(&out[4..], &Limits::default()).unwrap();
        assert_eq!(frame.seq_id, 7);
        assert_eq!(frame.protocol, SubProtocol::Compact);
        assert_eq!(frame.header("key"), Some(&b"value"[..]));
        assert_eq!(frame.payload, b"payload");
    }

    #[test]
    fn bounds_are_checked() {
        // Header size beyond the frame.
        let frame = [0x0f, 0xff, 0, 0, 0, 0, 0, 1, 0xff, 0xff, 0, 0];
        assert_eq!(read_frame(&frame, &Limits::default()).unwrap_err().kind(), ErrorKind::SizeLimit);
        // An info header string longer than the header.
        let frame = [0x0f, 0xff, 0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 1, 1, 0x7f, 0, 0, 0];
        assert!(read_frame(&frame, &Limits::default()).is_err());
        // Unknown transform.
        let frame = [0x0f, 0xff, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 9, 0];
        assert_eq!(read_frame(&frame, &Limits::default()).unwrap_err().kind(), ErrorKind::InvalidData);
    }

    #[test]
    fn the_header_block_is_limited() {
        let options = FrameOptions {
            seq_id: 1,
            headers: vec![(b"key".to_vec(), vec![b'v'; 1000])],
            ..FrameOptions::default()
        };
        let mut out = Vec::new();
        write_frame(&mut out, &options, b"payload", &Limits::default()).unwrap();
        let small = Limits::default().max_header_size(512);
        let e = read_frame(&out[4..], &small).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::SizeLimit);
        assert!(e.to_string().contains("header block of 1012 bytes"), "{e}");
        assert!(read_frame_bytes(bytes::Bytes::copy_from_slice(&out[4..]), &small).is_err());
        assert_eq!(
            write_frame(&mut Vec::new(), &options, b"", &small).unwrap_err().kind(),
            ErrorKind::SizeLimit
        );
        assert!(read_frame(&out[4..], &Limits::default().max_header_size(1012)).is_ok());
    }

    #[test]
    fn detection() {
        assert_eq!(detect(&[0x80, 0x01, 0x00, 0x01]), Detected::Client(ClientType::UnframedBinary));
        assert_eq!(detect(&[0x82, 0x21, 0x00, 0x04]), Detected::Client(ClientType::UnframedCompact));
        assert_eq!(detect(&[0, 0, 0, 20]), Detected::NeedBytes(8));
        assert_eq!(detect(&[0, 0, 0, 20, 0x0f, 0xff, 0, 0]), Detected::Client(ClientType::Header));
        assert_eq!(detect(&[0, 0, 0, 20, 0x80, 0x01, 0, 1]), Detected::Client(ClientType::FramedBinary));
        assert_eq!(detect(&[0, 0, 0, 20, 0x82, 0x21, 0, 1]), Detected::Client(ClientType::FramedCompact));
        assert_eq!(detect(&[0, 0, 0, 20, 1, 2, 3, 4]), Detected::Unknown);
    }
}
