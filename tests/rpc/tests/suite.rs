//! rift's clients against rift's servers: one scenario run over every protocol ×
//! framing × socket, async and blocking on both sides; then multiplexing, format
//! detection, timeouts, shutdown, and peers that misbehave.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rift::multiplex::{BlockingMultiplexed, Multiplexed};
use rift::transport::{Framing, WireFormat};
use rift::{ApplicationExceptionKind, BlockingChannel, Channel, ClientError, Endpoint, Protocol};
mod common;

use common::pki;
use rift_rpc_tests::{
    Calc, CalculatorBlockingClient, CalculatorBlockingProcessor, CalculatorClient, CalculatorProcessor,
    Greet, GreeterBlockingClient, GreeterBlockingProcessor, GreeterClient, GreeterProcessor, calculator,
};

const PROTOCOLS: [Protocol; 3] = [Protocol::Binary, Protocol::Compact, Protocol::Json];
const FRAMINGS: [Framing; 3] = [Framing::Unframed, Framing::Framed, Framing::Header];

/// Every framing and protocol, plain and over a zlib stream.
fn formats() -> Vec<WireFormat> {
    let mut all = Vec::new();
    for framing in FRAMINGS {
        for protocol in PROTOCOLS {
            all.push(WireFormat::new(framing, protocol));
            all.push(WireFormat::new(framing, protocol).with_zlib());
        }
    }
    all
}

#[derive(Copy, Clone, Debug, PartialEq)]
enum Socket {
    Tcp,
    Unix,
    /// TLS over TCP, with client certificates.
    Tls,
}

fn tls_server_config() -> std::sync::Arc<rustls::ServerConfig> {
    let pki = pki();
    rift::tls::server_config(pki.server.0.as_bytes(), pki.server.1.as_bytes(), Some(pki.ca.as_bytes()))
        .unwrap()
}

fn tls_client_config() -> std::sync::Arc<rustls::ClientConfig> {
    let pki = pki();
    rift::tls::client_config(pki.ca.as_bytes(), Some((pki.client.0.as_bytes(), pki.client.1.as_bytes())))
        .unwrap()
}

#[derive(Copy, Clone, Debug, PartialEq)]
enum Side {
    Async,
    Blocking,
}

/// A socket path of its own for each server of this process.
fn unix_path() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    std::env::temp_dir().join(format!(
        "rift-rpc-{}-{}.sock",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ))
}

/// A server running on a thread of its own; stopped when dropped.
struct Running {
    endpoint: Endpoint,
    stop: Option<Box<dyn FnOnce() + Send>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            stop();
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime")
}

/// Starts an async server of `processor` with `configure` applied.
fn start_async<P: rift::Processor>(
    processor: P,
    socket: Socket,
    configure: impl FnOnce(rift::server::Server<P>) -> rift::server::Server<P> + Send + 'static,
) -> (Running, rift::server::ServerHandle) {
    let (tx, rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        runtime().block_on(async move {
            let mut server = configure(rift::server::Server::new(processor));
            if socket == Socket::Tls {
                server = server.tls(tls_server_config());
            }
            let (bound, endpoint) = match socket {
                Socket::Tcp | Socket::Tls => {
                    let bound = server.bind("127.0.0.1:0").await.expect("bind");
                    let rift::server::LocalAddr::Tcp(addr) = bound.local_addr().expect("address") else {
                        unreachable!()
                    };
                    (bound, Endpoint::tcp(addr.to_string()))
                }
                Socket::Unix => {
                    let path = unix_path();
                    (server.bind_unix(&path).await.expect("bind"), Endpoint::unix(path))
                }
            };
            tx.send((endpoint, bound.handle())).expect("the test waits");
            bound.run().await.expect("the server runs");
        });
    });
    let (endpoint, handle) = rx.recv().expect("the server starts");
    let stop_handle = handle.clone();
    let stop = Box::new(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        rt.block_on(stop_handle.shutdown(Duration::from_secs(2)));
    });
    (Running { endpoint, stop: Some(stop), thread: Some(thread) }, handle)
}

/// Starts a blocking server of `processor` with `configure` applied.
fn start_blocking<P: rift::BlockingProcessor>(
    processor: P,
    socket: Socket,
    configure: impl FnOnce(rift::blocking::Server<P>) -> rift::blocking::Server<P>,
) -> Running {
    let mut server = configure(rift::blocking::Server::new(processor).threads(4));
    if socket == Socket::Tls {
        server = server.tls(tls_server_config());
    }
    let (bound, endpoint) = match socket {
        Socket::Tcp | Socket::Tls => {
            let bound = server.bind("127.0.0.1:0").expect("bind");
            let addr = bound.local_addr().expect("a TCP address");
            (bound, Endpoint::tcp(addr.to_string()))
        }
        Socket::Unix => {
            let path = unix_path();
            (server.bind_unix(&path).expect("bind"), Endpoint::unix(path))
        }
    };
    let handle = bound.handle().expect("a handle");
    let thread = std::thread::spawn(move || bound.run().expect("the server runs"));
    Running { endpoint, stop: Some(Box::new(move || handle.shutdown())), thread: Some(thread) }
}

fn start_calc(side: Side, socket: Socket, format: Option<WireFormat>) -> Running {
    match side {
        Side::Async => {
            start_async(CalculatorProcessor::new(Calc::default()), socket, move |s| match format {
                Some(f) => s.format(f),
                None => s,
            })
            .0
        }
        Side::Blocking => {
            start_blocking(CalculatorBlockingProcessor::new(Calc::default()), socket, |s| match format {
                Some(f) => s.format(f),
                None => s,
            })
        }
    }
}

/// Waits until `f` holds, for up to two seconds.
fn eventually(mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(2) {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

fn is_internal_error<E>(e: &ClientError<E>) -> bool {
    matches!(e, ClientError::Application(a) if a.kind == ApplicationExceptionKind::InternalError)
}

/// The scenario, through a blocking client.
fn scenario_blocking<C: BlockingChannel>(client: &CalculatorBlockingClient<C>, what: &str) {
    assert_eq!(client.add(2, 3).unwrap_or_else(|e| panic!("{what}: {e:?}")), 5, "{what}");
    assert_eq!(client.divide(7, 2).unwrap(), 3, "{what}");
    match client.divide(1, 0) {
        Err(ClientError::Exception(calculator::DivideException::Oops(e))) => assert_eq!(e.message, "1 / 0"),
        other => panic!("{what}: expected DivideByZero, got {other:?}"),
    }
    let text = "ünïcødé ".repeat(20_000);
    assert_eq!(client.echo(text.clone().into()).unwrap(), text, "{what}");
    assert_eq!(client.blob(300_000).unwrap().len(), 300_000, "{what}");
    let before = client.events().unwrap().len();
    for i in 0..3 {
        client.record(format!("event {i}").into()).unwrap();
    }
    assert!(eventually(|| client.events().unwrap().len() == before + 3), "{what}: the oneway calls arrived");
    let crashed = client.crash().unwrap_err();
    assert!(is_internal_error(&crashed), "{what}: a panic is INTERNAL_ERROR, got {crashed:?}");
    assert_eq!(client.add(-1, 1).unwrap(), 0, "{what}: the server lives on after a panic");
}

/// The scenario, through an async client.
async fn scenario_async<C: Channel>(client: &CalculatorClient<C>, what: &str) {
    assert_eq!(client.add(2, 3).await.unwrap(), 5, "{what}");
    assert_eq!(client.divide(7, 2).await.unwrap(), 3, "{what}");
    match client.divide(1, 0).await {
        Err(ClientError::Exception(calculator::DivideException::Oops(e))) => assert_eq!(e.message, "1 / 0"),
        other => panic!("{what}: expected DivideByZero, got {other:?}"),
    }
    let text = "ünïcødé ".repeat(20_000);
    assert_eq!(client.echo(text.clone().into()).await.unwrap(), text, "{what}");
    assert_eq!(client.blob(300_000).await.unwrap().len(), 300_000, "{what}");
    let before = client.events().await.unwrap().len();
    for i in 0..3 {
        client.record(format!("event {i}").into()).await.unwrap();
    }
    let start = Instant::now();
    while client.events().await.unwrap().len() < before + 3 {
        assert!(start.elapsed() < Duration::from_secs(2), "{what}: the oneway calls arrived");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let crashed = client.crash().await.unwrap_err();
    assert!(is_internal_error(&crashed), "{what}: a panic is INTERNAL_ERROR, got {crashed:?}");
    assert_eq!(client.add(-1, 1).await.unwrap(), 0, "{what}: the server lives on after a panic");
    // Calls at the same time, over connections of their own.
    let (a, b, c, d) =
        tokio::join!(client.sleep(50), client.add(1, 1), client.echo("x".into()), client.add(2, 2));
    a.unwrap();
    assert_eq!((b.unwrap(), c.unwrap(), d.unwrap()), (2, "x".into(), 4), "{what}");
}

fn run_matrix(server: Side, socket: Socket) {
    let mut combinations = 0;
    for format in formats() {
        let running = start_calc(server, socket, Some(format));
        let what = format!("{server:?} server, {socket:?}, {format:?}");
        let mut blocking = rift::blocking::Client::builder(running.endpoint.clone()).format(format);
        if socket == Socket::Tls {
            blocking = blocking.tls(tls_client_config(), None);
        }
        let blocking = blocking.connect().unwrap_or_else(|e| panic!("{what}: {e}"));
        scenario_blocking(&CalculatorBlockingClient::new(blocking), &format!("{what}, blocking client"));
        let endpoint = running.endpoint.clone();
        runtime().block_on(async {
            let mut channel = rift::client::Client::builder(endpoint).format(format);
            if socket == Socket::Tls {
                channel = channel.tls(tls_client_config(), None);
            }
            let channel = channel.connect().await.unwrap_or_else(|e| panic!("{what}: {e}"));
            scenario_async(&CalculatorClient::new(channel), &format!("{what}, async client")).await;
        });
        combinations += 2;
    }
    assert_eq!(combinations, 36);
}

#[test]
fn async_server_over_tcp() {
    run_matrix(Side::Async, Socket::Tcp);
}

#[test]
fn async_server_over_unix_sockets() {
    run_matrix(Side::Async, Socket::Unix);
}

#[test]
fn blocking_server_over_tcp() {
    run_matrix(Side::Blocking, Socket::Tcp);
}

#[test]
fn blocking_server_over_unix_sockets() {
    run_matrix(Side::Blocking, Socket::Unix);
}

#[test]
fn async_server_over_tls() {
    run_matrix(Side::Async, Socket::Tls);
}

#[test]
fn blocking_server_over_tls() {
    run_matrix(Side::Blocking, Socket::Tls);
}

/// A client without a certificate, one that does not trust the server's CA, and one
/// that does not speak TLS: each refused cleanly, and the server serves on.
#[test]
fn tls_servers_refuse_clients_they_should() {
    let pki = pki();
    let stranger_ca = {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.self_signed(&key).unwrap().pem()
    };
    let anonymous = rift::tls::client_config(pki.ca.as_bytes(), None).unwrap();
    let distrustful = rift::tls::client_config(
        stranger_ca.as_bytes(),
        Some((pki.client.0.as_bytes(), pki.client.1.as_bytes())),
    )
    .unwrap();
    for side in [Side::Async, Side::Blocking] {
        let running = start_calc(side, Socket::Tls, None);
        let client = |config| {
            CalculatorBlockingClient::new(
                rift::blocking::Client::builder(running.endpoint.clone())
                    .read_timeout(Some(Duration::from_secs(5)))
                    .tls(config, None)
                    .build(),
            )
        };
        let e = client(distrustful.clone()).add(1, 1).unwrap_err();
        assert!(
            matches!(&e, ClientError::Transport(t) if t.to_string().contains("certificate")),
            "{side:?}: {e:?}"
        );
        assert!(matches!(client(anonymous.clone()).add(1, 1), Err(ClientError::Transport(_))), "{side:?}");
        let plain = CalculatorBlockingClient::new(
            rift::blocking::Client::builder(running.endpoint.clone())
                .read_timeout(Some(Duration::from_secs(5)))
                .build(),
        );
        let e = plain.add(1, 1).unwrap_err();
        assert!(matches!(&e, ClientError::Transport(t) if t.to_string().contains("TLS")), "{side:?}: {e:?}");
        assert_eq!(client(tls_client_config()).add(1, 1).unwrap(), 2, "{side:?}");
    }
}

/// One server port answers every client format, each in its own.
#[test]
fn servers_detect_each_clients_format() {
    for side in [Side::Async, Side::Blocking] {
        let running = start_calc(side, Socket::Tcp, None);
        for format in formats() {
            let client = CalculatorBlockingClient::new(
                rift::blocking::Client::builder(running.endpoint.clone()).format(format).build(),
            );
            assert_eq!(client.add(20, 22).unwrap(), 42, "{side:?} server, {format:?}");
            assert_eq!(client.echo("détecté".into()).unwrap(), "détecté");
        }
    }
}

#[test]
fn multiplexed_services_share_a_port() {
    // Async.
    let mux = Multiplexed::new()
        .with_default("Calculator", CalculatorProcessor::new(Calc::default()))
        .with("Greeter", GreeterProcessor::new(Greet));
    let (running, _) = start_async(mux, Socket::Tcp, |s| s);
    runtime().block_on(async {
        let endpoint = running.endpoint.clone();
        let calc = rift::client::Client::builder(endpoint.clone()).multiplexed("Calculator").build();
        let greet = rift::client::Client::builder(endpoint.clone()).multiplexed("Greeter").build();
        let plain = rift::client::Client::builder(endpoint.clone()).build();
        let nobody = rift::client::Client::builder(endpoint).multiplexed("Nobody").build();
        assert_eq!(CalculatorClient::new(calc).add(1, 2).await.unwrap(), 3);
        assert_eq!(GreeterClient::new(greet).greet("rift".into()).await.unwrap(), "hello, rift");
        assert_eq!(
            CalculatorClient::new(plain).add(2, 2).await.unwrap(),
            4,
            "calls without a prefix go to the default"
        );
        let e = CalculatorClient::new(nobody).add(1, 1).await.unwrap_err();
        assert!(
            matches!(e, ClientError::Application(a) if a.kind == ApplicationExceptionKind::UnknownMethod)
        );
    });
    // Blocking, with compact framed.
    let mux = BlockingMultiplexed::new()
        .with("Calculator", CalculatorBlockingProcessor::new(Calc::default()))
        .with("Greeter", GreeterBlockingProcessor::new(Greet));
    let running = start_blocking(mux, Socket::Unix, |s| s);
    let format = WireFormat::new(Framing::Framed, Protocol::Compact);
    let client = |service: &str| {
        rift::blocking::Client::builder(running.endpoint.clone()).format(format).multiplexed(service).build()
    };
    assert_eq!(CalculatorBlockingClient::new(client("Calculator")).divide(9, 3).unwrap(), 3);
    assert_eq!(GreeterBlockingClient::new(client("Greeter")).greet("you".into()).unwrap(), "hello, you");
    let plain = rift::blocking::Client::builder(running.endpoint.clone()).format(format).build();
    let e = CalculatorBlockingClient::new(plain).add(1, 1).unwrap_err();
    assert!(matches!(e, ClientError::Application(a) if a.kind == ApplicationExceptionKind::UnknownMethod));
}

fn is_timeout<E>(e: &ClientError<E>) -> bool {
    matches!(e, ClientError::Transport(_)) && e.is_timeout() && !e.is_connect() && !e.is_closed()
}

#[test]
fn client_read_timeouts() {
    for side in [Side::Async, Side::Blocking] {
        let running = start_calc(side, Socket::Tcp, None);
        let blocking = CalculatorBlockingClient::new(
            rift::blocking::Client::builder(running.endpoint.clone())
                .read_timeout(Some(Duration::from_millis(100)))
                .build(),
        );
        let start = Instant::now();
        let e = blocking.sleep(2_000).unwrap_err();
        assert!(is_timeout(&e), "{side:?}: {e:?}");
        assert!(start.elapsed() < Duration::from_millis(1_500));
        // The timed-out connection is not reused: the next call gets its own reply.
        assert_eq!(blocking.add(1, 1).unwrap(), 2);
        runtime().block_on(async {
            let client = CalculatorClient::new(
                rift::client::Client::builder(running.endpoint.clone())
                    .read_timeout(Some(Duration::from_millis(100)))
                    .build(),
            );
            let start = Instant::now();
            let e = client.sleep(2_000).await.unwrap_err();
            assert!(is_timeout(&e), "{side:?}: {e:?}");
            assert!(start.elapsed() < Duration::from_millis(1_500));
            assert_eq!(client.add(2, 2).await.unwrap(), 4);
        });
    }
}

#[test]
fn connecting_to_nothing_is_an_error_not_a_hang() {
    let addr = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let e = rift::blocking::Client::builder(Endpoint::tcp(addr.to_string())).connect().unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::ConnectionRefused);
    // A call through a client that connects when it first calls: typed as such.
    let lazy = CalculatorBlockingClient::new(
        rift::blocking::Client::builder(Endpoint::tcp(addr.to_string())).build(),
    );
    let e = lazy.add(1, 1).unwrap_err();
    assert!(e.is_connect() && !e.is_timeout() && !e.is_closed(), "{e:?}");
    assert!(e.to_string().contains(&format!("cannot connect to {addr}")), "{e}");
    let e = runtime().block_on(async {
        let lazy =
            CalculatorClient::new(rift::client::Client::builder(Endpoint::tcp(addr.to_string())).build());
        lazy.add(1, 1).await.unwrap_err()
    });
    assert!(e.is_connect() && !e.is_timeout() && !e.is_closed(), "{e:?}");
    let e = runtime()
        .block_on(rift::client::Client::builder(Endpoint::tcp(addr.to_string())).connect())
        .unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::ConnectionRefused);
    let e = rift::blocking::Client::builder(Endpoint::unix("/nonexistent/rift.sock")).connect().unwrap_err();
    assert!(e.to_string().contains("/nonexistent/rift.sock"), "{e}");
}

/// Shutdown lets the call in flight finish, then refuses new connections; a deadline
/// shorter than the call closes it.
#[test]
fn graceful_shutdown_finishes_calls_in_flight() {
    let (running, handle) = start_async(CalculatorProcessor::new(Calc::default()), Socket::Tcp, |s| s);
    let endpoint = running.endpoint.clone();
    runtime().block_on(async {
        let client =
            CalculatorClient::new(rift::client::Client::builder(endpoint.clone()).connect().await.unwrap());
        let call = tokio::spawn(async move { client.sleep(300).await });
        tokio::time::sleep(Duration::from_millis(100)).await;
        let start = Instant::now();
        handle.shutdown(Duration::from_secs(5)).await;
        assert!(start.elapsed() >= Duration::from_millis(100), "shutdown waited for the call");
        call.await.unwrap().expect("the call in flight completes");
        let e = rift::client::Client::builder(endpoint).connect().await.unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::ConnectionRefused);
    });

    let (running, handle) = start_async(CalculatorProcessor::new(Calc::default()), Socket::Tcp, |s| s);
    let endpoint = running.endpoint.clone();
    runtime().block_on(async {
        let client = CalculatorClient::new(rift::client::Client::builder(endpoint).connect().await.unwrap());
        let call = tokio::spawn(async move { client.sleep(10_000).await });
        tokio::time::sleep(Duration::from_millis(100)).await;
        let start = Instant::now();
        handle.shutdown(Duration::from_millis(100)).await;
        assert!(start.elapsed() < Duration::from_secs(3));
        let e = call.await.unwrap().unwrap_err();
        assert!(matches!(e, ClientError::Transport(_)), "{e:?}");
        assert!(e.is_closed() && !e.is_timeout() && !e.is_connect(), "{e:?}");
    });
}

#[test]
fn blocking_server_stops_on_request() {
    let running = start_calc(Side::Blocking, Socket::Tcp, None);
    let client =
        CalculatorBlockingClient::new(rift::blocking::Client::builder(running.endpoint.clone()).build());
    assert_eq!(client.add(1, 2).unwrap(), 3);
    let endpoint = running.endpoint.clone();
    let start = Instant::now();
    drop(running);
    assert!(start.elapsed() < Duration::from_secs(3), "the server stopped in {:?}", start.elapsed());
    let e = rift::blocking::Client::builder(endpoint).connect().unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::ConnectionRefused);
}

fn tcp_addr(endpoint: &Endpoint) -> String {
    match endpoint {
        Endpoint::Tcp(addr) => addr.clone(),
        Endpoint::Unix(_) => unreachable!(),
    }
}

/// A client that sends half a frame and vanishes, a hostile length prefix, garbage:
/// the server closes those connections and serves everyone else.
#[test]
fn servers_survive_misbehaving_peers() {
    for side in [Side::Async, Side::Blocking] {
        let running = start_calc(side, Socket::Tcp, None);
        let addr = tcp_addr(&running.endpoint);
        let good =
            CalculatorBlockingClient::new(rift::blocking::Client::builder(running.endpoint.clone()).build());

        // Half a framed message, then gone.
        let mut message = Vec::new();
        WireFormat::new(Framing::Framed, Protocol::Binary)
            .encode_frame(
                &[0x80, 1, 0, 1, 0, 0, 0, 3, b'a', b'd', b'd', 0, 0, 0, 1, 0],
                &mut message,
                &Default::default(),
            )
            .unwrap();
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        s.write_all(&message[..message.len() / 2]).unwrap();
        drop(s);
        assert_eq!(good.add(1, 1).unwrap(), 2, "{side:?}");

        // A 2 GB frame length: refused at once, nothing allocated, connection closed.
        for prefix in [&[0x7f, 0xff, 0xff, 0xff, 0x80, 0x01, 0, 1][..], b"GET / HTTP/1.1\r\n\r\n"] {
            let mut s = std::net::TcpStream::connect(&addr).unwrap();
            s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            s.write_all(prefix).unwrap();
            let mut rest = Vec::new();
            let n = s.read_to_end(&mut rest).unwrap_or(0);
            assert_eq!(n, 0, "{side:?}: the server closes without answering");
        }
        assert_eq!(good.add(2, 2).unwrap(), 4, "{side:?}");
    }
}

#[test]
fn idle_connections_are_closed() {
    let (running, _) = start_async(CalculatorProcessor::new(Calc::default()), Socket::Tcp, |s| {
        s.idle_timeout(Some(Duration::from_millis(100))).read_timeout(Some(Duration::from_millis(100)))
    });
    idle_connections_closed_by(&running);
    let running = start_blocking(CalculatorBlockingProcessor::new(Calc::default()), Socket::Tcp, |s| {
        s.idle_timeout(Some(Duration::from_millis(100))).read_timeout(Some(Duration::from_millis(100)))
    });
    idle_connections_closed_by(&running);
}

fn idle_connections_closed_by(running: &Running) {
    let addr = tcp_addr(&running.endpoint);
    for prefix in [&b""[..], &[0x80, 1, 0]] {
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        s.write_all(prefix).unwrap();
        let start = Instant::now();
        let mut rest = Vec::new();
        assert_eq!(s.read_to_end(&mut rest).unwrap(), 0);
        assert!(start.elapsed() < Duration::from_secs(3));
    }
    // A pooled client notices the closed connection and opens another.
    let client =
        CalculatorBlockingClient::new(rift::blocking::Client::builder(running.endpoint.clone()).build());
    assert_eq!(client.add(1, 1).unwrap(), 2);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(client.add(1, 2).unwrap(), 3);
    runtime().block_on(async {
        let client = CalculatorClient::new(rift::client::Client::builder(running.endpoint.clone()).build());
        assert_eq!(client.add(1, 1).await.unwrap(), 2);
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(client.add(1, 2).await.unwrap(), 3);
    });
}

#[test]
fn server_refuses_frames_over_its_limit() {
    let (running, _) = start_async(CalculatorProcessor::new(Calc::default()), Socket::Tcp, |s| {
        s.limits(rift::Limits::default().max_frame_size(1024))
    });
    let format = WireFormat::new(Framing::Framed, Protocol::Binary);
    let client = CalculatorBlockingClient::new(
        rift::blocking::Client::builder(running.endpoint.clone()).format(format).build(),
    );
    assert_eq!(client.echo("small".into()).unwrap(), "small");
    let e = client.echo("x".repeat(4096).into()).unwrap_err();
    assert!(matches!(e, ClientError::Transport(_)), "{e:?}");
    assert_eq!(client.echo("small again".into()).unwrap(), "small again");
}

/// HTTP, as Apache's THttpClient and THttpServer: every protocol over TCP, Unix sockets
/// and TLS, async and blocking servers and clients, on a server port that serves every
/// other format too.
#[test]
fn http_in_every_protocol_over_every_socket() {
    for (side, socket) in [Side::Async, Side::Blocking]
        .into_iter()
        .flat_map(|side| [Socket::Tcp, Socket::Unix, Socket::Tls].map(|socket| (side, socket)))
    {
        let running = start_calc(side, socket, None);
        for protocol in PROTOCOLS {
            let endpoint = running.endpoint.clone();
            let what = format!("HTTP, {side:?} server, {socket:?}, {protocol:?}");
            runtime().block_on(async {
                let mut builder = rift::client::Client::builder(endpoint.clone())
                    .format(WireFormat::new(Framing::Unframed, protocol))
                    .http("/thrift");
                if socket == Socket::Tls {
                    builder = builder.tls(tls_client_config(), Some("localhost".into()));
                }
                let channel = builder.connect().await.unwrap_or_else(|e| panic!("{what}: {e}"));
                scenario_async(&CalculatorClient::new(channel), &what).await;
            });
        }
        // A blocking HTTP client.
        let mut blocking = rift::blocking::Client::builder(running.endpoint.clone()).http("/");
        if socket == Socket::Tls {
            blocking = blocking.tls(tls_client_config(), Some("localhost".into()));
        }
        scenario_blocking(
            &CalculatorBlockingClient::new(blocking.connect().unwrap()),
            &format!("{socket:?}, blocking HTTP"),
        );
        // The same port, a framed client.
        let mut framed = rift::blocking::Client::builder(running.endpoint.clone())
            .format(WireFormat::new(Framing::Framed, Protocol::Compact));
        if socket == Socket::Tls {
            framed = framed.tls(tls_client_config(), Some("localhost".into()));
        }
        assert_eq!(CalculatorBlockingClient::new(framed.build()).add(3, 4).unwrap(), 7, "{socket:?}");
    }
}

/// What an HTTP server answers that is not a Thrift POST.
#[test]
fn http_refusals() {
    let (running, _) = start_async(CalculatorProcessor::new(Calc::default()), Socket::Tcp, |s| {
        s.limits(rift::Limits::default().max_message_size(1024))
    });
    let addr = tcp_addr(&running.endpoint);
    let exchange = |request: &[u8]| {
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        s.write_all(request).unwrap();
        let mut answer = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = s.read(&mut buf) {
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buf[..n]);
            if answer.windows(4).any(|w| w == b"\r\n\r\n") {
                break;
            }
        }
        String::from_utf8_lossy(&answer).into_owned()
    };
    let answer = exchange(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    assert!(answer.starts_with("HTTP/1.1 405"), "{answer}");
    let answer = exchange(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let answer = exchange(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
}

/// A pipelined client: every call over one connection, replies matched by sequence id,
/// in every format, against both servers.
#[test]
fn pipelined_calls_share_one_connection() {
    for side in [Side::Async, Side::Blocking] {
        for format in formats() {
            let running = start_calc(side, Socket::Tcp, Some(format));
            let what = format!("{side:?} server, {format:?}, pipelined");
            let endpoint = running.endpoint.clone();
            runtime().block_on(async {
                let channel = rift::client::Client::builder(endpoint)
                    .format(format)
                    .pipelined(true)
                    .connect()
                    .await
                    .unwrap();
                scenario_async(&CalculatorClient::new(channel.clone()), &what).await;
                let client = CalculatorClient::new(channel);
                let mut calls = tokio::task::JoinSet::new();
                for i in 0..40 {
                    let client = client.clone();
                    calls.spawn(async move { (i, client.echo(format!("call {i}").into()).await.unwrap()) });
                }
                while let Some(done) = calls.join_next().await {
                    let (i, text) = done.unwrap();
                    assert_eq!(text, format!("call {i}"), "{what}");
                }
            });
        }
    }
    // A server that admits one connection: pipelined calls at once all get through it.
    let (running, _) =
        start_async(CalculatorProcessor::new(Calc::default()), Socket::Tcp, |s| s.max_connections(1));
    runtime().block_on(async {
        let client = CalculatorClient::new(
            rift::client::Client::builder(running.endpoint.clone()).pipelined(true).connect().await.unwrap(),
        );
        let (a, b, c) = tokio::join!(client.sleep(100), client.add(1, 2), client.echo("three".into()));
        a.unwrap();
        assert_eq!((b.unwrap(), c.unwrap()), (3, "three".into()));
        // A call that times out leaves the connection usable for the next.
        let impatient = CalculatorClient::new(
            rift::client::Client::builder(running.endpoint.clone())
                .pipelined(true)
                .read_timeout(Some(Duration::from_millis(50)))
                .build(),
        );
        drop(client);
        let e = impatient.sleep(300).await.unwrap_err();
        assert!(is_timeout(&e), "{e:?}");
        // The server answers in order: once the late reply has come (and been dropped),
        // the next call is answered at once.
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(impatient.add(2, 2).await.unwrap(), 4);
    });
}

/// A server that never reads: a large call cannot be written, and the write timeout
/// ends it.
#[test]
fn client_write_timeouts() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = Endpoint::tcp(listener.local_addr().unwrap().to_string());
    let held = std::thread::spawn(move || {
        // Accept and hold the connections without reading.
        let mut open = Vec::new();
        for _ in 0..2 {
            if let Ok((s, _)) = listener.accept() {
                open.push(s);
            }
        }
        std::thread::sleep(Duration::from_millis(1500));
        drop(open);
    });
    let big = "x".repeat(32 << 20);
    let blocking = CalculatorBlockingClient::new(
        rift::blocking::Client::builder(endpoint.clone())
            .write_timeout(Some(Duration::from_millis(200)))
            .build(),
    );
    let start = Instant::now();
    let e = blocking.echo(big.clone().into()).unwrap_err();
    assert!(is_timeout(&e), "{e:?}");
    assert!(start.elapsed() < Duration::from_secs(2), "{:?}", start.elapsed());
    runtime().block_on(async {
        let client = CalculatorClient::new(
            rift::client::Client::builder(endpoint).write_timeout(Some(Duration::from_millis(200))).build(),
        );
        let start = Instant::now();
        let e = client.echo(big.into()).await.unwrap_err();
        assert!(is_timeout(&e), "{e:?}");
        assert!(start.elapsed() < Duration::from_secs(2), "{:?}", start.elapsed());
    });
    held.join().unwrap();
}

/// A framed binary call of `echo(text)`, as bytes.
fn echo_call(text: &str, seq: i32) -> Vec<u8> {
    let mut message = vec![0x80, 1, 0, 1, 0, 0, 0, 4];
    message.extend_from_slice(b"echo");
    message.extend_from_slice(&seq.to_be_bytes());
    message.extend_from_slice(&[11, 0, 1]);
    message.extend_from_slice(&(text.len() as i32).to_be_bytes());
    message.extend_from_slice(text.as_bytes());
    message.push(0);
    let mut framed = (message.len() as i32).to_be_bytes().to_vec();
    framed.extend_from_slice(&message);
    framed
}

/// The blocking server's threads serve calls, not connections: one thread answers
/// many open connections in turn, and a handler that blocks holds only its own thread.
#[test]
fn blocking_server_threads_are_shared_by_connections() {
    let running =
        start_blocking(CalculatorBlockingProcessor::new(Calc::default()), Socket::Tcp, |s| s.threads(1));
    let clients: Vec<_> = (0..20)
        .map(|_| {
            CalculatorBlockingClient::new(
                rift::blocking::Client::builder(running.endpoint.clone())
                    .read_timeout(Some(Duration::from_secs(5)))
                    .connect()
                    .unwrap(),
            )
        })
        .collect();
    for round in 0..3 {
        for (i, client) in clients.iter().enumerate() {
            assert_eq!(client.add(i as i32, round).unwrap(), i as i32 + round, "client {i}, round {round}");
        }
    }
    drop(running);

    let running =
        start_blocking(CalculatorBlockingProcessor::new(Calc::default()), Socket::Tcp, |s| s.threads(2));
    let endpoint = running.endpoint.clone();
    let sleeper = std::thread::spawn(move || {
        let client = CalculatorBlockingClient::new(rift::blocking::Client::builder(endpoint).build());
        client.sleep(1500)
    });
    std::thread::sleep(Duration::from_millis(100));
    let client =
        CalculatorBlockingClient::new(rift::blocking::Client::builder(running.endpoint.clone()).build());
    let start = Instant::now();
    for i in 0..10 {
        assert_eq!(client.add(i, 1).unwrap(), i + 1);
    }
    assert!(
        start.elapsed() < Duration::from_millis(1000),
        "calls waited for the sleeper: {:?}",
        start.elapsed()
    );
    sleeper.join().unwrap().unwrap();
}

/// A client that sends calls and never reads the replies: the server stops reading
/// from it (its replies are not piled up in memory), goes on serving the others on
/// its one thread, and closes it when its write timeout passes.
#[test]
fn blocking_server_survives_clients_that_never_read() {
    let running = start_blocking(CalculatorBlockingProcessor::new(Calc::default()), Socket::Tcp, |s| {
        s.threads(1).write_timeout(Some(Duration::from_millis(300)))
    });
    let addr = tcp_addr(&running.endpoint);
    let mut hog = std::net::TcpStream::connect(&addr).unwrap();
    hog.set_write_timeout(Some(Duration::from_secs(3))).unwrap();
    let mut writer = hog.try_clone().unwrap();
    let text = "x".repeat(1 << 20);
    let flood = std::thread::spawn(move || {
        // 64 MB of calls, far more than the sockets' buffers hold: the writes stall
        // once the server stops reading, and fail when it closes.
        let mut sent = 0;
        for seq in 0..64 {
            if writer.write_all(&echo_call(&text, seq)).is_err() {
                break;
            }
            sent += 1;
        }
        sent
    });
    std::thread::sleep(Duration::from_millis(100));
    let good = CalculatorBlockingClient::new(
        rift::blocking::Client::builder(running.endpoint.clone())
            .read_timeout(Some(Duration::from_secs(5)))
            .build(),
    );
    let start = Instant::now();
    for i in 0..10 {
        assert_eq!(good.add(i, i).unwrap(), 2 * i);
    }
    assert!(start.elapsed() < Duration::from_secs(2), "{:?}", start.elapsed());
    let sent = flood.join().unwrap();
    assert!(sent < 64, "the server read every call although its replies were not read");
    // The server has given up on the connection: reading it ends (after what replies
    // were in the socket's buffers), it does not hang.
    hog.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let start = Instant::now();
    let mut sink = vec![0; 1 << 16];
    loop {
        match hog.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(_) => assert!(start.elapsed() < Duration::from_secs(5), "the connection stays open"),
        }
    }
    assert_eq!(good.add(1, 2).unwrap(), 3);
}

/// The resident memory of this process, in kilobytes.
fn resident_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Hostile and broken clients, one kind after another, against the async and the
/// blocking server; after each, a normal call on a fresh connection must succeed, and
/// the server must not have grown without bound.
#[test]
fn servers_survive_hostile_clients() {
    for side in [Side::Async, Side::Blocking] {
        let running = start_calc(side, Socket::Tcp, Some(WireFormat::new(Framing::Framed, Protocol::Binary)));
        let addr = tcp_addr(&running.endpoint);
        let check = |what: &str| {
            let good = CalculatorBlockingClient::new(
                rift::blocking::Client::builder(running.endpoint.clone())
                    .format(WireFormat::new(Framing::Framed, Protocol::Binary))
                    .read_timeout(Some(Duration::from_secs(5)))
                    .build(),
            );
            assert_eq!(good.add(20, 22).unwrap_or_else(|e| panic!("{side:?}, after {what}: {e}")), 42);
        };
        let connect = || std::net::TcpStream::connect(&addr).unwrap();
        // Reads until the server closes (or five seconds pass): whatever it answers.
        let drain = |mut s: std::net::TcpStream, what: &str| {
            s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            let start = Instant::now();
            let mut sink = Vec::new();
            let _ = s.read_to_end(&mut sink);
            assert!(
                start.elapsed() < Duration::from_secs(4),
                "{side:?}: the server kept a connection open after {what}"
            );
        };

        // Random bytes (a fixed pseudo-random sequence, so that a failure repeats).
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..50 {
            let bytes: Vec<u8> = (0..1000)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            let mut s = connect();
            let _ = s.write_all(&bytes);
        }
        check("random bytes");

        // Hostile lengths: a frame of 2^31 - 1 bytes, a negative one, and a method name
        // of 2^31 - 1 bytes inside a frame that is not that long.
        for prefix in [
            &[0x7f, 0xff, 0xff, 0xff][..],
            &[0xff, 0xff, 0xff, 0xf0],
            &[0, 0, 0, 12, 0x80, 1, 0, 1, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0],
        ] {
            let mut s = connect();
            s.write_all(prefix).unwrap();
            drain(s, &format!("{prefix:02x?}"));
        }
        check("hostile lengths");

        // A struct nested 100,000 deep in the arguments of `add`.
        let mut body = vec![0x80, 1, 0, 1, 0, 0, 0, 3, b'a', b'd', b'd', 0, 0, 0, 1];
        for _ in 0..100_000 {
            body.extend_from_slice(&[12, 0, 1]);
        }
        let mut message = (body.len() as u32).to_be_bytes().to_vec();
        message.extend_from_slice(&body);
        let mut s = connect();
        let _ = s.write_all(&message);
        // The frame is whole, so the connection may go on: an exception answers it (or
        // the connection closes), at once.
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut head = [0u8; 8];
        match s.read_exact(&mut head) {
            Ok(()) => {
                assert_eq!(head[4..], [0x80, 1, 0, 3], "{side:?}: deep nesting answered with an EXCEPTION")
            }
            Err(e) => {
                assert!(!matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut))
            }
        }
        check("deep nesting");

        // A thousand idle connections: served around, and cheap.
        let before = resident_kb();
        let idle: Vec<_> = (0..1000).map(|_| connect()).collect();
        std::thread::sleep(Duration::from_millis(300));
        check("a thousand idle connections");
        if let (Some(before), Some(after)) = (before, resident_kb()) {
            let per = after.saturating_sub(before) as f64 / 1000.0;
            println!("{side:?}: 1,000 idle connections, {per:.1} KB each (this process: client and server)");
            assert!(per < 16.0, "{side:?}: {per:.1} KB per idle connection");
        }
        drop(idle);

        // A client sending one byte at a time, slowly, while others are served.
        let slow = connect();
        let writer = std::thread::spawn(move || {
            let mut slow = slow;
            for &b in &message[..20] {
                if slow.write_all(&[b]).is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        let start = Instant::now();
        check("a slow client");
        assert!(start.elapsed() < Duration::from_secs(1), "{side:?}: a slow client held others up");
        writer.join().unwrap();

        // Connections dropped in the middle of a frame.
        for _ in 0..100 {
            let mut s = connect();
            let _ = s.write_all(&[0, 0, 1, 0, 0x80, 1, 0, 1, 0]);
        }
        check("connections dropped mid-frame");

        // A method the service does not have: an exception, and the connection lives on.
        let mut call = vec![0x80, 1, 0, 1, 0, 0, 0, 4];
        call.extend_from_slice(b"nope");
        call.extend_from_slice(&[0, 0, 0, 7, 0]);
        let mut framed = (call.len() as u32).to_be_bytes().to_vec();
        framed.extend_from_slice(&call);
        let mut s = connect();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        for _ in 0..2 {
            s.write_all(&framed).unwrap();
            let mut len = [0u8; 4];
            s.read_exact(&mut len).unwrap();
            let mut reply = vec![0; u32::from_be_bytes(len) as usize];
            s.read_exact(&mut reply).unwrap();
            assert_eq!(reply[..4], [0x80, 1, 0, 3], "{side:?}: an EXCEPTION message");
        }
        check("an unknown method");
    }
}
