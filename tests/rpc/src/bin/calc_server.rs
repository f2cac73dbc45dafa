//! The calculator served in a process of its own, so that a test can measure what the
//! server alone costs (its resident memory) while clients misbehave against it.
//!
//! `calc_server async|blocking [--threads N] [--read-timeout-ms N] [--idle-timeout-ms N]
//! [--write-timeout-ms N] [--handshake-timeout-ms N] [--max-message-bytes N]
//! [--max-header-bytes N] [--max-headers N] [--tls CERT KEY CA]`: listens on 127.0.0.1
//! (a free port), prints `listening on ADDR`, and serves until killed.

use std::time::Duration;

use rift::Endpoint;
use rift_rpc_tests::{Calc, CalculatorBlockingProcessor, CalculatorProcessor};

struct Options {
    side: String,
    threads: usize,
    read: Option<Duration>,
    idle: Option<Duration>,
    write: Option<Duration>,
    handshake: Option<Duration>,
    tls: Option<(String, String, String)>,
    max_message: Option<usize>,
    max_header: Option<usize>,
    max_headers: Option<usize>,
}

fn options() -> Options {
    let mut args = std::env::args().skip(1);
    let side = args.next().expect("usage: calc_server async|blocking [options]");
    let mut o = Options {
        side,
        threads: 4,
        read: None,
        idle: None,
        write: None,
        handshake: None,
        tls: None,
        max_message: None,
        max_header: None,
        max_headers: None,
    };
    let number = |v: Option<String>| Some(v.and_then(|v| v.parse().ok()).expect("a number"));
    let ms = |v: Option<String>| {
        Some(Duration::from_millis(v.and_then(|v| v.parse().ok()).expect("milliseconds")))
    };
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--threads" => o.threads = args.next().and_then(|v| v.parse().ok()).expect("a number of threads"),
            "--read-timeout-ms" => o.read = ms(args.next()),
            "--idle-timeout-ms" => o.idle = ms(args.next()),
            "--write-timeout-ms" => o.write = ms(args.next()),
            "--handshake-timeout-ms" => o.handshake = ms(args.next()),
            "--max-message-bytes" => o.max_message = number(args.next()),
            "--max-header-bytes" => o.max_header = number(args.next()),
            "--max-headers" => o.max_headers = number(args.next()),
            "--tls" => {
                let mut file =
                    || std::fs::read_to_string(args.next().expect("a PEM file")).expect("readable PEM");
                o.tls = Some((file(), file(), file()));
            }
            other => panic!("unknown option {other}"),
        }
    }
    o
}

fn main() {
    let o = options();
    let mut config = rift::ServerConfig::default();
    config.read_timeout = o.read.or(config.read_timeout);
    config.idle_timeout = o.idle.or(config.idle_timeout);
    config.write_timeout = o.write.or(config.write_timeout);
    config.handshake_timeout = o.handshake.or(config.handshake_timeout);
    if let Some(bytes) = o.max_message {
        config.limits = config.limits.max_message_size(bytes).max_frame_size(bytes);
    }
    if let Some(bytes) = o.max_header {
        config.limits = config.limits.max_header_size(bytes);
    }
    if let Some(headers) = o.max_headers {
        config.limits = config.limits.max_headers(headers);
    }
    config.tls = o.tls.as_ref().map(|(cert, key, ca)| {
        rift::tls::server_config(cert.as_bytes(), key.as_bytes(), Some(ca.as_bytes())).expect("TLS keys")
    });
    let announce = |endpoint: Endpoint| {
        let Endpoint::Tcp(addr) = endpoint else { unreachable!() };
        println!("listening on {addr}");
    };
    if o.side == "blocking" {
        let server = rift::blocking::Server::new(CalculatorBlockingProcessor::new(Calc::default()))
            .config(config)
            .threads(o.threads);
        let bound = server.bind("127.0.0.1:0").expect("bind");
        announce(Endpoint::tcp(bound.local_addr().expect("an address").to_string()));
        bound.run().expect("the server runs");
    } else {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let server = rift::server::Server::new(CalculatorProcessor::new(Calc::default())).config(config);
            let bound = server.bind("127.0.0.1:0").await.expect("bind");
            let rift::server::LocalAddr::Tcp(addr) = bound.local_addr().expect("an address") else {
                unreachable!()
            };
            announce(Endpoint::tcp(addr.to_string()));
            bound.run().await.expect("the server runs");
        });
    }
}
