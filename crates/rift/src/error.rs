//! The error of encoding and decoding: what went wrong, where in the value, and why.

use std::borrow::Cow;
use std::fmt;

/// What kind of problem an [`Error`] is. The kinds mirror Apache Thrift's
/// `TProtocolException` types, plus the end of input.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input ended in the middle of a value. On a stream, more bytes may complete it.
    UnexpectedEof,
    /// Bytes that are not a valid encoding: an unknown type code, a bad bool, a string
    /// that is not UTF-8, a malformed varint or JSON document.
    InvalidData,
    /// A length or size below zero.
    NegativeSize,
    /// A length, size or message beyond a configured limit (see [`Limits`](crate::Limits)).
    SizeLimit,
    /// An unknown protocol version or message header.
    BadVersion,
    /// An operation the protocol does not support (reading TSimpleJSON).
    NotImplemented,
    /// Values nested deeper than the recursion limit.
    DepthLimit,
    /// A `required` field was absent.
    MissingField,
    /// A value of a type the protocol or the target cannot hold (a union with no or
    /// several members set, a collection too large to encode).
    InvalidValue,
}

impl ErrorKind {
    /// The `TProtocolException` type code this kind corresponds to.
    pub fn protocol_exception_code(self) -> i32 {
        match self {
            ErrorKind::InvalidData | ErrorKind::MissingField | ErrorKind::InvalidValue => 1,
            ErrorKind::NegativeSize => 2,
            ErrorKind::SizeLimit => 3,
            ErrorKind::BadVersion => 4,
            ErrorKind::NotImplemented => 5,
            ErrorKind::DepthLimit => 6,
            ErrorKind::UnexpectedEof => 0,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            ErrorKind::UnexpectedEof => "unexpected end of input",
            ErrorKind::InvalidData => "invalid data",
            ErrorKind::NegativeSize => "negative size",
            ErrorKind::SizeLimit => "size limit exceeded",
            ErrorKind::BadVersion => "bad version",
            ErrorKind::NotImplemented => "not implemented",
            ErrorKind::DepthLimit => "depth limit exceeded",
            ErrorKind::MissingField => "missing required field",
            ErrorKind::InvalidValue => "invalid value",
        }
    }
}

/// One step of the path to where an error happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSegment {
    /// A field of a struct: `Struct.field`.
    Field {
        /// The struct's name.
        ty: &'static str,
        /// The field's name.
        field: &'static str,
    },
    /// An element of a list or set, or an entry of a map, by position.
    Index(usize),
}

/// An encoding or decoding error: its kind, a message, the path from the outermost
/// value to where it happened (`Request.items[3] → Item.name`), and its cause.
///
/// It is one pointer wide, so `Result<T, Error>` stays small on the hot path.
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    message: Cow<'static, str>,
    /// Innermost first: segments are pushed as the error travels outwards.
    path: Vec<PathSegment>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    /// A new error.
    #[cold]
    pub fn new(kind: ErrorKind, message: impl Into<Cow<'static, str>>) -> Error {
        Error { inner: Box::new(Inner { kind, message: message.into(), path: Vec::new(), source: None }) }
    }

    /// The input ended early.
    #[cold]
    pub fn eof() -> Error {
        Error::new(ErrorKind::UnexpectedEof, "the input ended in the middle of a value")
    }

    /// Invalid bytes.
    #[cold]
    pub fn invalid(message: impl Into<Cow<'static, str>>) -> Error {
        Error::new(ErrorKind::InvalidData, message)
    }

    /// A required field was absent.
    #[cold]
    pub fn missing_field(ty: &'static str, field: &'static str) -> Error {
        Error::new(ErrorKind::MissingField, format!("required field `{field}` of `{ty}` is missing"))
    }

    /// Attaches a cause.
    #[must_use]
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Error {
        self.inner.source = Some(Box::new(source));
        self
    }

    /// Records that the error happened inside field `field` of struct `ty`.
    #[cold]
    #[must_use]
    pub fn in_field(mut self, ty: &'static str, field: &'static str) -> Error {
        self.inner.path.push(PathSegment::Field { ty, field });
        self
    }

    /// Records that the error happened in element `index` of a collection.
    #[cold]
    #[must_use]
    pub fn at_index(mut self, index: usize) -> Error {
        self.inner.path.push(PathSegment::Index(index));
        self
    }

    /// The kind.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The message, without the path.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// Where it happened, outermost first.
    pub fn path(&self) -> impl Iterator<Item = &PathSegment> {
        self.inner.path.iter().rev()
    }

    /// The path as text: `Request.items[3].name`.
    pub fn path_string(&self) -> String {
        let mut out = String::new();
        for segment in self.path() {
            match segment {
                PathSegment::Field { ty, field } => {
                    if out.is_empty() {
                        out.push_str(ty);
                    }
                    out.push('.');
                    out.push_str(field);
                }
                PathSegment::Index(i) => {
                    out.push_str(&format!("[{i}]"));
                }
            }
        }
        out
    }

    /// Whether the input ended early (on a stream: more bytes are needed).
    pub fn is_eof(&self) -> bool {
        self.inner.kind == ErrorKind::UnexpectedEof
    }

    /// Whether a limit was exceeded (size or depth).
    pub fn is_limit(&self) -> bool {
        matches!(self.inner.kind, ErrorKind::SizeLimit | ErrorKind::DepthLimit)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.inner.kind).field("message", &self.inner.message);
        if !self.inner.path.is_empty() {
            d.field("path", &self.path_string());
        }
        if let Some(source) = &self.inner.source {
            d.field("source", source);
        }
        d.finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.inner.kind.describe(), self.inner.message)?;
        if !self.inner.path.is_empty() {
            write!(f, " (at {})", self.path_string())?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner.source.as_ref().map(|s| s.as_ref() as &(dyn std::error::Error + 'static))
    }
}

/// The result of encoding and decoding.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_small_and_thread_safe() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
        assert_eq!(std::mem::size_of::<Result<()>>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn path_reads_outermost_first() {
        let e = Error::invalid("bad utf-8").in_field("Item", "name").at_index(3).in_field("Request", "items");
        assert_eq!(e.path_string(), "Request.items[3].name");
        assert_eq!(e.to_string(), "invalid data: bad utf-8 (at Request.items[3].name)");
    }

    #[test]
    fn source_is_kept() {
        let cause = std::io::Error::other("boom");
        let e = Error::invalid("wrapped").with_source(cause);
        assert_eq!(std::error::Error::source(&e).unwrap().to_string(), "boom");
    }
}
