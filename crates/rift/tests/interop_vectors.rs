//! Golden vectors from the reference libraries: `tests/interop/vectors.py` encodes every
//! case with Apache Thrift's Python library (pure and C-accelerated) and thriftpy2; rift
//! decodes each to the expected value and re-encodes it byte-exactly. Then the other
//! direction: the Python libraries decode what rift encodes.
//!
//! Needs Python with `thrift` and `thriftpy2` (`scripts/setup.sh` installs them into
//! `.venv`; set `RIFT_PYTHON` to use another interpreter). Without them the test says so
//! and passes, except under `CI=true`, where it fails.
//!
//! Where the reference libraries disagree with each other the comparison is by value:
//! Apache's Python JSON writer leaves control characters unescaped and writes NaN and
//! infinities as bare `nan`/`inf` (C++ and Java escape them and quote them, as rift
//! does); thriftpy2's JSON writes `1.0` for doubles and escapes non-ASCII text. Python's
//! zlib and Rust's compress to different bytes, so zlib frames compare by content.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use rift::header::{self, FrameOptions, SubProtocol};
use rift::protocol::binary::{BinaryReader, BinaryWriter};
use rift::protocol::compact::{CompactReader, CompactWriter};
use rift::protocol::json::{JsonReader, JsonWriter};
use rift::protocol::simple_json::SimpleJsonWriter;
use rift::{
    ApplicationException, ApplicationExceptionKind, Decode, Encode, Limits, MessageType, ProtocolReader,
    ProtocolWriter, TType, Uuid,
};
use serde_json::Value;
use support::Color;

thrift_struct! { struct Point { 1: default x: f64, 2: default y: f64 } }

thrift_struct! {
    struct Scalars {
        1: default b: bool, 2: default by: i8, 3: default s: i16, 4: default i: i32, 5: default l: i64,
        6: default d: f64, 7: default text: String, 8: default bin: Vec<u8>, 10: default color: Color,
    }
}

thrift_struct! {
    struct Containers {
        1: default ints: Vec<i32>,
        2: default names: BTreeSet<String>,
        3: default weights: BTreeMap<String, i64>,
        4: default flags: Vec<bool>,
        5: default nested: BTreeMap<i32, Vec<Point>>,
        6: default matrix: Vec<Vec<String>>,
        7: default blobs: Vec<Vec<u8>>,
        8: default doubles: Vec<f64>,
        9: default bool_map: BTreeMap<bool, bool>,
        10: default bytes: Vec<i8>,
        11: default bool_set: BTreeSet<bool>,
        12: default deep: BTreeMap<String, BTreeMap<String, i32>>,
    }
}

thrift_struct! {
    struct Ids {
        1: optional one: i32, 15: optional fifteen: i32, 16: optional sixteen: i32, 31: optional thirty_one: i32,
        50: optional flag: bool, 51: optional other_flag: bool, 100: optional hundred: i32, 32767: optional max: i32,
    }
}

thrift_struct! { struct NegativeIds { -32768: optional min: i32, -1: optional neg: i32, 1: optional one: i32 } }

thrift_struct! {
    struct Everything {
        1: default scalars: Scalars, 2: optional containers: Containers, 3: optional ids: Ids, 4: optional point: Point,
    }
}

thrift_struct! { struct Nothing {} }
thrift_struct! { struct Failure { 1: default message: String, 2: default code: i32 } }
thrift_struct! { struct WithUuid { 1: default id: Uuid, 2: default ids: Vec<Uuid>, 3: default names: BTreeMap<Uuid, String> } }
thrift_struct! { struct Args { 1: default p: Point } }
thrift_struct! { struct CallResult { 0: optional success: Point, 1: optional failure: Failure } }

/// A union, as generated code will write one: exactly one member.
#[derive(Clone, Debug, PartialEq)]
enum Choice {
    Number(i32),
    Text(String),
    Point(Point),
}

impl Encode for Choice {
    const TTYPE: TType = TType::Struct;

    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> rift::Result<()> {
        w.write_struct_begin("Choice")?;
        match self {
            Choice::Number(n) => {
                w.write_field_begin("number", TType::I32, 1)?;
                n.encode(w)?;
            }
            Choice::Text(t) => {
                w.write_field_begin("text", TType::String, 2)?;
                t.encode(w)?;
            }
            Choice::Point(p) => {
                w.write_field_begin("point", TType::Struct, 3)?;
                p.encode(w)?;
            }
        }
        w.write_field_end()?;
        w.write_field_stop()?;
        w.write_struct_end()
    }
}

impl Decode for Choice {
    const TTYPE: TType = TType::Struct;

    fn decode<R: ProtocolReader + ?Sized>(r: &mut R) -> rift::Result<Self> {
        let mut value = None;
        r.read_struct_begin()?;
        loop {
            let h = r.read_field_begin()?;
            match (h.id, h.ttype) {
                (_, TType::Stop) => break,
                (1, TType::I32) => value = Some(Choice::Number(i32::decode(r)?)),
                (2, TType::String) => value = Some(Choice::Text(String::decode(r)?)),
                (3, TType::Struct) => value = Some(Choice::Point(Point::decode(r)?)),
                (_, t) => r.skip(t)?,
            }
            r.read_field_end()?;
        }
        r.read_struct_end()?;
        value.ok_or_else(|| rift::Error::invalid("empty union"))
    }
}

const UNICODE: &str = "h\u{e9}llo w\u{f6}rld \u{2713} \u{1F600} \u{65e5}\u{672c}\u{8a9e}";
const CONTROL: &str = "\x00\x01\x1f\x08\x0c\n\r\t\"\\/";
const UUID_A: &str = "00112233-4455-6677-8899-aabbccddeeff";
const UUID_B: &str = "ffffffff-0000-0000-0000-000000000001";

fn scalars() -> Scalars {
    Scalars { color: Color::RED, ..Scalars::default() }
}

fn full_containers() -> Containers {
    Containers {
        ints: vec![1, -1, i32::MAX, i32::MIN, 0],
        names: ["alpha", "beta", ""].iter().map(|s| s.to_string()).collect(),
        weights: [("a", 1), ("b", -2), ("c", 3_000_000_000)]
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect(),
        flags: vec![true, false, true, true],
        nested: BTreeMap::from([
            (-5, vec![Point { x: 1.5, y: -2.25 }]),
            (3, vec![]),
            (7, vec![Point { x: 0.0, y: 1e100 }, Point { x: -0.0, y: 5e-324 }]),
        ]),
        matrix: vec![vec!["a".into(), "b".into()], vec![], vec!["c".into()]],
        blobs: vec![vec![], vec![0, 0xff], (0..16).collect()],
        doubles: vec![0.1, -1e-300, f64::MAX, 2.5],
        bool_map: BTreeMap::from([(false, true), (true, false)]),
        bytes: vec![-128, 0, 127],
        bool_set: BTreeSet::from([true, false]),
        deep: BTreeMap::from([
            ("outer".into(), BTreeMap::from([("a".into(), 1), ("b".into(), 2)])),
            ("z".into(), BTreeMap::new()),
        ]),
    }
}

/// What a case holds.
#[derive(Clone, Debug)]
enum Expected {
    Scalars(Scalars),
    Containers(Containers),
    Ids(Ids),
    NegativeIds(NegativeIds),
    Everything(Everything),
    Choice(Choice),
    Failure(Failure),
    WithUuid(WithUuid),
    /// Every field unknown to the reader: decoded as `Nothing`.
    Unknown(Everything),
    /// A binary field (invalid UTF-8) read as a string: must fail.
    InvalidUtf8,
    Call {
        name: &'static str,
        kind: MessageType,
        seq: i32,
        body: Body,
    },
}

#[derive(Clone, Debug)]
enum Body {
    Args(Args),
    Result(CallResult),
    Exception(ApplicationException),
}

fn expected(case: &str) -> Option<Expected> {
    use Expected as E;
    let p = |x, y| Point { x, y };
    Some(match case {
        "scalars_zero" => E::Scalars(scalars()),
        "scalars_max" => E::Scalars(Scalars {
            b: true,
            by: i8::MAX,
            s: i16::MAX,
            i: i32::MAX,
            l: i64::MAX,
            d: f64::MAX,
            text: "max".into(),
            bin: vec![0xff],
            color: Color::BLUE,
        }),
        "scalars_min" => E::Scalars(Scalars {
            by: i8::MIN,
            s: i16::MIN,
            i: i32::MIN,
            l: i64::MIN,
            d: -5e-324,
            color: Color::GREEN,
            ..scalars()
        }),
        "scalars_negative_zero" => E::Scalars(Scalars { d: -0.0, ..scalars() }),
        "scalars_nan" => E::Scalars(Scalars { d: f64::NAN, ..scalars() }),
        "scalars_infinity" => E::Scalars(Scalars { d: f64::INFINITY, ..scalars() }),
        "scalars_negative_infinity" => E::Scalars(Scalars { d: f64::NEG_INFINITY, ..scalars() }),
        "scalars_fraction" => E::Scalars(Scalars { d: 0.1, l: -34_359_738_368, i: -1, ..scalars() }),
        "scalars_unicode" => E::Scalars(Scalars { text: UNICODE.into(), ..scalars() }),
        "scalars_control" => E::Scalars(Scalars { text: CONTROL.into(), ..scalars() }),
        "scalars_all_bytes" => E::Scalars(Scalars { bin: (0..=255).collect(), ..scalars() }),
        "scalars_unknown_enum" => E::Scalars(Scalars { color: Color(99), ..scalars() }),
        "containers_empty" => E::Containers(Containers::default()),
        "containers_full" => E::Containers(full_containers()),
        "containers_long" => E::Containers(Containers {
            ints: (-50..50).collect(),
            flags: (0..20).map(|i| i % 3 == 0).collect(),
            ..Containers::default()
        }),
        "ids_all" => E::Ids(Ids {
            one: Some(1),
            fifteen: Some(15),
            sixteen: Some(16),
            thirty_one: Some(31),
            flag: Some(true),
            other_flag: Some(false),
            hundred: Some(100),
            max: Some(32767),
        }),
        "ids_sparse" => {
            E::Ids(Ids { sixteen: Some(-16), other_flag: Some(true), max: Some(0), ..Ids::default() })
        }
        "ids_none" => E::Ids(Ids::default()),
        "ids_negative" => E::NegativeIds(NegativeIds { min: Some(-1), neg: Some(2), one: Some(3) }),
        "everything" => E::Everything(Everything {
            scalars: Scalars { text: "nested".into(), i: 42, ..scalars() },
            containers: Some(full_containers()),
            ids: Some(Ids { one: Some(1), max: Some(7), ..Ids::default() }),
            point: Some(p(3.0, 4.0)),
        }),
        "everything_minimal" => E::Everything(Everything { scalars: scalars(), ..Everything::default() }),
        "choice_number" => E::Choice(Choice::Number(7)),
        "choice_text" => E::Choice(Choice::Text("seven".into())),
        "choice_point" => E::Choice(Choice::Point(p(7.0, -7.0))),
        "failure" => E::Failure(Failure { message: "it broke".into(), code: 500 }),
        "uuid" => {
            let (a, b) = (Uuid::parse(UUID_A).unwrap(), Uuid::parse(UUID_B).unwrap());
            E::WithUuid(WithUuid { id: a, ids: vec![a, b], names: BTreeMap::from([(b, "b".into())]) })
        }
        "unknown_fields" => E::Unknown(Everything {
            scalars: Scalars { text: "skip me".into(), ..scalars() },
            containers: Some(full_containers()),
            ids: Some(Ids { one: Some(1), flag: Some(true), max: Some(2), ..Ids::default() }),
            point: Some(p(1.0, 2.0)),
        }),
        "invalid_utf8" => E::InvalidUtf8,
        "message_call" => E::Call {
            name: "echo",
            kind: MessageType::Call,
            seq: 1,
            body: Body::Args(Args { p: p(1.0, 2.0) }),
        },
        "message_reply" => E::Call {
            name: "echo",
            kind: MessageType::Reply,
            seq: -5,
            body: Body::Result(CallResult { success: Some(p(-1.0, 0.5)), failure: None }),
        },
        "message_reply_exception" => E::Call {
            name: "echo",
            kind: MessageType::Reply,
            seq: 7,
            body: Body::Result(CallResult {
                success: None,
                failure: Some(Failure { message: "no".into(), code: 1 }),
            }),
        },
        "message_oneway" => E::Call {
            name: "fire",
            kind: MessageType::Oneway,
            seq: i32::MAX,
            body: Body::Args(Args { p: p(0.0, 0.0) }),
        },
        "message_multiplexed" => E::Call {
            name: "Weather:echo",
            kind: MessageType::Call,
            seq: i32::MIN,
            body: Body::Args(Args { p: p(9.0, 9.0) }),
        },
        _ => {
            let code: i32 = case.strip_prefix("app_exception_")?.parse().ok()?;
            E::Call {
                name: "echo",
                kind: MessageType::Exception,
                seq: code,
                body: Body::Exception(ApplicationException::new(
                    ApplicationExceptionKind::from_code(code),
                    format!("application exception {code}: \u{fc}nicode"),
                )),
            }
        }
    })
}

/// Debug output compares NaN equal to NaN and -0.0 unequal to 0.0, as the bytes do.
fn same<T: std::fmt::Debug>(a: &T, b: &T) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

#[derive(Copy, Clone, Debug, PartialEq)]
enum Proto {
    Binary,
    Compact,
    Json,
    SimpleJson,
}

fn writer_for(proto: Proto, buf: &mut Vec<u8>) -> Box<dyn ProtocolWriter + '_> {
    match proto {
        Proto::Binary => Box::new(BinaryWriter::new(buf)),
        Proto::Compact => Box::new(CompactWriter::new(buf)),
        Proto::Json => Box::new(JsonWriter::new(buf)),
        Proto::SimpleJson => Box::new(SimpleJsonWriter::new(buf)),
    }
}

fn reader_for(proto: Proto, data: &[u8]) -> Box<dyn ProtocolReader + '_> {
    match proto {
        Proto::Binary => Box::new(BinaryReader::new(data)),
        Proto::Compact => Box::new(CompactReader::new(data)),
        Proto::Json | Proto::SimpleJson => Box::new(JsonReader::new(data)),
    }
}

/// Encodes an expected value with rift.
fn encode(expected: &Expected, proto: Proto) -> Vec<u8> {
    let mut buf = Vec::new();
    {
        let mut w = writer_for(proto, &mut buf);
        let w = &mut *w;
        match expected {
            Expected::Scalars(v) => v.encode(w),
            Expected::Containers(v) => v.encode(w),
            Expected::Ids(v) => v.encode(w),
            Expected::NegativeIds(v) => v.encode(w),
            Expected::Everything(v) | Expected::Unknown(v) => v.encode(w),
            Expected::Choice(v) => v.encode(w),
            Expected::Failure(v) => v.encode(w),
            Expected::WithUuid(v) => v.encode(w),
            Expected::InvalidUtf8 => Ok(()),
            Expected::Call { name, kind, seq, body } => match body {
                Body::Args(a) => rift::message::write_message(w, name, *kind, *seq, a),
                Body::Result(r) => rift::message::write_message(w, name, *kind, *seq, r),
                Body::Exception(e) => rift::message::write_message(w, name, *kind, *seq, e),
            },
        }
        .expect("rift encodes the case");
    }
    buf
}

/// Decodes bytes as the case's type with rift and compares with the expected value.
fn decode_and_compare(expected: &Expected, proto: Proto, data: &[u8]) -> Result<(), String> {
    fn check<T: Decode + std::fmt::Debug>(r: &mut dyn ProtocolReader, want: &T) -> Result<(), String> {
        let got = T::decode(r).map_err(|e| format!("decode failed: {e}"))?;
        if same(&got, want) { Ok(()) } else { Err(format!("decoded {got:?}, expected {want:?}")) }
    }
    let mut r = reader_for(proto, data);
    let r = &mut *r;
    match expected {
        Expected::Scalars(v) => check(r, v),
        Expected::Containers(v) => check(r, v),
        Expected::Ids(v) => check(r, v),
        Expected::NegativeIds(v) => check(r, v),
        Expected::Everything(v) => check(r, v),
        Expected::Choice(v) => check(r, v),
        Expected::Failure(v) => check(r, v),
        Expected::WithUuid(v) => check(r, v),
        Expected::Unknown(_) => check(r, &Nothing {}),
        Expected::InvalidUtf8 => match Scalars::decode(r) {
            Err(e) if e.kind() == rift::ErrorKind::InvalidData && e.path_string() == "Scalars.text" => Ok(()),
            other => Err(format!("expected an invalid UTF-8 error at Scalars.text, got {other:?}")),
        },
        Expected::Call { name, kind, seq, body } => {
            let header = r.read_message_begin().map_err(|e| format!("envelope: {e}"))?;
            if (&*header.name, header.kind, header.seq) != (*name, *kind, *seq) {
                return Err(format!("envelope {header:?}"));
            }
            let result = match body {
                Body::Args(a) => check(r, a),
                Body::Result(v) => check(r, v),
                Body::Exception(e) => check(r, e),
            };
            result.and_then(|()| r.read_message_end().map_err(|e| e.to_string()))
        }
    }
}

/// Whether rift must reproduce the reference's bytes exactly (see the module docs).
fn byte_exact(impl_name: &str, proto: Proto, case: &str) -> bool {
    let lax_json =
        matches!(case, "scalars_nan" | "scalars_infinity" | "scalars_negative_infinity" | "scalars_control");
    match proto {
        Proto::Binary | Proto::Compact => true,
        Proto::Json | Proto::SimpleJson => impl_name == "apache" && !lax_json,
    }
}

fn python() -> Option<String> {
    // RIFT_PYTHON, else the environment scripts/setup.sh makes, else the one on the path.
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python");
    let python = std::env::var("RIFT_PYTHON").ok().unwrap_or_else(|| {
        if venv.exists() { venv.to_string_lossy().into_owned() } else { "python3".into() }
    });
    let ok = Command::new(&python)
        .args(["-c", "import thrift, thriftpy2, thrift.protocol.fastbinary"])
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then_some(python)
}

fn say(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/vectors.py")
}

fn run_script(python: &str, args: &[&str]) -> String {
    let out = Command::new(python)
        .arg(script())
        .args(args)
        .env("PYTHONHASHSEED", "0")
        .output()
        .expect("python runs");
    assert!(out.status.success(), "vectors.py {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn golden_vectors_from_the_reference_libraries() {
    let Some(python) = python() else {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
        let message = "python3 with `thrift` and `thriftpy2` is missing: the golden vector test checked nothing \
                       (run scripts/setup.sh)";
        assert!(!ci, "{message}; under CI=true this is a failure");
        say(&format!("warning: {message}"));
        return;
    };
    let dir = std::env::temp_dir().join(format!("rift-vectors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let generated = dir.join("vectors.json");
    run_script(&python, &["generate", generated.to_str().unwrap()]);
    let vectors: Value = serde_json::from_slice(&std::fs::read(&generated).unwrap()).unwrap();
    let vectors = vectors["vectors"].as_array().unwrap();
    assert!(vectors.len() > 300, "only {} vectors", vectors.len());

    let mut failures = Vec::new();
    let (mut decoded, mut exact, mut by_value) = (0, 0, 0);
    for v in vectors {
        let (case, impl_name, proto_name) =
            (v["case"].as_str().unwrap(), v["impl"].as_str().unwrap(), v["protocol"].as_str().unwrap());
        let data = hex(v["hex"].as_str().unwrap());
        let label = format!("{case} from {impl_name} {proto_name}");
        if proto_name == "header" {
            if let Err(e) = check_header_frame(case, &data) {
                failures.push(format!("{label}: {e}"));
            }
            decoded += 1;
            continue;
        }
        let proto = match proto_name {
            "binary" | "cybinary" => Proto::Binary,
            "compact" => Proto::Compact,
            "json" => Proto::Json,
            "simplejson" => Proto::SimpleJson,
            other => panic!("unknown protocol {other}"),
        };
        let Some(want) = expected(case) else {
            failures.push(format!("{label}: no such case in the Rust test"));
            continue;
        };
        // In JSON a binary is base64 text, which is valid UTF-8: nothing to reject.
        let inapplicable = proto == Proto::Json && matches!(want, Expected::InvalidUtf8);
        if proto != Proto::SimpleJson && !inapplicable {
            match decode_and_compare(&want, proto, &data) {
                Ok(()) => decoded += 1,
                Err(e) => failures.push(format!("{label}: {e}")),
            }
        }
        if matches!(want, Expected::Unknown(_) | Expected::InvalidUtf8) {
            continue;
        }
        let ours = encode(&want, proto);
        if byte_exact(impl_name, proto, case) {
            if ours == data {
                exact += 1;
            } else {
                failures.push(format!(
                    "{label}: rift's bytes differ\n  reference: {}\n  rift:      {}",
                    show(&data, proto),
                    show(&ours, proto)
                ));
            }
        } else if proto == Proto::SimpleJson {
            // The reference's is not JSON here (bare nan, raw control characters); rift's must be.
            match serde_json::from_slice::<Value>(&ours) {
                Ok(_) => by_value += 1,
                Err(e) => failures.push(format!("{label}: rift's SimpleJSON is not JSON: {e}")),
            }
        } else {
            match decode_and_compare(&want, proto, &ours) {
                Ok(()) => by_value += 1,
                Err(e) => failures.push(format!("{label}: rift's own encoding does not decode: {e}")),
            }
        }
    }
    say(&format!(
        "golden vectors: {} from the reference libraries; {decoded} decoded by rift, {exact} re-encoded byte-exactly, \
         {by_value} compared by value",
        vectors.len()
    ));

    // The other direction: the reference libraries decode what rift encodes.
    let mut encodings = Vec::new();
    let mut cases: Vec<&str> = vectors.iter().map(|v| v["case"].as_str().unwrap()).collect();
    cases.sort_unstable();
    cases.dedup();
    for case in cases {
        if case.starts_with("header_") {
            continue;
        }
        let want = expected(case).expect("checked above");
        for (proto, name) in [(Proto::Binary, "binary"), (Proto::Compact, "compact"), (Proto::Json, "json")] {
            encodings.push(
                serde_json::json!({"case": case, "protocol": name, "hex": to_hex(&encode(&want, proto))}),
            );
        }
    }
    encodings.extend(our_header_frames());
    let ours = dir.join("rift.json");
    std::fs::write(&ours, serde_json::to_vec(&serde_json::json!({ "encodings": encodings })).unwrap())
        .unwrap();
    let report: Value =
        serde_json::from_str(run_script(&python, &["check", ours.to_str().unwrap()]).trim()).unwrap();
    let checked = report["checked"].as_u64().unwrap();
    for f in report["failures"].as_array().unwrap() {
        failures.push(format!("reference decoding rift's bytes: {}", f.as_str().unwrap()));
    }
    say(&format!("reverse: the reference libraries decoded rift's encodings {checked} times"));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(checked > 300, "only {checked} reverse checks ran");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

/// A header frame written by Apache's THeaderTransport: rift reads its header and
/// payload, then writes the same frame (byte-exactly, but for zlib).
fn check_header_frame(case: &str, data: &[u8]) -> Result<(), String> {
    let length = u32::from_be_bytes(data[..4].try_into().unwrap()) as usize;
    if length != data.len() - 4 {
        return Err(format!("length prefix {length} for {} bytes", data.len() - 4));
    }
    let frame = header::read_frame(&data[4..], &Limits::default()).map_err(|e| e.to_string())?;
    let want = expected("message_call").unwrap();
    let Expected::Call { body: Body::Args(args), .. } = &want else { unreachable!() };
    let proto = match frame.protocol {
        SubProtocol::Compact => Proto::Compact,
        _ => Proto::Binary,
    };
    let mut r = reader_for(proto, &frame.payload);
    let h = r.read_message_begin().map_err(|e| e.to_string())?;
    let got = Args::decode(&mut *r).map_err(|e| e.to_string())?;
    if (&*h.name, h.kind, h.seq, &got) != ("echo", MessageType::Call, 42, args) {
        return Err(format!("payload {h:?} {got:?}"));
    }
    if case == "header_info"
        && (frame.header("client") != Some(b"rift-test") || frame.header("trace") != Some(b"\x00\xff"))
    {
        return Err(format!("info headers {:?}", frame.headers));
    }
    if frame.seq_id != 42 {
        return Err(format!("frame sequence id {}", frame.seq_id));
    }
    let ours = write_header_frame(case, proto, &frame.headers);
    if case != "header_zlib" && ours != data {
        return Err(format!(
            "rift's frame differs\n  reference: {}\n  rift:      {}",
            to_hex(data),
            to_hex(&ours)
        ));
    }
    Ok(())
}

fn write_header_frame(case: &str, proto: Proto, headers: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let Expected::Call { name, kind, seq, body: Body::Args(args) } = expected("message_call").unwrap() else {
        unreachable!()
    };
    let mut payload = Vec::new();
    rift::message::write_message(&mut *writer_for(proto, &mut payload), name, kind, 42, &args).unwrap();
    let _ = seq;
    let options = FrameOptions {
        seq_id: 42,
        protocol: Some(if proto == Proto::Compact { SubProtocol::Compact } else { SubProtocol::Binary }),
        transforms: if case == "header_zlib" { vec![header::Transform::Zlib] } else { vec![] },
        headers: headers.to_vec(),
        ..FrameOptions::default()
    };
    let mut out = Vec::new();
    header::write_frame(&mut out, &options, &payload, &Limits::default())
        .expect("zlib is enabled for the tests");
    out
}

fn our_header_frames() -> Vec<Value> {
    let info = vec![(b"client".to_vec(), b"rift-test".to_vec()), (b"trace".to_vec(), b"\x00\xff".to_vec())];
    [
        ("header_binary", Proto::Binary, vec![]),
        ("header_compact", Proto::Compact, vec![]),
        ("header_info", Proto::Binary, info),
        ("header_zlib", Proto::Compact, vec![(b"k".to_vec(), b"v".to_vec())]),
    ]
    .into_iter()
    .map(|(case, proto, headers)| {
        serde_json::json!({"case": case, "protocol": "header", "hex": to_hex(&write_header_frame(case, proto, &headers))})
    })
    .collect()
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

fn to_hex(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}

fn show(data: &[u8], proto: Proto) -> String {
    match proto {
        Proto::Json | Proto::SimpleJson => String::from_utf8_lossy(data).into_owned(),
        _ => to_hex(data),
    }
}
