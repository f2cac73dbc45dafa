//! The in-memory input of the binary and compact readers, and the checks every length
//! read from the wire goes through before anything is reserved for it.

use bytes::Bytes;
use faststr::FastStr;

use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;

/// Counts nesting against the depth limit.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Depth {
    current: usize,
    max: usize,
}

impl Depth {
    pub(crate) fn new(max: usize) -> Depth {
        Depth { current: 0, max }
    }

    #[inline]
    pub(crate) fn enter(&mut self) -> Result<()> {
        if self.current >= self.max {
            return Err(Error::new(
                ErrorKind::DepthLimit,
                format!("values nest deeper than the limit of {} levels", self.max),
            ));
        }
        self.current += 1;
        Ok(())
    }

    #[inline]
    pub(crate) fn leave(&mut self) {
        self.current = self.current.saturating_sub(1);
    }
}

/// An in-memory input with bounds checks, shared by the binary and compact readers.
#[derive(Debug)]
pub(crate) struct Input<'a> {
    data: &'a [u8],
    pos: usize,
    /// The `Bytes` that `data` is, for zero-copy `read_bytes`.
    owner: Option<&'a Bytes>,
    /// After running out of input: how long the input must be for the read that failed
    /// to succeed. A stream transport waits for that many bytes before reading again.
    wanted: usize,
}

impl<'a> Input<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Input<'a> {
        Input { data, pos: 0, owner: None, wanted: 0 }
    }

    pub(crate) fn from_bytes(bytes: &'a Bytes) -> Input<'a> {
        Input { data: bytes, pos: 0, owner: Some(bytes), wanted: 0 }
    }

    #[inline]
    pub(crate) fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    /// How long the input must be for the last read that ran out of it to succeed (0
    /// when none has).
    pub(crate) fn wanted(&self) -> usize {
        self.wanted
    }

    /// The error for a read of `n` more bytes than there are, noting how many it wants.
    #[cold]
    pub(crate) fn short(&mut self, n: usize) -> Error {
        self.wanted = self.wanted.max(self.pos.saturating_add(n));
        Error::eof()
    }

    /// Notes, for an error of running out of input, that `n` more bytes are wanted.
    #[cold]
    pub(crate) fn note_short(&mut self, e: Error, n: usize) -> Error {
        if e.kind() == ErrorKind::UnexpectedEof {
            self.wanted = self.wanted.max(self.pos.saturating_add(n));
        }
        e
    }

    #[inline]
    pub(crate) fn read_u8(&mut self) -> Result<u8> {
        match self.data.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => Err(self.short(1)),
        }
    }

    #[inline]
    pub(crate) fn read_array<const N: usize>(&mut self) -> Result<[u8; N]> {
        match self.data.get(self.pos..self.pos + N) {
            Some(slice) => {
                self.pos += N;
                let mut out = [0u8; N];
                out.copy_from_slice(slice);
                Ok(out)
            }
            None => Err(self.short(N)),
        }
    }

    /// The next `len` bytes, which the caller has checked against the limits.
    #[inline]
    pub(crate) fn take(&mut self, len: usize) -> Result<&'a [u8]> {
        if len > self.remaining() {
            return Err(self.short(len));
        }
        let slice = &self.data[self.pos..self.pos + len];
        self.pos += len;
        Ok(slice)
    }

    pub(crate) fn take_bytes(&mut self, len: usize) -> Result<Bytes> {
        let start = self.pos;
        let slice = self.take(len)?;
        Ok(match self.owner {
            Some(owner) => owner.slice(start..start + len),
            None => Bytes::copy_from_slice(slice),
        })
    }

    /// The next `len` bytes as a string, checked to be UTF-8 once: a slice of the input
    /// when the input is `Bytes`, a copy otherwise.
    ///
    /// Short strings are copied into the `FastStr` itself (no allocation, and no count
    /// of references to the input to keep): cheaper than a slice up to a few dozen bytes.
    #[inline]
    pub(crate) fn take_text(&mut self, len: usize) -> Result<FastStr> {
        if len <= INLINE_TEXT && len <= self.remaining() {
            let slice = &self.data[self.pos..self.pos + len];
            if slice.is_ascii() {
                self.pos += len;
                return Ok(ascii_text(slice));
            }
        }
        self.take_long_text(len)
    }

    /// `take_text` for strings that are long, not ASCII, or short of input.
    #[inline(never)]
    fn take_long_text(&mut self, len: usize) -> Result<FastStr> {
        let start = self.pos;
        let slice = self.take(len)?;
        if len <= INLINE_TEXT {
            return FastStr::new_u8_slice(slice).map_err(|_| not_utf8(slice));
        }
        let text = match self.owner {
            Some(owner) => FastStr::from_bytes(owner.slice(start..start + len)),
            None => FastStr::new_u8_slice(slice),
        };
        text.map_err(|_| not_utf8(slice))
    }
}

/// A short ASCII string as a `FastStr` (held inline).
///
/// Most strings in messages are short ASCII (names, keys, methods). The validation of
/// the standard library (and simdutf8, which defers to it below 64 bytes) was a third
/// of the cost of reading such a string and a tenth of decoding the workload's standard
/// message (callgrind); an ASCII check is several times cheaper.
#[inline]
#[allow(unsafe_code)]
fn ascii_text(slice: &[u8]) -> FastStr {
    debug_assert!(slice.is_ascii());
    // SAFETY: the caller checked that `slice` is ASCII, and every ASCII byte sequence is
    // valid UTF-8, which is all that `new_u8_slice_unchecked` requires. Tested by
    // `input::tests::short_text_*` (every two-byte tail, ASCII or not).
    unsafe { FastStr::new_u8_slice_unchecked(slice) }
}

/// The longest string read into a `FastStr` by copy rather than as a slice of its input
/// (`FastStr` holds up to 30 bytes inline).
const INLINE_TEXT: usize = 24;

/// The error for `bytes` that are not UTF-8, saying where.
#[cold]
pub(crate) fn not_utf8(bytes: &[u8]) -> Error {
    match std::str::from_utf8(bytes) {
        Err(e) => {
            Error::invalid(format!("string is not valid UTF-8 (invalid byte at offset {})", e.valid_up_to()))
                .with_source(e)
        }
        Ok(_) => Error::invalid("string is not valid UTF-8"),
    }
}

/// Checks a string or binary length from the wire before it is read.
#[inline]
pub(crate) fn check_string_len(len: i64, limits: &Limits, remaining: usize) -> Result<usize> {
    if len < 0 {
        return Err(Error::new(ErrorKind::NegativeSize, format!("negative string length {len}")));
    }
    let len = len as u64;
    if len > limits.max_string_len as u64 {
        return Err(Error::new(
            ErrorKind::SizeLimit,
            format!("string of {len} bytes is longer than the limit of {}", limits.max_string_len),
        ));
    }
    if len > remaining as u64 {
        return Err(Error::new(
            ErrorKind::UnexpectedEof,
            format!("string of {len} bytes, but only {remaining} bytes remain"),
        ));
    }
    Ok(len as usize)
}

/// Checks a collection size from the wire: against the limit, and against how many
/// elements the remaining bytes can hold at `min_size` bytes each.
#[inline]
pub(crate) fn check_container_len(
    len: i64,
    min_size: usize,
    limits: &Limits,
    remaining: usize,
) -> Result<usize> {
    if len < 0 {
        return Err(Error::new(ErrorKind::NegativeSize, format!("negative collection size {len}")));
    }
    let len = len as u64;
    if len > limits.max_container_len as u64 {
        return Err(Error::new(
            ErrorKind::SizeLimit,
            format!("collection of {len} elements is larger than the limit of {}", limits.max_container_len),
        ));
    }
    let needed = len.saturating_mul(min_size as u64);
    if needed > limits.max_message_size as u64 {
        return Err(Error::new(
            ErrorKind::SizeLimit,
            format!(
                "collection of {len} elements cannot fit in a message of at most {} bytes",
                limits.max_message_size
            ),
        ));
    }
    if needed > remaining as u64 {
        return Err(Error::new(
            ErrorKind::UnexpectedEof,
            format!(
                "collection of {len} elements needs at least {needed} bytes, but only {remaining} remain"
            ),
        ));
    }
    Ok(len as usize)
}

/// Converts a collection length for writing: protocols carry sizes as `i32`.
#[inline]
pub(crate) fn len_to_i32(len: usize) -> Result<i32> {
    i32::try_from(len).map_err(|_| {
        Error::new(ErrorKind::InvalidValue, format!("a length of {len} does not fit in the protocol's i32"))
    })
}

/// Checks a string length of a value being written.
#[inline]
pub(crate) fn checked_len(len: usize) -> Result<i32> {
    len_to_i32(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A whole slice read as a string, from a slice and from `Bytes`: both must agree.
    fn short_text(bytes: &[u8]) -> Result<FastStr> {
        let owned = Bytes::copy_from_slice(bytes);
        let from_bytes = Input::from_bytes(&owned).take_text(bytes.len());
        let from_slice = Input::new(bytes).take_text(bytes.len());
        assert_eq!(from_bytes.is_ok(), from_slice.is_ok());
        from_slice
    }

    #[test]
    fn short_text_takes_ascii_and_utf8_and_refuses_the_rest() {
        assert_eq!(&*short_text(b"").unwrap(), "");
        assert_eq!(&*short_text(b"item-15").unwrap(), "item-15");
        assert_eq!(&*short_text("ünïcødé ✓".as_bytes()).unwrap(), "ünïcødé ✓");
        // Not UTF-8: a lone continuation byte, a truncated sequence, an overlong one.
        for bad in [
            &b"ab\x80"[..],
            &[0xe2, 0x82],
            &[0xc0, 0xaf],
            &[b'x'; 23].iter().chain(&[0xff]).copied().collect::<Vec<_>>(),
        ] {
            let e = short_text(bad).unwrap_err();
            assert!(e.to_string().contains("not valid UTF-8"), "{e}");
        }
    }

    #[test]
    fn short_text_agrees_with_the_standard_library_on_every_byte_pair() {
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                let bytes = [b'k', a, b];
                assert_eq!(short_text(&bytes).is_ok(), std::str::from_utf8(&bytes).is_ok(), "{bytes:?}");
                if let Ok(text) = short_text(&bytes) {
                    assert_eq!(text.as_bytes(), bytes);
                }
            }
        }
    }
}
