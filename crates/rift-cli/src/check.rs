//! `rift check`: parse and check IDL, print diagnostics as text or JSON.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use rift_idl::{Diagnostic, Loader, Note, Schema, Severity, SourceMap, Span};
use serde_json::{Value, json};

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Directory to search for included files (repeatable; searched after the including
    /// file's own directory)
    #[arg(short = 'I', long = "include-dir", value_name = "DIR")]
    include_dirs: Vec<PathBuf>,

    /// How to print diagnostics
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,

    /// When to color human output
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,

    /// Files to check
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
enum Format {
    /// Snippets with the place underlined, like rustc
    Human,
    /// One JSON document on stdout
    Json,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

/// Exit code 0 without errors (warnings allowed), 1 with errors.
pub(crate) fn run(args: &CheckArgs) -> ExitCode {
    let schema = Loader::new().include_dirs(args.include_dirs.iter().cloned()).load_all(&args.files);
    let errors = schema.diagnostics().iter().filter(|d| d.is_error()).count();
    let warnings = schema.diagnostics().len() - errors;
    match args.format {
        Format::Human => print_human(&schema, args.color, errors, warnings),
        Format::Json => {
            let out = json!({
                "files": args.files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>(),
                "errors": errors,
                "warnings": warnings,
                "diagnostics": schema.diagnostics().iter().map(|d| to_json(d, schema.sources())).collect::<Vec<_>>(),
            });
            let mut stdout = std::io::stdout().lock();
            let _ = writeln!(stdout, "{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        }
    }
    if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn print_human(schema: &Schema, color: Color, errors: usize, warnings: usize) {
    let stderr = std::io::stderr();
    let color = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let mut out = stderr.lock();
    for d in schema.diagnostics() {
        let _ = writeln!(out, "{}\n", d.render(schema.sources(), color));
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let summary = match (errors, warnings) {
        (0, 0) => return,
        (0, w) => format!("{} emitted", plural(w, "warning")),
        (e, 0) => format!("check failed with {}", plural(e, "error")),
        (e, w) => format!("check failed with {} and {}", plural(e, "error"), plural(w, "warning")),
    };
    let level = if errors > 0 { "error" } else { "warning" };
    let _ = writeln!(out, "{level}: {summary}");
}

fn position(sources: &SourceMap, span: Span) -> Value {
    let file = sources.get(span.file);
    let (line, column) = file.line_col(span.start);
    let (end_line, end_column) = file.line_col(span.end);
    json!({
        "file": file.path().display().to_string(),
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
    })
}

fn to_json(d: &Diagnostic, sources: &SourceMap) -> Value {
    let mut out = json!({
        "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
        "code": d.code,
        "message": d.message,
    });
    let map = out.as_object_mut().expect("an object");
    match d.primary_span() {
        Some(span) => {
            if let Value::Object(pos) = position(sources, span) {
                map.extend(pos);
            }
        }
        None => {
            map.insert("file".into(), json!(d.path.as_ref().map(|p| p.display().to_string())));
            map.insert("line".into(), Value::Null);
            map.insert("column".into(), Value::Null);
        }
    }
    let labels: Vec<Value> = d
        .labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let mut l = position(sources, label.span);
            l["message"] = json!(label.message);
            l["primary"] = json!(i == 0);
            l
        })
        .collect();
    map.insert("labels".into(), Value::Array(labels));
    let notes: Vec<&str> =
        d.notes.iter().filter_map(|n| if let Note::Note(t) = n { Some(t.as_str()) } else { None }).collect();
    let help: Vec<&str> =
        d.notes.iter().filter_map(|n| if let Note::Help(t) = n { Some(t.as_str()) } else { None }).collect();
    map.insert("notes".into(), json!(notes));
    map.insert("help".into(), json!(help));
    map.insert("rendered".into(), json!(d.render(sources, false)));
    out
}
