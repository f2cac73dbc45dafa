//! The async server, on tokio: a task per connection, driving a `ServerConnection`.

use std::any::Any;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, ToSocketAddrs};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use crate::config::ServerConfig;
use crate::connection::{ServerConnection, ServerEvent};
use crate::service::Processor;

/// A server of one processor (use [`crate::service::multiplex::Multiplexed`] for several).
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

    /// Sets the most connections served at once; more wait to be accepted. Default: 10,000.
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

/// An accepted stream, of one of the kinds a listener gives.
enum Accepted {
    Tcp(TcpStream),
    #[cfg(unix)]
    Unix(tokio::net::UnixStream),
}

impl Listener {
    async fn accept(&self) -> io::Result<(Accepted, String)> {
        match self {
            Listener::Tcp(l) => {
                let (stream, peer) = l.accept().await?;
                let _ = stream.set_nodelay(true);
                Ok((Accepted::Tcp(stream), peer.to_string()))
            }
            #[cfg(unix)]
            Listener::Unix(l, path) => {
                let (stream, _) = l.accept().await?;
                Ok((Accepted::Unix(stream), path.display().to_string()))
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
                        match stream {
                            Accepted::Tcp(s) => serve_stream(s, &*processor, &config, shutdown, &peer).await,
                            #[cfg(unix)]
                            Accepted::Unix(s) => serve_stream(s, &*processor, &config, shutdown, &peer).await,
                        }
                        drop(permit);
                    });
                }
                Err(e) if super::is_transient(&e) => {
                    tracing::warn!(error = %e, "accept failed; retrying");
                    tokio::time::sleep(super::ACCEPT_RETRY).await;
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

/// A stream whose readiness can be awaited before a buffer is given to it, so that an
/// idle connection holds no buffer.
trait Stream: AsyncRead + AsyncWrite + Unpin + Send + 'static {
    /// Waits until the stream may have bytes to read.
    fn ready(&self) -> impl Future<Output = io::Result<()>> + Send;

    /// Whether [`Stream::try_receive`] reads.
    const TRY_RECEIVE: bool = false;

    /// Reads what has arrived into `conn`, without waiting: `None` when nothing has
    /// (the readiness was stale), or when the stream cannot be read so. A connection that
    /// waits for readiness this way holds no read buffer while it waits.
    fn try_receive(&mut self, conn: &mut ServerConnection) -> Option<io::Result<usize>> {
        let _ = conn;
        None
    }
}

/// Reads what has arrived into `conn`'s buffer without waiting: `None` when nothing has.
///
/// The read is polled once rather than tried (`try_read_buf`): tokio then forgets the
/// socket's readiness when a read returns less than it asked for, so the next wait
/// sleeps until the peer sends again instead of waking to a read that finds nothing.
/// That read was one system call in two of a busy server.
fn try_receive_with<S: AsyncRead + Unpin>(
    stream: &mut S,
    conn: &mut ServerConnection,
) -> Option<io::Result<usize>> {
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    let read = std::pin::pin!(stream.read_buf(conn.read_buffer()));
    match read.poll(&mut cx) {
        Poll::Pending => None,
        Poll::Ready(Ok(0)) => Some(Ok(0)),
        Poll::Ready(Ok(n)) => {
            Some(conn.received().map(|()| n).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e)))
        }
        Poll::Ready(Err(e)) if e.kind() == io::ErrorKind::WouldBlock => None,
        Poll::Ready(Err(e)) => Some(Err(e)),
    }
}

impl Stream for TcpStream {
    const TRY_RECEIVE: bool = true;

    async fn ready(&self) -> io::Result<()> {
        self.readable().await
    }

    fn try_receive(&mut self, conn: &mut ServerConnection) -> Option<io::Result<usize>> {
        try_receive_with(self, conn)
    }
}

#[cfg(unix)]
impl Stream for tokio::net::UnixStream {
    const TRY_RECEIVE: bool = true;

    async fn ready(&self) -> io::Result<()> {
        self.readable().await
    }

    fn try_receive(&mut self, conn: &mut ServerConnection) -> Option<io::Result<usize>> {
        try_receive_with(self, conn)
    }
}

/// A TLS session may hold decrypted bytes the socket no longer shows: read at once.
#[cfg(feature = "tls")]
impl<S: AsyncRead + AsyncWrite + Unpin + Send + 'static> Stream for tokio_rustls::server::TlsStream<S> {
    fn ready(&self) -> impl Future<Output = io::Result<()>> + Send {
        std::future::ready(Ok(()))
    }
}

/// Serves a stream: in a TLS session when the server has TLS.
async fn serve_stream<S: Stream, P: Processor>(
    stream: S,
    processor: &P,
    config: &ServerConfig,
    shutdown: watch::Receiver<Option<Duration>>,
    peer: &str,
) {
    #[cfg(feature = "tls")]
    if let Some(tls) = &config.tls {
        // On the heap: a TLS session is large, and only TLS servers should pay for it.
        Box::pin(async {
            let acceptor = tokio_rustls::TlsAcceptor::from(tls.clone());
            match with_timeout(config.handshake_timeout, acceptor.accept(stream)).await {
                Some(Ok(stream)) => serve_connection(stream, processor, config, shutdown, peer).await,
                Some(Err(e)) => tracing::warn!(%peer, error = %e, "TLS handshake failed"),
                None => tracing::warn!(%peer, "TLS handshake timed out"),
            }
        })
        .await;
        return;
    }
    serve_connection(stream, processor, config, shutdown, peer).await;
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

async fn with_timeout<F: Future>(timeout: Option<Duration>, f: F) -> Option<F::Output> {
    match timeout {
        Some(t) => tokio::time::timeout(t, f).await.ok(),
        None => Some(f.await),
    }
}

/// Runs a call's handler. While it runs, the connection is watched (once) for its peer
/// going away: a client that closes its connection (its own timeout passed, say) no
/// longer waits for the reply, and the handler is dropped rather than left to run on for
/// nobody, holding the connection. A oneway call runs to its end whatever the client
/// does. Bytes that arrive meanwhile (a next call) are kept for after the reply. `None`
/// means the connection is over.
async fn serve_call<S: Stream, F: Future>(
    call: F,
    oneway: bool,
    stream: &mut S,
    conn: &mut ServerConnection,
    peer: &str,
) -> Option<F::Output> {
    let mut call = pin!(call);
    let mut watching = !oneway;
    loop {
        tokio::select! {
            biased;
            outcome = call.as_mut() => return Some(outcome),
            read = stream.read_buf(conn.read_buffer()), if watching => match read {
                Ok(0) | Err(_) => {
                    tracing::debug!(%peer, "the peer went away while its call was served; dropping the call");
                    return None;
                }
                Ok(_) => {
                    if let Err(e) = conn.received() {
                        tracing::warn!(%peer, error = %e, "unreadable stream; closing the connection");
                        return None;
                    }
                    watching = false;
                }
            },
        }
    }
}

/// How long a connection waits between messages before it gives up the memory of its
/// buffers.
const SHRINK_AFTER: Duration = Duration::from_millis(500);

/// Waits for the next message to start: `false` when the connection should end (the
/// idle timeout passed, the server is shutting down, or the stream failed). A
/// connection idle for a while gives up its buffers, and the room of its handler's
/// future.
///
/// `timer` is the connection's one timer, kept from wait to wait: it is moved only when
/// it fires before the moment this wait needs, so a busy connection re-arms it once per
/// `SHRINK_AFTER` rather than for every message (arming and cancelling a timer per
/// message was a few percent of a busy server). `stop` resolves when the server shuts
/// down.
async fn wait_for_message<S: Stream, H>(
    stream: &S,
    conn: &mut ServerConnection,
    handler: &mut Option<H>,
    config: &ServerConfig,
    mut timer: Pin<&mut tokio::time::Sleep>,
    mut stop: Pin<&mut impl Future<Output = ()>>,
) -> bool {
    let since = tokio::time::Instant::now();
    let idle = config.idle_timeout;
    let mut shrunk = false;
    loop {
        // The next moment something is due: give up the buffers, or close.
        let due = match idle {
            Some(idle) if shrunk || idle <= SHRINK_AFTER => Some(since + idle),
            _ if !shrunk => Some(since + SHRINK_AFTER),
            _ => None,
        };
        if let Some(due) = due
            && (timer.deadline() > due || timer.is_elapsed())
        {
            timer.as_mut().reset(due);
        }
        tokio::select! {
            biased;
            ready = stream.ready() => return ready.is_ok(),
            () = stop.as_mut() => return false,
            () = timer.as_mut(), if due.is_some() => {
                // A timer left from an earlier wait fires early: the loop moves it.
                if tokio::time::Instant::now() < due.unwrap_or(since) {
                    continue;
                }
                if shrunk || idle.is_some_and(|idle| idle <= SHRINK_AFTER) {
                    return false;
                }
                conn.shrink();
                *handler = None;
                shrunk = true;
            }
        }
    }
}

async fn serve_connection<S: Stream, P: Processor>(
    mut stream: S,
    processor: &P,
    config: &ServerConfig,
    shutdown: watch::Receiver<Option<Duration>>,
    peer: &str,
) {
    let mut conn = ServerConnection::new(config.format, config.limits);
    let timer = tokio::time::sleep(SHRINK_AFTER);
    let mut stopped = shutdown.clone();
    let stop = async move {
        let _ = stopped.wait_for(Option::is_some).await;
    };
    let (mut timer, mut stop) = (pin!(timer), pin!(stop));
    // When the message being received began to arrive: `read_timeout` counts from here.
    let mut started: Option<tokio::time::Instant> = None;
    // Room for the future of the call being served.
    let mut handler = None;
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
                // The handler's future lives on the heap, in room the connection keeps
                // from call to call (no allocation a call) and gives up when it idles,
                // with its buffers: the future is the larger part of a connection's task.
                started = None;
                let oneway = request.is_oneway();
                let held = handler.get_or_insert_with(|| Box::pin(None));
                held.set(Some(processor.process(request)));
                let Some(call) = held.as_mut().as_pin_mut() else { break };
                let served = serve_call(catch_unwind(call), oneway, &mut stream, &mut conn, peer).await;
                // Done, or given up with its client: the handler is dropped now.
                held.set(None);
                let Some(outcome) = served else {
                    break;
                };
                let bytes = match conn.finish(outcome, peer) {
                    Ok(bytes) => bytes,
                    Err(e) => {
                        tracing::error!(%peer, error = %e, "the reply could not be framed");
                        break;
                    }
                };
                if bytes.is_empty() {
                    continue;
                }
                let mut write = pin!(async {
                    stream.write_all(bytes).await?;
                    stream.flush().await
                });
                // Most replies go out in one write: a timer is armed only for one that
                // does not.
                let written = match std::future::poll_fn(|cx| Poll::Ready(write.as_mut().poll(cx))).await {
                    Poll::Ready(result) => Some(result),
                    Poll::Pending => with_timeout(config.write_timeout, write).await,
                };
                match written {
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
            ServerEvent::NeedBytes => {
                let between = conn.is_between_messages();
                if between {
                    started = None;
                } else if started.is_none() {
                    started = Some(tokio::time::Instant::now());
                }
                if between
                    && !wait_for_message(
                        &stream,
                        &mut conn,
                        &mut handler,
                        config,
                        timer.as_mut(),
                        stop.as_mut(),
                    )
                    .await
                {
                    break;
                }
                // The first bytes of a message come through the stack; the rest of a
                // large one straight into the buffer its frame's length reserved.
                if between && S::TRY_RECEIVE {
                    match stream.try_receive(&mut conn) {
                        Some(Ok(0)) => break,
                        Some(Ok(_)) => {}
                        Some(Err(e)) => {
                            tracing::debug!(%peer, error = %e, "read failed");
                            break;
                        }
                        // The readiness was stale: wait for it again, without a buffer.
                        None => {}
                    }
                    continue;
                }
                // Between messages, the idle timeout; within one, what is left of the read
                // timeout, which counts from the message's first bytes (a client that
                // sends a byte now and then is not waited for forever).
                let deadline = match (between, config.idle_timeout, config.read_timeout, started) {
                    (true, Some(idle), _, _) => Some(tokio::time::Instant::now() + idle),
                    (false, _, Some(read), Some(started)) => Some(started + read),
                    _ => None,
                };
                let read = stream.read_buf(conn.read_buffer());
                let read = match deadline {
                    Some(deadline) => tokio::time::timeout_at(deadline, read).await.ok(),
                    None => Some(read.await),
                };
                match read {
                    Some(Ok(0)) => {
                        if !between {
                            tracing::warn!(%peer, "the peer closed in the middle of a message");
                        }
                        break;
                    }
                    Some(Ok(_)) => {
                        if let Err(e) = conn.received() {
                            tracing::warn!(%peer, error = %e, "unreadable stream; closing the connection");
                            break;
                        }
                    }
                    Some(Err(e)) => {
                        tracing::debug!(%peer, error = %e, "read failed");
                        break;
                    }
                    None => {
                        tracing::debug!(%peer, between, "read timed out; closing the connection");
                        break;
                    }
                }
            }
            #[cfg(feature = "http")]
            ServerEvent::Http(received) => {
                let io = super::http::Prefixed::new(received, stream);
                // On the heap: hyper's connection is large, and only HTTP connections
                // should pay for it.
                Box::pin(super::http::serve(io, processor, config, shutdown, peer)).await;
                return;
            }
            #[cfg(not(feature = "http"))]
            ServerEvent::Http(_) => break,
        }
    }
    let _ = stream.shutdown().await;
}
