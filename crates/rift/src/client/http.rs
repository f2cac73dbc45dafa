//! The client side of HTTP, with hyper: each call a `POST` to a path of the endpoint.

use std::io;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};

use crate::http::CONTENT_TYPE;

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
        message: Bytes,
        limit: usize,
    ) -> io::Result<Bytes> {
        std::future::poll_fn(|cx| self.sender.poll_ready(cx)).await.map_err(io_error)?;
        let request = http::Request::post(path)
            .header(http::header::HOST, host)
            .header(http::header::CONTENT_TYPE, CONTENT_TYPE)
            .header(http::header::ACCEPT, CONTENT_TYPE)
            .body(Full::new(message))
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
