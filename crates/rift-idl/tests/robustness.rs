//! No input makes the front end panic, hang or overflow the stack: random text, random
//! token soup, mutations of valid files, and very deep nesting.

use proptest::prelude::*;
use rift_idl::{Loader, Schema};

/// Loads `text` as an in-memory file and checks what any result must satisfy: every
/// label lies inside its file, and every diagnostic renders.
fn check(text: &str) -> Schema {
    let schema = Loader::new().source("fuzz.thrift", text).load("fuzz.thrift");
    for d in schema.diagnostics() {
        for label in &d.labels {
            let len = schema.sources().get(label.span.file).text().len() as u32;
            assert!(
                label.span.start <= label.span.end && label.span.end <= len,
                "label {:?} outside the file",
                label.span
            );
        }
        let rendered = d.render(schema.sources(), false);
        assert!(rendered.contains(&d.message), "{:?} not in {rendered}", d.message);
    }
    schema
}

const TOKENS: &[&str] = &[
    "struct",
    "union",
    "exception",
    "enum",
    "const",
    "typedef",
    "service",
    "extends",
    "throws",
    "oneway",
    "async",
    "void",
    "include",
    "cpp_include",
    "namespace",
    "required",
    "optional",
    "list",
    "set",
    "map",
    "i8",
    "i16",
    "i32",
    "i64",
    "bool",
    "byte",
    "double",
    "string",
    "binary",
    "uuid",
    "cpp_type",
    "xsd_all",
    "xsd_optional",
    "xsd_nillable",
    "xsd_attrs",
    "senum",
    "slist",
    "cpp_namespace",
    "true",
    "false",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "<",
    ">",
    ",",
    ";",
    ":",
    "=",
    "*",
    "&",
    ".",
    "+",
    "-",
    "@",
    "1",
    "-7",
    "0x1F",
    "1.5",
    "1e3",
    "99999999999999999999",
    "\"s\"",
    "'q'",
    "\"bad\\q\"",
    "\"open",
    "Foo",
    "bar",
    "a.b",
    "Color.RED",
    "x",
    "/** doc */",
    "/* c */",
    "# c\n",
    "// c\n",
    "\n",
    "/* open",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..200).prop_map(|t| t.join(" "))
}

const SEEDS: &[&str] = &[
    include_str!("golden/struct_ok.thrift"),
    include_str!("golden/service_ok.thrift"),
    include_str!("golden/const_ok.thrift"),
    include_str!("golden/enum_ok.thrift"),
    include_str!("golden/types_ok.thrift"),
    include_str!("golden/annotations_ok.thrift"),
    include_str!("golden/union_ok.thrift"),
];

#[derive(Clone, Debug)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, &'static str),
    Duplicate(usize, usize),
}

fn apply(seed: &str, edits: &[Edit]) -> String {
    let mut text: Vec<u8> = seed.as_bytes().to_vec();
    for edit in edits {
        let len = text.len().max(1);
        match *edit {
            Edit::Delete(at, n) => {
                let at = at % len;
                let end = (at + n % 40).min(text.len());
                text.drain(at.min(text.len())..end);
            }
            Edit::Insert(at, token) => {
                let at = (at % len).min(text.len());
                text.splice(at..at, token.bytes());
            }
            Edit::Duplicate(at, n) => {
                let at = (at % len).min(text.len());
                let end = (at + n % 80).min(text.len());
                let chunk = text[at..end].to_vec();
                text.splice(end..end, chunk);
            }
        }
    }
    String::from_utf8_lossy(&text).into_owned()
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(a, n)| Edit::Delete(a, n)),
        (any::<usize>(), prop::sample::select(TOKENS)).prop_map(|(a, t)| Edit::Insert(a, t)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, n)| Edit::Duplicate(a, n)),
    ];
    prop::collection::vec(edit, 1..8)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        check(&text);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        check(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn token_soup_never_panics(text in token_soup()) {
        check(&text);
    }

    #[test]
    fn mutated_files_never_panic(seed in prop::sample::select(SEEDS), edits in edits()) {
        check(&apply(seed, &edits));
    }
}

#[test]
fn seeds_are_valid() {
    for seed in SEEDS {
        let schema = Loader::new()
            .include_dir("tests/golden")
            .source("tests/golden/seed.thrift", *seed)
            .load("tests/golden/seed.thrift");
        assert!(!schema.has_errors(), "{:?}", schema.diagnostics());
    }
}

/// 100,000 levels of nesting get one clear error, not a stack overflow. The test runs
/// on a thread with the default test stack.
#[test]
fn deep_nesting_is_an_error() {
    const N: usize = 100_000;
    let cases = [
        format!("struct A {{ 1: {}i32{} x }}", "list<".repeat(N), ">".repeat(N)),
        format!("typedef {}i32{} T", "map<i32, ".repeat(N), ">".repeat(N)),
        format!("const list<i32> X = {}{}", "[".repeat(N), "]".repeat(N)),
        format!("const map<i32, i32> X = {}2{}", "{1: ".repeat(N), "}".repeat(N)),
        format!("struct A {{ 1: i32 x {}}}", "xsd_attrs { 1: i32 y ".repeat(N) + &"}".repeat(N)),
        "{".repeat(N),
        "struct A { 1: i32 x = ".to_string() + &"[".repeat(N),
    ];
    for text in &cases {
        let schema = check(text);
        let errors: Vec<_> = schema.diagnostics().iter().filter(|d| d.is_error()).collect();
        assert!(!errors.is_empty(), "no error for deep nesting");
        if !text.starts_with('{') {
            assert_eq!(errors[0].code, "nesting-too-deep", "{}", errors[0].message);
            assert!(errors.len() <= 3, "one error expected, got {}", errors.len());
        }
    }
}
