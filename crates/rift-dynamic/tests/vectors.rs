//! The dynamic codec on the golden vectors of the codec's interop test
//! (`crates/rift/tests/interop/vectors.py`): every struct value the reference Python
//! libraries encode, in every protocol, is decoded by schema (`codec.thrift`) and
//! encoded again to the same bytes.
//!
//! Needs Python with `thrift` and `thriftpy2` (`scripts/setup.sh` installs them into
//! `.venv`). Without them the test says so and passes, except under `CI=true`.

use std::path::{Path, PathBuf};
use std::process::Command;

use rift::Protocol;
use rift_dynamic::{Schema, from_slice, to_vec};
use serde_json::Value;

fn interop() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../rift/tests/interop")
}

fn python() -> Option<String> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python");
    let python = std::env::var("RIFT_PYTHON").ok().unwrap_or_else(|| {
        if venv.exists() { venv.to_string_lossy().into_owned() } else { "python3".into() }
    });
    let ok = Command::new(&python)
        .args(["-c", "import thrift, thriftpy2"])
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then_some(python)
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

#[test]
fn golden_vectors_decode_and_encode_to_the_same_bytes() {
    let Some(python) = python() else {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
        let message =
            "Python with `thrift` and `thriftpy2` is missing: the dynamic golden vector test checked nothing";
        assert!(!ci, "{message}");
        eprintln!("warning: {message} (run scripts/setup.sh)");
        return;
    };
    let out = std::env::temp_dir().join(format!("rift-dynamic-vectors-{}.json", std::process::id()));
    let status = Command::new(&python)
        .arg(interop().join("vectors.py"))
        .args(["generate", out.to_str().unwrap()])
        .env("PYTHONHASHSEED", "0")
        .status()
        .unwrap();
    assert!(status.success());
    let vectors: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let schema = Schema::load(interop().join("codec.thrift"), &[] as &[&str]).unwrap();
    // `uuid` is newer than thriftpy2, so codec.thrift leaves out the struct the Apache
    // library encodes it in (vectors.py builds that class by hand).
    let dir = std::env::temp_dir().join(format!("rift-dynamic-uuid-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("with_uuid.thrift"),
        "struct WithUuid { 1: uuid id, 2: list<uuid> ids, 3: map<uuid, string> names }\n",
    )
    .unwrap();
    let uuid_schema = Schema::load(dir.join("with_uuid.thrift"), &[] as &[&str]).unwrap();

    let (mut exact, mut by_value) = (0, 0);
    let mut failures = Vec::new();
    for v in vectors["vectors"].as_array().unwrap() {
        let Some(struct_name) = v["struct"].as_str() else { continue };
        let (case, impl_name) = (v["case"].as_str().unwrap(), v["impl"].as_str().unwrap());
        // thriftpy2 keeps the negative field ids written in the IDL; Apache's compiler,
        // whose model rift-idl follows, gives such fields ids of its own (as without
        // `--allow-neg-keys`): the schema has no fields -32768 and -1 to read.
        if case == "ids_negative" {
            continue;
        }
        let protocol = match v["protocol"].as_str().unwrap() {
            "binary" | "cybinary" => Protocol::Binary,
            "compact" => Protocol::Compact,
            "json" => Protocol::Json,
            _ => continue, // TSimpleJSONProtocol is write-only
        };
        let data = hex(v["hex"].as_str().unwrap());
        let label = format!("{case} ({struct_name}) from {impl_name} {protocol:?}");
        let schema = if struct_name == "WithUuid" { &uuid_schema } else { &schema };
        let ty = schema.type_named(struct_name).unwrap_or_else(|| panic!("{struct_name} in codec.thrift"));
        let value = match from_slice(schema, &ty, &data, protocol) {
            Ok(value) => value,
            Err(e) => {
                failures.push(format!("{label}: does not decode: {e}"));
                continue;
            }
        };
        let ours = match to_vec(schema, &ty, &value, protocol) {
            Ok(bytes) => bytes,
            Err(e) => {
                failures.push(format!("{label}: does not encode: {e}"));
                continue;
            }
        };
        // The reference libraries' JSON differs from the specification where rift's
        // codec follows it (thriftpy2 writes `1.0` and escapes non-ASCII; Apache leaves
        // control characters raw and writes NaN bare): compared by value there.
        let lax = protocol == Protocol::Json
            && (impl_name != "apache"
                || matches!(
                    case,
                    "scalars_nan" | "scalars_infinity" | "scalars_negative_infinity" | "scalars_control"
                ));
        if !lax {
            if ours == data {
                exact += 1;
            } else {
                failures.push(format!(
                    "{label}: other bytes\n  reference: {}\n  dynamic:   {}",
                    v["hex"],
                    hex_of(&ours)
                ));
            }
        } else {
            match from_slice(schema, &ty, &ours, protocol) {
                Ok(again) if same(&again, &value) => by_value += 1,
                Ok(again) => failures.push(format!("{label}: another value:\n{again:?}\n{value:?}")),
                Err(e) => failures.push(format!("{label}: its own bytes do not decode: {e}")),
            }
        }
    }
    eprintln!("dynamic codec on the golden vectors: {exact} byte-exact, {by_value} by value");
    assert!(exact > 150, "only {exact} vectors compared byte for byte");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

fn hex_of(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}

/// Equal, NaN included.
fn same(a: &rift_dynamic::Value, b: &rift_dynamic::Value) -> bool {
    format!("{a:?}") == format!("{b:?}")
}
