//! The RPC benchmark: options shared by its programs, the load generator's connections,
//! and the decode-nothing ceiling server.
//!
//! The load generator speaks plain Thrift (any server of `bench.thrift` can be measured:
//! rift's, volo's, Apache's, C++'s), keeps a number of calls in flight on each of its
//! connections (servers answer in order, so replies are matched to calls by order, and
//! their sequence ids are checked), decodes and checks every reply, and records each
//! call's latency in an HDR histogram.

use std::collections::VecDeque;
use std::io;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use rift::bytes::Bytes;
use rift::connection::ClientConnection;
use rift::service::CallCodec;
use rift::transport::WireFormat;
use rift::{ClientError, Limits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::generated::{self, Bench, BenchBlocking, Request, bench_service};

/// The format options of the benchmark's programs, with Apache's cross-test names.
#[derive(Clone, Debug, clap::Args)]
pub struct FormatArgs {
    /// `buffered`, `framed` or `zlib`.
    #[arg(long, default_value = "framed")]
    pub transport: String,
    /// `binary`, `compact`, `json` or `header`.
    #[arg(long, default_value = "binary")]
    pub protocol: String,
}

impl FormatArgs {
    /// The wire format named.
    pub fn wire_format(&self) -> Result<WireFormat, String> {
        WireFormat::from_names(&self.transport, &self.protocol)
    }
}

/// Which call the load generator makes.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Call {
    /// `ping()`.
    Ping,
    /// `echo(standard)`.
    Echo,
}

/// What one connection of the load generator measured.
#[derive(Debug)]
pub struct Tally {
    /// Calls answered after the warm-up.
    pub calls: u64,
    /// Their latencies, in microseconds.
    pub latency: Histogram<u64>,
}

/// Drives one connection: keeps `in_flight` calls outstanding until `end`, counting and
/// timing those answered after `measure_from`. Every reply is decoded and checked.
pub async fn drive(
    addr: &str,
    format: WireFormat,
    call: Call,
    in_flight: usize,
    measure_from: Instant,
    end: Instant,
) -> io::Result<Tally> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let limits = Limits::default();
    let codec = CallCodec::new(format.protocol, None, limits);
    let mut conn = ClientConnection::new(format, limits);
    let request = generated::standard();
    let echo = bench_service::EchoArgs { req: request.clone() };
    let mut pending: VecDeque<(i32, Instant)> = VecDeque::with_capacity(in_flight);
    let mut latency = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("histogram bounds");
    let mut calls = 0u64;
    let mut checked_len = None;
    let invalid = |e: String| io::Error::new(io::ErrorKind::InvalidData, e);
    loop {
        // Top up the calls in flight, all in one write.
        let now = Instant::now();
        if now < end {
            while pending.len() < in_flight {
                let (seq, bytes) = match call {
                    Call::Ping => conn.encode_call(&codec, "ping", false, &bench_service::PingArgs {}),
                    Call::Echo => conn.encode_call(&codec, "echo", false, &echo),
                }
                .map_err(|e| invalid(e.to_string()))?;
                stream.write_all(bytes).await?;
                pending.push_back((seq, now));
            }
        } else if pending.is_empty() {
            return Ok(Tally { calls, latency });
        }
        // The next reply.
        let reply: Bytes = loop {
            if let Some(reply) = conn.next_reply().map_err(|e| invalid(e.to_string()))? {
                break reply;
            }
            if stream.read_buf(conn.read_buffer()).await? == 0 {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the server closed the connection"));
            }
            conn.received().map_err(|e| invalid(e.to_string()))?;
        };
        let (seq, sent) = pending.pop_front().expect("a reply answers a call in flight");
        match (call, checked_len) {
            (Call::Ping, _) => {
                let result: Result<(), ClientError> = codec.decode_reply("ping", seq, &reply);
                result.map_err(|e| invalid(format!("ping: {e}")))?;
            }
            // The first echo is decoded whole and compared with the request; the others
            // are checked by their envelope (a reply, to `echo`, with the call's
            // sequence id) and, in binary, their length, which the request's maps and
            // sets, written in any order, do not change.
            (Call::Echo, None) => {
                let result: Result<Request, ClientError<bench_service::EchoException>> =
                    codec.decode_reply("echo", seq, &reply);
                let echoed = result.map_err(|e| invalid(format!("echo: {e}")))?;
                if echoed != request {
                    return Err(invalid("echo: the reply is not the request".into()));
                }
                // In binary a reply's length does not depend on its sequence id.
                if format.protocol == rift::Protocol::Binary {
                    checked_len = Some(reply.len());
                }
            }
            (Call::Echo, Some(len)) => {
                let envelope =
                    envelope(format.protocol, &reply).map_err(|e| invalid(format!("echo: {e}")))?;
                if envelope.kind != rift::MessageType::Reply
                    || &*envelope.name != "echo"
                    || envelope.seq != seq
                    || reply.len() != len
                {
                    return Err(invalid(format!(
                        "echo: an unexpected reply {envelope:?} of {} bytes",
                        reply.len()
                    )));
                }
            }
        }
        let done = Instant::now();
        if sent >= measure_from {
            calls += 1;
            let micros = done.duration_since(sent).as_micros().max(1) as u64;
            latency.saturating_record(micros);
        }
    }
}

/// Connects, makes one `ping`, and returns the connection, open and idle.
pub async fn ping_once(addr: &str, format: WireFormat) -> io::Result<TcpStream> {
    let mut stream = TcpStream::connect(addr).await?;
    let limits = Limits::default();
    let codec = CallCodec::new(format.protocol, None, limits);
    let mut conn = ClientConnection::new(format, limits);
    let (seq, bytes) = conn
        .encode_call(&codec, "ping", false, &bench_service::PingArgs {})
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    stream.write_all(bytes).await?;
    loop {
        if let Some(reply) = conn.next_reply().map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))? {
            let result: Result<(), ClientError> = codec.decode_reply("ping", seq, &reply);
            result.map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
            return Ok(stream);
        }
        if stream.read_buf(conn.read_buffer()).await? == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the server closed the connection"));
        }
        conn.received().map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    }
}

/// The envelope of a reply.
fn envelope(protocol: rift::Protocol, reply: &Bytes) -> rift::Result<rift::MessageHeader> {
    use rift::ProtocolReader;
    match protocol {
        rift::Protocol::Binary => {
            rift::protocol::binary::BinaryReader::from_bytes(reply, Limits::default()).read_message_begin()
        }
        rift::Protocol::Compact => {
            rift::protocol::compact::CompactReader::from_bytes(reply, Limits::default()).read_message_begin()
        }
        rift::Protocol::Json => {
            rift::protocol::json::JsonReader::from_bytes(reply, Limits::default()).read_message_begin()
        }
    }
}

/// The ceiling: a server that decodes nothing. It cuts frames (framed transport only),
/// turns each call into its reply by changing two bytes (the message type, and the
/// first field id of the arguments, `1: req`, into the result's `0: success`) and
/// sends it back: what a server costs with no codec and no handler at all.
pub async fn ceiling_connection(mut stream: TcpStream) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut input = Vec::with_capacity(64 * 1024);
    let mut output = Vec::with_capacity(64 * 1024);
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        input.extend_from_slice(&chunk[..n]);
        let mut at = 0;
        while input.len() - at >= 4 {
            let len = u32::from_be_bytes(input[at..at + 4].try_into().expect("4 bytes")) as usize;
            if input.len() - at < 4 + len {
                break;
            }
            let frame = &input[at..at + 4 + len];
            let start = output.len();
            output.extend_from_slice(frame);
            flip(&mut output[start + 4..]);
            at += 4 + len;
        }
        input.drain(..at);
        if !output.is_empty() {
            stream.write_all(&output).await?;
            output.clear();
        }
    }
}

/// Turns a strict binary call into its reply in place (see [`ceiling_connection`]).
fn flip(message: &mut [u8]) {
    if message.len() < 12 {
        return;
    }
    message[3] = 2; // REPLY
    let name_len = u32::from_be_bytes(message[4..8].try_into().expect("4 bytes")) as usize;
    let field = 8 + name_len + 4;
    if message.len() >= field + 3 && message[field] != 0 && message[field + 1..field + 3] == [0, 1] {
        message[field + 2] = 0; // field 1 of the arguments, field 0 of the result
    }
}

/// Percentiles of a histogram in microseconds: p50, p99, p99.9.
pub fn percentiles(latency: &Histogram<u64>) -> (u64, u64, u64) {
    (latency.value_at_quantile(0.5), latency.value_at_quantile(0.99), latency.value_at_quantile(0.999))
}

/// A duration from seconds given on the command line.
pub fn seconds(s: f64) -> Duration {
    Duration::from_secs_f64(s.max(0.0))
}

/// The handler of the benchmark's server: answers as fast as it can (`echo` returns its
/// request).
#[derive(Clone, Copy, Debug)]
pub struct Handler;

impl Bench for Handler {
    async fn ping(&self) -> Result<(), rift::ApplicationException> {
        Ok(())
    }

    async fn echo(&self, req: Request) -> Result<Request, rift::ServerError<bench_service::EchoException>> {
        Ok(req)
    }

    async fn fire(&self, _: Request) -> Result<(), rift::ApplicationException> {
        Ok(())
    }
}

impl BenchBlocking for Handler {
    fn ping(&self) -> Result<(), rift::ApplicationException> {
        Ok(())
    }

    fn echo(&self, req: Request) -> Result<Request, rift::ServerError<bench_service::EchoException>> {
        Ok(req)
    }

    fn fire(&self, _: Request) -> Result<(), rift::ApplicationException> {
        Ok(())
    }
}
