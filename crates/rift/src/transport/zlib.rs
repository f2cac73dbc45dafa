//! The zlib stream of Apache's `TZlibTransport`.

use bytes::BytesMut;

use crate::error::{Error, ErrorKind, Result};

/// Both directions of a zlib stream: what `TZlibTransport` does, with a sync flush after
/// each write so that every message can be read as soon as it is sent.
#[derive(Debug)]
pub(crate) struct ZlibStream {
    inflate: flate2::Decompress,
    deflate: flate2::Compress,
}

impl ZlibStream {
    pub(crate) fn new() -> ZlibStream {
        ZlibStream {
            inflate: flate2::Decompress::new(true),
            deflate: flate2::Compress::new(flate2::Compression::default(), true),
        }
    }

    /// Inflates all of `input` onto `out`, which may not grow past `limit` (plus one
    /// chunk): a small input cannot make large memory.
    pub(crate) fn inflate(&mut self, mut input: &[u8], out: &mut BytesMut, limit: usize) -> Result<()> {
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
    pub(crate) fn deflate(&mut self, mut input: &[u8], out: &mut Vec<u8>) -> Result<()> {
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
