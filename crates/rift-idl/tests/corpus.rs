//! The real-world IDL corpus of `../shared/idl-corpus`, checked against the reference
//! compiler's verdict on each file: rift must accept every file Apache Thrift accepts and
//! reject every file it rejects, with its first error in the same file and on the line
//! the reference reports. Differences that remain are listed with their reason in
//! `tests/corpus-known-differences.txt`; the goal is an empty list.
//!
//! The corpus lives outside the project. When it is missing the test says so and passes,
//! except under `CI=true`, where it fails.

use std::io::Write;
use std::path::{Path, PathBuf};

use rift_idl::Loader;

fn corpus_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("RIFT_IDL_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/idl-corpus"),
    };
    dir.join("MANIFEST.tsv").is_file().then_some(dir)
}

/// Writes past the test harness's output capture, so the figures show in every run.
fn say(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

struct Row<'a> {
    local_path: &'a str,
    include_dirs: Vec<&'a str>,
    verdict: &'a str,
    error: &'a str,
}

fn rows(manifest: &str) -> Vec<Row<'_>> {
    let mut lines = manifest.lines();
    let header: Vec<&str> = lines.next().expect("a header line").split('\t').collect();
    let col =
        |name: &str| header.iter().position(|h| *h == name).unwrap_or_else(|| panic!("no column {name}"));
    let (path, dirs, verdict, error) =
        (col("local_path"), col("check_include_dirs"), col("apache_master"), col("apache_master_error"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            Row {
                local_path: cols[path],
                include_dirs: cols[dirs].split_whitespace().filter(|a| *a != "-I").collect(),
                verdict: cols[verdict],
                error: cols.get(error).copied().unwrap_or(""),
            }
        })
        .collect()
}

/// The file and line of the reference's first error (`[ERROR:path:12] ...` or
/// `[FAILURE:path:12] ...`); `None` for errors printed without a place.
fn reference_place(error: &str) -> Option<(&str, usize)> {
    let rest = error.strip_prefix("[ERROR:").or_else(|| error.strip_prefix("[FAILURE:"))?;
    let head = &rest[..rest.find(']')?];
    let (path, line) = head.rsplit_once(':')?;
    Some((path, line.parse().ok()?))
}

/// Compares rift's verdict on one file with the reference's; `None` when they agree.
fn compare(dir: &Path, row: &Row<'_>) -> Option<String> {
    let schema = Loader::new()
        .include_dirs(row.include_dirs.iter().map(|d| dir.join(d)))
        .load(dir.join(row.local_path));
    let first_error = schema.diagnostics().iter().find(|d| d.is_error());
    match (row.verdict, first_error) {
        ("ok", None) => None,
        ("ok", Some(d)) => {
            Some(format!("the reference accepts it; rift rejects it:\n{}", d.render(schema.sources(), false)))
        }
        (_, None) => Some(format!("the reference rejects it ({}); rift accepts it", row.error)),
        (_, Some(d)) => {
            let (path, line) = reference_place(row.error)?;
            let span = d.reference_span.or_else(|| d.primary_span())?;
            let file = schema.sources().get(span.file);
            let ours = (file.path(), file.line_col(span.start).0);
            if ours.0.ends_with(path) && ours.1 == line {
                None
            } else {
                Some(format!(
                    "first error differs: the reference says {path}:{line}: {}\nrift says {}:{}:\n{}",
                    row.error,
                    ours.0.display(),
                    ours.1,
                    d.render(schema.sources(), false)
                ))
            }
        }
    }
}

#[test]
fn corpus_agrees_with_reference() {
    let Some(dir) = corpus_dir() else {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
        let message = "the IDL corpus (../shared/idl-corpus) is missing: the corpus test checked nothing";
        assert!(!ci, "{message}; under CI=true this is a failure");
        say(&format!("warning: {message} (set RIFT_IDL_CORPUS to its path)"));
        return;
    };
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).expect("readable manifest");
    let known_text = include_str!("corpus-known-differences.txt");
    let known: Vec<&str> = known_text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').next().unwrap_or(l).trim())
        .collect();

    let rows = rows(&manifest);
    let (dialect, main): (Vec<&Row<'_>>, Vec<&Row<'_>>) =
        rows.iter().partition(|r| r.local_path.starts_with("fbthrift-dialect/"));
    assert!(main.len() > 300, "the manifest lists only {} files", main.len());

    let mut agree = 0;
    let mut unexpected = Vec::new();
    let mut now_agree = Vec::new();
    for row in &main {
        match compare(&dir, row) {
            None => {
                agree += 1;
                if known.contains(&row.local_path) {
                    now_agree.push(row.local_path);
                }
            }
            Some(why) if known.contains(&row.local_path) => {
                say(&format!("known difference: {}: {}", row.local_path, why.lines().next().unwrap_or("")));
            }
            Some(why) => unexpected.push(format!("{}: {why}", row.local_path)),
        }
    }
    let accepted = main.iter().filter(|r| r.verdict == "ok").count();
    say(&format!(
        "idl corpus: {agree}/{} files agree with the reference compiler ({:.1}%): {accepted} accepted, {} rejected by it",
        main.len(),
        100.0 * agree as f64 / main.len() as f64,
        main.len() - accepted
    ));
    let dialect_rejected = dialect
        .iter()
        .filter(|r| {
            let schema = Loader::new()
                .include_dirs(r.include_dirs.iter().map(|d| dir.join(d)))
                .load(dir.join(r.local_path));
            schema.has_errors()
        })
        .count();
    say(&format!(
        "fbthrift dialect (not counted): rift rejects {dialect_rejected}/{} files, as Apache Thrift does",
        dialect.len()
    ));

    assert!(
        unexpected.is_empty(),
        "{} files disagree with the reference:\n\n{}",
        unexpected.len(),
        unexpected.join("\n\n")
    );
    assert!(now_agree.is_empty(), "listed as known differences but now agree (remove them): {now_agree:?}");
}
