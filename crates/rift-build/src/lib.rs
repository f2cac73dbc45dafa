//! Generates Rust for Thrift IDL: types that implement rift's `Encode` and `Decode`,
//! and for each service async and blocking handler traits, processors and clients.
//!
//! # From `build.rs`
//!
//! ```toml
//! [dependencies]
//! rift = "0.1"
//!
//! [build-dependencies]
//! rift-build = "0.1"
//! ```
//!
//! ```no_run
//! // build.rs, in `fn main()`:
//! rift_build::compile(&["idl/weather.thrift"], &["idl"]).unwrap();
//! ```
//!
//! ```text
//! // src/lib.rs
//! pub mod idl {
//!     rift::include_generated!();
//! }
//! use idl::weather::{Location, WeatherService};
//! ```
//!
//! Each IDL file becomes a module: its `namespace rs` (`a.b` → `a::b`), or else its
//! file name. Modules refer to each other with relative paths, so the tree can be
//! included anywhere. Output is formatted, starts with an `@generated` line, is the same
//! for the same input, and is written only when it changed.
//!
//! # The Rust it generates
//!
//! | IDL | Rust |
//! | --- | --- |
//! | `bool`, `i8` ... `i64`, `double` | `bool`, `i8` ... `i64`, `f64` |
//! | `string`, `binary`, `uuid` | `rift::FastStr` ([`Strings`]), `bytes::Bytes`, `rift::Uuid` |
//! | `list<T>`, `set<T>`, `map<K, V>` | `Vec<T>`, `HashSet<T>`, `HashMap<K, V>` with a fast hasher ([`Maps`]; `SetVec`/`MapVec` when `T`/`K` can be neither hashed nor ordered) |
//! | `enum` | an open `i32` newtype with associated constants |
//! | `struct`, `exception` | a struct; `required` → `T`, `optional` → `Option<T>`, default → `T` with the IDL default |
//! | `union` | an enum, with `Unknown` for members this code does not know |
//! | `typedef` | `pub type` |
//! | `const` | `const`, or a `LazyLock` static for collections and structs |
//!
//! Names follow Rust conventions (`getTemperature` → `get_temperature`), keywords are
//! escaped (`r#type`), clashes get a numeric suffix; names on the wire never change.
//!
//! # Derives
//!
//! What a generated type implements does not change when a field is added:
//!
//! - structs, exceptions and unions derive `Clone`, `Debug`, `PartialEq` and `Default`
//!   (`Default` is written by hand where the IDL gives fields defaults);
//! - those the IDL uses as a set element or a map key, directly or inside one, also
//!   derive `Eq`, `Hash`, `PartialOrd` and `Ord`, because the collection needs them (a
//!   type that cannot, because a `double` or a hashed map is inside it, is held in
//!   `SetVec`/`MapVec` instead);
//! - enums derive `Copy`, `Clone`, `PartialEq`, `Eq`, `Hash`, `PartialOrd`, `Ord` and
//!   `Default`;
//! - exceptions implement `Display` (their name and message) and `Error`;
//! - more derives are opt-in: [`Builder::derive`] for every type, [`Builder::derive_for`]
//!   for one, and [`Builder::serde`] for serde's.

#![forbid(unsafe_code)]

mod items;
mod names;
mod plan;
mod prelude;
mod services;
mod text;
mod types;

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;
use rift_idl::model::{DefId, DefinitionKind};
use rift_idl::{FileId, Loader, Schema};

use crate::names::ident;
use crate::plan::Plan;
use crate::text::Texts;
use crate::types::Ctx;

/// Options of the generator.
#[derive(Clone, Debug, Default)]
pub(crate) struct Options {
    /// Derive `serde::Serialize` and `serde::Deserialize` on generated types.
    pub(crate) serde: bool,
    pub(crate) strings: Strings,
    pub(crate) maps: Maps,
    /// Extra derives: for the structs, exceptions and unions named (`None`: all of them),
    /// the trait paths to add.
    pub(crate) derives: Vec<(Option<String>, Vec<String>)>,
    /// What the `@generated` line names as the generator (`None`: `rift-build`).
    pub(crate) generator: Option<String>,
}

/// The Rust type of IDL `string`s.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Strings {
    /// [`rift::FastStr`](https://docs.rs/rift): an immutable, UTF-8-checked string
    /// over `Bytes`. A string decoded from a received message is a slice of it: no
    /// allocation, no copy, the UTF-8 checked once. It derefs to `&str`, and is made
    /// from `&str` and `String` with `into()`. The default: decoding is several times
    /// quicker than with `String` (see `benchmarks/`).
    #[default]
    Shared,
    /// `String`: one allocation and copy per string decoded, for code that needs to
    /// mutate strings in place.
    Owned,
}

/// The Rust types of IDL `map`s and `set`s (whose keys or elements can be hashed).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Maps {
    /// `HashMap`/`HashSet` with foldhash, seeded per process
    /// (`rift::collections::{HashMap, HashSet}`): the default, the quickest to decode and
    /// to look up. Made with `default()` or by collecting an iterator. Types that hold
    /// one cannot derive `Hash` or `Ord`, so they cannot be set elements or map keys
    /// themselves (those become `SetVec`/`MapVec`).
    #[default]
    Hash,
    /// `BTreeMap`/`BTreeSet`: ordered, and `Hash` and `Ord` themselves.
    BTree,
}

/// The generator, configured.
#[derive(Clone, Debug, Default)]
pub struct Builder {
    include_dirs: Vec<PathBuf>,
    out_dir: Option<PathBuf>,
    options: Options,
    rerun_if_changed: bool,
}

/// Generates code for `files` (searching includes in `include_dirs`) into `OUT_DIR`,
/// for `build.rs`. Include it with `rift::include_generated!()`.
pub fn compile(files: &[impl AsRef<Path>], include_dirs: &[impl AsRef<Path>]) -> Result<(), Error> {
    Builder::new().include_dirs(include_dirs.iter().map(|d| d.as_ref().to_path_buf())).compile(files)
}

impl Builder {
    /// A generator with no include directories, writing to `OUT_DIR`.
    pub fn new() -> Builder {
        Builder { rerun_if_changed: true, ..Builder::default() }
    }

    /// Adds a directory to search for included files.
    #[must_use]
    pub fn include_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.include_dirs.push(dir.into());
        self
    }

    /// Adds directories to search for included files.
    #[must_use]
    pub fn include_dirs<P: Into<PathBuf>>(mut self, dirs: impl IntoIterator<Item = P>) -> Self {
        self.include_dirs.extend(dirs.into_iter().map(Into::into));
        self
    }

    /// Where [`Builder::compile`] writes. Default: the `OUT_DIR` of the build script.
    #[must_use]
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Derives `serde::Serialize` and `serde::Deserialize` on every generated type (the
    /// crate then needs `serde` with `derive`, and rift's `serde` feature). Default: off.
    #[must_use]
    pub fn serde(mut self, enabled: bool) -> Self {
        self.options.serde = enabled;
        self
    }

    /// Adds derives to every generated struct, exception and union, on top of the fixed
    /// set (see [the crate docs](crate#derives)): `.derive(["Eq", "Hash"])`. Each is a
    /// trait path, as written in `#[derive(...)]`. Every field's type must implement it
    /// (a `double` is neither `Eq` nor `Hash`; a `HashMap` is not `Hash` or `Ord`).
    #[must_use]
    pub fn derive<S: Into<String>>(mut self, traits: impl IntoIterator<Item = S>) -> Self {
        self.options.derives.push((None, traits.into_iter().map(Into::into).collect()));
        self
    }

    /// Adds derives to one struct, exception or union, named as in the IDL (`Location`) or
    /// with its file's include prefix (`shared.Location`): `.derive_for("Location",
    /// ["Eq", "Hash"])`.
    #[must_use]
    pub fn derive_for<S: Into<String>>(
        mut self,
        name: impl Into<String>,
        traits: impl IntoIterator<Item = S>,
    ) -> Self {
        self.options.derives.push((Some(name.into()), traits.into_iter().map(Into::into).collect()));
        self
    }

    /// Names the generator in the `@generated` line each file starts with (`rift gen`
    /// says `rift gen`). Default: `rift-build`.
    #[must_use]
    pub fn generator(mut self, name: impl Into<String>) -> Self {
        self.options.generator = Some(name.into());
        self
    }

    /// Sets the Rust type of `string`s. Default: [`Strings::Shared`] (`rift::FastStr`).
    #[must_use]
    pub fn strings(mut self, strings: Strings) -> Self {
        self.options.strings = strings;
        self
    }

    /// Sets the Rust types of `map`s and `set`s. Default: [`Maps::Hash`].
    #[must_use]
    pub fn maps(mut self, maps: Maps) -> Self {
        self.options.maps = maps;
        self
    }

    /// Whether to print `cargo:rerun-if-changed` for every IDL file read. Default: on.
    #[must_use]
    pub fn emit_rerun_if_changed(mut self, enabled: bool) -> Self {
        self.rerun_if_changed = enabled;
        self
    }

    /// Generates the code, touching no file.
    pub fn generate(&self, files: &[impl AsRef<Path>]) -> Result<Generated, Error> {
        let schema = Loader::new().include_dirs(self.include_dirs.iter().cloned()).load_all(files);
        if schema.has_errors() {
            return Err(Error::Idl(IdlErrors::of(&schema)));
        }
        Ok(generate_schema(&schema, &self.options))
    }

    /// Generates the code into the output directory, with `rift_generated.rs` as the
    /// root that `rift::include_generated!()` includes.
    pub fn compile(&self, files: &[impl AsRef<Path>]) -> Result<(), Error> {
        let out = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => PathBuf::from(std::env::var_os("OUT_DIR").ok_or(Error::NoOutDir)?),
        };
        let schema = Loader::new().include_dirs(self.include_dirs.iter().cloned()).load_all(files);
        if self.rerun_if_changed {
            for (_, file) in schema.sources().files() {
                println!("cargo:rerun-if-changed={}", file.path().display());
            }
        }
        if schema.has_errors() {
            return Err(Error::Idl(IdlErrors::of(&schema)));
        }
        let generated = generate_schema(&schema, &self.options);
        for (path, code) in generated.include_tree_files() {
            write_if_changed(&out.join(path), &code)?;
        }
        Ok(())
    }
}

/// The diagnostics of an IDL that has errors, kept whole: each [`rift_idl::Diagnostic`]
/// with its places, and their text as `rift check` prints it.
#[derive(Clone, Debug)]
pub struct IdlErrors {
    diagnostics: Vec<rift_idl::Diagnostic>,
    rendered: Vec<String>,
}

impl IdlErrors {
    fn of(schema: &Schema) -> IdlErrors {
        IdlErrors {
            diagnostics: schema.diagnostics().to_vec(),
            rendered: schema.diagnostics().iter().map(|d| d.render(schema.sources(), false)).collect(),
        }
    }

    /// Every diagnostic, errors and warnings, in the order `rift check` gives them.
    pub fn diagnostics(&self) -> &[rift_idl::Diagnostic] {
        &self.diagnostics
    }

    /// How many of them are errors.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// How many of them are warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// The diagnostics rendered as `rift check` renders them (without colour), one per
    /// entry.
    pub fn rendered(&self) -> &[String] {
        &self.rendered
    }

    /// The last line `rift check` prints: "check failed with 2 errors and 1 warning".
    pub fn summary(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        match (self.errors(), self.warnings()) {
            (e, 0) => format!("check failed with {}", plural(e, "error")),
            (e, w) => format!("check failed with {} and {}", plural(e, "error"), plural(w, "warning")),
        }
    }
}

impl fmt::Display for IdlErrors {
    /// The diagnostics, then the summary line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for text in &self.rendered {
            writeln!(f, "{text}\n")?;
        }
        write!(f, "error: {}", self.summary())
    }
}

/// Writes a file unless it already holds exactly `content`, so that builds that depend
/// on it are not redone for nothing.
pub fn write_if_changed(path: &Path, content: &str) -> Result<(), Error> {
    if std::fs::read(path).is_ok_and(|old| old == content.as_bytes()) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::Io(parent.to_path_buf(), e))?;
    }
    std::fs::write(path, content).map_err(|e| Error::Io(path.to_path_buf(), e))
}

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The IDL has errors: its diagnostics.
    Idl(IdlErrors),
    /// `OUT_DIR` is not set (not running in a build script) and no output directory was
    /// given.
    NoOutDir,
    /// A file could not be written.
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Idl(errors) => write!(f, "the IDL has errors:\n{errors}"),
            Error::NoOutDir => {
                f.write_str("OUT_DIR is not set: run from a build script, or set an output directory")
            }
            Error::Io(path, e) => write!(f, "cannot write {}: {e}", path.display()),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io(_, e) => Some(e),
            _ => None,
        }
    }
}

/// Generated code: one Rust module for each module path.
#[derive(Clone, Debug)]
pub struct Generated {
    /// The modules, in path order.
    pub modules: Vec<GeneratedModule>,
    /// What the `@generated` lines name as the generator.
    generator: String,
}

/// One generated module.
#[derive(Clone, Debug)]
pub struct GeneratedModule {
    /// The module path from the root (`["shared"]`, `["a", "b"]`).
    pub path: Vec<String>,
    /// The IDL files it comes from.
    pub sources: Vec<PathBuf>,
    /// The formatted code of its items (without submodules).
    pub code: String,
}

impl GeneratedModule {
    /// The file this module's code goes to, relative to the output directory: `a/b.rs`.
    pub fn file(&self) -> PathBuf {
        let mut path: PathBuf = self.path.iter().collect();
        path.set_extension("rs");
        path
    }
}

impl Generated {
    /// The files for `build.rs` output: each module's code, and `rift_generated.rs`,
    /// which nests the modules and `include!`s them from `OUT_DIR`.
    pub fn include_tree_files(&self) -> Vec<(PathBuf, String)> {
        let mut files: Vec<(PathBuf, String)> =
            self.modules.iter().map(|m| (m.file(), m.code.clone())).collect();
        // Paths relative to `rift_generated.rs`, so the tree can live in any folder.
        let tree = self.tree(&|module| {
            let file = module.file().to_string_lossy().replace('\\', "/");
            quote! { include!(#file); }
        });
        files.push((
            PathBuf::from("rift_generated.rs"),
            header_comment(&self.generator, &self.sources()) + &format(tree),
        ));
        files
    }

    /// The files for a source tree (`rift gen`): `mod.rs` declaring the top modules,
    /// and for each module `path.rs` with its code and `mod` declarations of its
    /// submodules.
    pub fn source_tree_files(&self) -> Vec<(PathBuf, String)> {
        let mut files = Vec::new();
        let children = |path: &[String]| -> Vec<String> {
            let mut out: Vec<String> = self
                .modules
                .iter()
                .filter(|m| m.path.len() == path.len() + 1 && m.path[..path.len()] == *path)
                .map(|m| m.path[path.len()].clone())
                .collect();
            out.dedup();
            out
        };
        let declare = |names: Vec<String>| -> String {
            names.iter().map(|n| format!("pub mod {};\n", ident(n))).collect::<String>()
        };
        for m in &self.modules {
            let subs = children(&m.path);
            let mut code = m.code.clone();
            if !subs.is_empty() {
                code.push('\n');
                code.push_str(&declare(subs));
            }
            files.push((m.file(), code));
        }
        let top = children(&[]);
        let root = header_comment(&self.generator, &self.sources())
            + &format!("#![allow({ALLOWED_LINTS})]\n\n")
            + &declare(top);
        files.push((PathBuf::from("mod.rs"), root));
        files
    }

    fn sources(&self) -> Vec<PathBuf> {
        let mut all: Vec<PathBuf> = self.modules.iter().flat_map(|m| m.sources.iter().cloned()).collect();
        all.sort();
        all.dedup();
        all
    }

    /// The module tree as nested `pub mod` items, each holding `leaf(module)`.
    fn tree(&self, leaf: &dyn Fn(&GeneratedModule) -> TokenStream) -> TokenStream {
        fn build(
            modules: &[GeneratedModule],
            prefix: &[String],
            leaf: &dyn Fn(&GeneratedModule) -> TokenStream,
        ) -> TokenStream {
            let mut groups: BTreeMap<&str, ()> = BTreeMap::new();
            for m in
                modules.iter().filter(|m| m.path.len() > prefix.len() && m.path[..prefix.len()] == *prefix)
            {
                groups.insert(&m.path[prefix.len()], ());
            }
            let items = groups.keys().map(|name| {
                let mut path = prefix.to_vec();
                path.push(name.to_string());
                let own = modules.iter().find(|m| m.path == path).map(leaf).unwrap_or_default();
                let nested = build(modules, &path, leaf);
                let name = ident(name);
                let allowed: TokenStream = ALLOWED_LINTS.parse().expect("lint names");
                quote! {
                    #[allow(#allowed)]
                    pub mod #name {
                        #own
                        #nested
                    }
                }
            });
            quote! { #(#items)* }
        }
        build(&self.modules, &[], leaf)
    }
}

/// Lints allowed on generated modules, because the IDL decides what they flag: an
/// unused type or constant, a field without docs, a constant near pi, a function with
/// many arguments or deeply nested container types, large exceptions returned by value,
/// large union members, and doc comments that were not written as Markdown.
const ALLOWED_LINTS: &str = "missing_docs, dead_code, clippy::approx_constant, clippy::too_many_arguments, \
    clippy::type_complexity, clippy::result_large_err, clippy::large_enum_variant, \
    clippy::doc_lazy_continuation, clippy::doc_overindented_list_items";

fn header_comment(generator: &str, sources: &[PathBuf]) -> String {
    let names: Vec<String> = sources.iter().map(|p| p.display().to_string()).collect();
    format!("// @generated by {generator} from {}. Do not edit.\n\n", names.join(", "))
}

fn format(tokens: TokenStream) -> String {
    format_items(tokens, &HashSet::new(), &Texts::default()).0
}

/// Formats some items of a module, with prelude paths shortened where `shadowed`
/// allows and the `texts` set aside put in place; and whether they need the module's
/// `use` of the runtime.
fn format_items(tokens: TokenStream, shadowed: &HashSet<String>, texts: &Texts) -> (String, bool) {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(mut file) => {
            let uses_runtime = prelude::shorten_items(&mut file, shadowed);
            (texts.splice(&prettyplease::unparse(&file)), uses_runtime)
        }
        // Unformatted output still compiles (and shows where the generator erred).
        Err(_) => (texts.splice(&tokens.to_string()), false),
    }
}

/// The formatted code of one module's definitions. Formatting (parsing the tokens into
/// a syntax tree and printing it) is most of the generator's time, so a large module is
/// cut into parts of about equal weight, formatted on as many threads as there are
/// cores; the parts print exactly as the whole would. The parts are small, so that the
/// memory of one part's syntax tree serves the next (touching fresh memory costs more
/// than the formatting).
fn module_code(ctx: Ctx<'_, '_>, definitions: &[DefId], options: &Options, threads: usize) -> String {
    /// The weight of a part: about 40 structs, or a service of 30 functions.
    const PART: usize = 320;
    let schema = ctx.plan.schema;
    let shadowed = &ctx.plan.modules[ctx.module].taken;
    // A service generates a few items per function; a type, a few in all.
    let weight = |id: &DefId| match &schema.definition(*id).kind {
        DefinitionKind::Service(s) => 8 + 8 * s.functions.len(),
        _ => 8,
    };
    let mut chunks: Vec<&[DefId]> = Vec::new();
    let (mut start, mut acc) = (0, 0);
    for (i, id) in definitions.iter().enumerate() {
        acc += weight(id);
        if acc >= PART {
            chunks.push(&definitions[start..=i]);
            (start, acc) = (i + 1, 0);
        }
    }
    if start < definitions.len() || chunks.is_empty() {
        chunks.push(&definitions[start..]);
    }
    let format_chunk = |chunk: &[DefId]| {
        let texts = Texts::default();
        let ctx = Ctx { texts: Some(&texts), ..ctx };
        let items = chunk.iter().map(|&id| items::definition(ctx, schema.definition(id), options));
        format_items(quote! { #(#items)* }, shadowed, &texts)
    };
    let formatted: Vec<(String, bool)> = if chunks.len() == 1 || threads == 1 {
        chunks.iter().map(|chunk| format_chunk(chunk)).collect()
    } else {
        // Each thread takes the next part not yet taken.
        let next = std::sync::atomic::AtomicUsize::new(0);
        let mut done: Vec<(usize, (String, bool))> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads.min(chunks.len()))
                .map(|_| {
                    scope.spawn(|| {
                        let mut out = Vec::new();
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(chunk) = chunks.get(i) else { break out };
                            out.push((i, format_chunk(chunk)));
                        }
                    })
                })
                .collect();
            handles.into_iter().flat_map(|h| h.join().expect("a formatting thread")).collect()
        });
        done.sort_by_key(|(i, _)| *i);
        done.into_iter().map(|(_, part)| part).collect()
    };
    let mut code = String::new();
    if formatted.iter().any(|(_, uses_runtime)| *uses_runtime) {
        code.push_str(prelude::RUNTIME_USE);
    }
    for (text, _) in &formatted {
        code.push_str(text);
    }
    code
}

/// Generates the code for a schema that has no errors.
pub(crate) fn generate_schema(schema: &Schema, options: &Options) -> Generated {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    generate_with_threads(schema, options, threads)
}

fn generate_with_threads(schema: &Schema, options: &Options, threads: usize) -> Generated {
    let files: Vec<FileId> = schema.files().iter().map(|f| f.id).collect();
    let plan = Plan::new(schema, &files, options.clone());
    let generator = options.generator.clone().unwrap_or_else(|| "rift-build".to_owned());
    let mut modules = Vec::new();
    for (index, module) in plan.modules.iter().enumerate() {
        let ctx = Ctx { plan: &plan, module: index, extra: 0, texts: None };
        let definitions: Vec<DefId> =
            module.files.iter().flat_map(|&file| schema.file(file).definitions.iter().copied()).collect();
        let sources: Vec<PathBuf> = module.files.iter().map(|&f| schema.file(f).path.clone()).collect();
        let code = header_comment(&generator, &sources) + &module_code(ctx, &definitions, options, threads);
        modules.push(GeneratedModule { path: module.path.clone(), sources, code });
    }
    Generated { modules, generator }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write;

    use super::*;

    /// A large module formatted in parts prints exactly as when formatted whole.
    #[test]
    fn parts_print_as_the_whole() {
        let mut idl = String::from("exception Oops { 1: string why }\n");
        for i in 0..300 {
            let _ = writeln!(
                idl,
                "struct S{i} {{ 1: required i32 a, 2: optional string b = \"x\", 3: list<S{i}> c }}"
            );
        }
        idl.push_str("service Big {\n");
        for i in 0..60 {
            let _ = writeln!(idl, "  S{i} call{i}(1: S{i} s, 2: i64 n) throws (1: Oops oops),");
        }
        idl.push_str("}\n");
        let schema = Loader::new().source("big.thrift", idl).load("big.thrift");
        assert!(!schema.has_errors(), "{}", IdlErrors::of(&schema));
        let options = Options::default();
        let whole = generate_with_threads(&schema, &options, 1);
        for threads in [2, 3, 8] {
            let parts = generate_with_threads(&schema, &options, threads);
            assert_eq!(parts.modules.len(), whole.modules.len());
            for (a, b) in parts.modules.iter().zip(&whole.modules) {
                assert!(a.code == b.code, "{threads} threads print differently");
            }
        }
        assert!(whole.modules[0].code.contains("use ::rift::codegen as _rt;"));
    }
}
