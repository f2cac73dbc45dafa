//! The standard library's sockets as the blocking server and client drive them: TCP,
//! Unix, and a TLS session over either, behind one trait.

use std::io::{self, Read, Write};
use std::net::TcpStream;
#[cfg(unix)]
use std::os::unix::net::UnixStream;
use std::time::Duration;

use bytes::BytesMut;

/// A blocking socket.
pub(crate) trait Socket: Read + Write + Send + Unpin + 'static {
    fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()>;
    fn set_write_timeout(&self, timeout: Option<Duration>) -> io::Result<()>;
    fn set_nonblocking(&self, nonblocking: bool) -> io::Result<()>;

    /// Whether the peer has not closed the connection (nor sent anything unasked).
    fn is_open(&mut self) -> bool {
        if self.set_nonblocking(true).is_err() {
            return false;
        }
        let mut probe = [0u8; 1];
        let open = matches!(self.read(&mut probe), Err(e) if e.kind() == io::ErrorKind::WouldBlock);
        open && self.set_nonblocking(false).is_ok()
    }
}

/// Closes a socket from another thread (a duplicate of its descriptor).
#[cfg(feature = "http")]
#[derive(Debug)]
pub(crate) enum Closer {
    Tcp(TcpStream),
    #[cfg(unix)]
    Unix(UnixStream),
}

#[cfg(feature = "http")]
impl Closer {
    pub(crate) fn shutdown(&self, how: std::net::Shutdown) {
        let _ = match self {
            Closer::Tcp(s) => s.shutdown(how),
            #[cfg(unix)]
            Closer::Unix(s) => s.shutdown(how),
        };
    }

    /// Sets the read timeout of the socket (which its clones share).
    pub(crate) fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        match self {
            Closer::Tcp(s) => s.set_read_timeout(timeout),
            #[cfg(unix)]
            Closer::Unix(s) => s.set_read_timeout(timeout),
        }
    }
}

/// The socket types of the standard library.
macro_rules! std_socket {
    ($ty:ty, $closer:ident) => {
        impl Socket for $ty {
            fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
                <$ty>::set_read_timeout(self, timeout)
            }
            fn set_write_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
                <$ty>::set_write_timeout(self, timeout)
            }
            fn set_nonblocking(&self, nonblocking: bool) -> io::Result<()> {
                <$ty>::set_nonblocking(self, nonblocking)
            }
        }
    };
}

std_socket!(TcpStream, Tcp);
#[cfg(unix)]
std_socket!(UnixStream, Unix);

/// A socket behind a pointer, so the client's connections can be of any kind.
impl Socket for Box<dyn Socket> {
    fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        (**self).set_read_timeout(timeout)
    }
    fn set_write_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        (**self).set_write_timeout(timeout)
    }
    fn set_nonblocking(&self, nonblocking: bool) -> io::Result<()> {
        (**self).set_nonblocking(nonblocking)
    }
}

/// A TLS session over a socket: its handshake runs in the first reads and writes.
#[cfg(feature = "tls")]
macro_rules! tls_socket {
    ($side:ty) => {
        impl<S: Socket> Socket for rustls::StreamOwned<$side, S> {
            fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
                self.sock.set_read_timeout(timeout)
            }
            fn set_write_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
                self.sock.set_write_timeout(timeout)
            }
            fn set_nonblocking(&self, nonblocking: bool) -> io::Result<()> {
                self.sock.set_nonblocking(nonblocking)
            }
        }
    };
}

#[cfg(feature = "tls")]
tls_socket!(rustls::ServerConnection);
#[cfg(feature = "tls")]
tls_socket!(rustls::ClientConnection);

/// Reads more bytes into `buf`; 0 at the end of the stream.
pub(crate) fn read_more<R: Read + ?Sized>(stream: &mut R, buf: &mut BytesMut) -> io::Result<usize> {
    let start = buf.len();
    // Safe reads need initialised memory: zero what this read may fill.
    buf.resize(start + (buf.capacity() - start).clamp(4096, 64 * 1024), 0);
    let result = stream.read(&mut buf[start..]);
    buf.truncate(start + *result.as_ref().unwrap_or(&0));
    result
}
