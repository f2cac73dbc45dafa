//! The connection core driven by hand: a client's calls through a server connection
//! and back, in every format and any chunking, without sockets.

#[cfg(feature = "http")]
use bytes::Bytes;

use super::*;
use crate::Limits;
use crate::protocol::Protocol;
use crate::service::{CallCodec, ClientError, NoException, Outcome, Request};
use crate::transport::{Framing, WireFormat};

/// Arguments and results here are one string, as field 0 of a struct.
type Text = Outcome<String, NoException>;

fn text(value: &str) -> Text {
    Outcome(Ok(value.to_owned()))
}

fn formats() -> Vec<WireFormat> {
    let mut formats = Vec::new();
    for framing in [Framing::Unframed, Framing::Framed, Framing::Header] {
        for protocol in [Protocol::Binary, Protocol::Compact, Protocol::Json] {
            let format = WireFormat::new(framing, protocol);
            formats.push(format);
            if cfg!(feature = "zlib") {
                formats.push(format.with_zlib());
            }
        }
    }
    formats
}

/// What the processor of these tests does: upper-cases the text of `shout`.
fn process(request: Request) -> crate::Result<crate::Reply> {
    assert_eq!(request.method(), "shout");
    let Outcome(args) = request.decode_args::<Text>()?;
    let value = args.unwrap_or_else(|e| match e {});
    if request.is_oneway() {
        return Ok(request.no_reply());
    }
    request.reply(&text(&value.to_uppercase()))
}

/// Feeds `bytes` to `server` in pieces of `step` and serves what comes; returns what
/// it sends back.
fn serve(server: &mut ServerConnection, bytes: &[u8], step: usize) -> Vec<u8> {
    let mut sent = Vec::new();
    for piece in bytes.chunks(step) {
        server.read_buffer().extend_from_slice(piece);
        server.received().unwrap();
        loop {
            match server.next_event().unwrap() {
                ServerEvent::Request(request) => {
                    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| process(request)));
                    sent.extend_from_slice(server.finish(outcome, "test").unwrap());
                }
                ServerEvent::NeedBytes => break,
                ServerEvent::Http(_) => panic!("not HTTP"),
            }
        }
    }
    sent
}

#[test]
fn calls_go_through_in_every_format_and_any_chunking() {
    let limits = Limits::default();
    for format in formats() {
        for (step, detect) in [(1, true), (7, false), (4096, true)] {
            let codec = CallCodec::new(format.protocol, None, limits);
            let mut client = ClientConnection::new(format, limits);
            let mut server = ServerConnection::new((!detect).then_some(format), limits);
            let mut replies = Vec::new();
            for i in 0..3 {
                let args = text(&format!("call {i} ").repeat(i * 50));
                let (seq, bytes) = client.encode_call(&codec, "shout", false, &args).unwrap();
                let bytes = bytes.to_vec();
                let sent = serve(&mut server, &bytes, step);
                client.read_buffer().extend_from_slice(&sent);
                client.received().unwrap();
                let reply = client.next_reply().unwrap().expect("a whole reply");
                let value: Result<String, ClientError> = codec.decode_reply("shout", seq, &reply);
                replies.push(value.unwrap());
                assert!(client.is_between_messages() && server.is_between_messages());
            }
            for (i, reply) in replies.iter().enumerate() {
                assert_eq!(*reply, format!("CALL {i} ").repeat(i * 50), "{format:?}, step {step}");
            }
        }
    }
}

#[test]
fn oneway_calls_send_nothing_back() {
    let limits = Limits::default();
    for format in formats() {
        let codec = CallCodec::new(format.protocol, None, limits);
        let mut client = ClientConnection::new(format, limits);
        let mut server = ServerConnection::new(None, limits);
        let (_, bytes) = client.encode_call(&codec, "shout", true, &text("x")).unwrap();
        let bytes = bytes.to_vec();
        // Not even a zlib stream's flush: a client that sees bytes it did not ask for
        // takes the connection for broken.
        assert!(serve(&mut server, &bytes, 3).is_empty(), "{format:?}");
    }
}

#[test]
fn a_panic_becomes_an_internal_error_and_the_connection_goes_on() {
    let limits = Limits::default();
    let format = WireFormat::new(Framing::Framed, Protocol::Compact);
    let codec = CallCodec::new(format.protocol, None, limits);
    let mut client = ClientConnection::new(format, limits);
    let mut server = ServerConnection::new(None, limits);
    for round in 0..2 {
        let (seq, bytes) = client.encode_call(&codec, "shout", false, &text("x")).unwrap();
        server.read_buffer().extend_from_slice(bytes);
        server.received().unwrap();
        let ServerEvent::Request(request) = server.next_event().unwrap() else { panic!("a request") };
        let outcome = if round == 0 {
            drop(request);
            Err(Box::new("the handler broke") as Box<dyn std::any::Any + Send>)
        } else {
            Ok(process(request))
        };
        let sent = server.finish(outcome, "test").unwrap().to_vec();
        client.read_buffer().extend_from_slice(&sent);
        client.received().unwrap();
        let reply = client.next_reply().unwrap().unwrap();
        let value: Result<String, ClientError> = codec.decode_reply("shout", seq, &reply);
        match (round, value) {
            (0, Err(ClientError::Application(e))) => {
                assert_eq!(e.kind, crate::ApplicationExceptionKind::InternalError);
                // What the panic said stays in the server's log.
                assert_eq!(e.message, "the handler panicked");
            }
            (1, Ok(text)) => assert_eq!(text, "X"),
            other => panic!("{other:?}"),
        }
    }
}

/// Replies are encoded into the memory of the one before: the connection's buffer goes
/// out with each request and comes back with its reply.
#[test]
fn replies_reuse_the_connection_buffer() {
    let limits = Limits::default();
    let format = WireFormat::new(Framing::Framed, Protocol::Binary);
    let codec = CallCodec::new(format.protocol, None, limits);
    let mut client = ClientConnection::new(format, limits);
    let mut server = ServerConnection::new(Some(format), limits);
    let mut places = Vec::new();
    for _ in 0..3 {
        let (_, bytes) = client.encode_call(&codec, "shout", false, &text("same")).unwrap();
        server.read_buffer().extend_from_slice(bytes);
        server.received().unwrap();
        let ServerEvent::Request(request) = server.next_event().unwrap() else { panic!("a request") };
        let outcome = Ok(process(request));
        places.push(server.finish(outcome, "test").unwrap().as_ptr());
    }
    assert!(places.windows(2).all(|w| w[0] == w[1]), "{places:?}");
}

#[test]
fn a_malformed_envelope_ends_the_connection() {
    let mut server =
        ServerConnection::new(Some(WireFormat::new(Framing::Framed, Protocol::Binary)), Limits::default());
    // A frame of 4 bytes holding a bad version.
    server.read_buffer().extend_from_slice(&[0, 0, 0, 4, 0x80, 0x02, 0, 1]);
    server.received().unwrap();
    assert!(server.next_event().is_err());
}

#[cfg(feature = "http")]
#[test]
fn http_is_told_from_the_first_byte() {
    let mut server = ServerConnection::new(None, Limits::default());
    server.read_buffer().extend_from_slice(b"POST / HTTP/1.1\r\n");
    server.received().unwrap();
    match server.next_event().unwrap() {
        ServerEvent::Http(received) => assert_eq!(received, Bytes::from_static(b"POST / HTTP/1.1\r\n")),
        other => panic!("{other:?}"),
    }
}
