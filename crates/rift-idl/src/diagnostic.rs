//! Diagnostics (errors and warnings) and their rendering as snippets.

use std::fmt;
use std::path::PathBuf;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::span::{SourceMap, Span};

/// How bad a diagnostic is.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The input is not valid Thrift; nothing may be generated from it.
    Error,
    /// The input is valid but probably not what was meant.
    Warning,
}

impl Severity {
    /// `"error"` or `"warning"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A place in the source with a message, shown under the snippet.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What to say there; may be empty.
    pub message: String,
}

/// A line of extra text after the snippet.
#[derive(Clone, Debug, PartialEq)]
pub enum Note {
    /// Background: why this is an error.
    Note(String),
    /// What to do about it.
    Help(String),
}

/// One error or warning.
///
/// The first label is the primary one: the place the message is about. Further labels
/// point at other places involved ("first defined here").
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable kebab-case name for the kind of problem, for tools (`"duplicate-definition"`).
    pub code: &'static str,
    /// The main message: lower case, no trailing period.
    pub message: String,
    /// The primary label first, then secondary ones.
    pub labels: Vec<Label>,
    /// Notes and help after the snippet.
    pub notes: Vec<Note>,
    /// For diagnostics about a whole file that has no text to point into
    /// (a file that cannot be read), the file's path.
    pub path: Option<PathBuf>,
    /// Where Apache Thrift's compiler reports the same problem, when that is not the
    /// primary label. It reports a problem it finds at the end of a construct (a duplicate
    /// definition, a bad default value) on the line of the token after the construct.
    /// Differential tests against the reference compare with this.
    pub reference_span: Option<Span>,
}

impl Diagnostic {
    /// A new error with a primary label at `span`.
    pub fn error(code: &'static str, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic::new(Severity::Error, code, message, span)
    }

    /// A new warning with a primary label at `span`.
    pub fn warning(code: &'static str, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic::new(Severity::Warning, code, message, span)
    }

    fn new(severity: Severity, code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            labels: vec![Label { span, message: String::new() }],
            notes: Vec::new(),
            path: None,
            reference_span: None,
        }
    }

    /// A diagnostic about a file that has no source text to show.
    pub fn about_path(
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
        path: impl Into<PathBuf>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            labels: Vec::new(),
            notes: Vec::new(),
            path: Some(path.into()),
            reference_span: None,
        }
    }

    /// Sets the text under the primary label.
    #[must_use]
    pub fn with_label(mut self, message: impl Into<String>) -> Self {
        if let Some(primary) = self.labels.first_mut() {
            primary.message = message.into();
        }
        self
    }

    /// Adds a secondary label.
    #[must_use]
    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label { span, message: message.into() });
        self
    }

    /// Adds a note.
    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(Note::Note(note.into()));
        self
    }

    /// Adds a help line.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.notes.push(Note::Help(help.into()));
        self
    }

    /// Sets where the reference compiler reports the problem (see
    /// [`Diagnostic::reference_span`]).
    #[must_use]
    pub fn with_reference_span(mut self, span: Span) -> Self {
        if self.primary_span() != Some(span) {
            self.reference_span = Some(span);
        }
        self
    }

    /// The line the reference compiler reports this problem on.
    pub fn reference_line(&self, sources: &SourceMap) -> Option<usize> {
        let span = self.reference_span.or_else(|| self.primary_span())?;
        Some(sources.get(span.file).line_col(span.start).0)
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The primary span, if the diagnostic points into source text.
    pub fn primary_span(&self) -> Option<Span> {
        self.labels.first().map(|l| l.span)
    }

    /// The file, line and column of the primary label.
    pub fn location(&self, sources: &SourceMap) -> Option<Location> {
        match self.primary_span() {
            Some(span) => {
                let file = sources.get(span.file);
                let (line, column) = file.line_col(span.start);
                Some(Location { path: file.path().to_path_buf(), line, column })
            }
            None => self.path.clone().map(|path| Location { path, line: 0, column: 0 }),
        }
    }

    /// Renders the diagnostic as text like rustc's: a header, the source line with the
    /// place underlined, other places, notes and help.
    pub fn render(&self, sources: &SourceMap, color: bool) -> String {
        let renderer = if color { Renderer::styled() } else { Renderer::plain() };
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(self.message.as_str());
        let mut group = Group::with_title(title);
        // One snippet per file, the primary label's file first, in label order.
        let mut files = Vec::new();
        for label in &self.labels {
            if !files.contains(&label.span.file) {
                files.push(label.span.file);
            }
        }
        let paths: Vec<String> = files.iter().map(|&f| sources.get(f).path().display().to_string()).collect();
        for (file, path) in files.iter().zip(&paths) {
            let source = sources.get(*file);
            let text = source.text();
            // Only the lines the labels are on (and those between): the renderer reads
            // its source from the start, which for a large file and many diagnostics
            // is quadratic.
            let ranges: Vec<_> = self
                .labels
                .iter()
                .filter(|l| l.span.file == *file)
                .map(|l| clamp_range(l.span, text))
                .collect();
            let first = ranges.iter().map(|r| r.start).min().unwrap_or(0);
            let last = ranges.iter().map(|r| r.end).max().unwrap_or(0);
            let from = text[..first].rfind('\n').map_or(0, |i| i + 1);
            let to = text[last..].find('\n').map_or(text.len(), |i| last + i);
            let (line, _) = source.line_col(from as u32);
            let mut snippet = Snippet::source(&text[from..to]).line_start(line).path(path.as_str());
            for (i, label) in self.labels.iter().enumerate().filter(|(_, l)| l.span.file == *file) {
                let kind = if i == 0 { AnnotationKind::Primary } else { AnnotationKind::Context };
                let range = clamp_range(label.span, text);
                let range = range.start - from..range.end - from;
                let mut annotation = kind.span(range);
                if !label.message.is_empty() {
                    annotation = annotation.label(label.message.as_str());
                }
                snippet = snippet.annotation(annotation);
            }
            group = group.element(snippet);
        }
        let path_line;
        if self.labels.is_empty()
            && let Some(path) = &self.path
        {
            path_line = format!("in {}", path.display());
            group = group.element(Level::NOTE.no_name().message(path_line.as_str()));
        }
        for note in &self.notes {
            group = group.element(match note {
                Note::Note(text) => Level::NOTE.message(text.as_str()),
                Note::Help(text) => Level::HELP.message(text.as_str()),
            });
        }
        renderer.render(&[group])
    }
}

/// Keeps a label's range inside the text and on character boundaries, so that rendering
/// never fails on a span that ends at end of file.
fn clamp_range(span: Span, text: &str) -> std::ops::Range<usize> {
    let mut start = (span.start as usize).min(text.len());
    let mut end = (span.end as usize).clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// Where a diagnostic points: file, one-based line and column (zero when it is about a
/// whole file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file's path.
    pub path: PathBuf,
    /// One-based line, or 0.
    pub line: usize,
    /// One-based column in characters, or 0.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.path.display())
        } else {
            write!(f, "{}:{}:{}", self.path.display(), self.line, self.column)
        }
    }
}

/// The diagnostics of one pass over one file, at most [`Reports::LIMIT`] of them: a file
/// that is not Thrift at all would otherwise give one per token, without end. Those past
/// the limit are counted, not kept.
#[derive(Debug, Default)]
pub(crate) struct Reports {
    kept: Vec<Diagnostic>,
    dropped: usize,
}

impl Reports {
    /// The most diagnostics kept.
    pub(crate) const LIMIT: usize = 100;

    pub(crate) fn push(&mut self, d: Diagnostic) {
        if self.kept.len() < Self::LIMIT {
            self.kept.push(d);
        } else {
            self.dropped += 1;
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.kept.len()
    }

    /// Whether the next diagnostic would be dropped.
    pub(crate) fn is_full(&self) -> bool {
        self.kept.len() >= Self::LIMIT
    }

    /// Counts a diagnostic past the limit without building it.
    pub(crate) fn drop_one(&mut self) {
        self.dropped += 1;
    }

    pub(crate) fn get_mut(&mut self, index: usize) -> Option<&mut Diagnostic> {
        self.kept.get_mut(index)
    }

    /// How many were past the limit.
    pub(crate) fn dropped(&self) -> usize {
        self.dropped
    }

    pub(crate) fn take(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.kept)
    }
}
