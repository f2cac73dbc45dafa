//! How messages travel on a byte stream: the framings of Apache Thrift's transports, and
//! the detection a server does to answer each client in its own format. Nothing here
//! touches I/O.
//!
//! - **Unframed** (`TBufferedTransport`): messages follow each other with nothing
//!   between them; where one ends is found by walking it ([`crate::protocol::skip`]).
//! - **Framed** (`TFramedTransport`): each message comes after its length, a big-endian
//!   `i32`, and may not be larger than [`Limits::max_frame_size`].
//! - **Header** (`THeaderTransport`): framed, with a header that names the payload's
//!   protocol and its transforms ([`header`]); and header frames inside the frames of
//!   the framed transport, as Apache's cross-test programs stack them.
//! - **zlib** (`TZlibTransport`): the whole stream compressed, around any of the above.
//!
//! [`MessageDecoder`] cuts whole messages out of the bytes read so far; [`Conduit`] adds
//! the zlib stream and the buffers of one connection. [`ReplyFormat`] frames an outgoing
//! message in place: what goes before it is written first, and its length filled in
//! afterwards, so a message is encoded once, straight into the buffer that is sent.
//! Every length is checked before memory is reserved for it, and a message is never
//! read past [`Limits::max_message_size`].

mod conduit;
mod decoder;
pub mod header;
#[cfg(feature = "zlib")]
mod zlib;

pub use conduit::Conduit;
pub use decoder::{Frame, MessageDecoder, unframed_len};

use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;
use crate::protocol::Protocol;
use header::{FrameOptions, SubProtocol, Transform};

/// How messages are delimited on a stream.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Framing {
    /// One message after another (Apache's buffered transport).
    Unframed,
    /// Each message after its length (Apache's framed transport).
    Framed,
    /// THeader frames (Apache's header transport and protocol).
    Header,
    /// THeader frames each inside a frame of the framed transport: what Apache's
    /// cross-test programs send for the protocol `header` over the transport `framed`
    /// (`THeaderProtocol` over `TFramedTransport`). Servers that tell formats apart
    /// recognise it.
    FramedHeader,
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

    /// How a message of this format that starts a conversation is framed (a header
    /// frame's sequence id is then 0, and no transform is applied).
    pub fn reply_format(self) -> ReplyFormat {
        let header = matches!(self.framing, Framing::Header | Framing::FramedHeader)
            .then_some(HeaderReply { seq_id: 0, zlib: false });
        ReplyFormat { wire: self, header }
    }

    /// Frames one whole `message` (of this format's protocol) into `out`.
    pub fn encode_frame(&self, message: &[u8], out: &mut Vec<u8>, limits: &Limits) -> Result<()> {
        self.reply_format().encode_frame(message, out, limits)
    }
}

pub(crate) fn sub_protocol(protocol: Protocol) -> SubProtocol {
    match protocol {
        Protocol::Binary => SubProtocol::Binary,
        Protocol::Compact => SubProtocol::Compact,
        Protocol::Json => SubProtocol::Json,
    }
}

pub(crate) fn from_sub_protocol(protocol: SubProtocol) -> Protocol {
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

/// What a header frame's answer repeats of it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct HeaderReply {
    /// The frame's sequence id.
    pub seq_id: i32,
    /// Whether its payload was compressed with zlib.
    pub zlib: bool,
}

/// How a message came, and so how to frame the answer.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReplyFormat {
    /// The framing and protocol.
    pub wire: WireFormat,
    /// For header frames: what the answer's frame repeats.
    pub header: Option<HeaderReply>,
}

/// Where a frame begun in a buffer starts, and where its message does.
#[derive(Copy, Clone, Debug)]
pub(crate) struct FrameStart {
    frame: usize,
    message: usize,
}

impl FrameStart {
    /// Where the message starts.
    pub(crate) fn message(self) -> usize {
        self.message
    }
}

/// The size of a header frame's fixed part after its length: magic, flags, sequence id
/// and header size.
const HEADER_FIXED: usize = 10;

impl ReplyFormat {
    /// Messages not framed, in `protocol` (HTTP bodies, in-memory calls).
    pub const fn plain(protocol: Protocol) -> ReplyFormat {
        ReplyFormat { wire: WireFormat::new(Framing::Unframed, protocol), header: None }
    }

    /// The protocol of the message.
    pub fn protocol(&self) -> Protocol {
        self.wire.protocol
    }

    /// Writes what goes before a message at the end of `out`: nothing, a length to be
    /// filled in, or a header frame's header. The message is then appended, and
    /// [`ReplyFormat::end_frame`] completes the frame.
    pub(crate) fn begin_frame(&self, out: &mut Vec<u8>) -> FrameStart {
        let frame = out.len();
        match self.wire.framing {
            Framing::Unframed => {}
            Framing::Framed => out.extend_from_slice(&[0; 4]),
            Framing::Header | Framing::FramedHeader => {
                let header = self.header.unwrap_or(HeaderReply { seq_id: 0, zlib: false });
                if self.wire.framing == Framing::FramedHeader {
                    // The outer frame's length, filled in with the inner one's.
                    out.extend_from_slice(&[0; 4]);
                }
                out.extend_from_slice(&[0; 4]);
                out.extend_from_slice(&header::MAGIC.to_be_bytes());
                out.extend_from_slice(&0u16.to_be_bytes());
                out.extend_from_slice(&header.seq_id.to_be_bytes());
                // One word of header: the protocol id, no transforms (a zlib payload is
                // framed again when it is complete), padding.
                out.extend_from_slice(&1u16.to_be_bytes());
                out.extend_from_slice(&[sub_protocol(self.wire.protocol).id() as u8, 0, 0, 0]);
            }
        }
        FrameStart { frame, message: out.len() }
    }

    /// Completes the frame begun at `start`, its message having been appended to `out`.
    pub(crate) fn end_frame(&self, out: &mut Vec<u8>, start: FrameStart, limits: &Limits) -> Result<()> {
        match self.wire.framing {
            Framing::Unframed => Ok(()),
            Framing::Framed => {
                let len = out.len() - start.message;
                check_frame_len(len, limits)?;
                out[start.frame..start.frame + 4].copy_from_slice(&(len as u32).to_be_bytes());
                Ok(())
            }
            Framing::Header | Framing::FramedHeader => {
                let header = self.header.unwrap_or(HeaderReply { seq_id: 0, zlib: false });
                let outer = self.wire.framing == Framing::FramedHeader;
                if header.zlib {
                    // The payload is compressed as a whole: frame it again.
                    let message = out.split_off(start.message);
                    out.truncate(start.frame);
                    let options = FrameOptions {
                        seq_id: header.seq_id,
                        protocol: Some(sub_protocol(self.wire.protocol)),
                        transforms: vec![Transform::Zlib],
                        ..Default::default()
                    };
                    if !outer {
                        return header::write_frame(out, &options, &message, limits);
                    }
                    out.extend_from_slice(&[0; 4]);
                    header::write_frame(out, &options, &message, limits)?;
                    let len = out.len() - start.frame - 4;
                    check_frame_len(len, limits)?;
                    out[start.frame..start.frame + 4].copy_from_slice(&(len as u32).to_be_bytes());
                    return Ok(());
                }
                let inner = if outer { start.frame + 4 } else { start.frame };
                if outer {
                    let len = out.len() - start.frame - 4;
                    check_frame_len(len, limits)?;
                    out[start.frame..start.frame + 4].copy_from_slice(&(len as u32).to_be_bytes());
                }
                let start = FrameStart { frame: inner, message: start.message };
                let len = out.len() - start.frame - 4;
                if len > limits.max_frame_size.min(header::MAX_FRAME_SIZE) {
                    return Err(Error::new(
                        ErrorKind::SizeLimit,
                        format!(
                            "a header frame of {len} bytes is larger than the limit of {}",
                            limits.max_frame_size
                        ),
                    ));
                }
                debug_assert!(len >= HEADER_FIXED);
                out[start.frame..start.frame + 4].copy_from_slice(&(len as u32).to_be_bytes());
                Ok(())
            }
        }
    }

    /// Frames one whole `message` into `out`.
    pub fn encode_frame(&self, message: &[u8], out: &mut Vec<u8>, limits: &Limits) -> Result<()> {
        let start = self.begin_frame(out);
        out.extend_from_slice(message);
        self.end_frame(out, start, limits)
    }
}

#[cfg(test)]
mod tests;
