//! What the fuzz targets run, shared so that each target stays a few lines, and so that
//! the seed generator (`examples/seeds.rs`) builds its inputs from the same types.
//!
//! Every function takes any bytes. Errors are expected and ignored; a panic, a hang, an
//! allocation over libFuzzer's `-malloc_limit_mb` or a broken property (the `assert!`s
//! below) is a finding.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, OnceLock};

use rift::bytes::Bytes;
use rift::connection::{ClientConnection, ServerConnection, ServerEvent};
use rift::service::CallCodec;
use rift::transport::{Framing, WireFormat};
use rift::{
    ApplicationException, ApplicationExceptionKind, BlockingProcessor, Decode, FastStr, Limits, MessageType,
    Protocol, ProtocolReader, Request, ServerError, TType, Uuid,
};
use rift_dynamic::Schema;

/// The code generated from `idl/fuzz.thrift` with the default options.
pub mod generated {
    rift::include_generated!();
}

/// The same IDL generated with ordered maps and sets, whose encoding is canonical.
pub mod ordered {
    rift::include_generated!("ordered");
}

use generated::fuzz::fuzz_service::{EchoException, IndexException};
use generated::fuzz::{Everything, FuzzBlocking, FuzzMoreBlocking, FuzzMoreBlockingProcessor, Leaf, Oops};

/// The fuzz IDL's text, for the dynamic targets and the IDL seeds.
pub const IDL: &str = include_str!("../idl/fuzz.thrift");

/// The protocols, chosen by a byte of the input.
pub const PROTOCOLS: [Protocol; 3] = [Protocol::Binary, Protocol::Compact, Protocol::Json];

/// Every wire format a connection may be fixed to: each framing and protocol, with and
/// without zlib.
pub fn formats() -> Vec<WireFormat> {
    let mut all = Vec::new();
    for zlib in [false, true] {
        for framing in [Framing::Unframed, Framing::Framed, Framing::Header, Framing::FramedHeader] {
            for protocol in PROTOCOLS {
                let format = WireFormat::new(framing, protocol);
                all.push(if zlib { format.with_zlib() } else { format });
            }
        }
    }
    all
}

/// The limits of the connection targets: lower than the defaults, so that a length
/// that passes them still cannot ask for much.
pub fn limits() -> Limits {
    Limits::default().max_message_size(1 << 20).max_frame_size(1 << 20)
}

/// Decodes a message envelope and a few value shapes from fresh readers.
pub fn decode_all<'a, R: ProtocolReader + 'a>(mut reader: impl FnMut() -> R) {
    let _ = reader().read_message_begin().map(|_| ApplicationException::decode(&mut reader()));
    let _ = Vec::<BTreeMap<String, Vec<i64>>>::decode(&mut reader());
    let _ = HashSet::<Vec<u8>>::decode(&mut reader());
    let _ = Vec::<Uuid>::decode(&mut reader());
    let _ = Vec::<f64>::decode(&mut reader());
    let _ = ApplicationException::decode(&mut reader());
    let _ = Everything::decode(&mut reader());
    let _ = ordered::fuzz::Everything::decode(&mut reader());
    let _ = Vec::<generated::fuzz::Choice>::decode(&mut reader());
}

/// Skips every type in every protocol.
pub fn skip_all(data: &[u8]) {
    use rift::protocol::binary::BinaryReader;
    use rift::protocol::compact::CompactReader;
    use rift::protocol::json::JsonReader;
    for ttype in
        [TType::Struct, TType::List, TType::Set, TType::Map, TType::String, TType::Uuid, TType::Double]
    {
        let _ = BinaryReader::new(data).skip(ttype);
        let _ = CompactReader::new(data).skip(ttype);
        let _ = JsonReader::new(data).skip(ttype);
    }
}

/// Reads a header frame and detects a client type.
pub fn header(data: &[u8]) {
    let _ = rift::header::detect(data);
    let _ = rift::header::read_frame(data, &Limits::default());
}

/// Decodes a `T` from `bytes` in `protocol`, with strings and binaries sliced from it
/// (`rift::from_slice` copies them; this is the path the servers take).
pub fn decode<T: Decode>(bytes: &Bytes, protocol: Protocol) -> rift::Result<T> {
    use rift::protocol::binary::BinaryReader;
    use rift::protocol::compact::CompactReader;
    use rift::protocol::json::JsonReader;
    let limits = Limits::default();
    match protocol {
        Protocol::Binary => T::decode(&mut BinaryReader::from_bytes(bytes, limits)),
        Protocol::Compact => T::decode(&mut CompactReader::from_bytes(bytes, limits)),
        Protocol::Json => T::decode(&mut JsonReader::from_bytes(bytes, limits)),
    }
}

/// Any bytes decoded as an `Everything` (ordered maps) in the protocol the first byte
/// picks; whatever decodes must encode, decode again to an equal value, and encode to
/// the same bytes (`encode(decode(x))` is stable).
pub fn roundtrip(data: &[u8]) {
    use ordered::fuzz::Everything;
    let Some((&choice, data)) = data.split_first() else { return };
    let protocol = PROTOCOLS[usize::from(choice) % PROTOCOLS.len()];
    let Ok(value) = decode::<Everything>(&Bytes::copy_from_slice(data), protocol) else { return };
    let first = rift::to_vec(&value, protocol).expect("a decoded value encodes");
    let again =
        decode::<Everything>(&Bytes::from(first.clone()), protocol).expect("what was encoded decodes");
    let second = rift::to_vec(&again, protocol).expect("a decoded value encodes");
    assert_eq!(first, second, "encode(decode(x)) is stable");
    // Once in the canonical form, values survive too (the first value may differ from
    // `again` only in what encoding drops: the id of a union member not in the IDL). A
    // NaN is not equal to itself: compare values only when they can be.
    let third = decode::<Everything>(&Bytes::from(second), protocol).expect("what was encoded decodes");
    #[allow(clippy::eq_op)]
    if again == again {
        assert_eq!(again, third, "decode(encode(v)) == v");
    }
}

/// The handler behind the processors: answers from its arguments, and throws the
/// declared exception or a `TApplicationException` when asked to.
#[derive(Clone, Copy, Debug, Default)]
pub struct Handler;

impl FuzzBlocking for Handler {
    fn ping(&self) -> Result<(), ApplicationException> {
        Ok(())
    }

    fn echo(&self, everything: Everything) -> Result<Everything, ServerError<EchoException>> {
        match &*everything.name {
            "oops" => {
                Err(ServerError::Exception(EchoException::Oops(Oops { why: everything.name, code: 1 })))
            }
            "fail" => {
                Err(ApplicationException::new(ApplicationExceptionKind::InternalError, "asked to fail")
                    .into())
            }
            _ => Ok(everything),
        }
    }

    fn concat(&self, text: FastStr, blob: Bytes, times: i32) -> Result<FastStr, ApplicationException> {
        let times = usize::try_from(times.clamp(0, 4)).unwrap_or_default();
        Ok(FastStr::from(format!("{}{}", text.repeat(times), String::from_utf8_lossy(&blob))))
    }

    fn fire(&self, _leaf: Leaf) -> Result<(), ApplicationException> {
        Ok(())
    }

    fn index(
        &self,
        leaves: Vec<Leaf>,
    ) -> Result<rift::collections::HashMap<FastStr, Leaf>, ServerError<IndexException>> {
        if leaves.is_empty() {
            let oops = Oops { why: FastStr::from_static_str("no leaves"), code: 2 };
            return Err(ServerError::Exception(IndexException::Oops(oops)));
        }
        Ok(leaves.into_iter().map(|leaf| (leaf.text.clone(), leaf)).collect())
    }
}

impl FuzzMoreBlocking for Handler {
    fn count(&self, ids: rift::collections::HashSet<i64>) -> Result<i64, ApplicationException> {
        Ok(i64::try_from(ids.len()).unwrap_or(i64::MAX))
    }
}

/// The generated processor of `FuzzMore`, as itself and as the default of a
/// multiplexed one (so calls with and without a `FuzzMore:` prefix are both served).
pub fn processor() -> &'static rift::multiplex::BlockingMultiplexed {
    static PROCESSOR: OnceLock<rift::multiplex::BlockingMultiplexed> = OnceLock::new();
    PROCESSOR.get_or_init(|| {
        rift::multiplex::BlockingMultiplexed::new()
            .with_default("FuzzMore", FuzzMoreBlockingProcessor::new(Handler))
    })
}

/// Checks that `reply` answers call `seq` of `name`: a reply or an exception, with the
/// call's sequence id.
fn check_reply(protocol: Protocol, reply: &[u8], seq: i32) {
    let header = match protocol {
        Protocol::Binary => rift::protocol::binary::BinaryReader::new(reply).read_message_begin(),
        Protocol::Compact => rift::protocol::compact::CompactReader::new(reply).read_message_begin(),
        Protocol::Json => rift::protocol::json::JsonReader::new(reply).read_message_begin(),
    }
    .expect("a reply's envelope reads");
    assert_eq!(header.seq, seq, "a reply repeats the call's sequence id");
    assert!(
        matches!(header.kind, MessageType::Reply | MessageType::Exception),
        "a reply is a reply: {header:?}"
    );
}

/// Serves one whole message (after a first byte that picks the protocol) with `processor`
/// and checks its reply.
fn serve_message(data: &[u8], processor: &impl BlockingProcessor) {
    let Some((&choice, message)) = data.split_first() else { return };
    let protocol = PROTOCOLS[usize::from(choice) % PROTOCOLS.len()];
    let Ok(request) = Request::new(protocol, Bytes::copy_from_slice(message), limits()) else { return };
    let seq = request.seq();
    let reply = processor.process(request).expect("a processor answers every request it is given");
    if let Some(message) = reply.message() {
        check_reply(protocol, message, seq);
    }
}

/// Any bytes as one whole message to the generated processor: envelope, routing,
/// arguments, the handler, the reply.
pub fn process(data: &[u8]) {
    serve_message(data, processor());
}

/// Any bytes as what a server's connection receives, fed in pieces of the size the
/// first byte picks (1 to 64), through the whole server path without sockets: format
/// detection, zlib, framing, the envelope, `processor` and the reply's framing.
fn serve_stream(data: &[u8], processor: &impl BlockingProcessor) {
    let Some((&step, data)) = data.split_first() else { return };
    let step = usize::from(step % 64) + 1;
    let mut conn = ServerConnection::new(None, limits());
    for piece in data.chunks(step) {
        conn.read_buffer().extend_from_slice(piece);
        if conn.received().is_err() {
            return;
        }
        loop {
            match conn.next_event() {
                Ok(ServerEvent::Request(request)) => {
                    let outcome = processor.process(request);
                    if conn.finish(Ok(outcome), "fuzz").is_err() {
                        return;
                    }
                }
                Ok(ServerEvent::NeedBytes) => break,
                Ok(ServerEvent::Http(_)) | Err(_) => return,
            }
        }
    }
}

/// Any bytes as an unframed binary or compact stream (the first byte picks which, and
/// the size of the pieces): the decoder, reading a message as its pieces come, must find
/// what one walk of the whole input finds: the same message, the same error, or that
/// more is needed.
pub fn unframed(data: &[u8]) {
    use rift::transport::{MessageDecoder, unframed_len};
    let Some((&choice, data)) = data.split_first() else { return };
    let protocol = [Protocol::Binary, Protocol::Compact][usize::from(choice & 1)];
    let step = usize::from(choice >> 1) + 1;
    let whole = unframed_len(protocol, data, limits());
    let mut decoder = MessageDecoder::new(WireFormat::new(Framing::Unframed, protocol), limits());
    let mut buf = rift::bytes::BytesMut::new();
    let mut found = Ok(None);
    for piece in data.chunks(step) {
        buf.extend_from_slice(piece);
        match decoder.decode(&mut buf) {
            Ok(None) => {}
            Ok(Some(frame)) => {
                found = Ok(Some(frame.message.len()));
                break;
            }
            Err(e) => {
                found = Err(e);
                break;
            }
        }
    }
    match (whole, found) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "a message read in pieces of {step} is the message read whole"),
        // The decoder names any error of a stream that starts as a TLS record does as
        // a TLS mismatch; a walk of the bytes alone cannot.
        (Err(a), Err(b)) if looks_like_tls(data) => {
            assert!(matches!(b.kind(), rift::ErrorKind::BadVersion) || a.kind() == b.kind(), "{a} / {b}");
        }
        (Err(a), Err(b)) => assert_eq!(a.kind(), b.kind(), "the same error in pieces of {step}: {a} / {b}"),
        (a, b) => panic!("read whole: {a:?}; in pieces of {step}: {b:?}"),
    }
}

/// Whether `data` starts as a TLS record (a handshake or an alert) does.
fn looks_like_tls(data: &[u8]) -> bool {
    matches!(data, [0x15 | 0x16, 0x03, 0x00..=0x04, ..])
}

/// [`serve_stream`] with the generated processor.
pub fn stream(data: &[u8]) {
    serve_stream(data, processor());
}

/// Any bytes as the replies a client's connection receives after a call of `echo`, in
/// the format the first byte picks and pieces the second byte sizes: framing, zlib,
/// the reply envelope (sequence id, method, kind) and the result.
pub fn client(data: &[u8]) {
    let [format, step, data @ ..] = data else { return };
    let formats = formats();
    let format = formats[usize::from(*format) % formats.len()];
    let step = usize::from(step % 64) + 1;
    let mut conn = ClientConnection::new(format, limits());
    let codec = CallCodec::new(format.protocol, None, limits());
    let args = generated::fuzz::fuzz_service::EchoArgs::default();
    let Ok((seq, _)) = conn.encode_call(&codec, "echo", false, &args) else { panic!("a call encodes") };
    for piece in data.chunks(step) {
        conn.read_buffer().extend_from_slice(piece);
        if conn.received().is_err() {
            return;
        }
        loop {
            match conn.next_reply() {
                Ok(Some(reply)) => {
                    let answers = conn.answers(seq, &reply);
                    let decoded = codec.decode_reply::<Everything, EchoException>("echo", seq, &reply);
                    // A reply taken as the answer to the call carries its sequence id.
                    if decoded.is_ok() {
                        assert!(answers, "a reply decoded for call {seq} that does not answer it");
                    }
                }
                Ok(None) => break,
                Err(_) => return,
            }
        }
    }
}

/// The fuzz IDL loaded at run time.
pub fn schema() -> &'static Schema {
    shared_schema()
}

fn shared_schema() -> &'static Arc<Schema> {
    static SCHEMA: OnceLock<Arc<Schema>> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let idl = rift_idl::Loader::new().source("fuzz.thrift", IDL).load("fuzz.thrift");
        Arc::new(Schema::from_idl(idl).expect("the fuzz IDL loads"))
    })
}

/// The types of the fuzz IDL the dynamic targets decode.
pub const TYPES: [&str; 5] = ["Everything", "Leaf", "Choice", "Oops", "Color"];

/// The type the byte `choice` picks.
fn dynamic_type(choice: u8) -> rift_dynamic::TypeRef {
    let name = TYPES[usize::from(choice / 3) % TYPES.len()];
    schema().type_named(name).expect("the fuzz IDL defines it")
}

/// Any bytes decoded by schema (the type and protocol picked by the first byte); what
/// decodes must encode, and encode the same after another decode.
pub fn dynamic_decode(data: &[u8]) {
    let Some((&choice, data)) = data.split_first() else { return };
    let protocol = PROTOCOLS[usize::from(choice) % PROTOCOLS.len()];
    let (schema, ty) = (schema(), dynamic_type(choice));
    let Ok(value) = rift_dynamic::from_slice(schema, &ty, data, protocol) else { return };
    let first = rift_dynamic::to_vec(schema, &ty, &value, protocol).expect("a decoded value encodes");
    let again = rift_dynamic::from_slice(schema, &ty, &first, protocol).expect("what was encoded decodes");
    let second = rift_dynamic::to_vec(schema, &ty, &again, protocol).expect("a decoded value encodes");
    assert_eq!(first, second, "encode(decode(x)) is stable");
}

/// Any bytes as JSON for the type the first byte picks: what the mapping accepts must
/// show as JSON that it accepts again, unchanged, and survive the binary protocol.
pub fn dynamic_json(data: &[u8]) {
    use rift_dynamic::json::{from_json, to_json};
    let Some((&choice, data)) = data.split_first() else { return };
    let (schema, ty) = (schema(), dynamic_type(choice));
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    let Ok(value) = from_json(schema, &ty, &json) else { return };
    let shown = to_json(schema, &ty, &value);
    let back = from_json(schema, &ty, &shown).expect("what to_json writes, from_json reads");
    assert_eq!(to_json(schema, &ty, &back), shown, "the JSON mapping is stable");
    let protocol = PROTOCOLS[usize::from(choice) % PROTOCOLS.len()];
    let bytes = rift_dynamic::to_vec(schema, &ty, &value, protocol).expect("a value from JSON encodes");
    let decoded = rift_dynamic::from_slice(schema, &ty, &bytes, protocol).expect("what was encoded decodes");
    assert_eq!(to_json(schema, &ty, &decoded), shown, "a value from JSON survives the wire");
}

/// The dynamic processor of `FuzzMore`: returns the first argument when it has the
/// return type, else the type's zero value; throws for an `echo` of a struct named
/// `oops`.
pub fn dynamic_processor() -> &'static rift_dynamic::DynamicProcessor {
    use rift_dynamic::Answer;
    static PROCESSOR: OnceLock<rift_dynamic::DynamicProcessor> = OnceLock::new();
    PROCESSOR.get_or_init(|| {
        let schema = shared_schema().clone();
        let answers = schema.clone();
        rift_dynamic::DynamicProcessor::new(schema, "FuzzMore", move |function, args| {
            let Some(returns) = &function.returns else { return Answer::Return(None) };
            let first = function.params.first().and_then(|p| (p.ty == *returns).then(|| args.get(p.id)));
            match first.flatten() {
                Some(rift_dynamic::Value::Struct(s))
                    if function.name == "echo" && s.get(1).is_some_and(is_oops) =>
                {
                    let mut oops = rift_dynamic::Struct::default();
                    oops.set(2, rift_dynamic::Value::I32(1));
                    Answer::Throw("oops".to_owned(), rift_dynamic::Value::Struct(oops))
                }
                Some(value) => Answer::Return(Some(value.clone())),
                None => Answer::Return(Some(rift_dynamic::serve::zero(&answers, returns))),
            }
        })
        .expect("the fuzz IDL has the service")
    })
}

fn is_oops(name: &rift_dynamic::Value) -> bool {
    matches!(name, rift_dynamic::Value::String(s) if &**s == "oops")
}

/// [`serve_stream`] with the dynamic processor.
pub fn dynamic_stream(data: &[u8]) {
    serve_stream(data, dynamic_processor());
}

/// [`process`] with the dynamic processor.
pub fn dynamic_process(data: &[u8]) {
    serve_message(data, dynamic_processor());
}
