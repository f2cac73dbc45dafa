//! The RPC benchmark's programs work: the load generator against rift's server and
//! against the ceiling, whose replies must read as real ones.

use std::time::{Duration, Instant};

use rift::Protocol;
use rift::transport::{Framing, WireFormat};
use rift_benchmarks::generated::BenchProcessor;
use rift_benchmarks::rpc::{Call, Handler, ceiling_connection, drive};

const FRAMED: WireFormat = WireFormat::new(Framing::Framed, Protocol::Binary);

async fn load(addr: &str, call: Call, format: WireFormat) -> u64 {
    let start = Instant::now();
    let (from, end) = (start + Duration::from_millis(50), start + Duration::from_millis(300));
    let tally = drive(addr, format, call, 4, from, end).await.expect("every reply checks out");
    assert_eq!(tally.calls, tally.latency.len(), "one latency a counted call");
    tally.calls
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_load_generator_measures_rifts_server_in_every_protocol() {
    let server = rift::server::Server::new(BenchProcessor::new(Handler)).bind("127.0.0.1:0").await.unwrap();
    let rift::server::LocalAddr::Tcp(addr) = server.local_addr().unwrap() else { panic!("TCP") };
    let handle = server.handle();
    tokio::spawn(server.run());
    for protocol in [Protocol::Binary, Protocol::Compact, Protocol::Json] {
        for call in [Call::Ping, Call::Echo] {
            let format = WireFormat::new(Framing::Framed, protocol);
            assert!(load(&addr.to_string(), call, format).await > 0, "{protocol:?} {call:?}");
        }
    }
    handle.shutdown(Duration::from_secs(1)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ceiling_answers_without_decoding() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(ceiling_connection(stream));
        }
    });
    assert!(load(&addr, Call::Echo, FRAMED).await > 0);
    assert!(load(&addr, Call::Ping, FRAMED).await > 0);
}
