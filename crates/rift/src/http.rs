//! HTTP as Apache's `THttpClient` and `THttpServer` speak it: each call is a `POST` whose
//! body is the whole message (unframed), answered by `200 OK` with the reply message as
//! its body, both `application/x-thrift`. With hyper.
//!
//! The async server tells an HTTP connection from its first byte (an HTTP method is
//! upper-case ASCII, no Thrift framing starts with one) and serves it on the same port
//! as every other format. The async client posts to a path of its endpoint
//! ([`crate::client::ClientBuilder::http`]).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::watch;

use crate::Protocol;
use crate::config::ServerConfig;
use crate::server::catch_unwind;
use crate::service::{Processor, Reply, Request, settle};

/// The media type of Thrift over HTTP.
pub const CONTENT_TYPE: &str = "application/x-thrift";

/// Whether a connection that starts with `first` speaks HTTP.
pub(crate) fn looks_like_http(first: u8) -> bool {
    first.is_ascii_uppercase()
}

/// A stream with bytes already read from it put back in front.
#[derive(Debug)]
pub(crate) struct Prefixed<S> {
    prefix: Bytes,
    inner: S,
}

impl<S> Prefixed<S> {
    pub(crate) fn new(prefix: Bytes, inner: S) -> Prefixed<S> {
        Prefixed { prefix, inner }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Prefixed<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if !self.prefix.is_empty() {
            let n = self.prefix.len().min(buf.remaining());
            let head = self.prefix.split_to(n);
            buf.put_slice(&head);
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: std::io::Read> std::io::Read for Prefixed<S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.prefix.is_empty() {
            let n = self.prefix.len().min(buf.len());
            buf[..n].copy_from_slice(&self.prefix.split_to(n));
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

impl<S: std::io::Write> std::io::Write for Prefixed<S> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Prefixed<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

fn response(status: http::StatusCode, body: Bytes) -> http::Response<Full<Bytes>> {
    let mut response = http::Response::new(Full::new(body));
    *response.status_mut() = status;
    response.headers_mut().insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static(CONTENT_TYPE));
    response
}

fn refuse(status: http::StatusCode, text: String) -> http::Response<Full<Bytes>> {
    let mut response = http::Response::new(Full::new(Bytes::from(text)));
    *response.status_mut() = status;
    response.headers_mut().insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("text/plain"));
    response
}

/// The protocol of a message, from its first byte.
fn protocol_of(message: &[u8]) -> Option<Protocol> {
    match message.first()? {
        0x80 => Some(Protocol::Binary),
        0x82 => Some(Protocol::Compact),
        b'[' => Some(Protocol::Json),
        _ => None,
    }
}

async fn handle<F, Fut>(
    request: http::Request<Incoming>,
    process: &F,
    config: &ServerConfig,
    peer: &str,
) -> http::Response<Full<Bytes>>
where
    F: Fn(Request) -> Fut,
    Fut: Future<Output = crate::Result<Reply>>,
{
    if request.method() != http::Method::POST {
        return refuse(http::StatusCode::METHOD_NOT_ALLOWED, "Thrift over HTTP takes POST\n".into());
    }
    let limit = config.limits.max_message_size;
    let declared = request
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit as u64) {
        return refuse(http::StatusCode::PAYLOAD_TOO_LARGE, format!("the message is over {limit} bytes\n"));
    }
    let body = match Limited::new(request.into_body(), limit).collect().await {
        Ok(body) => body.to_bytes(),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => {
            return refuse(
                http::StatusCode::PAYLOAD_TOO_LARGE,
                format!("the message is over {limit} bytes\n"),
            );
        }
        Err(e) => return refuse(http::StatusCode::BAD_REQUEST, format!("the body could not be read: {e}\n")),
    };
    let Some(protocol) = config.format.map(|f| f.protocol).or_else(|| protocol_of(&body)) else {
        return refuse(http::StatusCode::BAD_REQUEST, "the body is not a Thrift message\n".into());
    };
    let request = match Request::new(protocol, body.clone(), config.limits) {
        Ok(request) => request,
        Err(e) => return refuse(http::StatusCode::BAD_REQUEST, format!("unreadable message: {e}\n")),
    };
    let reply = settle(protocol, body, config.limits, catch_unwind(process(request)).await, peer);
    match reply {
        Reply::Message(message) => response(http::StatusCode::OK, message.into()),
        Reply::None => response(http::StatusCode::OK, Bytes::new()),
    }
}

/// Serves one HTTP connection until the peer closes it or the server shuts down.
pub(crate) async fn serve<S, P>(
    io: S,
    processor: &P,
    config: &ServerConfig,
    mut shutdown: watch::Receiver<Option<Duration>>,
    peer: &str,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    P: Processor,
{
    let stop = async move { drop(shutdown.wait_for(Option::is_some).await) };
    serve_with(io, &|request| processor.process(request), config, stop, peer).await;
}

/// Serves one HTTP connection of a blocking server, on a runtime of the connection's
/// own, over its socket made non-blocking.
pub(crate) fn serve_blocking<S, P>(
    first: Bytes,
    io: S,
    processor: &P,
    config: &ServerConfig,
    stop: &std::sync::atomic::AtomicBool,
    peer: &str,
) where
    S: std::io::Read + std::io::Write + Unpin + Send + 'static,
    P: crate::service::BlockingProcessor,
{
    let io = Prefixed::new(first, io);
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_time().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            tracing::error!(%peer, error = %e, "no runtime for an HTTP connection");
            return;
        }
    };
    let stopping = async {
        while !stop.load(std::sync::atomic::Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    // The processor runs inside the future, so that a panic is caught.
    let process = |request| async move { processor.process(request) };
    runtime.block_on(serve_with(PolledIo::new(io), &process, config, stopping, peer));
}

/// A non-blocking std stream as an async one, without a reactor: when the socket is not
/// ready, the poll waits on a timer (1 ms, doubling to 50 ms while nothing happens) and
/// tries again. Reads and writes wait apart, so a read that waits never holds up a write.
struct PolledIo<S> {
    io: S,
    read: Backoff,
    write: Backoff,
}

#[derive(Default)]
struct Backoff {
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
    wait: Duration,
}

impl<S> PolledIo<S> {
    fn new(io: S) -> PolledIo<S> {
        PolledIo { io, read: Backoff::default(), write: Backoff::default() }
    }
}

/// Runs `op` until it is not `WouldBlock`, waiting on `backoff`'s timer in between.
fn poll_op<S, T>(
    io: &mut S,
    backoff: &mut Backoff,
    cx: &mut Context<'_>,
    mut op: impl FnMut(&mut S) -> io::Result<T>,
) -> Poll<io::Result<T>> {
    loop {
        match op(io) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => {
                backoff.sleep = None;
                backoff.wait = Duration::ZERO;
                return Poll::Ready(other);
            }
        }
        if backoff.sleep.is_none() {
            backoff.wait = (backoff.wait * 2).clamp(Duration::from_millis(1), Duration::from_millis(50));
            backoff.sleep = Some(Box::pin(tokio::time::sleep(backoff.wait)));
        }
        if let Some(sleep) = &mut backoff.sleep {
            if sleep.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            backoff.sleep = None;
        }
    }
}

impl<S: std::io::Read + Unpin> AsyncRead for PolledIo<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let n = match poll_op(&mut this.io, &mut this.read, cx, |io| io.read(buf.initialize_unfilled())) {
            Poll::Ready(Ok(n)) => n,
            Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
            Poll::Pending => return Poll::Pending,
        };
        buf.advance(n);
        Poll::Ready(Ok(()))
    }
}

impl<S: std::io::Write + Unpin> AsyncWrite for PolledIo<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        poll_op(&mut this.io, &mut this.write, cx, |io| io.write(buf))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        poll_op(&mut this.io, &mut this.write, cx, |io| io.flush())
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_flush(cx)
    }
}

async fn serve_with<S, F, Fut>(
    io: S,
    process: &F,
    config: &ServerConfig,
    stop: impl Future<Output = ()>,
    peer: &str,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    F: Fn(Request) -> Fut,
    Fut: Future<Output = crate::Result<Reply>>,
{
    let service = hyper::service::service_fn(|request| async move {
        Ok::<_, std::convert::Infallible>(handle(request, process, config, peer).await)
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(config.idle_timeout.or(config.read_timeout));
    let connection = builder.serve_connection(TokioIo::new(io), service);
    let mut connection = std::pin::pin!(connection);
    tokio::select! {
        result = connection.as_mut() => {
            if let Err(e) = result {
                tracing::debug!(%peer, error = %e, "HTTP connection ended");
            }
        }
        () = stop => {
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        }
    }
}

/// One HTTP/1.1 connection of a client.
#[derive(Debug)]
pub(crate) struct HttpConn {
    sender: hyper::client::conn::http1::SendRequest<Full<Bytes>>,
}

fn io_error(e: impl std::error::Error + Send + Sync + 'static) -> io::Error {
    io::Error::other(e)
}

impl HttpConn {
    /// Speaks HTTP over `io`.
    pub(crate) async fn handshake<S: AsyncRead + AsyncWrite + Unpin + Send + 'static>(
        io: S,
    ) -> io::Result<HttpConn> {
        let (sender, connection) =
            hyper::client::conn::http1::handshake(TokioIo::new(io)).await.map_err(io_error)?;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "HTTP connection ended");
            }
        });
        Ok(HttpConn { sender })
    }

    /// Whether the server has not closed the connection.
    pub(crate) fn is_open(&self) -> bool {
        !self.sender.is_closed()
    }

    /// Posts `message` to `path` on `host`; returns the reply body.
    pub(crate) async fn post(
        &mut self,
        host: &str,
        path: &str,
        message: Vec<u8>,
        limit: usize,
    ) -> io::Result<Bytes> {
        std::future::poll_fn(|cx| self.sender.poll_ready(cx)).await.map_err(io_error)?;
        let request = http::Request::post(path)
            .header(http::header::HOST, host)
            .header(http::header::CONTENT_TYPE, CONTENT_TYPE)
            .header(http::header::ACCEPT, CONTENT_TYPE)
            .body(Full::new(Bytes::from(message)))
            .map_err(io_error)?;
        let response = self.sender.send_request(request).await.map_err(io_error)?;
        let status = response.status();
        let body = Limited::new(response.into_body(), limit)
            .collect()
            .await
            .map_err(|e| io::Error::other(e.to_string()))?;
        if status != http::StatusCode::OK {
            let text = String::from_utf8_lossy(&body.to_bytes()).trim().to_owned();
            return Err(io::Error::other(format!("the server answered HTTP {status}: {text}")));
        }
        Ok(body.to_bytes())
    }
}
