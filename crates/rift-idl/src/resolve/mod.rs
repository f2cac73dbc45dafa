//! The resolver: syntax trees of all loaded files to the semantic [`Schema`].
//!
//! It follows the reference compiler's rules of visibility: a type may be used before
//! it is defined (fields, arguments, typedefs), but constants, default values, `throws`
//! clauses and `extends` see only what is defined above them or in an included file,
//! because the reference evaluates them as it reads. Names of an included file are
//! written `include.Name`, one level deep.
//!
//! Diagnostics come out in the order the reference compiler would meet them: a file's
//! syntax errors, then its includes (each completely), then its semantic errors, and
//! last the errors the reference finds only when it generates code.

mod consts;
mod items;
mod reserved;
mod types;

use std::collections::{HashMap, HashSet};

use crate::ast;
use crate::diagnostic::Diagnostic;
use crate::loader::{LoadedFile, Options, end_span, program_name};
use crate::model::{self, Annotations, DefId, Schema};
use crate::span::{FileId, SourceMap, Span};

/// When the reference compiler meets a problem; decides the order of diagnostics.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Pass {
    /// While reading the file the first time (lexing, grammar, and checks made in both
    /// of the reference's passes).
    Syntax,
    /// While reading it the second time, with names in scope.
    Program,
    /// While generating code, after everything was read.
    Generation,
}

/// A diagnostic with what decides its place in the output.
struct Keyed {
    file: FileId,
    pass: Pass,
    diagnostic: Diagnostic,
}

/// What a constant name refers to.
#[derive(Copy, Clone, Debug)]
enum ConstRef {
    /// A `const`.
    Const(DefId),
    /// A value of an enum (`Enum.VALUE`), by index.
    EnumValue(DefId, usize),
}

/// One definition as found in a file, before it is built.
struct Slot<'a> {
    file: FileId,
    /// Index among the file's definitions: "defined before" compares these.
    index: usize,
    ast: &'a ast::Definition,
}

pub(crate) struct Analyzer<'a> {
    sources: &'a SourceMap,
    options: &'a Options,
    loaded: &'a [LoadedFile],
    slots: Vec<Slot<'a>>,
    /// Per file: its definitions.
    file_defs: Vec<Vec<DefId>>,
    /// Per file: type and service names defined in it (the first of duplicates).
    types: Vec<HashMap<&'a str, DefId>>,
    /// Per file: constant names defined in it (`NAME` and `Enum.VALUE`).
    consts: Vec<HashMap<String, ConstRef>>,
    /// Per file: its includes, as (prefix, file).
    includes: Vec<Vec<(String, FileId)>>,
    /// Built definitions, by id.
    built: Vec<Option<model::DefinitionKind>>,
    diagnostics: Vec<Keyed>,
    /// The definition being built, for visibility checks and diagnostics.
    current: Option<DefId>,
    /// Constants whose value is in error; uses of them are not reported again.
    failed_consts: HashSet<DefId>,
    /// Typedefs whose target names no type (the name it names): accepted, as the
    /// reference accepts them, until something uses them as a type.
    broken_typedefs: HashMap<DefId, String>,
    /// Every use of a typedef as a type: the file, the place, and the typedef.
    typedef_uses: Vec<(FileId, Span, DefId)>,
}

pub(crate) fn analyze(
    sources: SourceMap,
    loaded: Vec<LoadedFile>,
    roots: Vec<FileId>,
    root_errors: Vec<Diagnostic>,
    options: &Options,
) -> Schema {
    let (files, definitions, diagnostics) = {
        let mut analyzer = Analyzer::new(&sources, &loaded, options);
        let (order, seq) = analyzer.visit_order(&roots);
        for &file in &order {
            analyzer.build_file(file);
        }
        analyzer.check_typedef_cycles();
        analyzer.check_typedef_uses();
        analyzer.check_reserved_words();
        let files = analyzer.model_files();
        let (definitions, diagnostics) = analyzer.finish(&seq, root_errors);
        (files, definitions, diagnostics)
    };
    Schema { sources, files, roots, definitions, diagnostics }
}

impl<'a> Analyzer<'a> {
    fn new(sources: &'a SourceMap, loaded: &'a [LoadedFile], options: &'a Options) -> Self {
        let mut slots = Vec::new();
        let mut file_defs = vec![Vec::new(); loaded.len()];
        let mut types = vec![HashMap::new(); loaded.len()];
        let mut consts = vec![HashMap::new(); loaded.len()];
        let mut includes = vec![Vec::new(); loaded.len()];
        for file in loaded {
            let f = file.id.index();
            for (index, definition) in file.document.definitions.iter().enumerate() {
                let id = DefId(slots.len() as u32);
                slots.push(Slot { file: file.id, index, ast: definition });
                file_defs[f].push(id);
                match &definition.kind {
                    ast::DefinitionKind::Const(c) => {
                        consts[f].entry(c.name.name.clone()).or_insert(ConstRef::Const(id));
                    }
                    kind => {
                        types[f].entry(definition.name().name.as_str()).or_insert(id);
                        if let ast::DefinitionKind::Enum(e) = kind {
                            for (i, value) in e.values.iter().enumerate() {
                                let key = format!("{}.{}", e.name.name, value.name.name);
                                consts[f].entry(key).or_insert(ConstRef::EnumValue(id, i));
                            }
                        }
                    }
                }
            }
            includes[f] = file
                .includes
                .iter()
                .map(|(_, target)| (program_name(sources.get(*target).path()), *target))
                .collect();
        }
        let count = slots.len();
        Analyzer {
            sources,
            options,
            loaded,
            slots,
            file_defs,
            types,
            consts,
            includes,
            built: (0..count).map(|_| None).collect(),
            diagnostics: Vec::new(),
            current: None,
            failed_consts: HashSet::new(),
            broken_typedefs: HashMap::new(),
            typedef_uses: Vec::new(),
        }
    }

    fn report(&mut self, file: FileId, pass: Pass, diagnostic: Diagnostic) {
        self.diagnostics.push(Keyed { file, pass, diagnostic });
    }

    /// Walks the include graph as the reference compiler reads it: a file's first pass,
    /// then each include completely (depth first), then the file's second pass. Returns
    /// the files with includes before their includers (the order to build them in) and
    /// the place of each (file, pass) in the reading order. Reports include cycles.
    fn visit_order(&mut self, roots: &[FileId]) -> (Vec<FileId>, HashMap<(FileId, Pass), usize>) {
        #[derive(Copy, Clone, PartialEq)]
        enum State {
            New,
            Open,
            Done,
        }
        let mut state = vec![State::New; self.loaded.len()];
        let mut order = Vec::new();
        let mut seq = HashMap::new();
        // An explicit stack of (file, next include), so that deep include chains cannot
        // overflow the call stack.
        let mut stack: Vec<(FileId, usize)> = Vec::new();
        for &root in roots {
            if state[root.index()] != State::New {
                continue;
            }
            state[root.index()] = State::Open;
            seq.insert((root, Pass::Syntax), seq.len());
            stack.push((root, 0));
            while let Some(&mut (file, ref mut next)) = stack.last_mut() {
                let includes = &self.loaded[file.index()].includes;
                if *next == includes.len() {
                    state[file.index()] = State::Done;
                    seq.insert((file, Pass::Program), seq.len());
                    order.push(file);
                    stack.pop();
                    continue;
                }
                let (lit, target) = &includes[*next];
                *next += 1;
                match state[target.index()] {
                    State::New => {
                        state[target.index()] = State::Open;
                        seq.insert((*target, Pass::Syntax), seq.len());
                        stack.push((*target, 0));
                    }
                    State::Open => {
                        let start = stack.iter().position(|(f, _)| f == target).unwrap_or(0);
                        let mut chain: Vec<String> =
                            stack[start..].iter().map(|(f, _)| self.display(*f)).collect();
                        chain.push(self.display(*target));
                        let d = Diagnostic::error(
                            "include-cycle",
                            format!("`{}` includes itself through a cycle", self.display(*target)),
                            lit.span,
                        )
                        .with_label("this include closes the cycle")
                        .with_note(format!("include chain: {}", chain.join(" → ")))
                        .with_reference_span(end_span(self.sources, file));
                        self.report(file, Pass::Syntax, d);
                    }
                    State::Done => {}
                }
            }
        }
        for &file in &order {
            seq.insert((file, Pass::Generation), seq.len());
        }
        (order, seq)
    }

    fn display(&self, file: FileId) -> String {
        self.sources.get(file).path().display().to_string()
    }

    /// The diagnostics of the parser and loader, then everything this analysis found,
    /// in the reference compiler's order.
    fn finish(
        self,
        seq: &HashMap<(FileId, Pass), usize>,
        root_errors: Vec<Diagnostic>,
    ) -> (Vec<model::Definition>, Vec<Diagnostic>) {
        let mut keyed = self.diagnostics;
        for file in self.loaded {
            for d in &file.syntax {
                keyed.push(Keyed { file: file.id, pass: Pass::Syntax, diagnostic: d.clone() });
            }
        }
        let position = |d: &Diagnostic| d.reference_span.or_else(|| d.primary_span()).map_or(0, |s| s.start);
        keyed.sort_by_key(|k| {
            (seq.get(&(k.file, k.pass)).copied().unwrap_or(usize::MAX), position(&k.diagnostic))
        });
        let mut diagnostics = root_errors;
        diagnostics.extend(keyed.into_iter().map(|k| k.diagnostic));

        let definitions = self
            .slots
            .iter()
            .zip(self.built)
            .enumerate()
            .map(|(i, (slot, kind))| {
                let (name, annotations) = slot_name_and_annotations(slot.ast);
                model::Definition {
                    id: DefId(i as u32),
                    file: slot.file,
                    name: name.name.clone(),
                    span: name.span,
                    doc: slot.ast.doc.as_ref().map(|d| d.text.clone()),
                    annotations,
                    kind: kind.unwrap_or_else(|| {
                        model::DefinitionKind::Typedef(model::Typedef {
                            target: model::Type {
                                kind: model::TypeKind::Unresolved,
                                annotations: Annotations::default(),
                                span: name.span,
                            },
                        })
                    }),
                }
            })
            .collect();
        (definitions, diagnostics)
    }

    fn model_files(&self) -> Vec<model::File> {
        self.loaded
            .iter()
            .map(|file| {
                let path = self.sources.get(file.id).path().to_path_buf();
                let mut cpp_includes = Vec::new();
                let mut namespaces = Vec::new();
                for header in &file.document.headers {
                    match header {
                        ast::Header::CppInclude { path, .. } => cpp_includes.push(path.value.clone()),
                        ast::Header::Namespace { scope, name, annotations, .. } => {
                            namespaces.push(model::Namespace {
                                scope: scope.name.clone(),
                                name: name.name.clone(),
                                annotations: convert_annotations(annotations),
                            })
                        }
                        ast::Header::Include { .. } => {}
                    }
                }
                model::File {
                    id: file.id,
                    name: program_name(&path),
                    path,
                    doc: file.document.doc.as_ref().map(|d| d.text.clone()),
                    includes: file
                        .includes
                        .iter()
                        .map(|(lit, target)| model::Include {
                            written: lit.value.clone(),
                            file: *target,
                            name: program_name(self.sources.get(*target).path()),
                            span: lit.span,
                        })
                        .collect(),
                    cpp_includes,
                    namespaces,
                    definitions: self.file_defs[file.id.index()].clone(),
                }
            })
            .collect()
    }

    /// Whether definition `target` can be seen from the definition being built when
    /// only what is defined above counts.
    fn defined_before(&self, target: DefId) -> bool {
        let Some(current) = self.current else { return true };
        let (t, c) = (&self.slots[target.index()], &self.slots[current.index()]);
        t.file != c.file || t.index < c.index
    }

    fn current_file(&self) -> FileId {
        self.current.map_or(FileId(0), |c| self.slots[c.index()].file)
    }

    fn def_name(&self, id: DefId) -> &'a str {
        &self.slots[id.index()].ast.name().name
    }

    fn def_span(&self, id: DefId) -> Span {
        self.slots[id.index()].ast.name().span
    }

    fn check_typedef_cycles(&mut self) {
        for start in 0..self.slots.len() {
            let mut seen = vec![DefId(start as u32)];
            let mut id = DefId(start as u32);
            while let Some(model::DefinitionKind::Typedef(t)) = &self.built[id.index()] {
                let model::TypeKind::Named(next) = t.target.kind else { break };
                if next.index() == start {
                    let d = Diagnostic::error(
                        "typedef-cycle",
                        format!("typedef `{}` refers to itself", self.def_name(DefId(start as u32))),
                        self.def_span(DefId(start as u32)),
                    )
                    .with_label("this typedef never reaches a real type")
                    .with_note(format!(
                        "cycle: {}",
                        seen.iter()
                            .chain(std::iter::once(&next))
                            .map(|&d| self.def_name(d))
                            .collect::<Vec<_>>()
                            .join(" → ")
                    ));
                    let file = self.slots[start].file;
                    self.report(file, Pass::Generation, d);
                    // Cut the cycle so that consumers of the model can follow typedefs.
                    if let Some(model::DefinitionKind::Typedef(t)) = &mut self.built[start] {
                        t.target.kind = model::TypeKind::Unresolved;
                    }
                    break;
                }
                if seen.contains(&next) {
                    break;
                }
                seen.push(next);
                id = next;
            }
        }
    }
}

fn slot_name_and_annotations(definition: &ast::Definition) -> (&ast::Ident, Annotations) {
    let annotations = match &definition.kind {
        ast::DefinitionKind::Const(_) => &[][..],
        ast::DefinitionKind::Typedef(t) => &t.annotations,
        ast::DefinitionKind::Enum(e) => &e.annotations,
        ast::DefinitionKind::Struct(s) => &s.annotations,
        ast::DefinitionKind::Service(s) => &s.annotations,
    };
    (definition.name(), convert_annotations(annotations))
}

/// Annotations as key/value pairs; a key without a value gets `"1"`, as in the reference.
pub(crate) fn convert_annotations(annotations: &[ast::Annotation]) -> Annotations {
    Annotations(
        annotations
            .iter()
            .map(|a| {
                (a.key.name.clone(), a.value.as_ref().map_or_else(|| "1".to_string(), |v| v.value.clone()))
            })
            .collect(),
    )
}

/// Edit distance, for "did you mean" suggestions.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(!ca.eq_ignore_ascii_case(&cb));
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + cost);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// The closest candidate to `name`, if one is close enough to be a likely typo.
pub(crate) fn suggest<'n>(name: &str, candidates: impl IntoIterator<Item = &'n str>) -> Option<&'n str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, c)| (d, c.len()))
        .map(|(_, c)| c)
}
