//! The async client, on tokio: a [`Channel`] for generated clients.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use rift::client::{Client, Endpoint};
//! let channel = Client::builder(Endpoint::tcp("localhost:9090")).connect().await?;
//! // let weather = WeatherServiceClient::new(channel);
//! # Ok(())
//! # }
//! ```
//!
//! A `Client` is cheap to clone and is meant to be shared by many tasks: each call takes
//! an idle connection (or opens one), and gives it back when the reply has come, so
//! calls made at the same time go over connections of their own. A connection that
//! failed in any way is closed, never reused.

use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};

pub use crate::config::{ClientConfig, Endpoint};
use crate::error::Error;
use crate::service::{CallCodec, Channel, ClientError, Exceptions, ReturnValue};
use crate::transport::{Conduit, Frame};
use crate::value::Encode;

/// Configures a [`Client`].
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    endpoint: Endpoint,
    config: ClientConfig,
}

impl ClientBuilder {
    crate::config::client_setters!();

    /// Carries every call over one connection, several at once, replies matched to calls
    /// by sequence id, rather than over a connection of its own each. Default: off.
    #[must_use]
    pub fn pipelined(mut self, enabled: bool) -> Self {
        self.config.pipelined = enabled;
        self
    }

    /// A client that connects when it first calls.
    pub fn build(self) -> Client {
        let codec =
            CallCodec::new(self.config.format.protocol, self.config.service.clone(), self.config.limits);
        Client {
            inner: Arc::new(Inner {
                endpoint: self.endpoint,
                config: self.config,
                codec,
                idle: Mutex::default(),
                #[cfg(feature = "http")]
                http_idle: Mutex::default(),
                pipe: tokio::sync::Mutex::default(),
            }),
        }
    }

    /// Calls over HTTP: each call a `POST` to `path` (such as `/`) of the endpoint, as
    /// Apache's `THttpClient` (HTTPS with [`ClientBuilder::tls`]). The format's framing
    /// does not apply; its protocol does.
    #[cfg(feature = "http")]
    #[must_use]
    pub fn http(mut self, path: impl Into<String>) -> Self {
        self.config.http = Some(path.into());
        self
    }

    /// A client with one connection open, so that an unreachable server is an error now
    /// rather than at the first call.
    pub async fn connect(self) -> io::Result<Client> {
        let client = self.build();
        client.open_one().await?;
        Ok(client)
    }
}

/// A channel to a server over TCP or a Unix socket; clones share their connections.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint)
            .field("format", &self.inner.config.format)
            .finish()
    }
}

struct Inner {
    endpoint: Endpoint,
    config: ClientConfig,
    codec: CallCodec,
    idle: Mutex<Vec<Conn>>,
    #[cfg(feature = "http")]
    http_idle: Mutex<Vec<crate::http::HttpConn>>,
    /// The one connection of a pipelined client.
    pipe: tokio::sync::Mutex<Option<Arc<Pipe>>>,
}

trait Stream: AsyncRead + AsyncWrite + Unpin + Send + 'static {}
impl<S: AsyncRead + AsyncWrite + Unpin + Send + 'static> Stream for S {}

struct Conn {
    stream: Box<dyn Stream>,
    conduit: Conduit,
}

fn transport_error<E>(e: io::Error) -> ClientError<E> {
    ClientError::Transport(Box::new(e))
}

async fn with_timeout<T>(
    timeout: Option<Duration>,
    what: &str,
    f: impl Future<Output = io::Result<T>>,
) -> io::Result<T> {
    match timeout {
        Some(t) => match tokio::time::timeout(t, f).await {
            Ok(result) => result,
            Err(_) => Err(io::Error::new(io::ErrorKind::TimedOut, format!("{what} timed out after {t:?}"))),
        },
        None => f.await,
    }
}

impl Inner {
    async fn open(&self) -> io::Result<Conn> {
        let stream = self.connect().await?;
        Ok(Conn { stream, conduit: Conduit::new(self.config.format, self.config.limits) })
    }

    /// A stream to the endpoint: TCP or Unix, with TLS when configured.
    async fn connect(&self) -> io::Result<Box<dyn Stream>> {
        let connect = async {
            let stream: Box<dyn Stream> = match &self.endpoint {
                Endpoint::Tcp(addr) => {
                    let stream = tokio::net::TcpStream::connect(addr.as_str()).await?;
                    let _ = stream.set_nodelay(true);
                    Box::new(stream)
                }
                #[cfg(unix)]
                Endpoint::Unix(path) => Box::new(tokio::net::UnixStream::connect(path).await?),
                #[cfg(not(unix))]
                Endpoint::Unix(_) => {
                    return Err(io::Error::new(
                        io::ErrorKind::Unsupported,
                        "Unix sockets need a Unix system",
                    ));
                }
            };
            #[cfg(feature = "tls")]
            if let Some((config, name)) = &self.config.tls {
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
                let connector = tokio_rustls::TlsConnector::from(config.clone());
                let stream: Box<dyn Stream> =
                    Box::new(connector.connect(crate::tls::server_name(name)?, stream).await?);
                return Ok(stream);
            }
            Ok(stream)
        };
        let stream = with_timeout(self.config.connect_timeout, "connecting", connect)
            .await
            .map_err(|e| io::Error::new(e.kind(), format!("cannot connect to {}: {e}", self.endpoint)))?;
        tracing::debug!(endpoint = %self.endpoint, "connected");
        Ok(stream)
    }

    /// Posts one whole message over HTTP (to `path`) and returns the reply body.
    #[cfg(feature = "http")]
    async fn http_exchange(&self, path: &str, message: Vec<u8>) -> io::Result<bytes::Bytes> {
        let conn = loop {
            let idle = self.http_idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
            match idle {
                Some(conn) if conn.is_open() => break conn,
                Some(_) => continue,
                None => break crate::http::HttpConn::handshake(self.connect().await?).await?,
            }
        };
        let host = match &self.endpoint {
            Endpoint::Tcp(addr) => addr.as_str(),
            Endpoint::Unix(_) => "localhost",
        };
        let mut conn = conn;
        let limit = self.config.limits.max_message_size;
        let reply = with_timeout(
            self.config.read_timeout,
            "waiting for the reply",
            conn.post(host, path, message, limit),
        )
        .await?;
        let mut idle = self.http_idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < self.config.max_idle {
            idle.push(conn);
        }
        Ok(reply)
    }

    /// An idle connection that the server has not closed, or a new one.
    async fn take(&self) -> io::Result<Conn> {
        loop {
            let conn = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
            match conn {
                Some(mut conn) => {
                    if conn.is_open() {
                        return Ok(conn);
                    }
                }
                None => return self.open().await,
            }
        }
    }

    fn give_back(&self, conn: Conn) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < self.config.max_idle {
            idle.push(conn);
        }
    }
}

impl Conn {
    /// Whether the peer has not closed the connection (or sent something unasked).
    fn is_open(&mut self) -> bool {
        if !self.conduit.is_between_messages() {
            return false;
        }
        let mut probe = [0u8; 1];
        let mut probe = ReadBuf::new(&mut probe);
        let mut cx = Context::from_waker(Waker::noop());
        matches!(Pin::new(&mut self.stream).poll_read(&mut cx, &mut probe), Poll::Pending)
    }

    async fn send(&mut self, framed: &[u8], timeout: Option<Duration>) -> io::Result<()> {
        let mut scratch = Vec::new();
        let bytes = self
            .conduit
            .encode(framed, &mut scratch)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        with_timeout(timeout, "sending the call", async {
            self.stream.write_all(bytes).await?;
            self.stream.flush().await
        })
        .await
    }

    async fn receive(&mut self, timeout: Option<Duration>) -> io::Result<Frame> {
        let Conn { stream, conduit } = self;
        let invalid = |e: Error| io::Error::new(io::ErrorKind::InvalidData, e);
        with_timeout(timeout, "waiting for the reply", async {
            loop {
                if let Some(frame) = conduit.decode().map_err(invalid)? {
                    return Ok(frame);
                }
                if stream.read_buf(conduit.read_buffer()).await? > 0 {
                    conduit.received().map_err(invalid)?;
                    continue;
                }
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    if conduit.is_between_messages() {
                        "the server closed the connection without replying"
                    } else {
                        "the server closed the connection in the middle of the reply"
                    },
                ));
            }
        })
        .await
    }
}

impl Client {
    /// A client of `endpoint` configured by `config`.
    pub fn from_config(endpoint: Endpoint, config: ClientConfig) -> Client {
        ClientBuilder { endpoint, config }.build()
    }

    /// Opens one connection ahead of the first call.
    pub(crate) async fn open_one(&self) -> io::Result<()> {
        #[cfg(feature = "http")]
        if self.inner.config.http.is_some() {
            let conn = crate::http::HttpConn::handshake(self.inner.connect().await?).await?;
            self.inner.http_idle.lock().unwrap_or_else(|e| e.into_inner()).push(conn);
            return Ok(());
        }
        if self.inner.config.pipelined {
            self.inner.pipe().await?;
            return Ok(());
        }
        let conn = self.inner.open().await?;
        self.inner.give_back(conn);
        Ok(())
    }

    /// Configures a client of `endpoint`.
    pub fn builder(endpoint: Endpoint) -> ClientBuilder {
        ClientBuilder { endpoint, config: ClientConfig::default() }
    }

    /// The endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }
}

impl Client {
    /// Sends one whole message (unframed, in the client's protocol) and returns the
    /// reply message; `None` for a oneway call. What the `tower` integration calls.
    pub async fn round_trip(&self, message: &[u8], oneway: bool) -> io::Result<Option<bytes::Bytes>> {
        let inner = &*self.inner;
        #[cfg(feature = "http")]
        if let Some(path) = &inner.config.http {
            let reply = inner.http_exchange(path, message.to_vec()).await?;
            return Ok((!oneway).then_some(reply));
        }
        let mut framed = Vec::with_capacity(message.len() + 32);
        inner
            .config
            .format
            .encode_frame(message, &mut framed, &inner.config.limits)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        let mut conn = inner.take().await?;
        conn.send(&framed, inner.config.write_timeout).await?;
        if oneway {
            inner.give_back(conn);
            return Ok(None);
        }
        let frame = conn.receive(inner.config.read_timeout).await?;
        inner.give_back(conn);
        Ok(Some(frame.message))
    }

    /// The protocol of calls and replies.
    pub fn protocol(&self) -> crate::Protocol {
        self.inner.config.format.protocol
    }
}

impl Channel for Client {
    async fn call<A, T, E>(&self, method: &'static str, args: &A) -> Result<T, ClientError<E>>
    where
        A: Encode + Sync,
        T: ReturnValue,
        E: Exceptions,
    {
        let inner = &*self.inner;
        #[cfg(feature = "http")]
        if let Some(path) = &inner.config.http {
            let mut message = Vec::with_capacity(256);
            let seq = inner.codec.encode_call(method, false, args, &mut message)?;
            let reply = inner.http_exchange(path, message).await.map_err(transport_error)?;
            return inner.codec.decode_reply(method, seq, &reply);
        }
        let (seq, bytes) = inner.codec.encode_framed(inner.config.format, method, false, args)?;
        if inner.config.pipelined {
            let pipe = inner.pipe().await.map_err(transport_error)?;
            let frame = pipe.exchange(seq, &bytes, false, &inner.config).await.map_err(transport_error)?;
            let frame = frame.ok_or_else(|| ClientError::Protocol(Error::invalid("no reply to a call")))?;
            return inner.codec.decode_reply(method, seq, &frame.message);
        }
        let mut conn = inner.take().await.map_err(transport_error)?;
        conn.send(&bytes, inner.config.write_timeout).await.map_err(transport_error)?;
        let frame = conn.receive(inner.config.read_timeout).await.map_err(transport_error)?;
        inner.give_back(conn);
        inner.codec.decode_reply(method, seq, &frame.message)
    }

    async fn oneway<A>(&self, method: &'static str, args: &A) -> Result<(), ClientError>
    where
        A: Encode + Sync,
    {
        let inner = &*self.inner;
        #[cfg(feature = "http")]
        if let Some(path) = &inner.config.http {
            let mut message = Vec::with_capacity(256);
            inner.codec.encode_call(method, true, args, &mut message)?;
            inner.http_exchange(path, message).await.map_err(transport_error)?;
            return Ok(());
        }
        let (seq, bytes) = inner.codec.encode_framed(inner.config.format, method, true, args)?;
        if inner.config.pipelined {
            let pipe = inner.pipe().await.map_err(transport_error)?;
            pipe.exchange(seq, &bytes, true, &inner.config).await.map_err(transport_error)?;
            return Ok(());
        }
        let mut conn = inner.take().await.map_err(transport_error)?;
        conn.send(&bytes, inner.config.write_timeout).await.map_err(transport_error)?;
        inner.give_back(conn);
        Ok(())
    }
}

/// One connection that carries several calls at once: each call's bytes are written
/// whole, one call after another, and a reader task hands each reply to the call with
/// its sequence id. For servers that read the next call while answering one (all of
/// Apache's and rift's: they answer in order).
struct Pipe {
    writer: tokio::sync::Mutex<(tokio::io::WriteHalf<Box<dyn Stream>>, Conduit)>,
    pending: Mutex<PendingCalls>,
    reader: tokio::task::AbortHandle,
}

#[derive(Default)]
struct PendingCalls {
    calls: std::collections::HashMap<i32, tokio::sync::oneshot::Sender<io::Result<Frame>>>,
    /// Why the connection ended, once it has.
    closed: Option<String>,
}

impl Drop for Pipe {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

/// The sequence id of a whole message.
fn message_seq(protocol: crate::Protocol, message: &[u8]) -> crate::Result<i32> {
    use crate::protocol::ProtocolReader;
    use crate::protocol::binary::BinaryReader;
    use crate::protocol::compact::CompactReader;
    use crate::protocol::json::JsonReader;
    let limits = crate::Limits::default();
    Ok(match protocol {
        crate::Protocol::Binary => BinaryReader::with_limits(message, limits).read_message_begin()?.seq,
        crate::Protocol::Compact => CompactReader::with_limits(message, limits).read_message_begin()?.seq,
        crate::Protocol::Json => JsonReader::with_limits(message, limits).read_message_begin()?.seq,
    })
}

impl Pipe {
    async fn open(inner: &Inner) -> io::Result<Arc<Pipe>> {
        let stream = inner.connect().await?;
        let (mut read, write) = tokio::io::split(stream);
        let (format, limits) = (inner.config.format, inner.config.limits);
        let pipe = Arc::new_cyclic(|weak: &std::sync::Weak<Pipe>| {
            let weak = weak.clone();
            let reader = tokio::spawn(async move {
                let mut conduit = Conduit::new(format, limits);
                let end = loop {
                    let frame = match conduit.decode() {
                        Ok(Some(frame)) => frame,
                        Ok(None) => match read.read_buf(conduit.read_buffer()).await {
                            Ok(0) => break "the server closed the connection".to_owned(),
                            Ok(_) => match conduit.received() {
                                Ok(()) => continue,
                                Err(e) => break e.to_string(),
                            },
                            Err(e) => break e.to_string(),
                        },
                        Err(e) => break e.to_string(),
                    };
                    let Some(pipe) = weak.upgrade() else { return };
                    let seq = match message_seq(frame.format.protocol(), &frame.message) {
                        Ok(seq) => seq,
                        Err(e) => break format!("unreadable reply: {e}"),
                    };
                    let waiting = pipe.pending.lock().unwrap_or_else(|e| e.into_inner()).calls.remove(&seq);
                    match waiting {
                        Some(call) => {
                            let _ = call.send(Ok(frame));
                        }
                        // A call that timed out, or a stray reply: dropped.
                        None => tracing::debug!(seq, "a reply nobody waits for"),
                    }
                };
                if let Some(pipe) = weak.upgrade() {
                    let mut pending = pipe.pending.lock().unwrap_or_else(|e| e.into_inner());
                    for (_, call) in pending.calls.drain() {
                        let _ = call.send(Err(io::Error::new(io::ErrorKind::UnexpectedEof, end.clone())));
                    }
                    pending.closed = Some(end);
                }
            });
            Pipe {
                writer: tokio::sync::Mutex::new((write, Conduit::new(format, limits))),
                pending: Mutex::default(),
                reader: reader.abort_handle(),
            }
        });
        Ok(pipe)
    }

    fn is_open(&self) -> bool {
        self.pending.lock().unwrap_or_else(|e| e.into_inner()).closed.is_none()
    }

    /// Sends a call and, unless it is oneway, waits for its reply.
    async fn exchange(
        &self,
        seq: i32,
        framed: &[u8],
        oneway: bool,
        config: &ClientConfig,
    ) -> io::Result<Option<Frame>> {
        let reply = if oneway {
            None
        } else {
            let (tx, rx) = tokio::sync::oneshot::channel();
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(why) = &pending.closed {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, why.clone()));
            }
            pending.calls.insert(seq, tx);
            Some(rx)
        };
        let sent = with_timeout(config.write_timeout, "sending the call", async {
            let mut writer = self.writer.lock().await;
            let (write, conduit) = &mut *writer;
            let mut scratch = Vec::new();
            let bytes = conduit
                .encode(framed, &mut scratch)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
            write.write_all(bytes).await?;
            write.flush().await
        })
        .await;
        let forget = || {
            self.pending.lock().unwrap_or_else(|e| e.into_inner()).calls.remove(&seq);
        };
        if let Err(e) = sent {
            // Part of a call may have gone out: nothing after it can be read right. The
            // calls waiting on this connection fail now, not at their timeouts.
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            let why = pending.closed.get_or_insert_with(|| e.to_string()).clone();
            for (_, call) in pending.calls.drain() {
                let _ = call.send(Err(io::Error::new(io::ErrorKind::UnexpectedEof, why.clone())));
            }
            drop(pending);
            self.reader.abort();
            return Err(e);
        }
        let Some(rx) = reply else { return Ok(None) };
        let received = with_timeout(config.read_timeout, "waiting for the reply", async {
            rx.await
                .unwrap_or_else(|_| Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the connection ended")))
        })
        .await;
        if received.is_err() {
            forget();
        }
        received.map(Some)
    }
}

impl Inner {
    /// The shared connection of a pipelined client, opened again when it has ended.
    async fn pipe(&self) -> io::Result<Arc<Pipe>> {
        let mut slot = self.pipe.lock().await;
        if let Some(pipe) = slot.as_ref().filter(|p| p.is_open()) {
            return Ok(pipe.clone());
        }
        let pipe = Pipe::open(self).await?;
        *slot = Some(pipe.clone());
        Ok(pipe)
    }
}
