//! How messages travel on a byte stream: the framings of Apache Thrift's transports, and
//! the detection a server does to answer each client in its own format.
//!
//! - **Unframed** (`TBufferedTransport`): messages follow each other with nothing
//!   between them; where one ends is found by walking it ([`ProtocolReader::skip`]).
//! - **Framed** (`TFramedTransport`): each message comes after its length, a big-endian
//!   `i32`, and may not be larger than [`Limits::max_frame_size`].
//! - **Header** (`THeaderTransport`): framed, with a header that names the payload's
//!   protocol and its transforms ([`crate::header`]).
//!
//! [`MessageDecoder`] cuts whole messages out of the bytes read so far, whatever the I/O
//! (blocking, async, in memory); [`WireFormat::encode_frame`] frames outgoing ones.
//! Every length is checked before memory is reserved for it, and a message is never
//! read past [`Limits::max_message_size`].

use std::fmt;
use std::str::FromStr;

use bytes::{Bytes, BytesMut};

use crate::Protocol;
use crate::error::{Error, ErrorKind, Result};
use crate::header::{self, ClientType, Detected, FrameOptions, SubProtocol, Transform};
use crate::limits::Limits;
use crate::protocol::ProtocolReader;
use crate::protocol::binary::BinaryReader;
use crate::protocol::compact::CompactReader;
use crate::protocol::json::JsonReader;
use crate::ttype::TType;

/// How messages are delimited on a stream.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Framing {
    /// One message after another (Apache's buffered transport).
    Unframed,
    /// Each message after its length (Apache's framed transport).
    Framed,
    /// THeader frames (Apache's header transport and protocol).
    Header,
}

/// A framing and the protocol of the messages inside it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct WireFormat {
    /// How messages are delimited.
    pub framing: Framing,
    /// The protocol of the messages (for header frames, of their payload).
    pub protocol: Protocol,
    /// Whether the whole stream is compressed, as by Apache's `TZlibTransport` (needs
    /// the `zlib` feature).
    pub zlib: bool,
}

impl Default for WireFormat {
    /// Unframed binary, as Apache's simple servers and clients use by default.
    fn default() -> Self {
        WireFormat { framing: Framing::Unframed, protocol: Protocol::Binary, zlib: false }
    }
}

impl WireFormat {
    /// A framing and a protocol.
    pub const fn new(framing: Framing, protocol: Protocol) -> WireFormat {
        WireFormat { framing, protocol, zlib: false }
    }

    /// The same, over a zlib stream (Apache's `TZlibTransport`).
    #[must_use]
    pub const fn with_zlib(mut self) -> WireFormat {
        self.zlib = true;
        self
    }

    /// The format of Apache's cross-test names: a transport (`buffered`, `framed`,
    /// `zlib`: a zlib stream of unframed messages) and a protocol (`binary`, `compact`,
    /// `json`, `header`). `header` means header frames, with a binary payload.
    pub fn from_names(transport: &str, protocol: &str) -> std::result::Result<WireFormat, String> {
        let (framing, zlib) = match transport {
            "buffered" => (Framing::Unframed, false),
            "framed" => (Framing::Framed, false),
            "zlib" => (Framing::Unframed, true),
            other => return Err(format!("unknown transport `{other}` (buffered, framed, zlib)")),
        };
        let format = match protocol {
            "header" => WireFormat::new(Framing::Header, Protocol::Binary),
            other => WireFormat::new(framing, other.parse()?),
        };
        Ok(if zlib { format.with_zlib() } else { format })
    }

    /// Frames one whole `message` (of this format's protocol) into `out`.
    pub fn encode_frame(&self, message: &[u8], out: &mut Vec<u8>, limits: &Limits) -> Result<()> {
        match self.framing {
            Framing::Unframed => out.extend_from_slice(message),
            Framing::Framed => {
                check_frame_len(message.len(), limits)?;
                out.reserve(4 + message.len());
                out.extend_from_slice(&(message.len() as u32).to_be_bytes());
                out.extend_from_slice(message);
            }
            Framing::Header => {
                let options =
                    FrameOptions { protocol: Some(sub_protocol(self.protocol)), ..Default::default() };
                header::write_frame(out, &options, message, limits)?;
            }
        }
        Ok(())
    }
}

impl FromStr for Protocol {
    type Err = String;

    /// `binary`, `compact` or `json`, as in Apache's cross test.
    fn from_str(s: &str) -> std::result::Result<Protocol, String> {
        match s {
            "binary" => Ok(Protocol::Binary),
            "compact" => Ok(Protocol::Compact),
            "json" => Ok(Protocol::Json),
            other => Err(format!("unknown protocol `{other}` (binary, compact, json, header)")),
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Protocol::Binary => "binary",
            Protocol::Compact => "compact",
            Protocol::Json => "json",
        })
    }
}

fn sub_protocol(protocol: Protocol) -> SubProtocol {
    match protocol {
        Protocol::Binary => SubProtocol::Binary,
        Protocol::Compact => SubProtocol::Compact,
        Protocol::Json => SubProtocol::Json,
    }
}

fn from_sub_protocol(protocol: SubProtocol) -> Protocol {
    match protocol {
        SubProtocol::Binary => Protocol::Binary,
        SubProtocol::Compact => Protocol::Compact,
        SubProtocol::Json => Protocol::Json,
    }
}

pub(crate) fn check_frame_len(len: usize, limits: &Limits) -> Result<()> {
    let max = limits.max_frame_size.min(i32::MAX as usize);
    if len > max {
        return Err(Error::new(
            ErrorKind::SizeLimit,
            format!("a frame of {len} bytes is larger than the limit of {max}"),
        ));
    }
    Ok(())
}

/// One message cut from a stream.
#[derive(Clone, Debug)]
pub struct Frame {
    /// The message, unframed, in [`ReplyFormat::protocol`].
    pub message: Bytes,
    /// How the message came, and so how to frame the answer.
    pub format: ReplyFormat,
}

/// How a message came: the format to answer it in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplyFormat {
    /// The framing and protocol.
    pub wire: WireFormat,
    /// For header frames: the frame's sequence id and transforms, which the answer
    /// repeats.
    pub header: Option<(i32, Vec<Transform>)>,
}

impl ReplyFormat {
    /// The protocol of the message.
    pub fn protocol(&self) -> Protocol {
        self.wire.protocol
    }

    /// Frames an answer (one whole message) into `out`.
    pub fn encode_frame(&self, message: &[u8], out: &mut Vec<u8>, limits: &Limits) -> Result<()> {
        match &self.header {
            Some((seq_id, transforms)) => {
                let options = FrameOptions {
                    seq_id: *seq_id,
                    protocol: Some(sub_protocol(self.wire.protocol)),
                    transforms: transforms.clone(),
                    ..Default::default()
                };
                header::write_frame(out, &options, message, limits)
            }
            None => self.wire.encode_frame(message, out, limits),
        }
    }
}

/// Cuts whole messages out of the bytes a stream has given so far.
#[derive(Clone, Debug)]
pub struct MessageDecoder {
    /// The format, once known (given, or detected from the first message).
    format: Option<WireFormat>,
    /// Whether the format may be told from the first message.
    detect: bool,
    limits: Limits,
}

impl MessageDecoder {
    /// A decoder of one format.
    pub fn new(format: WireFormat, limits: Limits) -> MessageDecoder {
        MessageDecoder { format: Some(format), detect: false, limits }
    }

    /// A decoder that tells the format from the first message, as Apache's header
    /// servers do: unframed or framed binary, compact or JSON, and header frames. The
    /// connection keeps the format of its first message.
    pub fn detecting(limits: Limits) -> MessageDecoder {
        MessageDecoder { format: None, detect: true, limits }
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
                let Some(len) = unframed_len(format.protocol, buf, self.limits)? else {
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
            Framing::Framed | Framing::Header => {
                let Some(len) = frame_len(buf, &self.limits)? else { return Ok(None) };
                if buf.len() < 4 + len {
                    buf.reserve(4 + len - buf.len());
                    return Ok(None);
                }
                let frame = buf.split_to(4 + len);
                if format.framing == Framing::Framed {
                    let message = frame.freeze().slice(4..);
                    return Ok(Some(Frame { message, format: ReplyFormat { wire: format, header: None } }));
                }
                let frame = header::read_frame(&frame[4..], &self.limits)?;
                let wire = WireFormat::new(Framing::Header, from_sub_protocol(frame.protocol));
                Ok(Some(Frame {
                    message: Bytes::from(frame.payload),
                    format: ReplyFormat { wire, header: Some((frame.seq_id, frame.transforms)) },
                }))
            }
        }
    }
}

/// The first byte of a zlib stream (deflate, 32 KiB window): no framing or protocol
/// starts with it.
const ZLIB_FIRST_BYTE: u8 = 0x78;

/// One connection's incoming and outgoing bytes: the zlib layer when there is one, and
/// the messages cut from what arrives. Any I/O drives it: read into
/// [`Conduit::read_buffer`], call [`Conduit::received`], take messages with
/// [`Conduit::decode`]; frame answers with [`Conduit::encode`].
#[derive(Debug)]
pub struct Conduit {
    decoder: MessageDecoder,
    /// Message bytes, decompressed.
    buf: BytesMut,
    /// Bytes as they came, while a zlib stream is possible or on.
    raw: BytesMut,
    zlib: Zlib,
}

#[derive(Debug)]
enum Zlib {
    Off,
    /// Told from the first byte.
    Undecided,
    /// Asked for, without the `zlib` feature.
    #[cfg_attr(feature = "zlib", allow(dead_code))]
    Missing,
    #[cfg(feature = "zlib")]
    On(Box<ZlibStream>),
}

impl Conduit {
    /// The side of a connection in `format`.
    pub fn new(format: WireFormat, limits: Limits) -> Conduit {
        let zlib = if format.zlib { Zlib::on().unwrap_or(Zlib::Missing) } else { Zlib::Off };
        Conduit::with(MessageDecoder::new(format, limits), zlib)
    }

    /// The server side of a connection of any format, told from its first bytes
    /// (including a zlib stream).
    pub fn detecting(limits: Limits) -> Conduit {
        Conduit::with(MessageDecoder::detecting(limits), Zlib::Undecided)
    }

    fn with(decoder: MessageDecoder, zlib: Zlib) -> Conduit {
        Conduit { decoder, buf: BytesMut::with_capacity(8192), raw: BytesMut::new(), zlib }
    }

    /// Where the next bytes read from the stream go; keep some room free in it.
    pub fn read_buffer(&mut self) -> &mut BytesMut {
        let target = if matches!(self.zlib, Zlib::Off) { &mut self.buf } else { &mut self.raw };
        if target.capacity() - target.len() < 4096 {
            target.reserve(8192);
        }
        target
    }

    /// Takes in the bytes just read into [`Conduit::read_buffer`].
    pub fn received(&mut self) -> Result<()> {
        if matches!(self.zlib, Zlib::Missing) {
            return Zlib::on().map(drop);
        }
        if matches!(self.zlib, Zlib::Undecided) {
            let Some(&first) = self.raw.first() else { return Ok(()) };
            self.zlib = if first == ZLIB_FIRST_BYTE { Zlib::on()? } else { Zlib::Off };
            if matches!(self.zlib, Zlib::Off) {
                self.buf.extend_from_slice(&self.raw);
                self.raw = BytesMut::new();
                return Ok(());
            }
        }
        #[cfg(feature = "zlib")]
        if let Zlib::On(z) = &mut self.zlib {
            z.inflate(&self.raw, &mut self.buf, self.decoder.limits.max_message_size)?;
            self.raw.clear();
        }
        Ok(())
    }

    /// Whether nothing of a next message has arrived.
    pub fn is_between_messages(&self) -> bool {
        self.buf.is_empty() && self.raw.is_empty()
    }

    /// The next whole message, or `None` until more bytes arrive.
    pub fn decode(&mut self) -> Result<Option<Frame>> {
        self.decoder.decode(&mut self.buf)
    }

    /// The bytes to send for `framed` (one or more whole frames): compressed, when the
    /// connection is a zlib stream.
    pub fn encode<'a>(&mut self, framed: &'a [u8], scratch: &'a mut Vec<u8>) -> Result<&'a [u8]> {
        #[cfg(not(feature = "zlib"))]
        let _ = &scratch;
        match &mut self.zlib {
            #[cfg(feature = "zlib")]
            Zlib::On(z) => {
                scratch.clear();
                z.deflate(framed, scratch)?;
                Ok(scratch)
            }
            _ => Ok(framed),
        }
    }

    /// The bytes to send for the answer `message` to a call that came as `format`:
    /// framed into `out`, then compressed into `scratch` on a zlib stream.
    pub fn frame<'a>(
        &mut self,
        format: &ReplyFormat,
        message: &[u8],
        out: &'a mut Vec<u8>,
        scratch: &'a mut Vec<u8>,
    ) -> Result<&'a [u8]> {
        out.clear();
        format.encode_frame(message, out, &self.decoder.limits)?;
        self.encode(out, scratch)
    }

    /// The limits.
    pub fn limits(&self) -> &Limits {
        &self.decoder.limits
    }
}

impl Zlib {
    #[cfg(feature = "zlib")]
    fn on() -> Result<Zlib> {
        Ok(Zlib::On(Box::new(ZlibStream::new())))
    }

    #[cfg(not(feature = "zlib"))]
    fn on() -> Result<Zlib> {
        Err(Error::new(ErrorKind::NotImplemented, "a zlib stream needs rift's `zlib` feature"))
    }
}

/// Both directions of a zlib stream: what `TZlibTransport` does, with a sync flush after
/// each write so that every message can be read as soon as it is sent.
#[cfg(feature = "zlib")]
#[derive(Debug)]
struct ZlibStream {
    inflate: flate2::Decompress,
    deflate: flate2::Compress,
}

#[cfg(feature = "zlib")]
impl ZlibStream {
    fn new() -> ZlibStream {
        ZlibStream {
            inflate: flate2::Decompress::new(true),
            deflate: flate2::Compress::new(flate2::Compression::default(), true),
        }
    }

    /// Inflates all of `input` onto `out`, which may not grow past `limit` (plus one
    /// chunk): a small input cannot make large memory.
    fn inflate(&mut self, mut input: &[u8], out: &mut BytesMut, limit: usize) -> Result<()> {
        const CHUNK: usize = 32 * 1024;
        let mut chunk = [0u8; CHUNK];
        loop {
            let (before_in, before_out) = (self.inflate.total_in(), self.inflate.total_out());
            let status = self
                .inflate
                .decompress(input, &mut chunk, flate2::FlushDecompress::Sync)
                .map_err(|e| Error::invalid("the zlib stream is corrupt").with_source(e))?;
            let used = (self.inflate.total_in() - before_in) as usize;
            let made = (self.inflate.total_out() - before_out) as usize;
            input = &input[used..];
            out.extend_from_slice(&chunk[..made]);
            if out.len() > limit {
                return Err(Error::new(
                    ErrorKind::SizeLimit,
                    format!("the zlib stream inflates past the message limit of {limit} bytes"),
                ));
            }
            if status == flate2::Status::StreamEnd
                || (input.is_empty() && made < CHUNK)
                || (used == 0 && made == 0)
            {
                return Ok(());
            }
        }
    }

    /// Deflates `input` onto `out` and flushes, so the peer can inflate all of it.
    fn deflate(&mut self, mut input: &[u8], out: &mut Vec<u8>) -> Result<()> {
        out.reserve(input.len() / 2 + 64);
        loop {
            let before = self.deflate.total_in();
            if out.capacity() - out.len() < 64 {
                out.reserve(out.capacity().max(256));
            }
            self.deflate
                .compress_vec(input, out, flate2::FlushCompress::Sync)
                .map_err(|e| Error::invalid("zlib failed").with_source(e))?;
            input = &input[(self.deflate.total_in() - before) as usize..];
            // zlib stops early only when the output is full: room left means flushed.
            if input.is_empty() && out.len() < out.capacity() {
                return Ok(());
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
    let client = match header::detect(buf) {
        Detected::Client(client) => client,
        Detected::NeedBytes(n) if buf.len() < n => return None,
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
    fn walk<R: ProtocolReader>(r: &mut R) -> Result<()> {
        r.read_message_begin()?;
        r.skip(TType::Struct)?;
        r.read_message_end()
    }
    let (result, position) = match protocol {
        Protocol::Binary => {
            let mut r = BinaryReader::with_limits(data, limits);
            (walk(&mut r), r.position())
        }
        Protocol::Compact => {
            let mut r = CompactReader::with_limits(data, limits);
            (walk(&mut r), r.position())
        }
        Protocol::Json => {
            let mut r = JsonReader::with_limits(data, limits);
            (walk(&mut r), r.position())
        }
    };
    match result {
        Ok(()) => Ok(Some(position)),
        Err(e) if e.kind() == ErrorKind::UnexpectedEof => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MessageType;
    use crate::service::{NoException, Outcome, write_message};

    fn message(protocol: Protocol, method: &str, body: &str) -> Vec<u8> {
        let mut out = Vec::new();
        let body = Outcome::<String, NoException>(Ok(body.to_owned()));
        write_message(protocol, None, (method, MessageType::Call, 1), &body, &mut out).unwrap();
        out
    }

    #[test]
    fn cuts_messages_in_every_format_byte_by_byte() {
        let limits = Limits::default();
        for framing in [Framing::Unframed, Framing::Framed, Framing::Header] {
            for protocol in [Protocol::Binary, Protocol::Compact, Protocol::Json] {
                let format = WireFormat::new(framing, protocol);
                let mut stream = Vec::new();
                for i in 0..3 {
                    let m = message(protocol, &format!("m{i}"), &"x".repeat(i * 100));
                    format.encode_frame(&m, &mut stream, &limits).unwrap();
                }
                for detect in [false, true] {
                    let mut decoder = if detect {
                        MessageDecoder::detecting(limits)
                    } else {
                        MessageDecoder::new(format, limits)
                    };
                    let mut buf = BytesMut::new();
                    let mut got = Vec::new();
                    for &byte in &stream {
                        buf.extend_from_slice(&[byte]);
                        while let Some(frame) = decoder.decode(&mut buf).unwrap() {
                            assert_eq!(frame.format.protocol(), protocol);
                            got.push(frame.message);
                        }
                    }
                    assert!(buf.is_empty());
                    assert_eq!(got.len(), 3, "{format:?}, detect {detect}");
                    for (i, m) in got.iter().enumerate() {
                        assert_eq!(m[..], message(protocol, &format!("m{i}"), &"x".repeat(i * 100))[..]);
                    }
                    // A header connection's protocol is each frame's own.
                    let known = decoder.format().unwrap();
                    assert_eq!(known.framing, framing);
                    if framing != Framing::Header {
                        assert_eq!(known, format);
                    }
                }
            }
        }
    }

    #[test]
    fn hostile_lengths_are_refused_before_reading() {
        let limits = Limits::default().max_frame_size(1000);
        let mut decoder = MessageDecoder::new(WireFormat::new(Framing::Framed, Protocol::Binary), limits);
        let mut buf = BytesMut::from(&[0x7f, 0xff, 0xff, 0xff, 0x80][..]);
        assert_eq!(decoder.decode(&mut buf).unwrap_err().kind(), ErrorKind::SizeLimit);
        let mut buf = BytesMut::from(&[0xff, 0xff, 0xff, 0xff][..]);
        assert_eq!(decoder.decode(&mut buf).unwrap_err().kind(), ErrorKind::NegativeSize);
        // A 2 GB string in an unframed message: refused by the message limit, not
        // waited for.
        let mut decoder =
            MessageDecoder::new(WireFormat::default(), Limits::default().max_message_size(1 << 20));
        let mut m = vec![0x80, 1, 0, 1, 0, 0, 0, 1, b'm', 0, 0, 0, 1, 11, 0, 1];
        m.extend_from_slice(&0x7fff_ffffu32.to_be_bytes());
        let mut buf = BytesMut::from(&m[..]);
        assert_eq!(decoder.decode(&mut buf).unwrap_err().kind(), ErrorKind::SizeLimit);
    }

    #[test]
    fn unknown_first_bytes_are_an_error() {
        let mut decoder = MessageDecoder::detecting(Limits::default());
        let mut buf = BytesMut::from(&b"GET / HTTP/1.1\r\n"[..]);
        assert_eq!(decoder.decode(&mut buf).unwrap_err().kind(), ErrorKind::BadVersion);
        let mut buf = BytesMut::from(&b"\x80"[..]);
        assert!(MessageDecoder::detecting(Limits::default()).decode(&mut buf).unwrap().is_none());
    }

    #[cfg(feature = "zlib")]
    #[test]
    fn zlib_streams_byte_by_byte_and_detected() {
        let limits = Limits::default();
        for detect in [false, true] {
            let format = WireFormat::new(Framing::Framed, Protocol::Compact).with_zlib();
            let mut sender = Conduit::new(format, limits);
            let mut receiver = if detect { Conduit::detecting(limits) } else { Conduit::new(format, limits) };
            let mut wire = Vec::new();
            for i in 0..3 {
                let mut framed = Vec::new();
                format
                    .encode_frame(
                        &message(Protocol::Compact, "m", &"z".repeat(i * 5000)),
                        &mut framed,
                        &limits,
                    )
                    .unwrap();
                let mut scratch = Vec::new();
                wire.extend_from_slice(sender.encode(&framed, &mut scratch).unwrap());
            }
            assert_eq!(wire[0], ZLIB_FIRST_BYTE);
            assert!(wire.len() < 2000, "compressed: {} bytes", wire.len());
            let mut got = 0;
            for &byte in &wire {
                receiver.read_buffer().extend_from_slice(&[byte]);
                receiver.received().unwrap();
                while let Some(frame) = receiver.decode().unwrap() {
                    assert_eq!(
                        frame.message[..],
                        message(Protocol::Compact, "m", &"z".repeat(got * 5000))[..]
                    );
                    got += 1;
                }
            }
            assert_eq!(got, 3);
            assert!(receiver.is_between_messages());
        }
    }

    #[cfg(feature = "zlib")]
    #[test]
    fn zlib_bombs_are_refused() {
        let limits = Limits::default().max_message_size(64 * 1024);
        let mut sender = Conduit::new(WireFormat::default().with_zlib(), limits);
        let mut scratch = Vec::new();
        let bomb = sender.encode(&vec![0u8; 10 << 20], &mut scratch).unwrap().to_vec();
        assert!(bomb.len() < 100_000);
        let mut receiver = Conduit::detecting(limits);
        receiver.read_buffer().extend_from_slice(&bomb);
        assert_eq!(receiver.received().unwrap_err().kind(), ErrorKind::SizeLimit);
    }

    proptest::proptest! {
        /// Any bytes, in pieces of any size, are cut into messages or refused: never a
        /// panic, and never more held than the limit allows.
        #[test]
        fn any_stream_is_cut_or_refused(data in proptest::collection::vec(proptest::num::u8::ANY, 0..2048), step in 1usize..64, seed in 0u8..6) {
            let limits = Limits::default().max_message_size(4096).max_frame_size(4096);
            // Start from a real prefix now and then, so the fuzz gets past detection.
            let prefixes: [&[u8]; 6] = [b"", &[0x80, 1, 0, 1], &[0x82, 0x21], &[0, 0, 0, 40, 0x0f, 0xff], b"[1,\"", &[0x78, 0x9c]];
            let mut bytes = prefixes[usize::from(seed)].to_vec();
            bytes.extend_from_slice(&data);
            let mut conduit = Conduit::detecting(limits);
            'feed: for piece in bytes.chunks(step) {
                conduit.read_buffer().extend_from_slice(piece);
                if conduit.received().is_err() {
                    break;
                }
                loop {
                    match conduit.decode() {
                        Ok(Some(frame)) => proptest::prop_assert!(frame.message.len() <= 4096 + 64),
                        Ok(None) => break,
                        Err(_) => break 'feed,
                    }
                }
                proptest::prop_assert!(conduit.buf.len() <= 4096 + 32 * 1024 + 4096);
            }
        }
    }

    #[test]
    fn names_of_the_cross_test() {
        assert_eq!(
            WireFormat::from_names("framed", "compact").unwrap(),
            WireFormat::new(Framing::Framed, Protocol::Compact)
        );
        assert_eq!(WireFormat::from_names("buffered", "header").unwrap().framing, Framing::Header);
        assert!(WireFormat::from_names("carrier-pigeon", "binary").is_err());
        assert!(WireFormat::from_names("buffered", "xml").is_err());
    }
}
