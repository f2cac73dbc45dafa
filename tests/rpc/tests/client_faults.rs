//! Servers that misbehave against rift's clients (blocking, async and pipelined): one
//! that vanishes mid-call or mid-reply, answers with another sequence id, answers
//! garbage, or answers too slowly. Each call fails at once with a clear error, and the
//! next call succeeds on a fresh connection: the pool keeps no connection that is out of
//! step with its calls.
//!
//! The fake server is rift's own I/O-free connection core and the generated processor
//! over a blocking socket, with the first reply of its first connection spoiled.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rift::connection::{ServerConnection, ServerEvent};
use rift::transport::{Framing, WireFormat};
use rift::{ApplicationExceptionKind, BlockingProcessor, ClientError, Endpoint, Limits, Protocol};
use rift_rpc_tests::{Calc, CalculatorBlockingClient, CalculatorBlockingProcessor, CalculatorClient};

/// What the first connection does with its first call.
#[derive(Copy, Clone, Debug, PartialEq)]
enum Fault {
    /// Reads the call and closes.
    Vanish,
    /// Sends half of the reply and closes.
    VanishMidReply,
    /// Answers with another sequence id, then with the right reply (too late), and
    /// serves on.
    WrongSequenceId,
    /// Answers with something that is not Thrift (an HTTP error) and serves on.
    Garbage,
    /// Answers after two seconds, and serves on.
    Slow,
    /// Sends the reply a byte every 100 ms.
    Trickle,
}

const FAULTS: [Fault; 6] = [
    Fault::Vanish,
    Fault::VanishMidReply,
    Fault::WrongSequenceId,
    Fault::Garbage,
    Fault::Slow,
    Fault::Trickle,
];

/// A server whose first connection commits `fault` on its first call; every other call
/// and connection is served well. Counts the connections it accepts.
struct Fake {
    endpoint: Endpoint,
    accepted: Arc<AtomicUsize>,
}

impl Fake {
    fn start(fault: Fault) -> Fake {
        let processor = Arc::new(CalculatorBlockingProcessor::new(Calc::default()));
        Fake::listen(move |n, stream| serve(stream, &*processor, (n == 0).then_some(fault)))
    }

    /// A server that hands its `n`th connection (from 0) to `connection`, on a thread
    /// of its own.
    fn listen(connection: impl Fn(usize, TcpStream) + Send + Sync + 'static) -> Fake {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let endpoint = Endpoint::tcp(listener.local_addr().unwrap().to_string());
        let accepted = Arc::new(AtomicUsize::new(0));
        let counted = accepted.clone();
        let connection = Arc::new(connection);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let n = counted.fetch_add(1, Ordering::SeqCst);
                let connection = connection.clone();
                std::thread::spawn(move || connection(n, stream));
            }
        });
        Fake { endpoint, accepted }
    }

    fn connections(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

/// Serves one connection, spoiling its first reply with `fault`.
fn serve(mut s: TcpStream, processor: &impl BlockingProcessor, mut fault: Option<Fault>) {
    let mut conn = ServerConnection::new(None, Limits::default());
    loop {
        match conn.next_event() {
            Ok(ServerEvent::Request(request)) => {
                let seq = request.seq();
                let reply = processor.process(request);
                let Ok(bytes) = conn.finish(Ok(reply), "fake") else { return };
                let bytes = bytes.to_vec();
                let sent = match fault.take() {
                    None => s.write_all(&bytes),
                    Some(Fault::Vanish) => return,
                    Some(Fault::VanishMidReply) => {
                        let _ = s.write_all(&bytes[..bytes.len() / 2]);
                        return;
                    }
                    Some(Fault::WrongSequenceId) => {
                        // Framed binary: the sequence id follows the length, the version
                        // and the method's name.
                        let name_len = u32::from_be_bytes(bytes[8..12].try_into().unwrap()) as usize;
                        let at = 12 + name_len;
                        assert_eq!(i32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()), seq);
                        let mut wrong = bytes.clone();
                        wrong[at..at + 4].copy_from_slice(&(seq + 1000).to_be_bytes());
                        s.write_all(&wrong).and_then(|()| s.write_all(&bytes))
                    }
                    Some(Fault::Garbage) => {
                        s.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                    }
                    Some(Fault::Slow) => {
                        std::thread::sleep(Duration::from_secs(2));
                        s.write_all(&bytes)
                    }
                    Some(Fault::Trickle) => bytes.iter().try_for_each(|b| {
                        std::thread::sleep(Duration::from_millis(100));
                        s.write_all(&[*b])
                    }),
                };
                if sent.is_err() {
                    return;
                }
            }
            Ok(ServerEvent::NeedBytes) => {
                let mut buf = [0u8; 4096];
                match s.read(&mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        conn.read_buffer().extend_from_slice(&buf[..n]);
                        if conn.received().is_err() {
                            return;
                        }
                    }
                }
            }
            Ok(ServerEvent::Http(_)) | Err(_) => return,
        }
    }
}

/// Whether `e` is the error `fault` should cause.
fn expected<E: std::fmt::Debug>(fault: Fault, e: &ClientError<E>) -> bool {
    match fault {
        Fault::Vanish | Fault::VanishMidReply => e.is_closed(),
        Fault::WrongSequenceId => {
            matches!(e, ClientError::Application(a) if a.kind == ApplicationExceptionKind::BadSequenceId)
        }
        Fault::Garbage => e.is_unreadable(),
        Fault::Slow | Fault::Trickle => e.is_timeout(),
    }
}

/// The runtime of a test of the async clients.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

const FRAMED: WireFormat = WireFormat::new(Framing::Framed, Protocol::Binary);
const TIMEOUT: Duration = Duration::from_millis(500);

#[test]
fn blocking_client_against_misbehaving_servers() {
    for fault in FAULTS {
        let fake = Fake::start(fault);
        let client = CalculatorBlockingClient::new(
            rift::blocking::Client::builder(fake.endpoint.clone())
                .format(FRAMED)
                .read_timeout(Some(TIMEOUT))
                .build(),
        );
        let start = Instant::now();
        let e = client.add(1, 2).unwrap_err();
        assert!(expected(fault, &e), "{fault:?}: {e:?}");
        assert!(
            start.elapsed() < TIMEOUT + Duration::from_millis(500),
            "{fault:?}: took {:?}",
            start.elapsed()
        );
        // A fresh connection, kept for the calls after.
        for i in 0..5 {
            assert_eq!(client.add(i, 10).unwrap_or_else(|e| panic!("{fault:?}, call {i}: {e:?}")), i + 10);
        }
        assert_eq!(fake.connections(), 2, "{fault:?}: the broken connection was not replaced once");
    }
}

#[test]
fn async_clients_against_misbehaving_servers() {
    let runtime = runtime();
    for pipelined in [false, true] {
        for fault in FAULTS {
            let what = format!("{fault:?}, pipelined: {pipelined}");
            let fake = Fake::start(fault);
            runtime.block_on(async {
                let client = CalculatorClient::new(
                    rift::client::Client::builder(fake.endpoint.clone())
                        .format(FRAMED)
                        .read_timeout(Some(TIMEOUT))
                        .pipelined(pipelined)
                        .build(),
                );
                let start = Instant::now();
                let result = client.add(1, 2).await;
                if pipelined && fault == Fault::WrongSequenceId {
                    // A pipelined client matches replies by sequence id: the stray reply
                    // is dropped and the right one, after it, answers the call.
                    assert_eq!(result.unwrap_or_else(|e| panic!("{what}: {e:?}")), 3);
                } else {
                    let e = result.unwrap_err();
                    assert!(expected(fault, &e), "{what}: {e:?}");
                }
                assert!(
                    start.elapsed() < TIMEOUT + Duration::from_millis(500),
                    "{what}: took {:?}",
                    start.elapsed()
                );
                if pipelined && matches!(fault, Fault::Slow | Fault::Trickle) {
                    // The calls of a pipelined client share one connection, which a slow
                    // call does not end (its reply is dropped when it comes): the server
                    // answers in order, so the next calls wait for the slow one.
                    tokio::time::sleep(Duration::from_secs(4)).await;
                }
                for i in 0..5 {
                    assert_eq!(
                        client.add(i, 10).await.unwrap_or_else(|e| panic!("{what}, call {i}: {e:?}")),
                        i + 10
                    );
                }
            });
            let kept = pipelined && matches!(fault, Fault::WrongSequenceId | Fault::Slow | Fault::Trickle);
            let expected = if kept { 1 } else { 2 };
            assert_eq!(fake.connections(), expected, "{what}: connections opened");
        }
    }
}

/// A framed binary reply to `add` with sequence id `seq`, whose sum is `sum`.
fn add_reply(seq: i32, sum: i32) -> Vec<u8> {
    let mut message = vec![0x80, 1, 0, 2, 0, 0, 0, 3];
    message.extend_from_slice(b"add");
    message.extend_from_slice(&seq.to_be_bytes());
    message.extend_from_slice(&[8, 0, 0]);
    message.extend_from_slice(&sum.to_be_bytes());
    message.push(0);
    let mut framed = (message.len() as u32).to_be_bytes().to_vec();
    framed.extend_from_slice(&message);
    framed
}

/// A pipelined client carries at most `max_in_flight` calls at once: a server that
/// reads calls and holds its replies sees no more than that many, and each reply lets
/// one more call come.
#[test]
fn pipelined_calls_in_flight_are_bounded() {
    const CALLS: i32 = 10;
    const MAX: usize = 3;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = Endpoint::tcp(listener.local_addr().unwrap().to_string());
    let server = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        // Quiet for this long: every call the client may send has come.
        s.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
        let (mut received, mut held, mut most, mut answered) = (Vec::new(), Vec::new(), 0, 0);
        while answered < CALLS {
            let mut buf = [0u8; 4096];
            match s.read(&mut buf) {
                Ok(0) => panic!("the client closed"),
                Ok(n) => received.extend_from_slice(&buf[..n]),
                Err(e)
                    if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) =>
                {
                    let seq = held.remove(0);
                    s.write_all(&add_reply(seq, seq)).unwrap();
                    answered += 1;
                }
                Err(e) => panic!("{e}"),
            }
            // Each whole call: framed binary, its sequence id after "add".
            while received.len() >= 4 {
                let len = u32::from_be_bytes(received[..4].try_into().unwrap()) as usize;
                if received.len() < 4 + len {
                    break;
                }
                let call: Vec<u8> = received.drain(..4 + len).collect();
                held.push(i32::from_be_bytes(call[15..19].try_into().unwrap()));
                most = most.max(held.len());
            }
        }
        most
    });
    let runtime = runtime();
    runtime.block_on(async {
        let client =
            rift::client::Client::builder(endpoint).format(FRAMED).pipelined(true).max_in_flight(MAX).build();
        let mut calls = tokio::task::JoinSet::new();
        for i in 0..CALLS {
            let client = CalculatorClient::new(client.clone());
            calls.spawn(async move { client.add(i, 0).await });
        }
        let mut sums = Vec::new();
        while let Some(result) = calls.join_next().await {
            sums.push(result.unwrap().unwrap_or_else(|e| panic!("a call: {e:?}")));
        }
        assert_eq!(sums.len(), CALLS as usize);
    });
    let most = server.join().unwrap();
    assert_eq!(most, MAX, "calls carried at once");
}

/// A pipelined call given up while it is being sent (here: a timeout around it, and a
/// server that does not read) leaves part of itself on the wire: the connection is
/// ended, and the next call goes over a fresh one at once rather than after it.
#[test]
fn a_pipelined_call_given_up_while_it_is_sent() {
    let processor = CalculatorBlockingProcessor::new(Calc::default());
    let fake = Fake::listen(move |n, stream| {
        if n == 0 {
            // Deaf: holds the connection without reading.
            std::thread::sleep(Duration::from_secs(20));
            drop(stream);
        } else {
            serve(stream, &processor, None);
        }
    });
    let runtime = runtime();
    runtime.block_on(async {
        let client = CalculatorClient::new(
            rift::client::Client::builder(fake.endpoint.clone())
                .format(FRAMED)
                .pipelined(true)
                .write_timeout(Some(Duration::from_secs(20)))
                .build(),
        );
        // More than the socket buffers of both ends hold, less than a frame's limit.
        let text = "x".repeat(15 << 20);
        let given_up = tokio::time::timeout(Duration::from_millis(300), client.echo(text.into())).await;
        assert!(given_up.is_err(), "the call was sent whole to a server that does not read");
        let start = Instant::now();
        assert_eq!(client.add(1, 2).await.unwrap(), 3);
        assert!(start.elapsed() < Duration::from_secs(3), "the next call took {:?}", start.elapsed());
    });
    assert_eq!(fake.connections(), 2, "connections");
}

/// A call that finds no room on a pipelined connection within its write timeout fails
/// alone, as a timeout; the calls in flight and the connection go on.
#[test]
fn a_pipelined_call_that_finds_no_room_fails_alone() {
    let fake = Fake::listen(|_, mut s| {
        // Each call answered, the first after a second.
        let mut first = true;
        loop {
            let mut len = [0u8; 4];
            if s.read_exact(&mut len).is_err() {
                return;
            }
            let mut call = vec![0u8; u32::from_be_bytes(len) as usize];
            s.read_exact(&mut call).unwrap();
            let seq = i32::from_be_bytes(call[11..15].try_into().unwrap());
            if std::mem::take(&mut first) {
                std::thread::sleep(Duration::from_secs(1));
            }
            s.write_all(&add_reply(seq, 100 + seq)).unwrap();
        }
    });
    let runtime = runtime();
    runtime.block_on(async {
        let client = CalculatorClient::new(
            rift::client::Client::builder(fake.endpoint.clone())
                .format(FRAMED)
                .pipelined(true)
                .max_in_flight(1)
                .write_timeout(Some(Duration::from_millis(300)))
                .build(),
        );
        let held = tokio::spawn({
            let client = client.clone();
            async move { client.add(1, 2).await }
        });
        tokio::time::sleep(Duration::from_millis(100)).await;
        let start = Instant::now();
        let e = client.add(3, 4).await.unwrap_err();
        assert!(e.is_timeout(), "{e:?}");
        assert!(e.to_string().contains("no room"), "{e}");
        assert!(start.elapsed() < Duration::from_millis(800), "waited {:?}", start.elapsed());
        // The call in flight is answered, and the connection carries the next one.
        assert!(held.await.unwrap().is_ok());
        assert!(client.add(5, 6).await.is_ok());
    });
    assert_eq!(fake.connections(), 1, "connections");
}
