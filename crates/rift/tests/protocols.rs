//! One behavioural suite, written once and run against every protocol: round trips of
//! arbitrary values (property tests), skipping, limits, and the error cases.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use rift::protocol::binary::{BinaryReader, BinaryWriter};
use rift::protocol::compact::{CompactReader, CompactWriter};
use rift::protocol::json::{JsonReader, JsonWriter};
use rift::{Decode, Encode, ErrorKind, Limits, MessageType, ProtocolReader, ProtocolWriter, TType, Uuid};
use support::Color;

thrift_struct! {
    struct Point {
        1: default x: f64,
        2: default y: f64,
    }
}

thrift_struct! {
    struct Scalars {
        1: default b: bool,
        2: default by: i8,
        3: default s: i16,
        4: default i: i32,
        5: default l: i64,
        6: default d: f64,
        7: default text: String,
        8: default bin: Vec<u8>,
        9: default id: Uuid,
        10: default color: Color,
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
    }
}

thrift_struct! {
    struct Ids {
        -32768: optional min: i32,
        -1: optional neg: i32,
        1: optional one: i32,
        15: optional fifteen: i32,
        16: optional sixteen: i32,
        31: optional thirty_one: i32,
        100: optional hundred: i32,
        32767: optional max: i32,
        50: optional flag: bool,
        51: optional other_flag: bool,
    }
}

thrift_struct! {
    struct Everything {
        1: required scalars: Scalars,
        2: optional containers: Containers,
        3: optional ids: Ids,
        4: optional point: Point,
    }
}

thrift_struct! {
    /// Knows none of the fields of `Everything`: decoding skips them all.
    struct Nothing {}
}

thrift_struct! {
    struct Node {
        1: optional child: Box<Node>,
        2: optional children: Vec<Node>,
    }
}

thrift_struct! {
    struct RequiresName {
        1: required name: String,
    }
}

thrift_struct! {
    struct OnlyBinary {
        7: default text: Vec<u8>,
    }
}

thrift_struct! {
    struct LongList {
        1: default items: Vec<i64>,
    }
}

/// Compares values with NaN equal to NaN and -0.0 different from 0.0, as bytes are.
fn same_bits(a: &Everything, b: &Everything) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

fn arb_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(-0.0),
        Just(0.0),
        Just(f64::MAX),
        Just(f64::MIN_POSITIVE),
    ]
}

prop_compose! {
    fn arb_point()(x in arb_f64(), y in arb_f64()) -> Point { Point { x, y } }
}

prop_compose! {
    fn arb_scalars()(
        b in any::<bool>(), by in any::<i8>(), s in any::<i16>(), i in any::<i32>(), l in any::<i64>(),
        d in arb_f64(), text in "\\PC*", bin in prop::collection::vec(any::<u8>(), 0..64),
        id in any::<[u8; 16]>(), color in any::<i32>(),
    ) -> Scalars {
        Scalars { b, by, s, i, l, d, text, bin, id: Uuid(id), color: Color(color) }
    }
}

prop_compose! {
    fn arb_containers()(
        ints in prop::collection::vec(any::<i32>(), 0..20),
        names in prop::collection::btree_set("\\PC{0,8}", 0..6),
        weights in prop::collection::btree_map("\\PC{0,8}", any::<i64>(), 0..6),
        flags in prop::collection::vec(any::<bool>(), 0..20),
        nested in prop::collection::btree_map(any::<i32>(), prop::collection::vec(arb_point(), 0..3), 0..3),
        matrix in prop::collection::vec(prop::collection::vec("\\PC{0,4}", 0..3), 0..3),
        blobs in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..8), 0..3),
        doubles in prop::collection::vec(arb_f64(), 0..5),
        bool_map in prop::collection::btree_map(any::<bool>(), any::<bool>(), 0..2),
        bytes in prop::collection::vec(any::<i8>(), 0..20),
    ) -> Containers {
        Containers { ints, names, weights, flags, nested, matrix, blobs, doubles, bool_map, bytes }
    }
}

prop_compose! {
    fn arb_ids()(
        min in any::<Option<i32>>(), neg in any::<Option<i32>>(), one in any::<Option<i32>>(),
        fifteen in any::<Option<i32>>(), sixteen in any::<Option<i32>>(), thirty_one in any::<Option<i32>>(),
        hundred in any::<Option<i32>>(), max in any::<Option<i32>>(), flag in any::<Option<bool>>(),
        other_flag in any::<Option<bool>>(),
    ) -> Ids {
        Ids { min, neg, one, fifteen, sixteen, thirty_one, hundred, max, flag, other_flag }
    }
}

prop_compose! {
    fn arb_everything()(
        scalars in arb_scalars(), containers in proptest::option::of(arb_containers()),
        ids in proptest::option::of(arb_ids()), point in proptest::option::of(arb_point()),
    ) -> Everything {
        Everything { scalars, containers, ids, point }
    }
}

/// The suite, for one protocol: `$writer` and `$reader` construct the protocol over a
/// buffer and a slice with limits.
macro_rules! protocol_suite {
    ($module:ident, $writer:expr, $reader:expr) => {
        mod $module {
            use super::*;

            fn encode<T: Encode>(value: &T) -> Vec<u8> {
                let mut buf = Vec::new();
                value.encode(&mut $writer(&mut buf, &Limits::default())).expect("encodes");
                buf
            }

            fn decode<T: Decode>(bytes: &[u8]) -> rift::Result<T> {
                T::decode(&mut $reader(bytes, Limits::default()))
            }

            fn decode_with<T: Decode>(bytes: &[u8], limits: Limits) -> rift::Result<T> {
                T::decode(&mut $reader(bytes, limits))
            }

            proptest! {
                #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

                #[test]
                fn round_trip(value in arb_everything()) {
                    let bytes = encode(&value);
                    let back: Everything = decode(&bytes).expect("decodes");
                    prop_assert!(same_bits(&value, &back), "{value:?} became {back:?}");
                    // Encoding is deterministic.
                    prop_assert_eq!(encode(&back), bytes);
                }

                #[test]
                fn skipping_consumes_everything(value in arb_everything()) {
                    let bytes = encode(&value);
                    let _: Nothing = decode(&bytes).expect("every field is skipped");
                }

                #[test]
                fn every_prefix_is_an_error(value in arb_everything(), cut in any::<prop::sample::Index>()) {
                    let bytes = encode(&value);
                    let end = cut.index(bytes.len());
                    let result: rift::Result<Everything> = decode(&bytes[..end]);
                    prop_assert!(result.is_err(), "a prefix of {end} of {} bytes decoded", bytes.len());
                }

                #[test]
                fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
                    let _: rift::Result<Everything> = decode(&bytes);
                    let _: rift::Result<Nothing> = decode(&bytes);
                    let mut r = $reader(&bytes, Limits::default());
                    let _ = r.read_message_begin();
                }

                #[test]
                fn mutated_encodings_never_panic(value in arb_everything(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
                    let mut bytes = encode(&value);
                    if !bytes.is_empty() {
                        let i = at.index(bytes.len());
                        bytes[i] = byte;
                    }
                    let _: rift::Result<Everything> = decode(&bytes);
                    let _: rift::Result<Nothing> = decode(&bytes);
                }
            }

            #[test]
            fn messages_round_trip() {
                for (kind, seq) in [(MessageType::Call, 0), (MessageType::Reply, -1), (MessageType::Exception, i32::MAX), (MessageType::Oneway, i32::MIN)] {
                    let mut buf = Vec::new();
                    let point = Point { x: 1.5, y: -2.0 };
                    rift::message::write_message(&mut $writer(&mut buf, &Limits::default()), "getTemperature", kind, seq, &point).unwrap();
                    let mut r = $reader(&buf, Limits::default());
                    let header = r.read_message_begin().unwrap();
                    assert_eq!((&*header.name, header.kind, header.seq), ("getTemperature", kind, seq));
                    let back: Point = rift::message::read_body(&mut r).unwrap();
                    assert_eq!(back, point);
                }
            }

            #[test]
            fn application_exceptions_round_trip() {
                for code in (0..=10).chain([42]) {
                    let e = rift::ApplicationException::new(rift::ApplicationExceptionKind::from_code(code), format!("code {code}"));
                    let back: rift::ApplicationException = decode(&encode(&e)).unwrap();
                    assert_eq!(back, e);
                    assert_eq!(back.kind.code(), code);
                }
            }

            #[test]
            fn multiplexed_names_only_calls() {
                let mut buf = Vec::new();
                {
                    let mut w = rift::protocol::multiplexed::MultiplexedWriter::new($writer(&mut buf, &Limits::default()), "Weather");
                    w.write_message_begin("ping", MessageType::Call, 1).unwrap();
                    w.write_struct_begin("args").unwrap();
                    w.write_field_stop().unwrap();
                    w.write_struct_end().unwrap();
                    w.write_message_end().unwrap();
                    w.write_message_begin("ping", MessageType::Reply, 1).unwrap();
                    w.write_struct_begin("result").unwrap();
                    w.write_field_stop().unwrap();
                    w.write_struct_end().unwrap();
                    w.write_message_end().unwrap();
                }
                let mut r = $reader(&buf, Limits::default());
                let call = r.read_message_begin().unwrap();
                assert_eq!(call.name, "Weather:ping");
                assert_eq!(rift::protocol::multiplexed::split_service(&call.name), Some(("Weather", "ping")));
                rift::message::skip_body(&mut r).unwrap();
                let reply = r.read_message_begin().unwrap();
                assert_eq!(reply.name, "ping");
            }

            #[test]
            fn missing_required_field_says_which() {
                let bytes = encode(&Nothing {});
                let err = decode::<RequiresName>(&bytes).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::MissingField);
                assert!(err.to_string().contains("`name` of `RequiresName`"), "{err}");
            }

            #[test]
            fn invalid_utf8_is_rejected_with_its_path() {
                let bytes = if stringify!($module) == "json" {
                    // In JSON a binary is base64, so put the bad bytes in the text itself.
                    b"{\"7\":{\"str\":\"a\xff\xfe\"}}".to_vec()
                } else {
                    encode(&OnlyBinary { text: vec![b'a', 0xff, 0xfe] })
                };
                let err = decode::<Scalars>(&bytes).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::InvalidData);
                assert_eq!(err.path_string(), "Scalars.text");
                let wrapped = encode(&Everything {
                    scalars: Scalars::default(),
                    containers: Some(Containers { matrix: vec![vec![], vec!["ok".into()]], ..Containers::default() }),
                    ..Everything::default()
                });
                assert!(decode::<Everything>(&wrapped).is_ok());
            }

            #[test]
            fn field_of_another_type_is_skipped() {
                // Field 4 is i32 in Scalars; here it is a string, so it is skipped.
                thrift_struct! { struct Mistyped { 4: default i: String, 5: default l: i64 } }
                let bytes = encode(&Mistyped { i: "not a number".into(), l: 7 });
                let back: Scalars = decode(&bytes).unwrap();
                assert_eq!((back.i, back.l), (0, 7));
            }

            #[test]
            fn list_of_another_element_type_is_an_error() {
                thrift_struct! { struct Strings { 1: default ints: Vec<String> } }
                let bytes = encode(&Strings { ints: vec!["a".into()] });
                let err = decode::<Containers>(&bytes).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::InvalidData);
                assert_eq!(err.path_string(), "Containers.ints");
            }

            #[test]
            fn deep_nesting_is_a_depth_error() {
                // 10,000 nested structs, written with a raised limit.
                let mut buf = Vec::new();
                let deep = Limits::default().max_depth(20_000);
                {
                    let mut w = $writer(&mut buf, &deep);
                    for _ in 0..10_000 {
                        w.write_struct_begin("Node").unwrap();
                        w.write_field_begin("child", TType::Struct, 1).unwrap();
                    }
                    w.write_struct_begin("Node").unwrap();
                    w.write_field_stop().unwrap();
                    w.write_struct_end().unwrap();
                    for _ in 0..10_000 {
                        w.write_field_end().unwrap();
                        w.write_field_stop().unwrap();
                        w.write_struct_end().unwrap();
                    }
                }
                let err = decode::<Node>(&buf).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::DepthLimit, "{err}");
                let err = decode::<Nothing>(&buf).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::DepthLimit, "{err}");
                // With a raised limit, nesting within it decodes.
                let mut buf = Vec::new();
                {
                    let mut w = $writer(&mut buf, &deep);
                    for _ in 0..300 {
                        w.write_struct_begin("Node").unwrap();
                        w.write_field_begin("child", TType::Struct, 1).unwrap();
                    }
                    w.write_struct_begin("Node").unwrap();
                    w.write_field_stop().unwrap();
                    w.write_struct_end().unwrap();
                    for _ in 0..300 {
                        w.write_field_end().unwrap();
                        w.write_field_stop().unwrap();
                        w.write_struct_end().unwrap();
                    }
                }
                let node = decode_with::<Node>(&buf, Limits::default().max_depth(400)).unwrap();
                let mut depth = 0;
                let mut cur = &node;
                while let Some(child) = &cur.child {
                    depth += 1;
                    cur = child;
                }
                assert_eq!(depth, 300);
                // Deep lists of lists.
                let mut buf = Vec::new();
                {
                    let mut w = $writer(&mut buf, &deep);
                    for _ in 0..10_000 {
                        w.write_list_begin(TType::List, 1).unwrap();
                    }
                    w.write_list_begin(TType::I32, 0).unwrap();
                    w.write_list_end().unwrap();
                    for _ in 0..10_000 {
                        w.write_list_end().unwrap();
                    }
                }
                let mut r = $reader(&buf, Limits::default());
                assert_eq!(r.skip(TType::List).unwrap_err().kind(), ErrorKind::DepthLimit);
                // Encoding refuses to nest deeper than the limit too.
                let mut deep_node = Node::default();
                for _ in 0..100 {
                    deep_node = Node { child: Some(Box::new(deep_node)), children: None };
                }
                let mut buf = Vec::new();
                let err = deep_node.encode(&mut $writer(&mut buf, &Limits::default())).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::DepthLimit);
                std::mem::forget(deep_node);
            }

            #[test]
            fn lengths_beyond_the_limits_fail_before_allocating() {
                let big = encode(&LongList { items: (0..1000).collect() });
                let err = decode_with::<LongList>(&big, Limits::default().max_container_len(999)).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::SizeLimit, "{err}");
                assert!(decode_with::<LongList>(&big, Limits::default().max_container_len(1000)).is_ok());
                let text = encode(&Scalars { text: "x".repeat(100), ..Scalars::default() });
                let err = decode_with::<Scalars>(&text, Limits::default().max_string_len(99)).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::SizeLimit, "{err}");
            }
        }
    };
}

protocol_suite!(binary, BinaryWriter::with_limits, BinaryReader::with_limits);
protocol_suite!(compact, CompactWriter::with_limits, CompactReader::with_limits);
protocol_suite!(json, JsonWriter::with_limits, JsonReader::with_limits);

/// A 2 GB length prefix on a 20-byte message fails at once with a limit error.
#[test]
fn two_gigabyte_length_prefix_fails_fast() {
    // Binary: a string field whose length says 2^31 - 1.
    let mut binary = vec![11, 0, 7, 0x7f, 0xff, 0xff, 0xff];
    binary.resize(20, b'x');
    let err = Scalars::decode(&mut BinaryReader::new(&binary)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SizeLimit, "{err}");
    assert_eq!(err.path_string(), "Scalars.text");
    // Binary: a list of 2^31 - 1 i64 elements.
    let mut list = vec![15, 0, 1, 10, 0x7f, 0xff, 0xff, 0xff];
    list.resize(20, 0);
    let err = LongList::decode(&mut BinaryReader::new(&list)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SizeLimit, "{err}");
    // Compact: a binary field of length 2^31 - 1 (varint), and a list of as many i64s.
    let mut compact = vec![0x78, 0xff, 0xff, 0xff, 0xff, 0x07];
    compact.resize(20, b'x');
    let err = Scalars::decode(&mut CompactReader::new(&compact)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SizeLimit, "{err}");
    let mut compact_list = vec![0x19, 0xf6, 0xff, 0xff, 0xff, 0xff, 0x07];
    compact_list.resize(20, 0);
    let err = LongList::decode(&mut CompactReader::new(&compact_list)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SizeLimit, "{err}");
    // JSON: a list that claims 2^31 - 1 elements.
    let json = br#"{"1":{"lst":["i64",2147483647,1]}}"#;
    let err = LongList::decode(&mut JsonReader::new(json)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SizeLimit, "{err}");
}

/// Negative sizes are their own error.
#[test]
fn negative_sizes() {
    let bytes = [11, 0, 7, 0xff, 0xff, 0xff, 0xfe, 0];
    let err = Scalars::decode(&mut BinaryReader::new(&bytes)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NegativeSize);
}
