//! Writes the seed corpus of every fuzz target (`seeds/<target>/seed-*`): valid inputs
//! of each kind, from which the fuzzer mutates. Run from `fuzz/`:
//! `cargo run --example seeds`.

use std::path::Path;

use rift::bytes::Bytes;
use rift::connection::{ClientConnection, ServerConnection, ServerEvent};
use rift::service::CallCodec;
use rift::transport::{Framing, WireFormat};
use rift::{
    ApplicationException, ApplicationExceptionKind, BlockingProcessor, Encode, FastStr, Protocol, Uuid,
};
use rift_fuzz::generated::fuzz::fuzz_more::CountArgs;
use rift_fuzz::generated::fuzz::fuzz_service::{ConcatArgs, EchoArgs, FireArgs, IndexArgs, PingArgs};
use rift_fuzz::generated::fuzz::{Choice, Color, Everything, Leaf, Oops};
use rift_fuzz::{PROTOCOLS, formats, limits};

fn leaf(n: u8) -> Leaf {
    Leaf {
        flag: n.is_multiple_of(2),
        tiny: -7,
        small: -300,
        medium: 70_000 * i32::from(n),
        large: -(1 << 40),
        real: 2.5,
        text: FastStr::from(format!("leaf {n}: ünïcødé \"quoted\"\n")),
        blob: Bytes::from(vec![0, 1, 2, 255, n]),
        key: Uuid([n; 16]),
        color: Color::GREEN,
    }
}

fn everything() -> Everything {
    let child = Everything { name: FastStr::from_static_str("child"), ..Everything::default() };
    Everything {
        name: FastStr::from_static_str("everything"),
        id: Some(42),
        leaves: vec![leaf(1), leaf(2)],
        nested: [(FastStr::from_static_str("a"), vec![[1, 2, 3].into_iter().collect()])]
            .into_iter()
            .collect(),
        tags: ["x", "y"].into_iter().map(FastStr::from_static_str).collect(),
        choices: [(1, Choice::Text("one".into())), (2, Choice::Reals(vec![0.5, -1.0]))].into_iter().collect(),
        tables: vec![[(Bytes::from_static(b"k"), 1.25)].into_iter().collect()],
        child: Some(Box::new(child)),
        by_color: [(Color::RED, leaf(3))].into_iter().collect(),
        deep: vec![vec![vec![1, -1], vec![]]],
        keys: [Uuid([7; 16])].into_iter().collect(),
        choice: Choice::Leaf(leaf(4)),
        motto: None,
    }
}

/// Encodes `value`, in `protocol`.
fn bytes<T: Encode>(value: &T, protocol: Protocol) -> Vec<u8> {
    rift::to_vec(value, protocol).expect("seeds encode")
}

/// A call of `method`, unframed, in `protocol`, optionally multiplexed.
fn call<A: Encode>(
    protocol: Protocol,
    service: Option<&str>,
    method: &str,
    oneway: bool,
    args: &A,
) -> Vec<u8> {
    let codec = CallCodec::new(protocol, service.map(str::to_owned), limits());
    let mut out = Vec::new();
    codec.encode_call(method, oneway, args, &mut out).expect("seeds encode");
    out
}

/// Every call of the service, unframed, in `protocol`.
fn calls(protocol: Protocol) -> Vec<(String, Vec<u8>)> {
    let echo = EchoArgs { everything: everything() };
    let oops = EchoArgs { everything: Everything { name: "oops".into(), ..Everything::default() } };
    let concat = ConcatArgs { text: "ab".into(), blob: Bytes::from_static(b"\xffcd"), times: 3 };
    vec![
        ("ping".into(), call(protocol, None, "ping", false, &PingArgs {})),
        ("echo".into(), call(protocol, None, "echo", false, &echo)),
        ("echo-oops".into(), call(protocol, None, "echo", false, &oops)),
        ("concat".into(), call(protocol, None, "concat", false, &concat)),
        ("fire".into(), call(protocol, None, "fire", true, &FireArgs { leaf: leaf(5) })),
        ("index".into(), call(protocol, None, "index", false, &IndexArgs { leaves: vec![leaf(6)] })),
        ("index-empty".into(), call(protocol, None, "index", false, &IndexArgs { leaves: vec![] })),
        (
            "count".into(),
            call(
                protocol,
                Some("FuzzMore"),
                "count",
                false,
                &CountArgs { ids: [1, 2].into_iter().collect() },
            ),
        ),
        ("unknown".into(), call(protocol, None, "nothing", false, &PingArgs {})),
    ]
}

fn name(format: WireFormat) -> String {
    let framing = match format.framing {
        Framing::Unframed => "unframed",
        Framing::Framed => "framed",
        Framing::Header => "header",
        Framing::FramedHeader => "framed-header",
    };
    format!("{framing}-{:?}{}", format.protocol, if format.zlib { "-zlib" } else { "" }).to_lowercase()
}

/// A call framed as `format`, as a client sends it.
fn framed_call(format: WireFormat, message: &[u8]) -> Vec<u8> {
    let mut conn = ClientConnection::new(format, limits());
    conn.encode_message(message).expect("seeds encode").to_vec()
}

/// The reply a server sends to `call`, framed as the call was.
fn reply(call: &[u8]) -> Vec<u8> {
    let mut conn = ServerConnection::new(None, limits());
    conn.read_buffer().extend_from_slice(call);
    conn.received().expect("seeds are valid");
    let Ok(ServerEvent::Request(request)) = conn.next_event() else { panic!("a seed call is a request") };
    let outcome = rift_fuzz::processor().process(request);
    conn.finish(Ok(outcome), "seeds").expect("seeds encode").to_vec()
}

struct Corpus<'a> {
    dir: &'a Path,
    count: usize,
}

impl Corpus<'_> {
    fn write(&mut self, target: &str, name: &str, data: &[u8]) {
        let dir = self.dir.join(target);
        std::fs::create_dir_all(&dir).expect("the corpus directory can be made");
        std::fs::write(dir.join(format!("seed-{name}")), data).expect("the corpus is writable");
        self.count += 1;
    }
}

fn with_byte(first: usize, rest: &[u8]) -> Vec<u8> {
    let mut out = vec![u8::try_from(first).expect("a small choice")];
    out.extend_from_slice(rest);
    out
}

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "seeds".into());
    let mut corpus = Corpus { dir: Path::new(&dir), count: 0 };
    let everything = everything();
    let ordered = {
        let bytes = Bytes::from(bytes(&everything, Protocol::Binary));
        rift_fuzz::decode::<rift_fuzz::ordered::fuzz::Everything>(&bytes, Protocol::Binary)
            .expect("seeds decode")
    };
    let exception = ApplicationException::new(ApplicationExceptionKind::UnknownMethod, "no such method");

    corpus.write("idl_parse", "fuzz.thrift", rift_fuzz::IDL.as_bytes());
    corpus.write("idl_parse", "thrift-test.thrift", include_bytes!("../../interop/idl/ThriftTest.thrift"));
    corpus.write(
        "idl_parse",
        "include-and-consts",
        b"include \"other.thrift\"\nconst map<string, list<i32>> M = {\"a\": [1, 2]}\n\
          struct S { 1: required other.T t (go.tag = \"x\"), 2: optional set<S> s = [] }\n\
          service X extends other.Y { oneway void f(1: i32 a) throws (1: E e) }\n",
    );

    for (p, protocol) in PROTOCOLS.into_iter().enumerate() {
        let lower = format!("{protocol:?}").to_lowercase();
        let decoder = format!("{lower}_decode");
        corpus.write(&decoder, "everything", &bytes(&everything, protocol));
        corpus.write(&decoder, "exception", &bytes(&exception, protocol));
        corpus.write(&decoder, "reals", &bytes(&vec![0.5f64, f64::MAX, -0.0], protocol));
        corpus.write(
            &decoder,
            "echo-call",
            &call(protocol, None, "echo", false, &EchoArgs { everything: everything.clone() }),
        );
        corpus.write("skip", &format!("everything-{lower}"), &bytes(&everything, protocol));
        corpus.write("roundtrip", &format!("everything-{lower}"), &with_byte(p, &bytes(&ordered, protocol)));

        // The dynamic decoder: the byte is the protocol plus three times the type.
        let values: [(&str, Vec<u8>); 5] = [
            ("everything", bytes(&everything, protocol)),
            ("leaf", bytes(&leaf(9), protocol)),
            ("choice", bytes(&Choice::Number(-5), protocol)),
            ("oops", bytes(&Oops { why: "why".into(), code: 3 }, protocol)),
            ("color", bytes(&Color::BLUE, protocol)),
        ];
        for (t, (type_name, encoded)) in values.iter().enumerate() {
            let choice = p + 3 * t;
            corpus.write("dynamic_decode", &format!("{type_name}-{lower}"), &with_byte(choice, encoded));
            if protocol == Protocol::Binary {
                let schema = rift_fuzz::schema();
                let ty = schema.type_named(rift_fuzz::TYPES[t]).expect("the fuzz IDL defines it");
                let value = rift_dynamic::from_slice(schema, &ty, encoded, protocol).expect("seeds decode");
                let json = rift_dynamic::json::to_json(schema, &ty, &value).to_string();
                corpus.write("dynamic_json", type_name, &with_byte(choice, json.as_bytes()));
            }
        }

        for (i, (method, message)) in calls(protocol).into_iter().enumerate() {
            if protocol != Protocol::Json {
                // The low bit picks binary or compact; the rest, the size of the pieces.
                let choice = usize::from(protocol == Protocol::Compact) | (i * 7 % 128) << 1;
                let mut two = message.clone();
                two.extend_from_slice(&message);
                corpus.write("unframed", &format!("{method}-{lower}"), &with_byte(choice, &two));
            }
            let whole = with_byte(p, &message);
            corpus.write("processor", &format!("{method}-{lower}"), &whole);
            corpus.write("dynamic_processor", &format!("{method}-{lower}"), &whole);
        }
    }

    // Connections: calls in every format (two back to back), in pieces of every size.
    let (echo, ping) = (EchoArgs { everything: everything.clone() }, PingArgs {});
    for (f, format) in formats().into_iter().enumerate() {
        let mut stream = framed_call(format, &call(format.protocol, None, "echo", false, &echo));
        stream.extend(framed_call(format, &call(format.protocol, None, "ping", false, &ping)));
        let step = 1 + 7 * f;
        corpus.write("stream", &name(format), &with_byte(step, &stream));
        corpus.write("dynamic_processor", &format!("stream-{}", name(format)), &with_byte(step, &stream));
        if matches!(format.framing, Framing::Header | Framing::FramedHeader) && !format.zlib {
            corpus.write("header_frame", &name(format), &stream);
        }
        let mut answer = vec![u8::try_from(f).expect("few formats"), 13];
        answer.extend(reply(&framed_call(format, &call(format.protocol, None, "echo", false, &echo))));
        corpus.write("client", &name(format), &answer);
    }
    println!("wrote {} seeds under {dir}", corpus.count);
}
