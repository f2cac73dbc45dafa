//! rift's async client and server as `tower` services, so that timeouts, retries, rate
//! limits, load balancing and the rest come from that ecosystem rather than from rift.
//!
//! - Client side: [`client::Client`](crate::client::Client) is a
//!   `Service<`[`RawCall`]`>`. Stack layers on it, then wrap the stack in a
//!   [`ServiceChannel`], a [`Channel`] that generated clients call through:
//!
//! ```text
//! let stack = tower::ServiceBuilder::new()
//!     .timeout(Duration::from_secs(1))
//!     .retry(MyPolicy)
//!     .service(rift::client::Client::builder(endpoint).build());
//! let weather = WeatherServiceClient::new(ServiceChannel::new(stack, Protocol::Binary));
//! ```
//!
//! - Server side: [`ProcessorService`] is any [`Processor`] as a `Service<Request>`, and
//!   [`ServiceProcessor`] any such service (with its layers) as a `Processor` to serve.
//!
//! A [`RawCall`] holds the whole encoded call, sequence id included, so a layer may send it
//! again (retries, hedging) and the reply still matches.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use tower_service::Service;

use crate::Protocol;
use crate::error::Error;
use crate::limits::Limits;
use crate::service::{CallCodec, Channel, ClientError, Exceptions, Processor, Reply, Request, ReturnValue};
use crate::value::Encode;

/// The error type of rift's tower services.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A call on its way: the method, and the whole message in the channel's protocol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawCall {
    /// The method called (without a multiplexing prefix).
    pub method: &'static str,
    /// Whether no reply is awaited.
    pub oneway: bool,
    /// The encoded message, envelope and arguments.
    pub message: Bytes,
}

/// A boxed future, as tower services of rift return.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = Result<T, BoxError>> + Send>>;

#[cfg(feature = "tokio")]
impl Service<RawCall> for crate::client::Client {
    /// The reply message; `None` for a oneway call.
    type Response = Option<Bytes>;
    type Error = BoxError;
    type Future = BoxFuture<Option<Bytes>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, call: RawCall) -> Self::Future {
        let client = self.clone();
        Box::pin(async move { Ok(client.round_trip(&call.message, call.oneway).await?) })
    }
}

/// A [`Channel`] over a tower service of [`RawCall`]s: encodes each call, hands it to the
/// service (and its layers), and decodes the reply.
#[derive(Debug)]
pub struct ServiceChannel<S> {
    service: S,
    codec: Arc<CallCodec>,
}

impl<S: Clone> Clone for ServiceChannel<S> {
    fn clone(&self) -> Self {
        ServiceChannel { service: self.service.clone(), codec: self.codec.clone() }
    }
}

impl<S> ServiceChannel<S> {
    /// Calls through `service` in `protocol`.
    pub fn new(service: S, protocol: Protocol) -> ServiceChannel<S> {
        ServiceChannel { service, codec: Arc::new(CallCodec::new(protocol, None, Limits::default())) }
    }

    /// Calls `service` of a multiplexed server.
    pub fn multiplexed(service: S, protocol: Protocol, name: impl Into<String>) -> ServiceChannel<S> {
        ServiceChannel {
            service,
            codec: Arc::new(CallCodec::new(protocol, Some(name.into()), Limits::default())),
        }
    }

    fn encode<A: Encode + ?Sized>(
        &self,
        method: &'static str,
        oneway: bool,
        args: &A,
    ) -> Result<(i32, RawCall), Error> {
        let mut message = Vec::with_capacity(256);
        let seq = self.codec.encode_call(method, oneway, args, &mut message)?;
        Ok((seq, RawCall { method, oneway, message: message.into() }))
    }
}

/// Waits until the service is ready, then calls it.
async fn ready_call<S>(mut service: S, call: RawCall) -> Result<Option<Bytes>, BoxError>
where
    S: Service<RawCall, Response = Option<Bytes>>,
    S::Error: Into<BoxError>,
{
    std::future::poll_fn(|cx| service.poll_ready(cx)).await.map_err(Into::into)?;
    service.call(call).await.map_err(Into::into)
}

impl<S> Channel for ServiceChannel<S>
where
    S: Service<RawCall, Response = Option<Bytes>> + Clone + Send + Sync,
    S::Error: Into<BoxError>,
    S::Future: Send,
{
    async fn call<A, T, E>(&self, method: &'static str, args: &A) -> Result<T, ClientError<E>>
    where
        A: Encode + Sync,
        T: ReturnValue,
        E: Exceptions,
    {
        let (seq, call) = self.encode(method, false, args)?;
        match ready_call(self.service.clone(), call).await.map_err(ClientError::Transport)? {
            Some(reply) => self.codec.decode_reply(method, seq, &reply),
            None => Err(ClientError::Protocol(Error::invalid("no reply to a call"))),
        }
    }

    async fn oneway<A>(&self, method: &'static str, args: &A) -> Result<(), ClientError>
    where
        A: Encode + Sync,
    {
        let (_, call) = self.encode(method, true, args)?;
        ready_call(self.service.clone(), call).await.map_err(ClientError::Transport)?;
        Ok(())
    }
}

/// A [`Processor`] as a tower service of requests.
#[derive(Debug)]
pub struct ProcessorService<P> {
    processor: Arc<P>,
}

impl<P> Clone for ProcessorService<P> {
    fn clone(&self) -> Self {
        ProcessorService { processor: self.processor.clone() }
    }
}

impl<P: Processor> ProcessorService<P> {
    /// Serves `processor` as a tower service.
    pub fn new(processor: P) -> ProcessorService<P> {
        ProcessorService { processor: Arc::new(processor) }
    }
}

impl<P: Processor> Service<Request> for ProcessorService<P> {
    type Response = Reply;
    type Error = BoxError;
    type Future = BoxFuture<Reply>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let processor = self.processor.clone();
        Box::pin(async move { Ok(processor.process(request).await?) })
    }
}

/// A tower service of requests (a [`ProcessorService`] with layers, say) as a
/// [`Processor`] that servers serve. An error of the service reaches the caller as an
/// `INTERNAL_ERROR` exception.
#[derive(Clone, Debug)]
pub struct ServiceProcessor<S> {
    service: S,
}

impl<S> ServiceProcessor<S> {
    /// Serves `service`.
    pub fn new(service: S) -> ServiceProcessor<S> {
        ServiceProcessor { service }
    }
}

impl<S> Processor for ServiceProcessor<S>
where
    S: Service<Request, Response = Reply> + Clone + Send + Sync + 'static,
    S::Error: Into<BoxError>,
    S::Future: Send,
{
    fn service_name(&self) -> &'static str {
        "tower"
    }

    async fn process(&self, request: Request) -> crate::Result<Reply> {
        let (call, format, limits) = (request.bytes().clone(), request.format(), request.limits());
        let mut service = self.service.clone();
        let outcome = async {
            std::future::poll_fn(|cx| service.poll_ready(cx)).await.map_err(Into::into)?;
            service.call(request).await.map_err(Into::into)
        };
        match outcome.await {
            Ok(reply) => Ok(reply),
            Err(e) => Ok(crate::service::internal_error_reply(call, format, limits, &e.to_string(), "tower")),
        }
    }
}
