//! The server side of HTTP, with hyper: both servers tell an HTTP connection from its
//! first byte ([`crate::connection::ServerEvent::Http`]) and hand it here, on the same
//! port as every other format. Each `POST` body is one message, its protocol told by its
//! first byte, processed and answered as any other ([`crate::service::settle`]).

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

use super::async_server::catch_unwind;
use crate::config::ServerConfig;
use crate::http::{CONTENT_TYPE, protocol_of};
use crate::limits::Limits;
use crate::service::{Processor, Reply, Request, settle};
use crate::transport::ReplyFormat;

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

/// Answers one request. `timer`: whether the runtime has timers (the blocking server's
/// has none: its socket's timeouts bound each read).
async fn handle<F, Fut>(
    request: http::Request<Incoming>,
    process: &F,
    config: &ServerConfig,
    peer: &str,
    timer: bool,
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
    // The body must arrive within the read timeout, however slowly it comes (the
    // blocking server's reads are bounded by the same clock, in `Blocking`).
    let collect = Limited::new(request.into_body(), limit).collect();
    let collected = match config.read_timeout.filter(|_| timer) {
        Some(timeout) => match tokio::time::timeout(timeout, collect).await {
            Ok(collected) => collected,
            Err(_) => {
                return refuse(
                    http::StatusCode::REQUEST_TIMEOUT,
                    "the body took too long to arrive\n".into(),
                );
            }
        },
        None => collect.await,
    };
    let body = match collected {
        Ok(body) => body.to_bytes(),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => {
            return refuse(
                http::StatusCode::PAYLOAD_TOO_LARGE,
                format!("the message is over {limit} bytes\n"),
            );
        }
        Err(e) if timed_out(&*e) => {
            return refuse(http::StatusCode::REQUEST_TIMEOUT, "the body took too long to arrive\n".into());
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
    let outcome = catch_unwind(process(request)).await;
    let reply = settle(outcome, body, ReplyFormat::plain(protocol), config.limits, peer);
    response(http::StatusCode::OK, reply.into_message().unwrap_or_default())
}

/// Whether `e` comes from a read that timed out (the blocking server's socket timeouts).
fn timed_out(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = Some(e);
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<io::Error>()
            && matches!(io.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock)
        {
            return true;
        }
        source = e.source();
    }
    false
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
    serve_with(io, &|request| processor.process(request), config, stop, peer, true).await;
}

/// Serves one HTTP connection of a blocking server, on its thread: hyper on a
/// current-thread runtime of the connection's own, over the socket as it is, blocking.
/// Reads block only where hyper needs bytes to go on (`half_close` keeps it from
/// reading ahead to notice a client gone while a request is served), and the socket's
/// timeouts bound them.
pub(crate) fn serve_blocking<S, P>(
    received: Bytes,
    stream: S,
    processor: &P,
    config: &ServerConfig,
    live: std::sync::Arc<crate::server::blocking::Live>,
    peer: &str,
) where
    S: std::io::Read + std::io::Write + Send + Unpin + 'static,
    P: crate::service::BlockingProcessor,
{
    let runtime = match tokio::runtime::Builder::new_current_thread().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            tracing::error!(%peer, error = %e, "no runtime for an HTTP connection");
            return;
        }
    };
    let io = Blocking { io: Prefixed::new(received, stream), live: live.clone(), config: config.clone() };
    // Between requests the connection counts as waiting, so that shutdown ends it.
    let live = &*live;
    let process = |request| async move {
        live.set_waiting(false);
        let reply = processor.process(request);
        live.set_waiting(true);
        reply
    };
    runtime.block_on(serve_with(io, &process, config, std::future::pending(), peer, false));
}

/// A blocking std stream as an async one: each poll does the I/O, waiting as it does.
/// For a connection that has a thread of its own and nothing else to do meanwhile. Each
/// read waits only for what is left of the request's read timeout (or the idle timeout
/// between requests), so a client that sends its headers a byte a second is cut off.
struct Blocking<S> {
    io: S,
    live: std::sync::Arc<crate::server::blocking::Live>,
    config: ServerConfig,
}

impl<S: std::io::Read + Unpin> AsyncRead for Blocking<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        loop {
            if let Err(e) = this.live.before_read(&this.config) {
                return Poll::Ready(Err(e));
            }
            match this.io.read(buf.initialize_unfilled()) {
                Ok(n) => {
                    this.live.after_read(n);
                    buf.advance(n);
                    return Poll::Ready(Ok(()));
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
    }
}

impl<S: std::io::Write + Unpin> AsyncWrite for Blocking<S> {
    fn poll_write(mut self: Pin<&mut Self>, _: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Poll::Ready(self.io.write(buf))
    }

    fn poll_flush(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(self.io.flush())
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_flush(cx)
    }
}

/// The smallest read buffer hyper takes.
const MIN_HEADER_BUFFER: usize = 8 * 1024;

async fn serve_with<S, F, Fut>(
    io: S,
    process: &F,
    config: &ServerConfig,
    stop: impl Future<Output = ()>,
    peer: &str,
    timer: bool,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    F: Fn(Request) -> Fut,
    Fut: Future<Output = crate::Result<Reply>>,
{
    let service = hyper::service::service_fn(|request| async move {
        Ok::<_, std::convert::Infallible>(handle(request, process, config, peer, timer).await)
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    // hyper refuses a request whose head passes either bound (431); its buffer is no
    // smaller than 8 KiB.
    builder.max_buf_size(config.limits.max_header_size.max(MIN_HEADER_BUFFER));
    if config.limits.max_headers != Limits::DEFAULT_MAX_HEADERS {
        // hyper's own default: set, it would put every request's headers on the heap.
        builder.max_headers(config.limits.max_headers);
    }
    if timer {
        builder.timer(TokioTimer::new()).header_read_timeout(config.idle_timeout.or(config.read_timeout));
    } else {
        // Blocking: the socket's own timeouts bound every read, and nothing is read
        // ahead of need.
        builder.header_read_timeout(None).half_close(true);
    }
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
