//! Loading: reads the files asked for and every file they include, parses each once,
//! resolves `include` paths, finds include cycles, then hands the trees to the resolver.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::ast::{Document, Header, StrLit};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Schema;
use crate::parser::parse;
use crate::resolve;
use crate::span::{FileId, SourceMap, Span};

/// The largest file the loader reads; spans are 32-bit offsets.
const MAX_FILE_SIZE: u64 = 1 << 31;

/// Options that change what the front end accepts.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Options {
    /// Keep explicit field ids of zero or below instead of replacing them with
    /// automatic ones (the reference compiler's `--allow-neg-keys`). Default: `false`.
    pub allow_negative_field_ids: bool,
}

/// Loads `.thrift` files and what they include, and builds the [`Schema`].
///
/// Includes are searched relative to the including file, then in each include
/// directory in order, as the reference compiler does.
#[derive(Debug, Default, Clone)]
pub struct Loader {
    include_dirs: Vec<PathBuf>,
    memory: HashMap<PathBuf, Arc<str>>,
    options: Options,
}

/// One parsed file before resolution.
#[derive(Debug)]
pub(crate) struct LoadedFile {
    pub(crate) id: FileId,
    pub(crate) document: Document,
    /// Lexical and syntax diagnostics, and problems with its includes.
    pub(crate) syntax: Vec<Diagnostic>,
    /// The resolved include headers: what was written and the file it found.
    pub(crate) includes: Vec<(StrLit, FileId)>,
}

impl Loader {
    /// A loader with no include directories.
    pub fn new() -> Loader {
        Loader::default()
    }

    /// Adds a directory to search for included files (`-I`).
    #[must_use]
    pub fn include_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.include_dirs.push(dir.into());
        self
    }

    /// Adds several include directories.
    #[must_use]
    pub fn include_dirs<P: Into<PathBuf>>(mut self, dirs: impl IntoIterator<Item = P>) -> Self {
        self.include_dirs.extend(dirs.into_iter().map(Into::into));
        self
    }

    /// Provides a file's text in memory; the loader looks here before the disk. Useful for
    /// tests and for tools that edit IDL before saving it.
    #[must_use]
    pub fn source(mut self, path: impl AsRef<Path>, text: impl Into<Arc<str>>) -> Self {
        self.memory.insert(normalize(path.as_ref()), text.into());
        self
    }

    /// Sets the options.
    #[must_use]
    pub fn options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// Loads one file and its includes.
    pub fn load(&self, path: impl AsRef<Path>) -> Schema {
        self.load_all(&[path])
    }

    /// Loads several files and their includes into one schema. A file reached more than
    /// once is read and parsed once.
    pub fn load_all<P: AsRef<Path>>(&self, paths: &[P]) -> Schema {
        let mut state =
            LoadState { loader: self, sources: SourceMap::new(), files: Vec::new(), keys: HashMap::new() };
        let mut roots = Vec::new();
        let mut root_errors = Vec::new();
        for path in paths {
            let path = path.as_ref();
            match state.find(path) {
                Some(key) => roots.push(state.open(path.to_path_buf(), key, &mut root_errors)),
                None => root_errors.push(Diagnostic::about_path(
                    Severity::Error,
                    "file-not-found",
                    if path.is_dir() {
                        format!("cannot read `{}`: it is a directory, not a .thrift file", path.display())
                    } else {
                        format!("cannot read `{}`: no such file", path.display())
                    },
                    path,
                )),
            }
        }
        let roots: Vec<FileId> = roots.into_iter().flatten().collect();
        // Resolve includes breadth first; every file is opened once.
        let mut next = 0;
        while next < state.files.len() {
            state.resolve_includes(next);
            next += 1;
        }
        let LoadState { sources, files, .. } = state;
        resolve::analyze(sources, files, roots, root_errors, &self.options)
    }
}

struct LoadState<'a> {
    loader: &'a Loader,
    sources: SourceMap,
    files: Vec<LoadedFile>,
    /// Canonical path to file, so that a file reached by two paths is one file.
    keys: HashMap<PathBuf, FileId>,
}

impl LoadState<'_> {
    /// The identity of the file at `path` if it exists: its canonical path on disk, or
    /// its normalized path when it is provided in memory.
    fn find(&self, path: &Path) -> Option<PathBuf> {
        let normal = normalize(path);
        if self.loader.memory.contains_key(&normal) {
            return Some(normal);
        }
        if path.is_file() {
            return Some(std::fs::canonicalize(path).unwrap_or(normal));
        }
        None
    }

    /// Reads and parses a file, or returns the id it already has.
    fn open(&mut self, shown: PathBuf, key: PathBuf, errors: &mut Vec<Diagnostic>) -> Option<FileId> {
        if let Some(&id) = self.keys.get(&key) {
            return Some(id);
        }
        let text: Arc<str> = match self.loader.memory.get(&key) {
            Some(text) => Arc::clone(text),
            None => match read_text(&key) {
                Ok((text, lossy)) => {
                    if lossy {
                        errors.push(Diagnostic::about_path(
                            Severity::Warning,
                            "invalid-utf8",
                            format!(
                                "`{}` is not valid UTF-8; invalid bytes are read as U+FFFD",
                                shown.display()
                            ),
                            &shown,
                        ));
                    }
                    text.into()
                }
                Err(message) => {
                    errors.push(Diagnostic::about_path(
                        Severity::Error,
                        "file-unreadable",
                        format!("cannot read `{}`: {message}", shown.display()),
                        &shown,
                    ));
                    return None;
                }
            },
        };
        let id = self.sources.add(normalize(&shown), text);
        let parsed = parse(self.sources.get(id).text(), id);
        self.keys.insert(key, id);
        self.files.push(LoadedFile {
            id,
            document: parsed.document,
            syntax: parsed.diagnostics,
            includes: Vec::new(),
        });
        Some(id)
    }

    fn resolve_includes(&mut self, index: usize) {
        let id = self.files[index].id;
        let dir = self.sources.get(id).path().parent().map(Path::to_path_buf).unwrap_or_default();
        let written: Vec<StrLit> = self.files[index]
            .document
            .headers
            .iter()
            .filter_map(|h| match h {
                Header::Include { path, .. } => Some(path.clone()),
                _ => None,
            })
            .collect();
        let mut diagnostics = Vec::new();
        let mut includes = Vec::new();
        for lit in written {
            let wanted = Path::new(&lit.value);
            let candidates: Vec<PathBuf> = if wanted.is_absolute() {
                vec![wanted.to_path_buf()]
            } else {
                std::iter::once(&dir).chain(&self.loader.include_dirs).map(|d| d.join(wanted)).collect()
            };
            let found = candidates.iter().find_map(|c| self.find(c).map(|key| (c.clone(), key)));
            match found {
                Some((shown, key)) => {
                    if let Some(target) = self.open(shown, key, &mut diagnostics) {
                        includes.push((lit, target));
                    }
                }
                None => {
                    let mut d = Diagnostic::error(
                        "include-not-found",
                        format!("cannot find included file {:?}", lit.value),
                        lit.span,
                    )
                    .with_label("not found");
                    let searched: Vec<String> = candidates
                        .iter()
                        .map(|c| format!("`{}`", c.parent().unwrap_or(Path::new(".")).display()))
                        .collect();
                    d = d.with_note(format!("searched in {}", searched.join(", ")));
                    if !wanted.is_absolute() {
                        d = d.with_help("add the directory that holds it with `-I DIR`");
                    }
                    diagnostics.push(d);
                }
            }
        }
        let file = &mut self.files[index];
        file.includes = includes;
        file.syntax.extend(diagnostics);
    }
}

/// Reads a file as text; bytes that are not UTF-8 are replaced (the reference reads bytes,
/// and such bytes are nearly always inside comments).
fn read_text(path: &Path) -> Result<(String, bool), String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.len() > MAX_FILE_SIZE {
        return Err(format!("the file is {} bytes; the limit is {MAX_FILE_SIZE}", meta.len()));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    // No text file holds a NUL byte; a binary file parsed as Thrift gives an error for
    // nearly every byte.
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(format!("it is not a text file (a NUL byte at offset {at})"));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, false)),
        Err(e) => Ok((String::from_utf8_lossy(e.as_bytes()).into_owned(), true)),
    }
}

/// Removes `.` components and folds `dir/..`, without touching the disk.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let last = out.components().next_back();
                if matches!(last, Some(Component::Normal(_))) {
                    out.pop();
                } else if !matches!(last, Some(Component::RootDir | Component::Prefix(_))) {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The name other files use for a file: its file name up to the last `.`.
pub(crate) fn program_name(path: &Path) -> String {
    let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    match file.rfind('.') {
        Some(dot) => file[..dot].to_string(),
        None => file,
    }
}

/// A span covering the end of a file, for problems found after reading all of it.
pub(crate) fn end_span(sources: &SourceMap, file: FileId) -> Span {
    let len = sources.get(file).text().len() as u32;
    Span::new(file, len, len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_dots() {
        assert_eq!(normalize(Path::new("a/./b/../c.thrift")), PathBuf::from("a/c.thrift"));
        assert_eq!(normalize(Path::new("../x/../y")), PathBuf::from("../y"));
        assert_eq!(normalize(Path::new("/a/../../b")), PathBuf::from("/b"));
    }

    #[test]
    fn program_names() {
        assert_eq!(program_name(Path::new("idl/shared.thrift")), "shared");
        assert_eq!(program_name(Path::new("foo.bar.thrift")), "foo.bar");
        assert_eq!(program_name(Path::new("noext")), "noext");
    }
}
