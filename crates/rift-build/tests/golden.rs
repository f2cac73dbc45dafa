//! Golden tests of the generator: every `tests/golden/*.thrift` file is generated and the
//! modules (or, for `*_err.thrift`, the error) compared with `*.golden` beside it. After
//! an intended change, rewrite them with `RIFT_BLESS=1 cargo test -p rift-build --test
//! golden` and review the diff.

use std::path::{Path, PathBuf};

fn golden_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir("tests/golden")
        .expect("tests/golden exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "thrift"))
        .collect();
    files.sort();
    files
}

/// Every module generated for `path`, each under a line naming its file.
fn render(path: &Path) -> Result<String, String> {
    let generated = rift_build::Builder::new().generate(&[path]).map_err(|e| e.to_string())?;
    let mut out = String::new();
    for module in &generated.modules {
        out.push_str(&format!("// ==== {}\n", module.file().display()));
        out.push_str(&module.code);
    }
    Ok(out)
}

#[test]
fn golden() {
    let bless = std::env::var_os("RIFT_BLESS").is_some();
    let files = golden_files();
    assert!(files.len() >= 7, "expected the golden IDL files, found {}", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let expect_error = path.file_stem().unwrap().to_string_lossy().ends_with("_err");
        let actual = match (render(path), expect_error) {
            (Ok(code), false) => code,
            (Err(error), true) => error,
            (Ok(_), true) => {
                failures.push(format!("{}: generated, but an error was expected", path.display()));
                continue;
            }
            (Err(error), false) => {
                failures.push(format!("{}: {error}", path.display()));
                continue;
            }
        };
        // Generating is deterministic: the same input gives the same bytes.
        assert_eq!(render(path).unwrap_or_else(|e| e), actual, "{}: two runs differ", path.display());
        let golden = path.with_extension("golden");
        if bless {
            std::fs::write(&golden, &actual).unwrap();
            continue;
        }
        match std::fs::read_to_string(&golden) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => {
                let line = expected
                    .lines()
                    .zip(actual.lines())
                    .position(|(a, b)| a != b)
                    .map_or_else(|| expected.lines().count().min(actual.lines().count()) + 1, |i| i + 1);
                failures.push(format!("{}: output differs from line {line}", golden.display()));
            }
            Err(_) => failures.push(format!("{}: missing (run with RIFT_BLESS=1)", golden.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every file written, for `build.rs` or for `rift gen`, starts with the `@generated`
/// marker and parses as Rust.
#[test]
fn output_is_marked_and_parses() {
    for path in golden_files() {
        let Ok(generated) = rift_build::Builder::new().generate(&[&path]) else { continue };
        for (file, code) in generated.include_tree_files().into_iter().chain(generated.source_tree_files()) {
            assert!(
                code.starts_with("// @generated"),
                "{}: {} lacks the @generated line",
                path.display(),
                file.display()
            );
            if let Err(e) = syn::parse_file(&code) {
                panic!("{} / {}: {e}", path.display(), file.display());
            }
        }
    }
}

/// Derives asked for by the build are added to the fixed set, for every type or for the
/// one named (bare or with its include prefix), once each.
#[test]
fn builder_adds_derives() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/structs.thrift");
    let code = |builder: rift_build::Builder| -> String {
        let generated = builder.generate(&[&path]).expect("structs.thrift generates");
        generated.source_tree_files().into_iter().map(|(_, code)| code).collect()
    };
    let all = code(rift_build::Builder::new().derive(["Eq", "PartialEq"]));
    assert!(all.contains("#[derive(Clone, Debug, PartialEq, Eq, Default)]\npub struct Empty {}"), "{all}");
    let one =
        code(rift_build::Builder::new().derive_for("structs.Approx", ["Copy"]).derive_for("Empty", ["Eq"]));
    assert!(one.contains("#[derive(Clone, Debug, PartialEq, Copy, Default)]\npub struct Approx {"), "{one}");
    assert!(one.contains("#[derive(Clone, Debug, PartialEq, Eq, Default)]\npub struct Empty {}"), "{one}");
    assert!(one.contains("#[derive(Clone, Debug, PartialEq, Default)]\npub struct Tree {"), "{one}");
}
