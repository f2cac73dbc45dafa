//! The async client, on tokio: a [`Channel`] for generated clients, over a pool of
//! connections, one pipelined connection, or HTTP.

use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use bytes::Bytes;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};

use super::pipelined::Pipe;
use super::{Failure, Pool, closed_early, invalid_data};
use crate::config::{ClientConfig, Endpoint};
use crate::connection::ClientConnection;
use crate::service::{CallCodec, Channel, ClientError, Exceptions, ReturnValue};
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

    /// Sets the most calls a pipelined connection carries at once; more wait their turn
    /// (and fail when the write timeout passes first). Default: 100.
    #[must_use]
    pub fn max_in_flight(mut self, calls: usize) -> Self {
        self.config.max_in_flight = calls.max(1);
        self
    }

    /// A client that connects when it first calls.
    pub fn build(self) -> Client {
        let codec =
            CallCodec::new(self.config.format.protocol, self.config.service.clone(), self.config.limits);
        Client {
            inner: Arc::new(Inner {
                pool: Pool::new(self.config.max_idle),
                #[cfg(feature = "http")]
                http_pool: Pool::new(self.config.max_idle),
                endpoint: self.endpoint,
                config: self.config,
                codec,
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

pub(super) struct Inner {
    endpoint: Endpoint,
    pub(super) config: ClientConfig,
    pub(super) codec: CallCodec,
    pool: Pool<Conn>,
    #[cfg(feature = "http")]
    http_pool: Pool<super::http::HttpConn>,
    /// The one connection of a pipelined client.
    pipe: tokio::sync::Mutex<Option<Arc<Pipe>>>,
}

pub(super) trait Stream: AsyncRead + AsyncWrite + Unpin + Send + 'static {}
impl<S: AsyncRead + AsyncWrite + Unpin + Send + 'static> Stream for S {}

/// A connection of the pool: a stream and the connection's state.
struct Conn {
    stream: Box<dyn Stream>,
    conn: ClientConnection,
}

pub(super) async fn with_timeout<T>(
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
    /// A stream to the endpoint: TCP or Unix, with TLS when configured.
    pub(super) async fn connect(&self) -> io::Result<Box<dyn Stream>> {
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
                let name = crate::tls::name_for(name.as_deref(), &self.endpoint)?;
                let connector = tokio_rustls::TlsConnector::from(config.clone());
                let stream: Box<dyn Stream> =
                    Box::new(connector.connect(crate::tls::server_name(name)?, stream).await?);
                return Ok(stream);
            }
            Ok(stream)
        };
        let stream = with_timeout(self.config.connect_timeout, "connecting", connect)
            .await
            .map_err(|e| super::connect_failed(&self.endpoint, e))?;
        tracing::debug!(endpoint = %self.endpoint, "connected");
        Ok(stream)
    }

    async fn open(&self) -> io::Result<Conn> {
        let stream = self.connect().await?;
        Ok(Conn { stream, conn: ClientConnection::new(self.config.format, self.config.limits) })
    }

    /// An idle connection that the server has not closed, or a new one.
    async fn take(&self) -> io::Result<Conn> {
        match self.pool.take(Conn::is_open) {
            Some(conn) => Ok(conn),
            None => self.open().await,
        }
    }

    /// Sends the bytes `encode` makes (and the call's sequence id, when known) on a
    /// connection of the pool and, unless the call is oneway, returns the reply message.
    /// The connection goes back to the pool only when the reply answers the call.
    async fn exchange(
        &self,
        oneway: bool,
        encode: impl FnOnce(&mut ClientConnection) -> crate::Result<(Option<i32>, &[u8])>,
    ) -> Result<Option<Bytes>, Failure> {
        let mut conn = self.take().await?;
        let Conn { stream, conn: state } = &mut conn;
        let (seq, bytes) = encode(state)?;
        with_timeout(self.config.write_timeout, "sending the call", async {
            stream.write_all(bytes).await?;
            stream.flush().await
        })
        .await?;
        if oneway {
            self.pool.give_back(conn);
            return Ok(None);
        }
        let reply = with_timeout(self.config.read_timeout, "waiting for the reply", conn.receive()).await?;
        if seq.is_none_or(|seq| conn.conn.answers(seq, &reply)) {
            self.pool.give_back(conn);
        }
        Ok(Some(reply))
    }

    /// Posts one whole message over HTTP (to `path`) and returns the reply body.
    #[cfg(feature = "http")]
    async fn http_exchange(&self, path: &str, message: Bytes) -> io::Result<Bytes> {
        let mut conn = match self.http_pool.take(|conn| conn.is_open()) {
            Some(conn) => conn,
            None => super::http::HttpConn::handshake(self.connect().await?).await?,
        };
        let host = match &self.endpoint {
            Endpoint::Tcp(addr) => addr.as_str(),
            Endpoint::Unix(_) => "localhost",
        };
        let limit = self.config.limits.max_message_size;
        let reply = with_timeout(
            self.config.read_timeout,
            "waiting for the reply",
            conn.post(host, path, message, limit),
        )
        .await?;
        self.http_pool.give_back(conn);
        Ok(reply)
    }
}

impl Conn {
    /// Whether the peer has not closed the connection (nor sent something unasked).
    fn is_open(&mut self) -> bool {
        if !self.conn.is_between_messages() {
            return false;
        }
        let mut probe = [0u8; 1];
        let mut probe = ReadBuf::new(&mut probe);
        let mut cx = Context::from_waker(Waker::noop());
        matches!(Pin::new(&mut self.stream).poll_read(&mut cx, &mut probe), Poll::Pending)
    }

    async fn receive(&mut self) -> io::Result<Bytes> {
        loop {
            if let Some(reply) = self.conn.next_reply().map_err(invalid_data)? {
                return Ok(reply);
            }
            if self.stream.read_buf(self.conn.read_buffer()).await? == 0 {
                return Err(closed_early(self.conn.is_between_messages()));
            }
            self.conn.received().map_err(invalid_data)?;
        }
    }
}

impl Client {
    /// A client of `endpoint` configured by `config`.
    pub fn from_config(endpoint: Endpoint, config: ClientConfig) -> Client {
        ClientBuilder { endpoint, config }.build()
    }

    /// Configures a client of `endpoint`.
    pub fn builder(endpoint: Endpoint) -> ClientBuilder {
        ClientBuilder { endpoint, config: ClientConfig::default() }
    }

    /// The endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// The protocol of calls and replies.
    pub fn protocol(&self) -> crate::Protocol {
        self.inner.config.format.protocol
    }

    /// Calls `method`, named at run time, with `args`, and returns the reply message
    /// whole (`None` for a oneway call), with the call's sequence id, for a caller that
    /// reads replies itself: the dynamic client of `rift-dynamic`. Generated clients use
    /// [`Channel::call`].
    pub async fn call_raw<A: Encode + Sync + ?Sized>(
        &self,
        method: &str,
        oneway: bool,
        args: &A,
    ) -> Result<super::RawReply, ClientError> {
        let (seq, message) = self.send(method, oneway, args).await?;
        Ok(super::RawReply { seq, message, protocol: self.protocol(), limits: self.inner.config.limits })
    }

    /// Opens one connection ahead of the first call.
    pub(crate) async fn open_one(&self) -> io::Result<()> {
        #[cfg(feature = "http")]
        if self.inner.config.http.is_some() {
            let conn = super::http::HttpConn::handshake(self.inner.connect().await?).await?;
            self.inner.http_pool.give_back(conn);
            return Ok(());
        }
        if self.inner.config.pipelined {
            self.inner.pipe().await?;
            return Ok(());
        }
        let conn = self.inner.open().await?;
        self.inner.pool.give_back(conn);
        Ok(())
    }

    /// Sends one whole message (unframed, in the client's protocol) and returns the
    /// reply message; `None` for a oneway call. What the `tower` integration calls.
    pub async fn round_trip(&self, message: &[u8], oneway: bool) -> io::Result<Option<Bytes>> {
        let inner = &*self.inner;
        #[cfg(feature = "http")]
        if let Some(path) = &inner.config.http {
            let reply = inner.http_exchange(path, Bytes::copy_from_slice(message)).await?;
            return Ok((!oneway).then_some(reply));
        }
        let to_io = |f: Failure| match f {
            Failure::Protocol(e) => io::Error::new(io::ErrorKind::InvalidInput, e),
            Failure::Transport(e) => e,
        };
        if inner.config.pipelined {
            let pipe = inner.pipe().await?;
            // The call's own sequence id, read from its envelope where it lies.
            let seq = crate::protocol::with_reader!(
                inner.codec.protocol(),
                with_limits(message, inner.config.limits),
                |r| crate::ProtocolReader::read_message_begin(r)
            )
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?
            .seq;
            return pipe
                .exchange(&inner.config, oneway, |conn| Ok((seq, conn.encode_message(message)?)))
                .await
                .map_err(to_io);
        }
        inner.exchange(oneway, |conn| Ok((None, conn.encode_message(message)?))).await.map_err(to_io)
    }

    /// Calls `method` with `args`: the reply message and the call's sequence id.
    async fn send<A: Encode + Sync + ?Sized>(
        &self,
        method: &str,
        oneway: bool,
        args: &A,
    ) -> Result<(i32, Option<Bytes>), Failure> {
        let inner = &*self.inner;
        let codec = &inner.codec;
        #[cfg(feature = "http")]
        if let Some(path) = &inner.config.http {
            let mut message = Vec::with_capacity(256);
            let seq = codec.encode_call(method, oneway, args, &mut message)?;
            let reply = inner.http_exchange(path, Bytes::from(message)).await?;
            return Ok((seq, (!oneway).then_some(reply)));
        }
        if inner.config.pipelined {
            let pipe = inner.pipe().await?;
            let mut seq = 0;
            let reply = pipe
                .exchange(&inner.config, oneway, |conn| {
                    let (s, bytes) = conn.encode_call(codec, method, oneway, args)?;
                    seq = s;
                    Ok((s, bytes))
                })
                .await?;
            return Ok((seq, reply));
        }
        let mut seq = 0;
        let reply = inner
            .exchange(oneway, |conn| {
                let (s, bytes) = conn.encode_call(codec, method, oneway, args)?;
                seq = s;
                Ok((Some(s), bytes))
            })
            .await?;
        Ok((seq, reply))
    }
}

impl Channel for Client {
    async fn call<A, T, E>(&self, method: &'static str, args: &A) -> Result<T, ClientError<E>>
    where
        A: Encode + Sync,
        T: ReturnValue,
        E: Exceptions,
    {
        let (seq, reply) = self.send(method, false, args).await?;
        let reply =
            reply.ok_or_else(|| ClientError::Protocol(crate::Error::invalid("no reply to a call")))?;
        self.inner.codec.decode_reply(method, seq, &reply)
    }

    async fn oneway<A>(&self, method: &'static str, args: &A) -> Result<(), ClientError>
    where
        A: Encode + Sync,
    {
        self.send(method, true, args).await?;
        Ok(())
    }
}

impl Inner {
    /// The shared connection of a pipelined client, opened again when it has ended.
    async fn pipe(&self) -> io::Result<Arc<Pipe>> {
        let mut slot = self.pipe.lock().await;
        if let Some(pipe) = slot.as_ref().filter(|p| p.is_open()) {
            return Ok(pipe.clone());
        }
        let pipe = Pipe::open(self.connect().await?, &self.config);
        *slot = Some(pipe.clone());
        Ok(pipe)
    }
}
