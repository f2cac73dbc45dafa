//! Limits on what a decoder accepts, checked before anything is allocated.

/// What decoders and transports accept. The defaults are those of Apache Thrift's
/// `TConfiguration`: a 100 MB message, a 16,384,000-byte frame and 64 levels of nesting.
/// Strings and collections are bounded by the message size unless set lower.
///
/// Every length read from the wire is checked against these limits and against the
/// bytes that remain before memory is reserved for it, so a hostile length prefix costs
/// nothing.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The largest message, in bytes. Default: 100 MiB (104,857,600).
    pub max_message_size: usize,
    /// The largest frame of the framed and header transports, without its length
    /// prefix. Default: 16,384,000.
    pub max_frame_size: usize,
    /// How deeply structs may nest (and, when skipping, structs and collections). Default: 64.
    pub max_depth: usize,
    /// The longest string or binary value, in bytes. Default: the message size.
    pub max_string_len: usize,
    /// The most elements in one list, set or map. Default: the message size (a
    /// collection cannot have more elements than its message has bytes).
    pub max_container_len: usize,
    /// The most bytes of headers: a THeader frame's header block, an HTTP request's
    /// head (its request line and headers). Default: 256 KiB (262,144), which is more
    /// than a THeader block can hold (65,535 words of 4 bytes).
    pub max_header_size: usize,
    /// The most headers of an HTTP request. Default: 100.
    pub max_headers: usize,
}

impl Limits {
    /// Apache Thrift's default maximum message size: 100 MiB.
    pub const DEFAULT_MAX_MESSAGE_SIZE: usize = 100 * 1024 * 1024;
    /// Apache Thrift's default maximum frame size.
    pub const DEFAULT_MAX_FRAME_SIZE: usize = 16_384_000;
    /// Apache Thrift's default recursion limit.
    pub const DEFAULT_MAX_DEPTH: usize = 64;
    /// The default maximum size of headers: 256 KiB.
    pub const DEFAULT_MAX_HEADER_SIZE: usize = 256 * 1024;
    /// The default maximum number of an HTTP request's headers.
    pub const DEFAULT_MAX_HEADERS: usize = 100;

    /// The defaults.
    pub const fn new() -> Limits {
        Limits {
            max_message_size: Self::DEFAULT_MAX_MESSAGE_SIZE,
            max_frame_size: Self::DEFAULT_MAX_FRAME_SIZE,
            max_depth: Self::DEFAULT_MAX_DEPTH,
            max_string_len: Self::DEFAULT_MAX_MESSAGE_SIZE,
            max_container_len: Self::DEFAULT_MAX_MESSAGE_SIZE,
            max_header_size: Self::DEFAULT_MAX_HEADER_SIZE,
            max_headers: Self::DEFAULT_MAX_HEADERS,
        }
    }

    /// Sets the maximum message size.
    #[must_use]
    pub const fn max_message_size(mut self, bytes: usize) -> Limits {
        self.max_message_size = bytes;
        self
    }

    /// Sets the maximum frame size.
    #[must_use]
    pub const fn max_frame_size(mut self, bytes: usize) -> Limits {
        self.max_frame_size = bytes;
        self
    }

    /// Sets the recursion limit.
    #[must_use]
    pub const fn max_depth(mut self, depth: usize) -> Limits {
        self.max_depth = depth;
        self
    }

    /// Sets the longest string or binary value.
    #[must_use]
    pub const fn max_string_len(mut self, bytes: usize) -> Limits {
        self.max_string_len = bytes;
        self
    }

    /// Sets the most elements of a collection.
    #[must_use]
    pub const fn max_container_len(mut self, elements: usize) -> Limits {
        self.max_container_len = elements;
        self
    }

    /// Sets the most bytes of a THeader header block or an HTTP request's head. HTTP
    /// servers take no less than 8 KiB whatever is set here.
    #[must_use]
    pub const fn max_header_size(mut self, bytes: usize) -> Limits {
        self.max_header_size = bytes;
        self
    }

    /// Sets the most headers of an HTTP request.
    #[must_use]
    pub const fn max_headers(mut self, headers: usize) -> Limits {
        self.max_headers = headers;
        self
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::new()
    }
}
