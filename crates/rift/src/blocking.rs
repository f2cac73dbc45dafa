//! Blocking servers and clients, on the standard library's sockets: no async runtime.
//!
//! ```no_run
//! # fn run(processor: impl rift::BlockingProcessor) -> std::io::Result<()> {
//! // Apache's TSimpleServer: one connection at a time.
//! rift::blocking::Server::new(processor).bind("0.0.0.0:9090")?.run()
//! # }
//! ```
//!
//! With [`Server::threads`] above one it is Apache's `TThreadPoolServer`: that many
//! workers, each accepting and serving one connection at a time. Messages are framed
//! and detected exactly as by the async server ([`crate::transport`]).

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
#[cfg(unix)]
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::BytesMut;

pub use crate::config::{ClientConfig, Endpoint, ServerConfig};
use crate::error::Error;
use crate::service::{
    BlockingChannel, BlockingProcessor, CallCodec, ClientError, Exceptions, Reply, Request, ReturnValue,
    settle,
};
use crate::transport::{Conduit, Frame};
use crate::value::Encode;

/// How often a connection waiting for its next message looks whether the server is
/// shutting down.
const POLL: Duration = Duration::from_millis(100);

/// A blocking server of one processor.
#[derive(Debug)]
pub struct Server<P> {
    processor: Arc<P>,
    config: ServerConfig,
}

impl<P: BlockingProcessor> Server<P> {
    crate::config::server_setters!();
    /// A server of `processor`, serving one connection at a time.
    pub fn new(processor: P) -> Server<P> {
        Server { processor: Arc::new(processor), config: ServerConfig::default() }
    }

    /// Serves up to `n` connections at once, each on a worker thread of its own.
    #[must_use]
    pub fn threads(mut self, n: usize) -> Self {
        self.config.threads = n.max(1);
        self
    }

    /// Listens on a TCP address.
    pub fn bind(self, addr: impl ToSocketAddrs) -> io::Result<Bound<P>> {
        let listener = TcpListener::bind(addr)?;
        Ok(self.bound(Listener::Tcp(listener)))
    }

    /// Serves connections from a TCP listener already bound.
    pub fn tcp_listener(self, listener: TcpListener) -> Bound<P> {
        self.bound(Listener::Tcp(listener))
    }

    /// Listens on a Unix domain socket, replacing a stale socket file at `path`.
    #[cfg(unix)]
    pub fn bind_unix(self, path: impl AsRef<Path>) -> io::Result<Bound<P>> {
        use std::os::unix::fs::FileTypeExt;
        let path = path.as_ref();
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_socket()) {
            std::fs::remove_file(path)?;
        }
        let listener = std::os::unix::net::UnixListener::bind(path)?;
        Ok(self.bound(Listener::Unix(listener, path.to_path_buf())))
    }

    fn bound(self, listener: Listener) -> Bound<P> {
        Bound { server: self, listener, stop: Arc::new(AtomicBool::new(false)) }
    }
}

#[derive(Debug)]
enum Listener {
    Tcp(TcpListener),
    #[cfg(unix)]
    Unix(std::os::unix::net::UnixListener, PathBuf),
}

trait Stream: Read + Write + Send {
    fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()>;
    fn set_write_timeout(&self, timeout: Option<Duration>) -> io::Result<()>;
    fn set_nonblocking(&self, nonblocking: bool) -> io::Result<()>;
    fn close(&self);

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

impl Stream for TcpStream {
    fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        TcpStream::set_read_timeout(self, timeout)
    }
    fn set_write_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        TcpStream::set_write_timeout(self, timeout)
    }
    fn set_nonblocking(&self, nonblocking: bool) -> io::Result<()> {
        TcpStream::set_nonblocking(self, nonblocking)
    }
    fn close(&self) {
        let _ = self.shutdown(Shutdown::Both);
    }
}

#[cfg(unix)]
impl Stream for std::os::unix::net::UnixStream {
    fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        std::os::unix::net::UnixStream::set_read_timeout(self, timeout)
    }
    fn set_write_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        std::os::unix::net::UnixStream::set_write_timeout(self, timeout)
    }
    fn set_nonblocking(&self, nonblocking: bool) -> io::Result<()> {
        std::os::unix::net::UnixStream::set_nonblocking(self, nonblocking)
    }
    fn close(&self) {
        let _ = self.shutdown(Shutdown::Both);
    }
}

/// A TLS session over a stream: its handshake runs in the first reads and writes.
#[cfg(feature = "tls")]
macro_rules! tls_stream {
    ($side:ty) => {
        impl Stream for rustls::StreamOwned<$side, Box<dyn Stream>> {
            fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
                self.sock.set_read_timeout(timeout)
            }
            fn set_write_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
                self.sock.set_write_timeout(timeout)
            }
            fn set_nonblocking(&self, nonblocking: bool) -> io::Result<()> {
                self.sock.set_nonblocking(nonblocking)
            }
            fn close(&self) {
                self.sock.close();
            }
        }
    };
}

#[cfg(feature = "tls")]
tls_stream!(rustls::ServerConnection);
#[cfg(feature = "tls")]
tls_stream!(rustls::ClientConnection);

/// The TLS session over an accepted stream when the server has TLS.
fn secure(stream: Box<dyn Stream>, config: &ServerConfig) -> io::Result<Box<dyn Stream>> {
    #[cfg(feature = "tls")]
    if let Some(tls) = &config.tls {
        let session = rustls::ServerConnection::new(tls.clone()).map_err(io::Error::other)?;
        return Ok(Box::new(rustls::StreamOwned::new(session, stream)));
    }
    let _ = config;
    Ok(stream)
}

impl Listener {
    fn try_clone(&self) -> io::Result<Listener> {
        Ok(match self {
            Listener::Tcp(l) => Listener::Tcp(l.try_clone()?),
            #[cfg(unix)]
            Listener::Unix(l, path) => Listener::Unix(l.try_clone()?, path.clone()),
        })
    }

    fn accept(&self) -> io::Result<(Box<dyn Stream>, String)> {
        match self {
            Listener::Tcp(l) => {
                let (stream, peer) = l.accept()?;
                let _ = stream.set_nodelay(true);
                Ok((Box::new(stream), peer.to_string()))
            }
            #[cfg(unix)]
            Listener::Unix(l, path) => {
                let (stream, _) = l.accept()?;
                Ok((Box::new(stream), path.display().to_string()))
            }
        }
    }

    /// Connects to the listener, to wake a thread blocked in `accept`.
    fn poke(&self) {
        match self {
            Listener::Tcp(l) => {
                if let Ok(mut addr) = l.local_addr() {
                    if addr.ip().is_unspecified() {
                        addr.set_ip(if addr.is_ipv4() {
                            std::net::Ipv4Addr::LOCALHOST.into()
                        } else {
                            std::net::Ipv6Addr::LOCALHOST.into()
                        });
                    }
                    let _ = TcpStream::connect_timeout(&addr, Duration::from_secs(1));
                }
            }
            #[cfg(unix)]
            Listener::Unix(_, path) => {
                let _ = std::os::unix::net::UnixStream::connect(path);
            }
        }
    }
}

/// A blocking server listening, ready to [`run`](Bound::run).
#[derive(Debug)]
pub struct Bound<P> {
    server: Server<P>,
    listener: Listener,
    stop: Arc<AtomicBool>,
}

/// Stops a running blocking server.
#[derive(Clone)]
pub struct ServerHandle {
    stop: Arc<AtomicBool>,
    listener: Arc<Listener>,
    threads: usize,
}

impl fmt::Debug for ServerHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerHandle").field("stopping", &self.stop.load(Ordering::Relaxed)).finish()
    }
}

impl ServerHandle {
    /// Stops accepting; each connection ends after the call it is serving. [`Bound::run`]
    /// returns when all have ended.
    pub fn shutdown(&self) {
        self.stop.store(true, Ordering::SeqCst);
        for _ in 0..self.threads {
            self.listener.poke();
        }
    }
}

impl<P: BlockingProcessor> Bound<P> {
    /// The TCP address listened on (`None` for a Unix socket).
    pub fn local_addr(&self) -> Option<SocketAddr> {
        match &self.listener {
            Listener::Tcp(l) => l.local_addr().ok(),
            #[cfg(unix)]
            Listener::Unix(..) => None,
        }
    }

    /// A handle to stop the server from another thread.
    pub fn handle(&self) -> io::Result<ServerHandle> {
        Ok(ServerHandle {
            stop: self.stop.clone(),
            listener: Arc::new(self.listener.try_clone()?),
            threads: self.server.config.threads,
        })
    }

    /// Serves until stopped, on this thread and `threads - 1` more.
    pub fn run(self) -> io::Result<()> {
        let Bound { server, listener, stop } = self;
        let threads = server.config.threads;
        tracing::info!(threads, "rift blocking server listening");
        let worker = |listener: Listener| {
            let processor = server.processor.clone();
            let config = server.config.clone();
            let stop = stop.clone();
            move || accept_loop(&listener, &*processor, &config, &stop)
        };
        let result = std::thread::scope(|scope| {
            let mut handles = Vec::new();
            for _ in 1..threads {
                let l = listener.try_clone()?;
                handles.push(scope.spawn(worker(l)));
            }
            let mine = worker(listener.try_clone()?)();
            for h in handles {
                h.join().unwrap_or_else(|_| Err(io::Error::other("a server thread panicked")))?;
            }
            mine
        });
        #[cfg(unix)]
        if let Listener::Unix(_, path) = &listener {
            let _ = std::fs::remove_file(path);
        }
        result
    }
}

fn accept_loop<P: BlockingProcessor>(
    listener: &Listener,
    processor: &P,
    config: &ServerConfig,
    stop: &AtomicBool,
) -> io::Result<()> {
    loop {
        let accepted = listener.accept();
        if stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        match accepted {
            Ok((stream, peer)) => {
                tracing::debug!(%peer, "connection accepted");
                match secure(stream, config) {
                    Ok(stream) => serve_connection(stream, processor, config, stop, &peer),
                    Err(e) => tracing::warn!(%peer, error = %e, "TLS session refused"),
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::ConnectionAborted
                        | io::ErrorKind::ConnectionReset
                        | io::ErrorKind::Interrupted
                ) || e.raw_os_error() == Some(24) =>
            {
                tracing::warn!(error = %e, "accept failed; retrying");
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => return Err(e),
        }
    }
}

/// Reads more bytes into `buf`; 0 at the end of the stream.
fn read_more<R: Read + ?Sized>(stream: &mut R, buf: &mut BytesMut) -> io::Result<usize> {
    let start = buf.len();
    buf.resize(start + 8192, 0);
    let result = stream.read(&mut buf[start..]);
    buf.truncate(start + *result.as_ref().unwrap_or(&0));
    result
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut)
}

fn serve_connection<P: BlockingProcessor>(
    mut stream: Box<dyn Stream>,
    processor: &P,
    config: &ServerConfig,
    stop: &AtomicBool,
    peer: &str,
) {
    let mut conduit = match config.format {
        Some(format) => Conduit::new(format, config.limits),
        None => Conduit::detecting(config.limits),
    };
    let _ = stream.set_write_timeout(config.write_timeout);
    #[cfg(feature = "http")]
    let mut stream = {
        // The first bytes tell HTTP from the Thrift framings.
        let started = Instant::now();
        let mut first = BytesMut::new();
        loop {
            if stop.load(Ordering::SeqCst) || config.idle_timeout.is_some_and(|t| started.elapsed() >= t) {
                stream.close();
                return;
            }
            let _ = stream.set_read_timeout(Some(POLL));
            match read_more(&mut *stream, &mut first) {
                Ok(0) => return,
                Ok(_) => break,
                Err(e) if is_timeout(&e) || e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return,
            }
        }
        if crate::http::looks_like_http(first[0]) {
            if let Err(e) = stream.set_nonblocking(true) {
                tracing::warn!(%peer, error = %e, "cannot serve HTTP on this socket");
                return;
            }
            crate::http::serve_blocking(first.freeze(), stream, processor, config, stop, peer);
            return;
        }
        conduit.read_buffer().extend_from_slice(&first);
        if let Err(e) = conduit.received() {
            tracing::warn!(%peer, error = %e, "unreadable stream; closing the connection");
            stream.close();
            return;
        }
        stream
    };
    let (mut out, mut scratch) = (Vec::with_capacity(1024), Vec::new());
    'messages: loop {
        // The next message: between messages, wake up now and then to see whether the
        // server stops; within one, wait up to the read timeout.
        let started = Instant::now();
        let frame: Frame = loop {
            match conduit.decode() {
                Ok(Some(frame)) => break frame,
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(%peer, error = %e, "unreadable message; closing the connection");
                    break 'messages;
                }
            }
            let between = conduit.is_between_messages();
            let limit = if between { config.idle_timeout } else { config.read_timeout };
            if between && stop.load(Ordering::SeqCst) {
                break 'messages;
            }
            if limit.is_some_and(|limit| started.elapsed() >= limit) {
                tracing::debug!(%peer, between, "read timed out; closing the connection");
                break 'messages;
            }
            let wait = if between { Some(POLL) } else { limit.map(|l| l.saturating_sub(started.elapsed())) };
            let _ = stream.set_read_timeout(wait.map(|w| w.max(Duration::from_millis(1))));
            match read_more(&mut *stream, conduit.read_buffer()) {
                Ok(0) => {
                    if !between {
                        tracing::warn!(%peer, "the peer closed in the middle of a message");
                    }
                    break 'messages;
                }
                Ok(_) => {
                    if let Err(e) = conduit.received() {
                        tracing::warn!(%peer, error = %e, "unreadable stream; closing the connection");
                        break 'messages;
                    }
                }
                Err(e) if is_timeout(&e) || e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    tracing::debug!(%peer, error = %e, "read failed");
                    break 'messages;
                }
            }
        };
        let protocol = frame.format.protocol();
        let call = frame.message.clone();
        let request = match Request::new(protocol, frame.message, config.limits) {
            Ok(request) => request,
            Err(e) => {
                tracing::warn!(%peer, error = %e, "unreadable message envelope; closing the connection");
                break;
            }
        };
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| processor.process(request)));
        let Reply::Message(message) = settle(protocol, call, config.limits, outcome, peer) else { continue };
        let bytes = match conduit.frame(&frame.format, &message, &mut out, &mut scratch) {
            Ok(bytes) => bytes,
            Err(e) => {
                tracing::error!(%peer, error = %e, "the reply could not be framed");
                break;
            }
        };
        if let Err(e) = stream.write_all(bytes).and_then(|()| stream.flush()) {
            tracing::debug!(%peer, error = %e, "write failed");
            break;
        }
    }
    stream.close();
}

/// A blocking channel to a server over TCP or a Unix socket. Threads may share it: each
/// call takes an idle connection or opens one.
pub struct Client {
    endpoint: Endpoint,
    config: ClientConfig,
    codec: CallCodec,
    idle: Mutex<Vec<Conn>>,
    /// For HTTP: the async client, and a runtime to run it on.
    #[cfg(feature = "http")]
    http: Option<(tokio::runtime::Runtime, crate::client::Client)>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.endpoint)
            .field("format", &self.config.format)
            .finish()
    }
}

struct Conn {
    stream: Box<dyn Stream>,
    conduit: Conduit,
}

/// Configures a blocking [`Client`].
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    endpoint: Endpoint,
    config: ClientConfig,
}

impl ClientBuilder {
    crate::config::client_setters!();

    /// Calls over HTTP: each call a `POST` to `path` of the endpoint, as Apache's
    /// `THttpClient`. Runs hyper on a runtime of the client's own, so it may not be
    /// called from inside an async runtime.
    #[cfg(feature = "http")]
    #[must_use]
    pub fn http(mut self, path: impl Into<String>) -> Self {
        self.config.http = Some(path.into());
        self
    }

    /// A client that connects when it first calls.
    pub fn build(self) -> Client {
        let codec =
            CallCodec::new(self.config.format.protocol, self.config.service.clone(), self.config.limits);
        #[cfg(feature = "http")]
        let http = self.config.http.is_some().then(|| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a current-thread runtime for HTTP");
            (runtime, crate::client::Client::from_config(self.endpoint.clone(), self.config.clone()))
        });
        Client {
            endpoint: self.endpoint,
            config: self.config,
            codec,
            idle: Mutex::default(),
            #[cfg(feature = "http")]
            http,
        }
    }

    /// A client with one connection open.
    pub fn connect(self) -> io::Result<Client> {
        let client = self.build();
        #[cfg(feature = "http")]
        if let Some((runtime, http)) = &client.http {
            runtime.block_on(http.open_one())?;
            return Ok(client);
        }
        let conn = client.open()?;
        client.give_back(conn);
        Ok(client)
    }
}

fn transport_error<E>(e: io::Error) -> ClientError<E> {
    ClientError::Transport(Box::new(e))
}

impl Client {
    /// Configures a client of `endpoint`.
    pub fn builder(endpoint: Endpoint) -> ClientBuilder {
        ClientBuilder { endpoint, config: ClientConfig::default() }
    }

    fn open(&self) -> io::Result<Conn> {
        let stream: Box<dyn Stream> = match &self.endpoint {
            Endpoint::Tcp(addr) => {
                let mut last =
                    io::Error::new(io::ErrorKind::NotFound, format!("{addr} resolves to no address"));
                let mut connected = None;
                for a in addr.to_socket_addrs()? {
                    let attempt = match self.config.connect_timeout {
                        Some(t) => TcpStream::connect_timeout(&a, t),
                        None => TcpStream::connect(a),
                    };
                    match attempt {
                        Ok(s) => {
                            connected = Some(s);
                            break;
                        }
                        Err(e) => last = e,
                    }
                }
                let stream = connected.ok_or_else(|| {
                    io::Error::new(last.kind(), format!("cannot connect to {addr}: {last}"))
                })?;
                let _ = stream.set_nodelay(true);
                Box::new(stream)
            }
            #[cfg(unix)]
            Endpoint::Unix(path) => Box::new(std::os::unix::net::UnixStream::connect(path).map_err(|e| {
                io::Error::new(e.kind(), format!("cannot connect to {}: {e}", path.display()))
            })?),
            #[cfg(not(unix))]
            Endpoint::Unix(_) => {
                return Err(io::Error::new(io::ErrorKind::Unsupported, "Unix sockets need a Unix system"));
            }
        };
        stream.set_read_timeout(self.config.read_timeout)?;
        stream.set_write_timeout(self.config.write_timeout)?;
        #[cfg(feature = "tls")]
        let stream = match &self.config.tls {
            Some((config, name)) => {
                let name = match (name, &self.endpoint) {
                    (Some(name), _) => name.as_str(),
                    (None, Endpoint::Tcp(addr)) => crate::tls::host_of(addr),
                    (None, Endpoint::Unix(_)) => {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidInput,
                            "TLS over a Unix socket needs a server name",
                        ));
                    }
                };
                let session = rustls::ClientConnection::new(config.clone(), crate::tls::server_name(name)?)
                    .map_err(io::Error::other)?;
                let mut stream = rustls::StreamOwned::new(session, stream);
                // The handshake now, so that a certificate the client refuses is an
                // error of connecting.
                while stream.conn.is_handshaking() {
                    stream.conn.complete_io(&mut stream.sock)?;
                }
                Box::new(stream) as Box<dyn Stream>
            }
            None => stream,
        };
        Ok(Conn { stream, conduit: Conduit::new(self.config.format, self.config.limits) })
    }

    /// An idle connection the server has not closed, or a new one.
    fn take(&self) -> io::Result<Conn> {
        loop {
            let conn = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
            match conn {
                Some(mut conn) => {
                    if conn.conduit.is_between_messages() && conn.stream.is_open() {
                        return Ok(conn);
                    }
                }
                None => return self.open(),
            }
        }
    }

    fn give_back(&self, conn: Conn) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < self.config.max_idle {
            idle.push(conn);
        }
    }

    fn send(&self, framed: &[u8]) -> io::Result<Conn> {
        let mut conn = self.take()?;
        let mut scratch = Vec::new();
        let bytes = conn
            .conduit
            .encode(framed, &mut scratch)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        conn.stream.write_all(bytes)?;
        conn.stream.flush()?;
        Ok(conn)
    }
}

impl Conn {
    fn receive(&mut self) -> io::Result<Frame> {
        let invalid = |e: Error| io::Error::new(io::ErrorKind::InvalidData, e);
        loop {
            if let Some(frame) = self.conduit.decode().map_err(invalid)? {
                return Ok(frame);
            }
            if read_more(&mut *self.stream, self.conduit.read_buffer())? > 0 {
                self.conduit.received().map_err(invalid)?;
                continue;
            }
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                if self.conduit.is_between_messages() {
                    "the server closed the connection without replying"
                } else {
                    "the server closed the connection in the middle of the reply"
                },
            ));
        }
    }
}

impl BlockingChannel for Client {
    fn call<A: Encode, T: ReturnValue, E: Exceptions>(
        &self,
        method: &'static str,
        args: &A,
    ) -> Result<T, ClientError<E>> {
        #[cfg(feature = "http")]
        if let Some((runtime, http)) = &self.http {
            let mut message = Vec::with_capacity(256);
            let seq = self.codec.encode_call(method, false, args, &mut message)?;
            let reply = runtime.block_on(http.round_trip(&message, false)).map_err(transport_error)?;
            let reply = reply.ok_or_else(|| ClientError::Protocol(Error::invalid("no reply to a call")))?;
            return self.codec.decode_reply(method, seq, &reply);
        }
        let (seq, bytes) = self.codec.encode_framed(self.config.format, method, false, args)?;
        let mut conn = self.send(&bytes).map_err(transport_error)?;
        let frame = conn.receive().map_err(transport_error)?;
        self.give_back(conn);
        self.codec.decode_reply(method, seq, &frame.message)
    }

    fn oneway<A: Encode>(&self, method: &'static str, args: &A) -> Result<(), ClientError> {
        #[cfg(feature = "http")]
        if let Some((runtime, http)) = &self.http {
            let mut message = Vec::with_capacity(256);
            self.codec.encode_call(method, true, args, &mut message)?;
            runtime.block_on(http.round_trip(&message, true)).map_err(transport_error)?;
            return Ok(());
        }
        let (_, bytes) = self.codec.encode_framed(self.config.format, method, true, args)?;
        let conn = self.send(&bytes).map_err(transport_error)?;
        self.give_back(conn);
        Ok(())
    }
}
