//! The seam between generated services and what carries their messages.
//!
//! A server hands each request message (whole, in memory) to a [`Processor`] as a
//! [`Request`] and sends back the [`Reply`] it returns; generated processors decode the
//! arguments, call the handler and encode the result through the methods of `Request`,
//! which pick the protocol at run time. A client calls through a [`Channel`] (async) or
//! a [`BlockingChannel`]: generated clients give it the method name and the argument
//! struct and get the result struct back. Transports implement channels; [`Loopback`]
//! connects a client straight to a processor, in memory.

mod call;
mod loopback;
pub mod multiplex;
mod outcome;
mod request;

use std::future::Future;

use bytes::Bytes;

pub use call::{CallCodec, read_reply_envelope, write_message};
pub use loopback::{BlockingLoopback, Loopback};
pub use outcome::{ClientError, Exceptions, HandlerError, NoException, Outcome, ReturnValue, ServerError};
pub(crate) use request::read_envelope;
pub use request::{Reply, Request};

use crate::error::Result;
use crate::limits::Limits;
use crate::transport::ReplyFormat;
use crate::value::{Decode, Encode};

/// What a server sends for a processor's outcome on the call in `message` (which came
/// as `format`): the reply; or, when the reply could not be encoded or the handler
/// panicked, an `INTERNAL_ERROR` exception (nothing for a oneway call), logged. The
/// call's envelope is read again only then, so the hot path keeps no copy of it.
pub(crate) fn settle(
    outcome: std::thread::Result<Result<Reply>>,
    message: Bytes,
    format: ReplyFormat,
    limits: Limits,
    peer: &str,
) -> Reply {
    match outcome {
        Ok(Ok(reply)) => reply,
        Ok(Err(e)) => internal_error_reply(
            message,
            format,
            limits,
            &format!("the reply could not be encoded: {e}"),
            peer,
        ),
        // What a panic says stays in the server's log: it may tell a client more about
        // the server than it should know.
        Err(panic) => {
            let text = panic_message(&*panic);
            tracing::error!(%peer, panic = %text, "a handler panicked");
            internal_error_reply(message, format, limits, "the handler panicked", peer)
        }
    }
}

/// An `INTERNAL_ERROR` exception with `text` for the call in `message` (nothing for a
/// oneway call), logged.
pub(crate) fn internal_error_reply(
    message: Bytes,
    format: ReplyFormat,
    limits: Limits,
    text: &str,
    peer: &str,
) -> Reply {
    match Request::from_frame(crate::transport::Frame { message, format }, limits, Vec::new()) {
        Ok(request) => request.internal_error(text, peer),
        Err(_) => Reply::none(),
    }
}

/// The text of a panic's payload.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "the handler panicked".to_owned()
    }
}

/// Handles requests for a service (generated code implements it for each service).
pub trait Processor: Send + Sync + 'static {
    /// The service's name, as in the IDL.
    fn service_name(&self) -> &str;

    /// Handles one request. `Err` means the request could not be answered at all (the
    /// reply could not be encoded); every other failure is a reply.
    fn process(&self, request: Request) -> impl Future<Output = Result<Reply>> + Send;
}

/// Handles requests for a service on the caller's thread.
pub trait BlockingProcessor: Send + Sync + 'static {
    /// The service's name, as in the IDL.
    fn service_name(&self) -> &str;

    /// Handles one request.
    fn process(&self, request: Request) -> Result<Reply>;
}

/// Serves one call: decodes the arguments `A`, calls `handler` with them and encodes
/// its outcome. Arguments that do not decode get a `PROTOCOL_ERROR` reply.
pub async fn serve<A, T, X, F>(request: Request, handler: impl FnOnce(A) -> F) -> Result<Reply>
where
    A: Decode,
    T: ReturnValue,
    X: HandlerError,
    F: Future<Output = std::result::Result<T, X>>,
{
    match request.decode_args::<A>() {
        Ok(args) => request.respond(handler(args).await),
        Err(e) => request.protocol_error(&e),
    }
}

/// Serves one call of a `oneway` function: no reply, whatever happens.
pub async fn serve_oneway<A, X, F>(request: Request, handler: impl FnOnce(A) -> F) -> Result<Reply>
where
    A: Decode,
    F: Future<Output = std::result::Result<(), X>>,
{
    if let Ok(args) = request.decode_args::<A>() {
        // Nobody waits for the outcome.
        let _ = handler(args).await;
    }
    Ok(request.no_reply())
}

/// [`serve`] for blocking handlers.
pub fn serve_blocking<A, T, X>(
    request: Request,
    handler: impl FnOnce(A) -> std::result::Result<T, X>,
) -> Result<Reply>
where
    A: Decode,
    T: ReturnValue,
    X: HandlerError,
{
    match request.decode_args::<A>() {
        Ok(args) => request.respond(handler(args)),
        Err(e) => request.protocol_error(&e),
    }
}

/// [`serve_oneway`] for blocking handlers.
pub fn serve_oneway_blocking<A, X>(
    request: Request,
    handler: impl FnOnce(A) -> std::result::Result<(), X>,
) -> Result<Reply>
where
    A: Decode,
{
    if let Ok(args) = request.decode_args::<A>() {
        let _ = handler(args);
    }
    Ok(request.no_reply())
}

/// Carries calls of generated clients (async). Transports implement it.
pub trait Channel: Send + Sync {
    /// Calls `method` with `args` and returns its value or declared exception. An
    /// `EXCEPTION` reply is [`ClientError::Application`].
    fn call<A, T, E>(
        &self,
        method: &'static str,
        args: &A,
    ) -> impl Future<Output = Result<T, ClientError<E>>> + Send
    where
        A: Encode + Sync,
        T: ReturnValue,
        E: Exceptions;

    /// Sends a oneway call of `method` with `args`.
    fn oneway<A>(
        &self,
        method: &'static str,
        args: &A,
    ) -> impl Future<Output = Result<(), ClientError>> + Send
    where
        A: Encode + Sync;
}

/// Carries calls of generated blocking clients. Transports implement it.
pub trait BlockingChannel: Send + Sync {
    /// Calls `method` with `args` and returns its value or declared exception.
    fn call<A: Encode, T: ReturnValue, E: Exceptions>(
        &self,
        method: &'static str,
        args: &A,
    ) -> Result<T, ClientError<E>>;

    /// Sends a oneway call.
    fn oneway<A: Encode>(&self, method: &'static str, args: &A) -> Result<(), ClientError>;
}
