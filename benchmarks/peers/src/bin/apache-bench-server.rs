//! The `Bench` service of the standard workload served by Apache's `thrift` crate (0.17,
//! code from `thrift --gen rs`), a peer of rift's server in the RPC benchmark:
//! `apache-bench-server --port 9090 [--tserver]`. Framed transport, binary protocol, a
//! pool of worker threads each serving one connection at a time.
//!
//! By default the server is the crate's `TServer` with the one change that later
//! versions of it made (apache/thrift#2832): it sets TCP_NODELAY on each connection. In
//! 0.17 `TServer::listen` does not, and its framed transport writes a reply's 4-byte
//! length and its body in two writes, so that Nagle's algorithm holds the body until the
//! client's delayed acknowledgement: about 40 ms a call. `--tserver` runs 0.17's
//! `TServer` unchanged, to show that.

use std::net::TcpListener;
use std::process::ExitCode;
use std::sync::Arc;

use rift_peer_benchmarks::apache::{BenchSyncHandler, BenchSyncProcessor, Request};
use thrift::protocol::{
    TBinaryInputProtocolFactory, TBinaryOutputProtocolFactory, TInputProtocolFactory, TOutputProtocolFactory,
};
use thrift::server::{TProcessor, TServer};
use thrift::transport::{
    TFramedReadTransportFactory, TFramedWriteTransportFactory, TIoChannel, TReadTransportFactory,
    TTcpChannel, TWriteTransportFactory,
};
use thrift::TransportErrorKind;

/// Worker threads: a worker serves one connection at a time, and the benchmark opens 64
/// of them at once.
const WORKERS: usize = 80;

/// `ping` answers, `echo` returns the request, `fire` (oneway) does nothing.
struct Handler;

impl BenchSyncHandler for Handler {
    fn handle_ping(&self) -> thrift::Result<()> {
        Ok(())
    }

    fn handle_echo(&self, req: Request) -> thrift::Result<Request> {
        Ok(req)
    }

    fn handle_fire(&self, _req: Request) -> thrift::Result<()> {
        Ok(())
    }
}

fn main() -> ExitCode {
    let Some((port, switches)) = rift_peer_benchmarks::server_args("apache-bench-server", &["--tserver"])
    else {
        return ExitCode::from(2);
    };
    let addr = format!("127.0.0.1:{port}");
    let result = if switches.is_empty() {
        eprintln!("apache-bench-server: framed binary, {WORKERS} workers, TCP_NODELAY, on {addr}");
        serve(&addr)
    } else {
        eprintln!("apache-bench-server: framed binary, {WORKERS} workers, 0.17's TServer, on {addr}");
        TServer::new(
            TFramedReadTransportFactory::new(),
            TBinaryInputProtocolFactory::new(),
            TFramedWriteTransportFactory::new(),
            TBinaryOutputProtocolFactory::new(),
            BenchSyncProcessor::new(Handler),
            WORKERS,
        )
        .listen(addr.as_str())
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("apache-bench-server: {e}");
            ExitCode::FAILURE
        }
    }
}

/// What `TServer::listen` does, with TCP_NODELAY: each connection accepted is given to a
/// worker of the pool, which serves its calls until the client closes it.
fn serve(addr: &str) -> thrift::Result<()> {
    let listener = TcpListener::bind(addr)?;
    let workers = threadpool::ThreadPool::new(WORKERS);
    let processor = Arc::new(BenchSyncProcessor::new(Handler));
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(stream) => stream,
            Err(e) => {
                eprintln!("apache-bench-server: accept: {e}");
                continue;
            }
        };
        stream.set_nodelay(true)?;
        let (read, write) = TTcpChannel::with_stream(stream).split()?;
        let mut input = TBinaryInputProtocolFactory::new()
            .create(TFramedReadTransportFactory::new().create(Box::new(read)));
        let mut output = TBinaryOutputProtocolFactory::new()
            .create(TFramedWriteTransportFactory::new().create(Box::new(write)));
        let processor = Arc::clone(&processor);
        workers.execute(move || loop {
            match processor.process(&mut *input, &mut *output) {
                Ok(()) => {}
                Err(thrift::Error::Transport(e)) if e.kind == TransportErrorKind::EndOfFile => break,
                Err(e) => {
                    eprintln!("apache-bench-server: {e}");
                    break;
                }
            }
        });
    }
    Ok(())
}
