//! Cutting whole messages out of the bytes a stream has given so far, and telling a
//! connection's format from its first bytes.

use bytes::{Bytes, BytesMut};

use super::header::{self, ClientType, Detected};
use super::{Framing, HeaderReply, ReplyFormat, WireFormat, check_frame_len, from_sub_protocol};
use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;
use crate::protocol::binary::BinaryReader;
use crate::protocol::compact::CompactReader;
use crate::protocol::json::JsonReader;
use crate::protocol::{Protocol, ProtocolReader, TType};

/// The most room reserved ahead for a frame still arriving: the buffer grows further as
/// its bytes come, so a length prefix alone never reserves more.
const RESERVE_AHEAD: usize = 64 * 1024;

/// One message cut from a stream.
#[derive(Clone, Debug)]
pub struct Frame {
    /// The message, unframed, in [`ReplyFormat::protocol`].
    pub message: Bytes,
    /// How the message came, and so how to frame the answer.
    pub format: ReplyFormat,
}

/// Cuts whole messages out of the bytes a stream has given so far.
#[derive(Clone, Debug)]
pub struct MessageDecoder {
    /// The format, once known (given, or detected from the first message).
    format: Option<WireFormat>,
    /// Whether the format may be told from the first message.
    detect: bool,
    limits: Limits,
    /// An unframed message is not walked again until the buffer holds this many
    /// bytes: the last walk ran out of input wanting them.
    wait_for: usize,
    /// Where an unframed JSON message ends, found as its bytes come.
    json: JsonScan,
    /// How far an unframed binary or compact message has been read, item by item, once
    /// a walk of it ran out of input.
    scan: Option<Scan>,
    /// How many times unframed messages were walked.
    #[cfg(test)]
    pub(super) walks: usize,
}

impl MessageDecoder {
    /// A decoder of one format.
    pub fn new(format: WireFormat, limits: Limits) -> MessageDecoder {
        MessageDecoder {
            format: Some(format),
            detect: false,
            limits,
            wait_for: 0,
            json: JsonScan::default(),
            scan: None,
            #[cfg(test)]
            walks: 0,
        }
    }

    /// A decoder that tells the format from the first message, as Apache's header
    /// servers do: unframed or framed binary, compact or JSON, and header frames. The
    /// connection keeps the format of its first message.
    pub fn detecting(limits: Limits) -> MessageDecoder {
        MessageDecoder {
            format: None,
            detect: true,
            limits,
            wait_for: 0,
            json: JsonScan::default(),
            scan: None,
            #[cfg(test)]
            walks: 0,
        }
    }

    /// The format, once known.
    pub fn format(&self) -> Option<WireFormat> {
        self.format
    }

    /// The limits.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Takes the next whole message from the front of `buf`; `None` when more bytes are
    /// needed. An error means the stream cannot be read on: malformed, or over a limit.
    pub fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<Frame>> {
        self.decode_inner(buf).map_err(|e| match buf.get(..3) {
            // A TLS record (handshake or alert): the two ends disagree about TLS.
            Some([0x15 | 0x16, 0x03, 0x00..=0x04]) => Error::new(
                ErrorKind::BadVersion,
                "the peer speaks TLS, and this end does not (or the other way round)",
            )
            .with_source(e),
            _ => e,
        })
    }

    fn decode_inner(&mut self, buf: &mut BytesMut) -> Result<Option<Frame>> {
        let format = match self.format {
            Some(format) => format,
            None if self.detect => match detect_format(buf) {
                Some(Ok(format)) => {
                    self.format = Some(format);
                    format
                }
                Some(Err(e)) => return Err(e),
                None => return Ok(None),
            },
            None => return Err(Error::invalid("no wire format")),
        };
        match format.framing {
            Framing::Unframed => {
                // A walk that ran out of input says how much it wanted: walking again
                // before that has come would fail again, and a message arriving a byte
                // at a time would be walked from its start once per byte.
                let walk = if buf.len() < self.wait_for {
                    Walk::Incomplete { wanted: self.wait_for }
                } else if format.protocol == Protocol::Json && !self.json.ended(buf) {
                    // A JSON walk cannot say how much it wants: the scan says when the
                    // message's array has closed, so that it is walked once.
                    Walk::Incomplete { wanted: buf.len() + 1 }
                } else if let Some(scan) = &mut self.scan {
                    // Reading on from where the input ran out last time, not from the
                    // start: a message that comes in many pieces is read once.
                    match scan.scan(format.protocol, buf, self.limits)? {
                        Some(len) => Walk::Complete(len),
                        None => Walk::Incomplete { wanted: buf.len() + 1 },
                    }
                } else {
                    #[cfg(test)]
                    {
                        self.walks += 1;
                    }
                    // Most messages come whole: one walk. One that does not is read item
                    // by item from here on.
                    match unframed_walk(format.protocol, buf, self.limits)? {
                        Walk::Incomplete { wanted } if format.protocol != Protocol::Json => {
                            let mut scan = Scan::default();
                            scan.scan(format.protocol, buf, self.limits)?;
                            self.scan = Some(scan);
                            Walk::Incomplete { wanted }
                        }
                        walk => walk,
                    }
                };
                let len = match walk {
                    Walk::Complete(len) => {
                        self.wait_for = 0;
                        self.json = JsonScan::default();
                        self.scan = None;
                        Some(len)
                    }
                    Walk::Incomplete { .. } if self.json.end.is_some() => {
                        return Err(Error::invalid("a JSON message whose brackets do not match"));
                    }
                    Walk::Incomplete { wanted } => {
                        self.wait_for = wanted.max(buf.len() + 1);
                        None
                    }
                };
                let Some(len) = len else {
                    if buf.len() > self.limits.max_message_size {
                        return Err(Error::new(
                            ErrorKind::SizeLimit,
                            format!(
                                "a message longer than the limit of {} bytes",
                                self.limits.max_message_size
                            ),
                        ));
                    }
                    return Ok(None);
                };
                let message = buf.split_to(len).freeze();
                Ok(Some(Frame { message, format: ReplyFormat { wire: format, header: None } }))
            }
            Framing::Framed | Framing::Header | Framing::FramedHeader => {
                let Some(len) = frame_len(buf, &self.limits)? else { return Ok(None) };
                if buf.len() < 4 + len {
                    // Room for what is coming, but not all of it on the word of a length
                    // prefix: a frame that never arrives costs at most this much.
                    buf.reserve((4 + len - buf.len()).min(RESERVE_AHEAD));
                    return Ok(None);
                }
                let frame = buf.split_to(4 + len);
                if format.framing == Framing::Framed {
                    let message = frame.freeze().slice(4..);
                    return Ok(Some(Frame { message, format: ReplyFormat { wire: format, header: None } }));
                }
                let mut frame = frame.freeze().slice(4..);
                if format.framing == Framing::FramedHeader {
                    // A header frame whole inside the outer one.
                    let inner = frame.get(..4).map(|p| u32::from_be_bytes([p[0], p[1], p[2], p[3]]) as usize);
                    if inner.is_none() || inner != frame.len().checked_sub(4) {
                        return Err(Error::new(
                            ErrorKind::InvalidData,
                            "a frame that does not hold exactly one header frame",
                        ));
                    }
                    frame = frame.slice(4..);
                }
                let frame = header::read_frame_bytes(frame, &self.limits)?;
                let wire = WireFormat::new(format.framing, from_sub_protocol(frame.protocol));
                let header = HeaderReply { seq_id: frame.seq_id, zlib: frame.zlib };
                Ok(Some(Frame { message: frame.payload, format: ReplyFormat { wire, header: Some(header) } }))
            }
        }
    }
}

/// The length of the frame at the front of `buf`, once its prefix is there.
fn frame_len(buf: &[u8], limits: &Limits) -> Result<Option<usize>> {
    let Some(prefix) = buf.get(..4) else { return Ok(None) };
    let len = i32::from_be_bytes([prefix[0], prefix[1], prefix[2], prefix[3]]);
    if len < 0 {
        return Err(Error::new(ErrorKind::NegativeSize, format!("negative frame length {len}")));
    }
    check_frame_len(len as usize, limits)?;
    Ok(Some(len as usize))
}

/// The format of the first message at the front of `buf`: `None` until enough bytes are
/// there to tell.
fn detect_format(buf: &[u8]) -> Option<Result<WireFormat>> {
    // TJSONProtocol messages are arrays: `[1,"method",...`.
    match buf.first() {
        None => return None,
        Some(b'[') => return Some(Ok(WireFormat::new(Framing::Unframed, Protocol::Json))),
        Some(_) => {}
    }
    // A header frame inside a frame: the outer length is the inner one's plus four, and
    // the header magic follows the inner length.
    if let Some(&[a0, a1, a2, a3, b0, b1, b2, b3, 0x0f, 0xff]) = buf.get(..10) {
        let (outer, inner) = (u32::from_be_bytes([a0, a1, a2, a3]), u32::from_be_bytes([b0, b1, b2, b3]));
        if inner.checked_add(4) == Some(outer) {
            return Some(Ok(WireFormat::new(Framing::FramedHeader, Protocol::Binary)));
        }
    }
    let client = match header::detect(buf) {
        Detected::Client(client) => client,
        Detected::NeedBytes(n) if buf.len() < n => return None,
        // Perhaps a header frame inside a frame, not all there yet.
        Detected::NeedBytes(_) | Detected::Unknown
            if buf.len() < 10 && buf.get(4).is_none_or(|&b| b == 0) =>
        {
            return None;
        }
        Detected::NeedBytes(_) | Detected::Unknown if buf.get(4) == Some(&b'[') => {
            return Some(Ok(WireFormat::new(Framing::Framed, Protocol::Json)));
        }
        Detected::NeedBytes(_) | Detected::Unknown if buf[0].is_ascii_uppercase() => {
            return Some(Err(Error::new(
                ErrorKind::BadVersion,
                "an HTTP request: HTTP is served by the async server (rift's `http` feature)",
            )));
        }
        Detected::NeedBytes(_) | Detected::Unknown => {
            let shown = &buf[..buf.len().min(8)];
            return Some(Err(Error::new(
                ErrorKind::BadVersion,
                format!("not a Thrift message in a known framing (first bytes {shown:02x?})"),
            )));
        }
    };
    Some(Ok(match client {
        ClientType::Header => WireFormat::new(Framing::Header, Protocol::Binary),
        ClientType::FramedBinary => WireFormat::new(Framing::Framed, Protocol::Binary),
        ClientType::UnframedBinary => WireFormat::new(Framing::Unframed, Protocol::Binary),
        ClientType::FramedCompact => WireFormat::new(Framing::Framed, Protocol::Compact),
        ClientType::UnframedCompact => WireFormat::new(Framing::Unframed, Protocol::Compact),
    }))
}

/// The length of the unframed message at the front of `data`, found by walking it;
/// `None` when it goes on past the end of `data`.
pub fn unframed_len(protocol: Protocol, data: &[u8], limits: Limits) -> Result<Option<usize>> {
    Ok(match unframed_walk(protocol, data, limits)? {
        Walk::Complete(len) => Some(len),
        Walk::Incomplete { .. } => None,
    })
}

/// Finds where an unframed JSON message ends as its bytes come, scanning each byte once:
/// its top-level array closes at a bracket outside a string. (A message that arrives in
/// pieces would otherwise be walked from its start after every piece.)
#[derive(Clone, Debug, Default)]
struct JsonScan {
    /// How far the bytes have been scanned.
    at: usize,
    /// Open brackets and braces.
    depth: usize,
    /// Inside a string, and just after a backslash in one.
    string: bool,
    escaped: bool,
    /// Where the message ends, once known: one past its closing bracket, or past the
    /// first byte that cannot be JSON's (for the walk to say what is wrong).
    end: Option<usize>,
}

impl JsonScan {
    /// Scans what has come since the last call: whether the message has ended.
    fn ended(&mut self, buf: &[u8]) -> bool {
        if self.end.is_some() {
            return true;
        }
        for (i, &b) in buf.iter().enumerate().skip(self.at) {
            if self.string {
                match (self.escaped, b) {
                    (true, _) => self.escaped = false,
                    (false, b'\\') => self.escaped = true,
                    (false, b'"') => self.string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => self.string = true,
                b'[' | b'{' => self.depth += 1,
                b' ' | b'\t' | b'\r' | b'\n' => {}
                b']' | b'}' if self.depth > 1 => self.depth -= 1,
                // The message's array closes (or something closes before it opened), or
                // before it opens comes a byte that is not whitespace: the walk says
                // whether that is a message.
                b']' | b'}' => {
                    self.end = Some(i + 1);
                    return true;
                }
                _ if self.depth == 0 => {
                    self.end = Some(i + 1);
                    return true;
                }
                _ => {}
            }
        }
        self.at = buf.len();
        false
    }
}

/// Where an unframed binary or compact message ends, read item by item as its bytes
/// come: each field header, scalar, string and collection header once. Where the input
/// runs out the scan stops, to go on from there when more has come (walking the message
/// from its start after every piece would cost the square of its length). Limits are
/// checked as by a walk: the readers' own, and the depth of what is open.
#[derive(Clone, Debug, Default)]
struct Scan {
    /// How far the message has been read.
    at: usize,
    /// Whether its envelope has been read.
    begun: bool,
    /// The structs and collections open at `at`, outermost first.
    open: Vec<Open>,
}

#[derive(Clone, Copy, Debug)]
enum Open {
    Struct,
    /// A list or set, with the elements still to read.
    Elements {
        elem: TType,
        left: usize,
    },
    /// A map, with the keys and values still to read (two an entry, key first).
    Entries {
        key: TType,
        value: TType,
        left: usize,
    },
}

impl Scan {
    /// Reads on: the message's length once it has ended.
    fn scan(&mut self, protocol: Protocol, buf: &[u8], limits: Limits) -> Result<Option<usize>> {
        match protocol {
            Protocol::Binary => self.scan_with(
                buf,
                limits,
                |data| BinaryReader::with_limits(data, limits),
                BinaryReader::position,
            ),
            Protocol::Compact => self.scan_with(
                buf,
                limits,
                |data| CompactReader::with_limits(data, limits),
                CompactReader::position,
            ),
            Protocol::Json => Err(Error::invalid("JSON messages are scanned for brackets")),
        }
    }

    fn scan_with<'a, R: ProtocolReader>(
        &mut self,
        buf: &'a [u8],
        limits: Limits,
        reader: impl Fn(&'a [u8]) -> R,
        position: impl Fn(&R) -> usize,
    ) -> Result<Option<usize>> {
        loop {
            // A reader of its own for each item: an item read only in part is read again
            // whole, from its start, when more has come.
            let mut r = reader(&buf[self.at..]);
            match self.step(&mut r, limits.max_depth) {
                Ok(ended) => {
                    self.at += position(&r);
                    if ended {
                        return Ok(Some(self.at));
                    }
                }
                Err(e) if e.kind() == ErrorKind::UnexpectedEof => return Ok(None),
                Err(e) => return Err(e),
            }
        }
    }

    /// Reads one item (changing nothing unless it is read whole): whether the message
    /// has ended.
    fn step<R: ProtocolReader>(&mut self, r: &mut R, max_depth: usize) -> Result<bool> {
        if !self.begun {
            r.read_message_begin()?;
            r.read_struct_begin()?;
            self.begun = true;
            self.open.push(Open::Struct);
            return Ok(false);
        }
        let ttype = match self.open.last() {
            None => return Ok(true),
            Some(Open::Struct) => {
                let field = r.read_field_begin()?;
                if field.ttype == TType::Stop {
                    r.read_struct_end()?;
                    self.open.pop();
                    if self.open.is_empty() {
                        r.read_message_end()?;
                        return Ok(true);
                    }
                    return Ok(false);
                }
                field.ttype
            }
            Some(Open::Elements { left: 0, .. } | Open::Entries { left: 0, .. }) => {
                self.open.pop();
                return Ok(false);
            }
            Some(&Open::Elements { elem, .. }) => elem,
            Some(&Open::Entries { key, value, left }) => {
                if left % 2 == 0 {
                    key
                } else {
                    value
                }
            }
        };
        // As a walk's skip does: the depth first, then the header.
        let nested = matches!(ttype, TType::Struct | TType::List | TType::Set | TType::Map);
        if nested && self.open.len() >= max_depth {
            return Err(Error::new(ErrorKind::DepthLimit, "skipped values nest deeper than the depth limit"));
        }
        let opened = match ttype {
            TType::Struct => {
                r.read_struct_begin()?;
                Some(Open::Struct)
            }
            TType::List => r.read_list_begin().map(|h| Some(Open::Elements { elem: h.elem, left: h.len }))?,
            TType::Set => r.read_set_begin().map(|h| Some(Open::Elements { elem: h.elem, left: h.len }))?,
            TType::Map => {
                let h = r.read_map_begin()?;
                Some(Open::Entries { key: h.key, value: h.value, left: h.len.saturating_mul(2) })
            }
            scalar => {
                r.skip(scalar)?;
                None
            }
        };
        // Read whole: now it counts.
        if let Some(Open::Elements { left, .. } | Open::Entries { left, .. }) = self.open.last_mut() {
            *left -= 1;
        }
        self.open.extend(opened);
        Ok(false)
    }
}

/// What walking an unframed message found.
enum Walk {
    /// The message is this long.
    Complete(usize),
    /// It goes on past the input, which must be at least `wanted` bytes long before the
    /// walk can get further.
    Incomplete { wanted: usize },
}

fn unframed_walk(protocol: Protocol, data: &[u8], limits: Limits) -> Result<Walk> {
    fn walk<R: ProtocolReader>(r: &mut R) -> Result<()> {
        r.read_message_begin()?;
        r.skip(TType::Struct)?;
        r.read_message_end()
    }
    let (result, position, wanted) = match protocol {
        Protocol::Binary => {
            let mut r = BinaryReader::with_limits(data, limits);
            (walk(&mut r), r.position(), r.wanted())
        }
        Protocol::Compact => {
            let mut r = CompactReader::with_limits(data, limits);
            (walk(&mut r), r.position(), r.wanted())
        }
        Protocol::Json => {
            let mut r = JsonReader::with_limits(data, limits);
            (walk(&mut r), r.position(), 0)
        }
    };
    match result {
        Ok(()) => Ok(Walk::Complete(position)),
        Err(e) if e.kind() == ErrorKind::UnexpectedEof => Ok(Walk::Incomplete { wanted }),
        Err(e) => Err(e),
    }
}
