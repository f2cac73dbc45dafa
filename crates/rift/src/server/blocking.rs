//! The blocking server, on the standard library's sockets: no async runtime.
//!
//! Workers each accept a connection and serve it on their thread, one message after
//! another, as drivers of [`ServerConnection`]. A worker waits for a connection's next
//! message in a blocking read with the idle timeout; shutdown closes the read side of
//! the connections that are waiting, so no worker polls.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
#[cfg(unix)]
use std::os::unix::net::{UnixListener, UnixStream};
#[cfg(unix)]
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::config::ServerConfig;
use crate::connection::{ServerConnection, ServerEvent};
use crate::service::BlockingProcessor;
use crate::socket::{Closer, Socket, read_more};

/// A blocking server of one processor.
///
/// ```no_run
/// # fn run(processor: impl rift::BlockingProcessor) -> std::io::Result<()> {
/// // Apache's TSimpleServer: one connection at a time.
/// rift::blocking::Server::new(processor).bind("0.0.0.0:9090")?.run()
/// # }
/// ```
///
/// With [`Server::threads`] above one it is Apache's `TThreadPoolServer`: that many
/// workers, each accepting and serving one connection at a time.
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
    /// Default: 1 (one connection at a time, as Apache's `TSimpleServer`).
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
        let listener = UnixListener::bind(path)?;
        Ok(self.bound(Listener::Unix(listener, path.to_path_buf())))
    }

    fn bound(self, listener: Listener) -> Bound<P> {
        Bound { server: self, listener, shared: Arc::new(Shared::default()) }
    }
}

#[derive(Debug)]
enum Listener {
    Tcp(TcpListener),
    #[cfg(unix)]
    Unix(UnixListener, PathBuf),
}

/// An accepted socket.
enum Accepted {
    Tcp(TcpStream),
    #[cfg(unix)]
    Unix(UnixStream),
}

impl Listener {
    fn try_clone(&self) -> io::Result<Listener> {
        Ok(match self {
            Listener::Tcp(l) => Listener::Tcp(l.try_clone()?),
            #[cfg(unix)]
            Listener::Unix(l, path) => Listener::Unix(l.try_clone()?, path.clone()),
        })
    }

    fn accept(&self) -> io::Result<(Accepted, String)> {
        match self {
            Listener::Tcp(l) => {
                let (stream, peer) = l.accept()?;
                let _ = stream.set_nodelay(true);
                Ok((Accepted::Tcp(stream), peer.to_string()))
            }
            #[cfg(unix)]
            Listener::Unix(l, path) => {
                let (stream, _) = l.accept()?;
                Ok((Accepted::Unix(stream), path.display().to_string()))
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
                let _ = UnixStream::connect(path);
            }
        }
    }
}

/// What the workers and the handle share: whether the server stops, and the live
/// connections, so that shutdown can end those waiting for their next message.
#[derive(Debug, Default)]
struct Shared {
    stop: AtomicBool,
    next_id: AtomicU64,
    live: Mutex<HashMap<u64, Arc<Live>>>,
}

/// One live connection, as shutdown sees it.
#[derive(Debug)]
pub(crate) struct Live {
    /// Whether it waits for its next message (rather than serving one).
    waiting: AtomicBool,
    closer: Closer,
}

impl Live {
    /// Marks the connection as waiting for its next message (`true`) or serving one.
    pub(crate) fn set_waiting(&self, waiting: bool) {
        self.waiting.store(waiting, Ordering::SeqCst);
    }
}

impl Shared {
    fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    fn register(&self, closer: Closer) -> (u64, Arc<Live>) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let live = Arc::new(Live { waiting: AtomicBool::new(false), closer });
        self.live.lock().unwrap_or_else(|e| e.into_inner()).insert(id, live.clone());
        (id, live)
    }

    fn unregister(&self, id: u64) {
        self.live.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
    }

    /// Ends the connections that wait for their next message: their blocked read
    /// returns the end of the stream. Those serving a call see `stop` when they have
    /// answered it.
    fn close_waiting(&self) {
        for live in self.live.lock().unwrap_or_else(|e| e.into_inner()).values() {
            if live.waiting.load(Ordering::SeqCst) {
                live.closer.shutdown(Shutdown::Read);
            }
        }
    }
}

/// A blocking server listening, ready to [`run`](Bound::run).
#[derive(Debug)]
pub struct Bound<P> {
    server: Server<P>,
    listener: Listener,
    shared: Arc<Shared>,
}

/// Stops a running blocking server.
#[derive(Clone)]
pub struct ServerHandle {
    shared: Arc<Shared>,
    listener: Arc<Listener>,
    threads: usize,
}

impl fmt::Debug for ServerHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerHandle").field("stopping", &self.shared.stopping()).finish()
    }
}

impl ServerHandle {
    /// Stops accepting; connections waiting for their next message end now, and each
    /// other one after the call it is serving. [`Bound::run`] returns when all have
    /// ended.
    pub fn shutdown(&self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        for _ in 0..self.threads {
            self.listener.poke();
        }
        self.shared.close_waiting();
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
            shared: self.shared.clone(),
            listener: Arc::new(self.listener.try_clone()?),
            threads: self.server.config.threads,
        })
    }

    /// Serves until stopped, on this thread and `threads - 1` more.
    pub fn run(self) -> io::Result<()> {
        let Bound { server, listener, shared } = self;
        let threads = server.config.threads;
        tracing::info!(threads, "rift blocking server listening");
        let worker = |listener: Listener| {
            let processor = server.processor.clone();
            let config = server.config.clone();
            let shared = shared.clone();
            move || accept_loop(&listener, &*processor, &config, &shared)
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
    shared: &Shared,
) -> io::Result<()> {
    loop {
        let accepted = listener.accept();
        if shared.stopping() {
            return Ok(());
        }
        match accepted {
            Ok((Accepted::Tcp(stream), peer)) => serve_socket(stream, processor, config, shared, &peer),
            #[cfg(unix)]
            Ok((Accepted::Unix(stream), peer)) => serve_socket(stream, processor, config, shared, &peer),
            Err(e) if super::is_transient(&e) => {
                tracing::warn!(error = %e, "accept failed; retrying");
                std::thread::sleep(super::ACCEPT_RETRY);
            }
            Err(e) => return Err(e),
        }
    }
}

/// Serves an accepted socket: in a TLS session when the server has TLS.
fn serve_socket<S: Socket, P: BlockingProcessor>(
    stream: S,
    processor: &P,
    config: &ServerConfig,
    shared: &Shared,
    peer: &str,
) {
    tracing::debug!(%peer, "connection accepted");
    let (id, live) = match stream.closer() {
        Ok(closer) => shared.register(closer),
        Err(e) => {
            tracing::warn!(%peer, error = %e, "cannot serve this socket");
            return;
        }
    };
    #[cfg(feature = "tls")]
    if let Some(tls) = &config.tls {
        match rustls::ServerConnection::new(tls.clone()) {
            Ok(session) => {
                let stream = rustls::StreamOwned::new(session, stream);
                serve_connection(stream, processor, config, shared, &live, peer);
            }
            Err(e) => tracing::warn!(%peer, error = %e, "TLS session refused"),
        }
        shared.unregister(id);
        return;
    }
    serve_connection(stream, processor, config, shared, &live, peer);
    shared.unregister(id);
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut)
}

/// Sets a socket's read timeout only when it changes: one system call less per read.
struct ReadTimeout(Option<Option<Duration>>);

impl ReadTimeout {
    fn set<S: Socket>(&mut self, stream: &S, timeout: Option<Duration>) {
        // A zero timeout means none to the socket: wait at least a millisecond.
        let timeout = timeout.map(|t| t.max(Duration::from_millis(1)));
        if self.0 != Some(timeout) {
            let _ = stream.set_read_timeout(timeout);
            self.0 = Some(timeout);
        }
    }
}

fn serve_connection<S: Socket, P: BlockingProcessor>(
    mut stream: S,
    processor: &P,
    config: &ServerConfig,
    shared: &Shared,
    live: &Live,
    peer: &str,
) {
    let mut conn = ServerConnection::new(config.format, config.limits);
    let _ = stream.set_write_timeout(config.write_timeout);
    let mut timeout = ReadTimeout(None);
    // When the message being read began to arrive.
    let mut started: Option<Instant> = None;
    loop {
        let event = match conn.next_event() {
            Ok(event) => event,
            Err(e) => {
                tracing::warn!(%peer, error = %e, "unreadable message; closing the connection");
                break;
            }
        };
        match event {
            ServerEvent::Request(request) => {
                started = None;
                let outcome =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| processor.process(request)));
                let bytes = match conn.finish(outcome, peer) {
                    Ok(bytes) => bytes,
                    Err(e) => {
                        tracing::error!(%peer, error = %e, "the reply could not be framed");
                        break;
                    }
                };
                if !bytes.is_empty()
                    && let Err(e) = stream.write_all(bytes).and_then(|()| stream.flush())
                {
                    tracing::debug!(%peer, error = %e, "write failed");
                    break;
                }
            }
            ServerEvent::NeedBytes => {
                let between = conn.is_between_messages();
                if between {
                    // Shutdown ends a waiting connection by closing its read side: say
                    // that it waits before looking whether the server stops, so that
                    // one of the two sees the other.
                    live.set_waiting(true);
                    if shared.stopping() {
                        break;
                    }
                    timeout.set(&stream, config.idle_timeout);
                } else {
                    let start = *started.get_or_insert_with(Instant::now);
                    let left = config.read_timeout.map(|t| t.saturating_sub(start.elapsed()));
                    if left.is_some_and(|left| left.is_zero()) {
                        tracing::debug!(%peer, "read timed out; closing the connection");
                        break;
                    }
                    timeout.set(&stream, left);
                }
                let read = read_more(&mut stream, conn.read_buffer());
                live.set_waiting(false);
                match read {
                    Ok(0) => {
                        if !between {
                            tracing::warn!(%peer, "the peer closed in the middle of a message");
                        }
                        break;
                    }
                    Ok(_) => {
                        started.get_or_insert_with(Instant::now);
                        if let Err(e) = conn.received() {
                            tracing::warn!(%peer, error = %e, "unreadable stream; closing the connection");
                            break;
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) if is_timeout(&e) => {
                        tracing::debug!(%peer, between, "read timed out; closing the connection");
                        break;
                    }
                    Err(e) => {
                        tracing::debug!(%peer, error = %e, "read failed");
                        break;
                    }
                }
            }
            #[cfg(feature = "http")]
            ServerEvent::Http(received) => {
                timeout.set(&stream, config.idle_timeout.or(config.read_timeout));
                super::http::serve_blocking(received, stream, processor, config, live, peer);
                return;
            }
            #[cfg(not(feature = "http"))]
            ServerEvent::Http(_) => break,
        }
    }
    live.closer.shutdown(Shutdown::Both);
}
