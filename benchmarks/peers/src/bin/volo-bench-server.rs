//! The `Bench` service of the standard workload served by volo-thrift (CloudWeGo), a peer
//! of rift's server in the RPC benchmark: `volo-bench-server --port 9090`. Framed
//! transport, binary protocol (volo's server detects the protocol of each connection;
//! the codec is set to framed, without volo's TTHeader), on volo's default runtime: a
//! multi-threaded tokio runtime, one worker per core.

#![allow(clippy::all, missing_docs, unused)]

use std::net::SocketAddr;
use std::process::ExitCode;

use volo_thrift::codec::default::DefaultMakeCodec;
use volo_thrift::{MaybeException, ServerError};

include!(concat!(env!("OUT_DIR"), "/volo_gen.rs"));

use volo_gen::bench::{Bench, BenchEchoException, BenchServer, Request};

/// `ping` answers, `echo` returns the request, `fire` (oneway) does nothing.
struct Handler;

impl Bench for Handler {
    async fn ping(&self) -> Result<(), ServerError> {
        Ok(())
    }

    async fn echo(&self, req: Request) -> Result<MaybeException<Request, BenchEchoException>, ServerError> {
        Ok(MaybeException::Ok(req))
    }

    async fn fire(&self, _req: Request) -> Result<(), ServerError> {
        Ok(())
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let Some((port, _)) = rift_peer_benchmarks::server_args("volo-bench-server", &[]) else {
        return ExitCode::from(2);
    };
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    eprintln!("volo-bench-server: framed binary on {addr}");
    let server = BenchServer::new(Handler).make_codec(DefaultMakeCodec::framed());
    match server.run(volo::net::Address::from(addr)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("volo-bench-server: {e}");
            ExitCode::FAILURE
        }
    }
}
