//! Generated types: round trips in every protocol, defaults, required fields, unknown
//! enum values and unknown fields, awkward names.

use rift::{Decode, Encode, ErrorKind, Limits, Protocol};
use rift_generated_tests::idl::{constants, empty, keywords, recursion, services, unknown};

const PROTOCOLS: [Protocol; 3] = [Protocol::Binary, Protocol::Compact, Protocol::Json];

fn round_trip<T: Encode + Decode + PartialEq + std::fmt::Debug>(value: &T) {
    for protocol in PROTOCOLS {
        let bytes = rift::to_vec(value, protocol).unwrap();
        let back: T = rift::from_slice(&bytes, protocol, Limits::default()).unwrap();
        assert_eq!(&back, value, "{protocol:?}");
        // Maps and sets are hashed: their entries may be written in another order, but
        // never to other bytes in length, nor to another value.
        let again = rift::to_vec(&back, protocol).unwrap();
        assert_eq!(again.len(), bytes.len(), "{protocol:?} re-encoding");
        assert_eq!(&rift::from_slice::<T>(&again, protocol, Limits::default()).unwrap(), value);
    }
}

#[test]
fn structs_round_trip() {
    let request = services::Request {
        seq: 7,
        user: "ünïcode ✓".into(),
        flag: Some(true),
        items: vec![rift_generated_tests::idl::deep::middle::Wrapper {
            info: rift_generated_tests::idl::deep::nested::base::Info { name: "x".into() },
            history: vec![Default::default(), Default::default()],
        }],
    };
    round_trip(&request);
    round_trip(&services::Request::default());
    round_trip(&constants::CUSTOM.clone());
    round_trip(&empty::Nothing {});
}

#[test]
fn keywords_and_clashes_round_trip() {
    let value = keywords::Type {
        r#type: 1,
        self_: "self".into(),
        r#async: true,
        r#fn: vec![1, 2],
        r#struct: [("k".into(), "v".into())].into_iter().collect(),
        r#match: keywords::Match::LOOP,
        super_: -1,
        crate_: "crate".into(),
        self2: 0.5,
        __: rift::codegen::Bytes::from_static(b"\x00\xff"),
    };
    round_trip(&value);
    assert_eq!(keywords::Match::FN.0, 0);
    assert_eq!(keywords::Match::SELF.0, 6);
    assert_eq!(keywords::Match::VALUES2.0, 7);
    assert_eq!(keywords::Match::VALUES.len(), 4);
    let clash = rift_generated_tests::idl::clashes::MyStruct { foo_bar: 1, foo_bar2: 2, foo_bar3: 3 };
    round_trip(&clash);
    round_trip(&rift_generated_tests::idl::clashes::MyStruct2 { value: "v".into() });
    round_trip(&keywords::Self_ { r#where: 3 });
    round_trip(&rift_generated_tests::idl::clashes::Variants::Unknown3("u".into()));
    assert_eq!(rift_generated_tests::idl::clashes::MAX_ITEMS, 1);
    assert_eq!(rift_generated_tests::idl::clashes::MAX_ITEMS2, 2);
}

#[test]
fn defaults_are_honoured() {
    let d = constants::Defaults::default();
    assert_eq!(d.count, 10);
    assert_eq!(d.name, "unnamed");
    assert_eq!(d.color, constants::Color::GREEN);
    assert_eq!(d.primes, [2, 3, 5]);
    assert_eq!(d.weights["b"], 2);
    assert_eq!(d.nickname.as_deref(), Some("nick"));
    assert_eq!(d.origin, constants::Point { x: 0.0, y: 0.0 });
    assert!(d.tags.contains("x"));
    assert!(d.enabled);
    assert_eq!(&d.magic[..], b"magic");
    assert_eq!(d.id.to_string(), "00112233-4455-6677-8899-aabbccddeeff");
    assert_eq!(d.created, 1_700_000_000_000);
    assert_eq!((d.ratio, d.small, d.medium), (0.25, -128, 32767));
    // A field without a default takes its type's default, even inside a default struct.
    assert_eq!(constants::Point::default().x, 1.5);
    // Absent fields decode to their defaults.
    for protocol in PROTOCOLS {
        let only_needed = rift::to_vec(&empty::Nothing {}, protocol).unwrap();
        let err =
            rift::from_slice::<constants::Defaults>(&only_needed, protocol, Limits::default()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::MissingField);
        assert!(err.to_string().contains("needed"), "{err}");
    }
}

#[test]
fn constants_have_their_values() {
    assert_eq!(
        (constants::YES, constants::TINY, constants::SHORT, constants::INT, constants::LONG),
        (true, -128, 32767, i32::MIN, i64::MAX)
    );
    assert_eq!(constants::GREETING, "hello\n\"world\"");
    assert_eq!(constants::BYTES, b"abc");
    assert_eq!(constants::ID.to_string(), "00112233-4455-6677-8899-aabbccddeeff");
    assert_eq!(constants::FAVOURITE, constants::Color::BLUE);
    assert_eq!(constants::BY_NUMBER, constants::Color::GREEN);
    assert_eq!(*constants::PRIMES, [2, 3, 5, 7]);
    assert_eq!(*constants::MORE, *constants::PRIMES);
    assert_eq!(*constants::NAMES, ["a", "b"]);
    assert!(constants::COLORS.contains(&constants::Color::RED));
    assert_eq!(constants::PATHS["line"][1], constants::Point { x: 1.5, y: 3.0 });
    assert_eq!(constants::COLOR_NAMES[&constants::Color::BLUE], "blue");
    assert_eq!(constants::CUSTOM.count, 3);
    assert_eq!(constants::CUSTOM.name, "unnamed");
    assert_eq!(constants::DOUBLES.0, [1.5, 2.5]);
    assert_eq!(constants::BY_DOUBLE.0[0].1, "one and a half");
    assert_eq!(constants::NOT_A_NUMBER_AS_INT, 3.0);
}

#[test]
fn recursive_types() {
    let mut tree = recursion::Tree { value: 0, ..Default::default() };
    for depth in 1..40 {
        tree = recursion::Tree {
            value: depth,
            children: vec![tree.clone()],
            parent: None,
            sibling: Some(Box::new(recursion::Tree { value: -depth, ..Default::default() })),
        };
    }
    round_trip(&tree);
    let a = recursion::A {
        b: Some(Box::new(recursion::B { a: Some(Box::new(recursion::A::default())) })),
        depth: 2,
    };
    round_trip(&a);
    let holder = recursion::Holder { leaf: Box::new(recursion::Leaf { name: "leaf".into() }), maybe: None };
    round_trip(&holder);
    let expr = recursion::Expr::Sum(vec![
        recursion::Expr::Number(1),
        recursion::Expr::Negate(Box::new(recursion::Expr::Number(2))),
    ]);
    round_trip(&expr);
    let chain =
        recursion::Chain { message: "outer".into(), cause: Some(Box::new(recursion::Chain::default())) };
    round_trip(&chain);
    let error: &dyn std::error::Error = &chain;
    assert!(error.to_string().contains("outer"));
}

#[test]
fn unknown_enum_values_survive() {
    let old = unknown::Old { id: 1, status: unknown::Status(42) };
    for protocol in PROTOCOLS {
        let bytes = rift::to_vec(&old, protocol).unwrap();
        let back: unknown::Old = rift::from_slice(&bytes, protocol, Limits::default()).unwrap();
        assert_eq!(back.status.0, 42);
        assert_eq!(back.status.name(), None);
        assert_eq!(format!("{:?}", back.status), "Status(42)");
        assert_eq!(rift::to_vec(&back, protocol).unwrap(), bytes);
    }
    assert_eq!(unknown::Status::from_name("DOWN"), Some(unknown::Status::DOWN));
    assert_eq!(format!("{:?}", unknown::Status::DOWN), "DOWN");
}

#[test]
fn unknown_fields_and_union_members_survive() {
    let new = unknown::New {
        id: 9,
        status: unknown::Status::DOWN,
        added: "new field".into(),
        complex: vec![[("pi".into(), 3.25)].into_iter().collect()],
        token: rift::Uuid([7; 16]),
    };
    for protocol in PROTOCOLS {
        let bytes = rift::to_vec(&new, protocol).unwrap();
        let old: unknown::Old = rift::from_slice(&bytes, protocol, Limits::default()).unwrap();
        assert_eq!(old, unknown::Old { id: 9, status: unknown::Status::DOWN });
        let text = rift::to_vec(&unknown::NewChoice::Text("t".into()), protocol).unwrap();
        let choice: unknown::OldChoice = rift::from_slice(&text, protocol, Limits::default()).unwrap();
        assert_eq!(choice, unknown::OldChoice::Unknown(2));
        let number = rift::to_vec(&unknown::NewChoice::Number(5), protocol).unwrap();
        let choice: unknown::OldChoice = rift::from_slice(&number, protocol, Limits::default()).unwrap();
        assert_eq!(choice, unknown::OldChoice::Number(5));
    }
}

#[test]
fn a_union_with_two_members_is_an_error() {
    // `Request` has 1: i32 and 2: string, as `NewChoice` does: both set is not a union.
    let both = services::Request { seq: 1, user: "x".into(), ..Default::default() };
    for protocol in PROTOCOLS {
        let bytes = rift::to_vec(&both, protocol).unwrap();
        let err = rift::from_slice::<unknown::NewChoice>(&bytes, protocol, Limits::default()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidValue, "{err}");
    }
}

#[test]
fn exceptions_display_their_name_and_message() {
    let overloaded = services::Overloaded { message: "busy".into(), retry_after_ms: 5 };
    assert_eq!(overloaded.to_string(), "Overloaded: busy");
    // No field called `message` or `msg`: the first string field.
    assert_eq!(services::NotFound { key: "k1".into() }.to_string(), "NotFound: k1");
    // No string field at all: the fields as `Debug` shows them.
    assert_eq!(empty::Nobody {}.to_string(), "Nobody");
    let as_error: Box<dyn std::error::Error> = Box::new(overloaded);
    assert_eq!(as_error.to_string(), "Overloaded: busy");
}

#[test]
fn extra_derives_from_the_builder() {
    // build.rs asks for `Eq` and `Hash` on `services.NotFound` in the serde build only.
    use rift_generated_tests::with_serde::services::NotFound;
    let set: std::collections::HashSet<NotFound> =
        [NotFound { key: "a".into() }, NotFound { key: "a".into() }].into_iter().collect();
    assert_eq!(set.len(), 1);
}
