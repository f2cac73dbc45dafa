//! One connection's bytes: the zlib stream when there is one, and the messages cut from
//! what arrives.

use bytes::BytesMut;

use super::WireFormat;
use super::decoder::{Frame, MessageDecoder};
#[cfg(feature = "zlib")]
use super::zlib::ZlibStream;
use crate::error::Result;
#[cfg(not(feature = "zlib"))]
use crate::error::{Error, ErrorKind};
use crate::limits::Limits;

/// The first byte of a zlib stream (deflate, 32 KiB window): no framing or protocol
/// starts with it.
pub(crate) const ZLIB_FIRST_BYTE: u8 = 0x78;

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
        Conduit { decoder, buf: BytesMut::new(), raw: BytesMut::new(), zlib }
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
            z.inflate(&self.raw, &mut self.buf, self.decoder.limits().max_message_size)?;
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

    /// The first byte that came, before anything was decoded from it: what tells an
    /// HTTP client from a Thrift one.
    pub fn first_byte(&self) -> Option<u8> {
        match self.zlib {
            Zlib::Undecided => self.raw.first().copied(),
            _ => self.buf.first().copied(),
        }
    }

    /// Everything received and not yet decoded, as it came (for handing the stream
    /// over to another protocol, such as HTTP).
    pub fn take_received(&mut self) -> bytes::Bytes {
        if self.raw.is_empty() { self.buf.split().freeze() } else { self.raw.split().freeze() }
    }

    /// How many decompressed bytes wait to be decoded.
    #[cfg(test)]
    pub(crate) fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// Gives up buffers that hold nothing, so that an idle connection costs little.
    pub fn shrink(&mut self) {
        if self.buf.is_empty() {
            self.buf = BytesMut::new();
        }
        if self.raw.is_empty() {
            self.raw = BytesMut::new();
        }
    }

    /// The limits.
    pub fn limits(&self) -> &Limits {
        self.decoder.limits()
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
