//! The blocking client, on the standard library's sockets: a [`BlockingChannel`] over a
//! pool of connections, each a driver of [`ClientConnection`].

use std::fmt;
use std::io::{self, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use bytes::Bytes;

use super::{Failure, Pool, closed_early, invalid_data};
use crate::config::{ClientConfig, Endpoint};
use crate::connection::ClientConnection;
use crate::error::Error;
use crate::service::{BlockingChannel, CallCodec, ClientError, Exceptions, ReturnValue};
use crate::socket::{Socket, read_more};
use crate::value::Encode;

/// A blocking channel to a server over TCP or a Unix socket. Threads may share it: each
/// call takes an idle connection or opens one.
pub struct Client {
    endpoint: Endpoint,
    config: ClientConfig,
    codec: CallCodec,
    pool: Pool<Conn>,
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

/// A connection of the pool: a socket and the connection's state.
struct Conn {
    stream: Box<dyn Socket>,
    conn: ClientConnection,
    /// The socket's read timeout now: the client's, or what was left of it for a reply
    /// that took more than one read.
    read_timeout: Option<Duration>,
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
            pool: Pool::new(self.config.max_idle),
            endpoint: self.endpoint,
            config: self.config,
            codec,
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
        client.pool.give_back(conn);
        Ok(client)
    }
}

impl Client {
    /// Configures a client of `endpoint`.
    pub fn builder(endpoint: Endpoint) -> ClientBuilder {
        ClientBuilder { endpoint, config: ClientConfig::default() }
    }

    fn connect_socket(&self) -> io::Result<Box<dyn Socket>> {
        Ok(match &self.endpoint {
            Endpoint::Tcp(addr) => {
                let mut last =
                    io::Error::new(io::ErrorKind::NotFound, format!("{addr} resolves to no address"));
                for a in addr.to_socket_addrs()? {
                    let attempt = match self.config.connect_timeout {
                        Some(t) => TcpStream::connect_timeout(&a, t),
                        None => TcpStream::connect(a),
                    };
                    match attempt {
                        Ok(stream) => {
                            let _ = stream.set_nodelay(true);
                            return Ok(Box::new(stream));
                        }
                        Err(e) => last = e,
                    }
                }
                return Err(super::connect_failed(addr, last));
            }
            #[cfg(unix)]
            Endpoint::Unix(path) => {
                let stream = std::os::unix::net::UnixStream::connect(path)
                    .map_err(|e| super::connect_failed(path.display(), e))?;
                Box::new(stream)
            }
            #[cfg(not(unix))]
            Endpoint::Unix(_) => {
                return Err(io::Error::new(io::ErrorKind::Unsupported, "Unix sockets need a Unix system"));
            }
        })
    }

    fn open(&self) -> io::Result<Conn> {
        let stream = self.connect_socket()?;
        stream.set_read_timeout(self.config.read_timeout)?;
        stream.set_write_timeout(self.config.write_timeout)?;
        #[cfg(feature = "tls")]
        let stream = match &self.config.tls {
            Some((config, name)) => {
                let name = crate::tls::name_for(name.as_deref(), &self.endpoint)?;
                let session = rustls::ClientConnection::new(config.clone(), crate::tls::server_name(name)?)
                    .map_err(io::Error::other)?;
                let mut stream = rustls::StreamOwned::new(session, stream);
                // The handshake now, so that a certificate the client refuses is an
                // error of connecting.
                while stream.conn.is_handshaking() {
                    stream
                        .conn
                        .complete_io(&mut stream.sock)
                        .map_err(|e| super::connect_failed(&self.endpoint, e))?;
                }
                Box::new(stream) as Box<dyn Socket>
            }
            None => stream,
        };
        let conn = ClientConnection::new(self.config.format, self.config.limits);
        Ok(Conn { stream, conn, read_timeout: self.config.read_timeout })
    }

    /// Sends the bytes `encode` makes on a connection of the pool and, unless the call
    /// is oneway, returns the reply message.
    /// The connection goes back to the pool only when the reply answers the call.
    fn exchange(
        &self,
        oneway: bool,
        encode: impl FnOnce(&mut ClientConnection) -> crate::Result<(i32, &[u8])>,
    ) -> Result<Option<Bytes>, Failure> {
        let mut conn = match self.pool.take(|c| c.conn.is_between_messages() && c.stream.is_open()) {
            Some(conn) => conn,
            None => self.open()?,
        };
        let Conn { stream, conn: state, .. } = &mut conn;
        let (seq, bytes) = encode(state)?;
        stream.write_all(bytes)?;
        stream.flush()?;
        if oneway {
            self.pool.give_back(conn);
            return Ok(None);
        }
        let reply = conn.receive(self.config.read_timeout)?;
        if conn.conn.answers(seq, &reply) {
            self.pool.give_back(conn);
        }
        Ok(Some(reply))
    }

    /// Calls `method`, named at run time, with `args`, and returns the reply message
    /// whole (`None` for a oneway call), with the call's sequence id, for a caller that
    /// reads replies itself: the dynamic client of `rift-dynamic`. Generated clients use
    /// [`BlockingChannel::call`].
    pub fn call_raw<A: Encode + ?Sized>(
        &self,
        method: &str,
        oneway: bool,
        args: &A,
    ) -> Result<super::RawReply, ClientError> {
        let (seq, message) = self.send(method, oneway, args)?;
        Ok(super::RawReply { seq, message, protocol: self.codec.protocol(), limits: *self.codec.limits() })
    }

    /// Calls `method` with `args`: the call's sequence id and the reply message.
    fn send<A: Encode + ?Sized>(
        &self,
        method: &str,
        oneway: bool,
        args: &A,
    ) -> Result<(i32, Option<Bytes>), Failure> {
        #[cfg(feature = "http")]
        if let Some((runtime, http)) = &self.http {
            let mut message = Vec::with_capacity(256);
            let seq = self.codec.encode_call(method, oneway, args, &mut message)?;
            let reply = runtime.block_on(http.round_trip(&message, oneway))?;
            return Ok((seq, reply));
        }
        let mut seq = 0;
        let reply = self.exchange(oneway, |conn| {
            let (s, bytes) = conn.encode_call(&self.codec, method, oneway, args)?;
            seq = s;
            Ok((s, bytes))
        })?;
        Ok((seq, reply))
    }
}

impl Conn {
    /// Reads the reply, within `timeout` in all: however slowly a server sends it, the
    /// wait ends when the timeout passes.
    fn receive(&mut self, timeout: Option<Duration>) -> io::Result<Bytes> {
        let deadline = timeout.map(|t| Instant::now() + t);
        let mut first = true;
        loop {
            if let Some(reply) = self.conn.next_reply().map_err(invalid_data)? {
                return Ok(reply);
            }
            // The first read waits the whole timeout; later ones what is left of it.
            let wait = match deadline {
                Some(_) if first => timeout,
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(io::Error::new(
                            io::ErrorKind::TimedOut,
                            "the reply took too long to arrive",
                        ));
                    }
                    Some(left)
                }
                None => None,
            };
            if wait != self.read_timeout {
                self.stream.set_read_timeout(wait)?;
                self.read_timeout = wait;
            }
            first = false;
            if read_more(&mut *self.stream, self.conn.read_buffer())? == 0 {
                return Err(closed_early(self.conn.is_between_messages()));
            }
            self.conn.received().map_err(invalid_data)?;
        }
    }
}

impl BlockingChannel for Client {
    fn call<A: Encode, T: ReturnValue, E: Exceptions>(
        &self,
        method: &'static str,
        args: &A,
    ) -> Result<T, ClientError<E>> {
        let (seq, reply) = self.send(method, false, args)?;
        let reply = reply.ok_or_else(|| ClientError::Protocol(Error::invalid("no reply to a call")))?;
        self.codec.decode_reply(method, seq, &reply)
    }

    fn oneway<A: Encode>(&self, method: &'static str, args: &A) -> Result<(), ClientError> {
        self.send(method, true, args)?;
        Ok(())
    }
}
