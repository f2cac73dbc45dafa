//! The async server, on tokio.
//!
//! ```no_run
//! # async fn run(processor: impl rift::Processor) -> std::io::Result<()> {
//! use std::time::Duration;
//! let server = rift::server::Server::new(processor).bind("127.0.0.1:9090").await?;
//! let handle = server.handle();
//! tokio::spawn(server.run());
//! // ...
//! handle.shutdown(Duration::from_secs(5)).await;
//! # Ok(())
//! # }
//! ```
//!
//! Each connection is served by its own task, one message after another (a client that
//! sends several calls without waiting gets the replies in order). By default the
//! server tells each connection's format from its first message, as Apache's header
//! servers do: unframed or framed binary, compact or JSON, and header frames, all on one
//! port. A handler that panics gets the client an `INTERNAL_ERROR` exception and the
//! connection lives on. [`ServerHandle::shutdown`] stops accepting, lets each connection
//! finish the call it is serving, and closes the rest when the deadline passes.

use std::any::Any;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, ToSocketAddrs};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

pub use crate::config::ServerConfig;
use crate::service::{Processor, Reply, Request, settle};
use crate::transport::Conduit;

/// A server of one processor (use [`crate::multiplex::Multiplexed`] for several).
#[derive(Debug)]
pub struct Server<P> {
    processor: Arc<P>,
    config: ServerConfig,
}

impl<P: Processor> Server<P> {
    crate::config::server_setters!();
    /// A server of `processor` with the default configuration.
    pub fn new(processor: P) -> Server<P> {
        Server { processor: Arc::new(processor), config: ServerConfig::default() }
    }

    /// Sets the most connections served at once.
    #[must_use]
    pub fn max_connections(mut self, n: usize) -> Self {
        self.config.max_connections = n.max(1);
        self
    }

    /// Listens on a TCP address.
    pub async fn bind(self, addr: impl ToSocketAddrs) -> io::Result<Bound<P>> {
        let listener = TcpListener::bind(addr).await?;
        Ok(self.listener(Listener::Tcp(listener)))
    }

    /// Listens on a Unix domain socket, replacing a stale socket file at `path`.
    #[cfg(unix)]
    pub async fn bind_unix(self, path: impl AsRef<Path>) -> io::Result<Bound<P>> {
        let path = path.as_ref();
        if std::fs::symlink_metadata(path).is_ok_and(|m| {
            use std::os::unix::fs::FileTypeExt;
            m.file_type().is_socket()
        }) {
            std::fs::remove_file(path)?;
        }
        let listener = tokio::net::UnixListener::bind(path)?;
        Ok(self.listener(Listener::Unix(listener, path.to_path_buf())))
    }

    /// Serves connections from a listener already bound.
    pub fn listener(self, listener: Listener) -> Bound<P> {
        let (shutdown, _) = watch::channel(None);
        let (done, _) = watch::channel(false);
        Bound { server: self, listener, shared: Arc::new(Shared { shutdown, done }) }
    }
}

/// Where a server accepts connections.
#[derive(Debug)]
#[non_exhaustive]
pub enum Listener {
    /// TCP.
    Tcp(TcpListener),
    /// A Unix domain socket, and its path (removed when the server ends).
    #[cfg(unix)]
    Unix(tokio::net::UnixListener, PathBuf),
}

/// Where a server listens, for logs and tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LocalAddr {
    /// A TCP address.
    Tcp(SocketAddr),
    /// A Unix socket path.
    Unix(PathBuf),
}

trait Stream: AsyncRead + AsyncWrite + Unpin + Send + 'static {}
impl<S: AsyncRead + AsyncWrite + Unpin + Send + 'static> Stream for S {}

impl Listener {
    async fn accept(&self) -> io::Result<(Box<dyn Stream>, String)> {
        match self {
            Listener::Tcp(l) => {
                let (stream, peer) = l.accept().await?;
                let _ = stream.set_nodelay(true);
                Ok((Box::new(stream), peer.to_string()))
            }
            #[cfg(unix)]
            Listener::Unix(l, path) => {
                let (stream, _) = l.accept().await?;
                Ok((Box::new(stream), path.display().to_string()))
            }
        }
    }

    fn local_addr(&self) -> io::Result<LocalAddr> {
        match self {
            Listener::Tcp(l) => l.local_addr().map(LocalAddr::Tcp),
            #[cfg(unix)]
            Listener::Unix(_, path) => Ok(LocalAddr::Unix(path.clone())),
        }
    }
}

#[derive(Debug)]
struct Shared {
    /// Set to the deadline when shutdown is asked for.
    shutdown: watch::Sender<Option<Duration>>,
    /// Set when the server has ended.
    done: watch::Sender<bool>,
}

/// A server listening, ready to [`run`](Bound::run).
#[derive(Debug)]
pub struct Bound<P> {
    server: Server<P>,
    listener: Listener,
    shared: Arc<Shared>,
}

/// Shuts a running server down.
#[derive(Clone, Debug)]
pub struct ServerHandle {
    shared: Arc<Shared>,
}

impl ServerHandle {
    /// Stops accepting, lets connections finish the calls in flight, closes the rest
    /// after `deadline`, and returns when the server has ended.
    pub async fn shutdown(&self, deadline: Duration) {
        self.shared.shutdown.send_replace(Some(deadline));
        let mut done = self.shared.done.subscribe();
        let _ = done.wait_for(|done| *done).await;
    }
}

impl<P: Processor> Bound<P> {
    /// Where the server listens.
    pub fn local_addr(&self) -> io::Result<LocalAddr> {
        self.listener.local_addr()
    }

    /// A handle to shut the server down.
    pub fn handle(&self) -> ServerHandle {
        ServerHandle { shared: self.shared.clone() }
    }

    /// Serves until shut down.
    pub async fn run(self) -> io::Result<()> {
        let Bound { server, listener, shared } = self;
        let config = Arc::new(server.config);
        let permits = Arc::new(Semaphore::new(config.max_connections));
        let mut shutdown = shared.shutdown.subscribe();
        let mut connections = JoinSet::new();
        tracing::info!(addr = ?listener.local_addr().ok(), "rift server listening");
        let result = loop {
            // Wait for room before accepting, so that waiting clients queue in the
            // listen backlog rather than in memory.
            let permit = tokio::select! {
                permit = permits.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
                _ = shutdown.wait_for(Option::is_some) => break Ok(()),
            };
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                _ = shutdown.wait_for(Option::is_some) => break Ok(()),
            };
            // Reap finished connections, so the set holds only live ones.
            while connections.try_join_next().is_some() {}
            match accepted {
                Ok((stream, peer)) => {
                    tracing::debug!(%peer, "connection accepted");
                    let processor = server.processor.clone();
                    let config = config.clone();
                    let shutdown = shared.shutdown.subscribe();
                    connections.spawn(async move {
                        if let Some(stream) = secure(stream, &config, &peer).await {
                            serve_connection(stream, &*processor, &config, shutdown, &peer).await;
                        }
                        drop(permit);
                    });
                }
                Err(e) if is_transient(&e) => {
                    tracing::warn!(error = %e, "accept failed; retrying");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Err(e) => {
                    tracing::error!(error = %e, "accept failed; the server stops");
                    break Err(e);
                }
            }
        };
        #[cfg(unix)]
        if let Listener::Unix(_, path) = &listener {
            let _ = std::fs::remove_file(path);
        }
        drop(listener);
        let deadline = shared.shutdown.borrow().unwrap_or(Duration::ZERO);
        if !connections.is_empty() {
            tracing::info!(connections = connections.len(), ?deadline, "waiting for connections to finish");
            let all = async { while connections.join_next().await.is_some() {} };
            if tokio::time::timeout(deadline, all).await.is_err() {
                tracing::warn!(connections = connections.len(), "deadline passed; closing connections");
                connections.shutdown().await;
            }
        }
        shared.done.send_replace(true);
        result
    }
}

/// The TLS session over `stream` when the server has TLS; `None` when the handshake
/// failed (logged).
async fn secure(stream: Box<dyn Stream>, config: &ServerConfig, peer: &str) -> Option<Box<dyn Stream>> {
    #[cfg(feature = "tls")]
    if let Some(tls) = &config.tls {
        let acceptor = tokio_rustls::TlsAcceptor::from(tls.clone());
        return match with_timeout(config.read_timeout, acceptor.accept(stream)).await {
            Some(Ok(stream)) => Some(Box::new(stream)),
            Some(Err(e)) => {
                tracing::warn!(%peer, error = %e, "TLS handshake failed");
                None
            }
            None => {
                tracing::warn!(%peer, "TLS handshake timed out");
                None
            }
        };
    }
    let _ = (config, peer);
    Some(stream)
}

fn is_transient(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset | io::ErrorKind::Interrupted
    ) || e.raw_os_error() == Some(24) // EMFILE: too many open files, for now
}

/// Runs `f`, catching a panic.
pub(crate) async fn catch_unwind<F: Future>(f: F) -> Result<F::Output, Box<dyn Any + Send>> {
    let mut f = std::pin::pin!(f);
    std::future::poll_fn(move |cx| match std::panic::catch_unwind(AssertUnwindSafe(|| f.as_mut().poll(cx))) {
        Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
        Ok(Poll::Pending) => Poll::Pending,
        Err(panic) => Poll::Ready(Err(panic)),
    })
    .await
}

/// The next message of a connection; `None` when the connection ends: the peer closed
/// between messages, shutdown was asked for, or anything else (logged).
async fn read_message<S: AsyncRead + Unpin + ?Sized>(
    stream: &mut S,
    conduit: &mut Conduit,
    config: &ServerConfig,
    shutdown: &mut watch::Receiver<Option<Duration>>,
    peer: &str,
) -> Option<crate::transport::Frame> {
    loop {
        match conduit.decode() {
            Ok(Some(frame)) => return Some(frame),
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(%peer, error = %e, "unreadable message; closing the connection");
                return None;
            }
        }
        let between = conduit.is_between_messages();
        let timeout = if between { config.idle_timeout } else { config.read_timeout };
        let read = with_timeout(timeout, stream.read_buf(conduit.read_buffer()));
        let read = if between {
            tokio::select! {
                read = read => read,
                _ = shutdown.wait_for(Option::is_some) => return None,
            }
        } else {
            read.await
        };
        match read {
            Some(Ok(0)) if between => return None,
            Some(Ok(0)) => {
                tracing::warn!(%peer, "the peer closed in the middle of a message");
                return None;
            }
            Some(Ok(_)) => {
                if let Err(e) = conduit.received() {
                    tracing::warn!(%peer, error = %e, "unreadable stream; closing the connection");
                    return None;
                }
            }
            Some(Err(e)) => {
                tracing::debug!(%peer, error = %e, "read failed");
                return None;
            }
            None => {
                tracing::debug!(%peer, between, "read timed out; closing the connection");
                return None;
            }
        }
    }
}

async fn with_timeout<F: Future>(timeout: Option<Duration>, f: F) -> Option<F::Output> {
    match timeout {
        Some(t) => tokio::time::timeout(t, f).await.ok(),
        None => Some(f.await),
    }
}

async fn serve_connection<P: Processor>(
    mut stream: Box<dyn Stream>,
    processor: &P,
    config: &ServerConfig,
    mut shutdown: watch::Receiver<Option<Duration>>,
    peer: &str,
) {
    let mut conduit = match config.format {
        Some(format) => Conduit::new(format, config.limits),
        None => Conduit::detecting(config.limits),
    };
    #[cfg(feature = "http")]
    let mut stream = {
        // The first bytes tell HTTP from the Thrift framings.
        let mut first = bytes::BytesMut::with_capacity(8192);
        let read = with_timeout(config.idle_timeout, stream.read_buf(&mut first));
        let read = tokio::select! {
            read = read => read,
            _ = shutdown.wait_for(Option::is_some) => return,
        };
        if !matches!(read, Some(Ok(n)) if n > 0) {
            return;
        }
        if crate::http::looks_like_http(first[0]) {
            let io = crate::http::Prefixed::new(first.freeze(), stream);
            crate::http::serve(io, processor, config, shutdown, peer).await;
            return;
        }
        conduit.read_buffer().extend_from_slice(&first);
        if let Err(e) = conduit.received() {
            tracing::warn!(%peer, error = %e, "unreadable stream; closing the connection");
            return;
        }
        stream
    };
    let (mut out, mut scratch) = (Vec::with_capacity(1024), Vec::new());
    loop {
        let Some(frame) = read_message(&mut stream, &mut conduit, config, &mut shutdown, peer).await else {
            break;
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
        let outcome = catch_unwind(processor.process(request)).await;
        let Reply::Message(message) = settle(protocol, call, config.limits, outcome, peer) else { continue };
        let bytes = match conduit.frame(&frame.format, &message, &mut out, &mut scratch) {
            Ok(bytes) => bytes,
            Err(e) => {
                tracing::error!(%peer, error = %e, "the reply could not be framed");
                break;
            }
        };
        match with_timeout(config.write_timeout, async {
            stream.write_all(bytes).await?;
            stream.flush().await
        })
        .await
        {
            Some(Ok(())) => {}
            Some(Err(e)) => {
                tracing::debug!(%peer, error = %e, "write failed");
                break;
            }
            None => {
                tracing::debug!(%peer, "write timed out");
                break;
            }
        }
    }
    let _ = stream.shutdown().await;
}
