//! Channels that hand calls straight to a processor, in memory.

use bytes::Bytes;

use super::call::CallCodec;
use super::outcome::{ClientError, Exceptions, ReturnValue};
use super::{BlockingChannel, BlockingProcessor, Channel, Processor, Reply, Request};
use crate::error::{Error, Result};
use crate::limits::Limits;
use crate::protocol::Protocol;
use crate::value::Encode;

/// A channel that hands calls straight to a processor in memory, through the full
/// encode and decode of `protocol`: for tests, and for calling a service in-process.
#[derive(Debug)]
pub struct Loopback<P> {
    processor: P,
    codec: CallCodec,
}

impl<P> Loopback<P> {
    /// Calls `processor` in `protocol`.
    pub fn new(processor: P, protocol: Protocol) -> Loopback<P> {
        Loopback { processor, codec: CallCodec::new(protocol, None, Limits::default()) }
    }

    /// The processor called.
    pub fn processor(&self) -> &P {
        &self.processor
    }

    fn request<E>(&self, message: Vec<u8>) -> Result<Request, ClientError<E>> {
        Ok(Request::new(self.codec.protocol(), Bytes::from(message), Limits::default())?)
    }
}

impl<P: Processor> Channel for Loopback<P> {
    async fn call<A, T, E>(&self, method: &'static str, args: &A) -> Result<T, ClientError<E>>
    where
        A: Encode + Sync,
        T: ReturnValue,
        E: Exceptions,
    {
        let mut out = Vec::new();
        let seq = self.codec.encode_call(method, false, args, &mut out)?;
        let request = self.request(out)?;
        let reply = self.processor.process(request).await?;
        decode(&self.codec, method, seq, reply)
    }

    async fn oneway<A>(&self, method: &'static str, args: &A) -> Result<(), ClientError>
    where
        A: Encode + Sync,
    {
        let mut out = Vec::new();
        self.codec.encode_call(method, true, args, &mut out)?;
        let request = self.request(out)?;
        self.processor.process(request).await?;
        Ok(())
    }
}

/// A blocking channel that hands calls straight to a blocking processor.
#[derive(Debug)]
pub struct BlockingLoopback<P> {
    processor: P,
    codec: CallCodec,
}

impl<P> BlockingLoopback<P> {
    /// Calls `processor` in `protocol`.
    pub fn new(processor: P, protocol: Protocol) -> BlockingLoopback<P> {
        BlockingLoopback { processor, codec: CallCodec::new(protocol, None, Limits::default()) }
    }

    /// The processor called.
    pub fn processor(&self) -> &P {
        &self.processor
    }
}

impl<P: BlockingProcessor> BlockingChannel for BlockingLoopback<P> {
    fn call<A: Encode, T: ReturnValue, E: Exceptions>(
        &self,
        method: &'static str,
        args: &A,
    ) -> Result<T, ClientError<E>> {
        let mut out = Vec::new();
        let seq = self.codec.encode_call(method, false, args, &mut out)?;
        let request = Request::new(self.codec.protocol(), Bytes::from(out), Limits::default())?;
        let reply = self.processor.process(request)?;
        decode(&self.codec, method, seq, reply)
    }

    fn oneway<A: Encode>(&self, method: &'static str, args: &A) -> Result<(), ClientError> {
        let mut out = Vec::new();
        self.codec.encode_call(method, true, args, &mut out)?;
        let request = Request::new(self.codec.protocol(), Bytes::from(out), Limits::default())?;
        self.processor.process(request)?;
        Ok(())
    }
}

/// The value of the reply to call `seq` of `method`.
fn decode<T: ReturnValue, E: Exceptions>(
    codec: &CallCodec,
    method: &str,
    seq: i32,
    reply: Reply,
) -> Result<T, ClientError<E>> {
    match reply.into_message() {
        Some(message) => codec.decode_reply(method, seq, &message),
        None => Err(ClientError::Protocol(Error::invalid("no reply to a call"))),
    }
}
