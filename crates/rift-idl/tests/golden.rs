//! Golden tests: every `tests/golden/*.thrift` file is parsed and checked, and its syntax
//! tree, its semantic model (when it has no errors) and its diagnostics are compared with `*.golden` beside it.
//!
//! Files named `*_ok.thrift` must have no errors, `*_err.thrift` at least one, and
//! `*_warn.thrift` warnings but no errors. After an intended change, rewrite the golden
//! files with `RIFT_BLESS=1 cargo test -p rift-idl --test golden` and review the diff.

use std::path::{Path, PathBuf};

use rift_idl::{Loader, parse};

fn golden_files() -> Vec<PathBuf> {
    let dir = Path::new("tests/golden");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("tests/golden exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "thrift"))
        .collect();
    files.sort();
    files
}

/// The golden text of one file: its syntax tree, then its diagnostics as rendered.
fn render(path: &Path) -> (String, usize, usize) {
    let schema = Loader::new().load(path);
    let mut out = String::from("=== tree\n");
    // The root is always the first file loaded.
    let root = schema.files().first().expect("the file was loaded");
    let text = schema.sources().get(root.id).text();
    out.push_str(&parse(text, root.id).document.dump(schema.sources().get(root.id)));
    let errors = schema.diagnostics().iter().filter(|d| d.is_error()).count();
    if errors == 0 {
        out.push_str("=== model\n");
        out.push_str(&schema.dump(root.id));
    }
    out.push_str("=== diagnostics\n");
    for d in schema.diagnostics() {
        out.push_str(&d.render(schema.sources(), false));
        out.push_str("\n\n");
    }
    let warnings = schema.diagnostics().len() - errors;
    (out, errors, warnings)
}

#[test]
fn golden() {
    let bless = std::env::var_os("RIFT_BLESS").is_some();
    let mut failures = Vec::new();
    let files = golden_files();
    assert!(files.len() > 40, "expected the golden files, found {}", files.len());
    for path in &files {
        let (actual, errors, warnings) = render(path);
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        if stem.ends_with("_ok") && errors + warnings > 0 {
            failures.push(format!(
                "{}: expected no diagnostics, got {errors} errors and {warnings} warnings",
                path.display()
            ));
        }
        if stem.ends_with("_warn") && (errors > 0 || warnings == 0) {
            failures.push(format!(
                "{}: expected warnings only, got {errors} errors and {warnings} warnings",
                path.display()
            ));
        }
        if (stem.ends_with("_err") || stem.contains("_err_")) && errors == 0 {
            failures.push(format!("{}: expected errors, got none", path.display()));
        }
        let golden = path.with_extension("golden");
        if bless {
            std::fs::write(&golden, &actual).expect("write golden file");
            continue;
        }
        match std::fs::read_to_string(&golden) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => failures.push(format!(
                "{}: output differs from {}\n--- expected\n{expected}\n--- actual\n{actual}",
                path.display(),
                golden.display()
            )),
            Err(_) => failures.push(format!("{}: missing; run with RIFT_BLESS=1", golden.display())),
        }
    }
    assert!(failures.is_empty(), "{} golden failures:\n\n{}", failures.len(), failures.join("\n\n"));
}
