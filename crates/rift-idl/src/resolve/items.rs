//! Building definitions: enums, structs and their fields, services and functions,
//! with the reference compiler's checks and adjustments.

use std::collections::HashMap;

use super::consts::EvalCtx;
use super::types::Found;
use super::{Analyzer, ConstRef, Pass, convert_annotations, suggest};
use crate::ast::{self, Requiredness, StructKind};
use crate::diagnostic::Diagnostic;
use crate::model::{self, DefId, DefinitionKind};
use crate::span::{FileId, Span};

/// Where a list of fields appears; each place has its own rules.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Fields {
    Struct(StructKind),
    Params,
    Throws,
    XsdAttrs,
}

/// Language scopes the reference compiler knows, and a few that other Thrift compilers
/// use widely; `namespace` with any other scope gets a warning.
const KNOWN_SCOPES: &[&str] = &[
    "*",
    "c_glib",
    "cl",
    "cpp",
    "d",
    "dart",
    "delphi",
    "erl",
    "go",
    "gv",
    "haxe",
    "html",
    "java",
    "javame",
    "js",
    "json",
    "kotlin",
    "lua",
    "markdown",
    "netstd",
    "ocaml",
    "perl",
    "php",
    "py",
    "rb",
    "rs",
    "st",
    "swift",
    "xml",
    "xsd",
    "smalltalk",
    "scala",
    "android",
    "cocoa",
    "csharp",
    "netcore",
    "as3",
    "hs",
    "nodejs",
    "nodets",
    "ts",
];

impl Analyzer<'_> {
    pub(super) fn build_file(&mut self, file: FileId) {
        self.check_headers(file);
        for id in self.file_defs[file.index()].clone() {
            self.current = Some(id);
            let ast = self.slots[id.index()].ast;
            self.check_unique_name(id);
            let kind = match &ast.kind {
                ast::DefinitionKind::Typedef(t) => {
                    self.check_simple_name(&t.name, Pass::Syntax, ast.follow);
                    DefinitionKind::Typedef(model::Typedef {
                        target: self.typedef_target(id, &t.name, &t.ty),
                    })
                }
                ast::DefinitionKind::Enum(e) => {
                    self.check_simple_name(&e.name, Pass::Syntax, ast.follow);
                    DefinitionKind::Enum(self.build_enum(e, ast.follow))
                }
                ast::DefinitionKind::Struct(s) => {
                    self.check_simple_name(&s.name, Pass::Syntax, ast.follow);
                    DefinitionKind::Struct(self.build_struct(s, ast.follow))
                }
                ast::DefinitionKind::Const(c) => {
                    self.check_simple_name(&c.name, Pass::Program, ast.follow);
                    let ty = self.resolve_type(&c.ty);
                    let ctx = EvalCtx { what: format!("constant `{}`", c.name.name), reference: ast.follow };
                    let value = self.eval(&c.value, &ty, &ctx);
                    if value.is_none() {
                        self.failed_consts.insert(id);
                    }
                    DefinitionKind::Const(model::Const { ty, value: value.unwrap_or(model::Value::Int(0)) })
                }
                ast::DefinitionKind::Service(s) => {
                    self.check_simple_name(&s.name, Pass::Syntax, ast.follow);
                    DefinitionKind::Service(self.build_service(s, ast.follow))
                }
            };
            self.built[id.index()] = Some(kind);
        }
        self.current = None;
    }

    /// Names of definitions, fields and functions cannot contain dots.
    fn check_simple_name(&mut self, name: &ast::Ident, pass: Pass, reference: Span) {
        if name.name.contains('.') {
            let d = Diagnostic::error(
                "dotted-name",
                format!("`{}` cannot be a name: names cannot contain `.`", name.name),
                name.span,
            )
            .with_label("dotted names only refer to included definitions")
            .with_reference_span(reference);
            self.report(name.span.file, pass, d);
        }
    }

    fn check_headers(&mut self, file: FileId) {
        let loaded = &self.loaded[file.index()];
        for header in &loaded.document.headers {
            if let ast::Header::Namespace { scope, .. } = header {
                let base = scope.name.split('.').next().unwrap_or_default();
                if base == "smalltalk" {
                    let d = Diagnostic::warning(
                        "deprecated-namespace-scope",
                        "namespace scope `smalltalk` is deprecated",
                        scope.span,
                    )
                    .with_help("write `st`");
                    self.report(file, Pass::Program, d);
                } else if !KNOWN_SCOPES.contains(&base) {
                    let mut d = Diagnostic::warning(
                        "unknown-namespace-scope",
                        format!("unknown language `{base}` in namespace"),
                        scope.span,
                    )
                    .with_label("no Thrift generator has this name");
                    if let Some(close) = suggest(base, KNOWN_SCOPES.iter().copied().filter(|s| *s != "*")) {
                        d = d.with_help(format!("did you mean `{close}`?"));
                    }
                    self.report(file, Pass::Program, d);
                }
            }
        }
        // Two includes with the same name: the reference registers the constants of both
        // under that name and fails when they clash.
        let includes = self.includes[file.index()].clone();
        let spans: Vec<Span> = loaded.includes.iter().map(|(lit, _)| lit.span).collect();
        for (i, (name, target)) in includes.iter().enumerate() {
            let Some(j) = includes[..i].iter().position(|(n, _)| n == name) else { continue };
            let earlier = includes[j].1;
            let clash =
                self.consts[target.index()].keys().any(|k| self.consts[earlier.index()].contains_key(k));
            let message = if earlier == *target {
                format!("`{}` is included twice", self.display(*target))
            } else {
                format!("two included files are named `{name}`")
            };
            let d = if clash {
                Diagnostic::error("duplicate-include", message, spans[i])
                    .with_note(format!("their constants and enum values would both be `{name}.*`"))
            } else {
                Diagnostic::warning("duplicate-include", message, spans[i])
                    .with_note(format!("`{name}.Name` refers to the definitions of this one"))
            };
            let d = d.with_secondary(spans[j], "first included here");
            self.report(file, Pass::Syntax, d);
        }
    }

    /// Definitions share one name space per file (constants have their own), and a type
    /// also clashes with one of the same name in a direct include whose namespaces are
    /// the same (or which, like this file, declares none).
    fn check_unique_name(&mut self, id: DefId) {
        let slot = &self.slots[id.index()];
        let (file, ast) = (slot.file, slot.ast);
        let name = ast.name();
        if let ast::DefinitionKind::Const(_) = ast.kind {
            if let Some(ConstRef::Const(first)) = self.consts[file.index()].get(&name.name).copied()
                && first != id
            {
                let d = Diagnostic::error(
                    "duplicate-definition",
                    format!("constant `{}` is defined twice", name.name),
                    name.span,
                )
                .with_label("defined again here")
                .with_secondary(self.def_span(first), "first defined here")
                .with_reference_span(ast.follow);
                self.report(file, Pass::Program, d);
            }
            return;
        }
        if let Some(&first) = self.types[file.index()].get(name.name.as_str())
            && first != id
        {
            let what = self.slots[first.index()].ast.kind_word();
            let d = Diagnostic::error(
                "duplicate-definition",
                format!("the name `{}` is defined twice", name.name),
                name.span,
            )
            .with_label("defined again here")
            .with_secondary(self.def_span(first), format!("first defined here, as a {what}"))
            .with_reference_span(ast.follow);
            self.report(file, Pass::Program, d);
            return;
        }
        for (prefix, target) in self.includes[file.index()].clone() {
            let Some(&other) = self.types[target.index()].get(name.name.as_str()) else { continue };
            if !self.same_namespaces(file, target) {
                if let Some((scope, ns)) = self.shared_namespace(file, target) {
                    let d = Diagnostic::warning(
                        "possible-name-clash",
                        format!("`{}` is also defined in the included file `{}`", name.name, self.display(target)),
                        name.span,
                    )
                    .with_secondary(self.def_span(other), format!("also defined here, as `{prefix}.{}`", name.name))
                    .with_note(format!(
                        "both files use the `{scope}` namespace `{ns}`, so code generated for `{scope}` has two types of this name"
                    ));
                    self.report(file, Pass::Program, d);
                }
                continue;
            }
            let d = Diagnostic::error(
                "duplicate-definition",
                format!("`{}` is also defined in the included file `{}`", name.name, self.display(target)),
                name.span,
            )
            .with_label("defined here")
            .with_secondary(self.def_span(other), format!("and here, as `{prefix}.{}`", name.name))
            .with_note("types of files that declare the same namespaces (or none) share one name space in generated code")
            .with_help("rename one of them, or give the files different namespaces")
            .with_reference_span(ast.follow);
            self.report(file, Pass::Program, d);
            return;
        }
    }

    /// A language scope for which both files declare the same namespace.
    fn shared_namespace(&self, a: FileId, b: FileId) -> Option<(String, String)> {
        let namespaces = |f: FileId| {
            self.loaded[f.index()].document.headers.iter().filter_map(|h| match h {
                ast::Header::Namespace { scope, name, .. } => Some((scope.name.clone(), name.name.clone())),
                _ => None,
            })
        };
        let theirs: Vec<(String, String)> = namespaces(b).collect();
        namespaces(a).find(|ns| theirs.contains(ns))
    }

    /// Whether two files' generated code would share a name space: every namespace either
    /// file declares is the same in the other (true when neither declares any).
    fn same_namespaces(&self, a: FileId, b: FileId) -> bool {
        let namespaces = |f: FileId| -> Vec<(&str, &str)> {
            self.loaded[f.index()]
                .document
                .headers
                .iter()
                .filter_map(|h| match h {
                    ast::Header::Namespace { scope, name, .. } => {
                        Some((scope.name.as_str(), name.name.as_str()))
                    }
                    _ => None,
                })
                .collect()
        };
        let (na, nb) = (namespaces(a), namespaces(b));
        let get = |ns: &[(&str, &str)], scope: &str| -> Option<String> {
            let find = |s: &str| ns.iter().rev().find(|(k, _)| *k == s).map(|(_, v)| v.to_string());
            find(scope).or_else(|| find("*"))
        };
        na.iter().all(|(scope, name)| get(&nb, scope).as_deref() == Some(*name))
            && nb.iter().all(|(scope, name)| get(&na, scope).as_deref() == Some(*name))
    }

    fn build_enum(&mut self, e: &ast::Enum, follow: Span) -> model::Enum {
        let file = self.current_file();
        let mut values: Vec<model::EnumValue> = Vec::with_capacity(e.values.len());
        let mut seen: HashMap<&str, Span> = HashMap::new();
        let mut previous: Option<i32> = None;
        for v in &e.values {
            let value = match &v.value {
                Some(lit) => match i32::try_from(lit.value) {
                    Ok(n) => n,
                    Err(_) => {
                        let d = Diagnostic::error(
                            "enum-value-range",
                            format!("enum value {} does not fit in 32 bits", lit.value),
                            lit.span,
                        )
                        .with_label("out of range")
                        .with_note("enum values are `i32` on the wire");
                        self.report(file, Pass::Syntax, d);
                        lit.value as i32
                    }
                },
                None => match previous.map_or(Some(0), |p| p.checked_add(1)) {
                    Some(n) => n,
                    None => {
                        let d = Diagnostic::error(
                            "enum-value-range",
                            format!("enum value `{}` would be 2147483648", v.name.name),
                            v.name.span,
                        )
                        .with_label("counting on from the previous value overflows `i32`");
                        self.report(file, Pass::Syntax, d);
                        i32::MIN
                    }
                },
            };
            previous = Some(value);
            if v.name.name.contains('.') {
                if v.value.is_none() {
                    self.check_simple_name(&v.name, Pass::Syntax, v.span);
                } else {
                    let d = Diagnostic::warning(
                        "dotted-name",
                        format!("enum value name `{}` contains `.`", v.name.name),
                        v.name.span,
                    )
                    .with_label("it can only be referred to as an awkward qualified name");
                    self.report(file, Pass::Syntax, d);
                }
            }
            if let Some(&first) = seen.get(v.name.name.as_str()) {
                let d = Diagnostic::error(
                    "duplicate-definition",
                    format!("enum `{}` has two values named `{}`", e.name.name, v.name.name),
                    v.name.span,
                )
                .with_label("defined again here")
                .with_secondary(first, "first defined here")
                .with_reference_span(follow);
                self.report(file, Pass::Program, d);
            } else {
                seen.insert(&v.name.name, v.name.span);
            }
            values.push(model::EnumValue {
                name: v.name.name.clone(),
                value,
                doc: v.doc.as_ref().map(|d| d.text.clone()),
                annotations: convert_annotations(&v.annotations),
                span: v.span,
            });
        }
        model::Enum { values }
    }

    fn build_struct(&mut self, s: &ast::Struct, follow: Span) -> model::Struct {
        let file = self.current_file();
        let fields = self.build_fields(&s.fields, Fields::Struct(s.kind));
        if s.kind == StructKind::Union {
            let with_default: Vec<&ast::Field> = s.fields.iter().filter(|f| f.default.is_some()).collect();
            if let [first, second, ..] = with_default[..] {
                let d = Diagnostic::error(
                    "union-defaults",
                    format!("union `{}` gives default values to more than one member", s.name.name),
                    second.name.span,
                )
                .with_label("second default here")
                .with_secondary(first.name.span, "first default here")
                .with_note("a union holds one member, so only one can have a default")
                .with_reference_span(follow);
                self.report(file, Pass::Program, d);
            }
        }
        model::Struct { kind: s.kind, fields }
    }

    fn build_fields(&mut self, fields: &[ast::Field], place: Fields) -> Vec<model::Field> {
        let file = self.current_file();
        let mut out = Vec::with_capacity(fields.len());
        let mut auto: i32 = -1;
        // The id to suggest for a field written without one.
        let mut next_id = fields
            .iter()
            .filter_map(|f| f.id.as_ref())
            .map(|l| l.value)
            .filter(|&v| v > 0 && v < i64::from(i16::MAX))
            .max()
            .unwrap_or(0)
            + 1;
        let mut ids: HashMap<i32, &ast::Field> = HashMap::new();
        let mut names: HashMap<&str, &ast::Field> = HashMap::new();
        for f in fields {
            self.check_simple_name(&f.name, Pass::Syntax, f.follow);
            let (id, implicit) = match &f.id {
                Some(lit) if lit.value > 0 => (lit.value as i32, false),
                Some(lit) if self.options.allow_negative_field_ids => {
                    let id = lit.value as i32;
                    if id != auto {
                        let d = Diagnostic::warning(
                            "field-id",
                            format!(
                                "field id {id} differs from the id {auto} that would be assigned automatically"
                            ),
                            lit.span,
                        );
                        self.report(file, Pass::Syntax, d);
                    }
                    auto = id.wrapping_sub(1);
                    (id, false)
                }
                Some(lit) => {
                    let id = auto;
                    auto = auto.wrapping_sub(1);
                    let d = Diagnostic::warning(
                        "field-id",
                        format!("field id {} is not positive", lit.value),
                        lit.span,
                    )
                    .with_label(format!("replaced by the automatic id {id}"))
                    .with_help("give the field a positive id");
                    self.report(file, Pass::Syntax, d);
                    (id, true)
                }
                None => {
                    let id = auto;
                    auto = auto.wrapping_sub(1);
                    let d = Diagnostic::warning(
                        "field-id",
                        format!("field `{}` has no id", f.name.name),
                        f.name.span,
                    )
                    .with_label(format!("it gets the automatic id {id}"))
                    .with_note(
                        "automatic ids change when fields are added or moved, which breaks compatibility",
                    )
                    .with_help(format!(
                        "write an explicit id: `{next_id}: {} {}`",
                        self.snippet(f.ty.span),
                        f.name.name
                    ));
                    self.report(file, Pass::Syntax, d);
                    next_id += 1;
                    (id, true)
                }
            };
            if i16::try_from(id).is_err() {
                let span = f.id.as_ref().map_or(f.name.span, |l| l.span);
                let d =
                    Diagnostic::warning("field-id", format!("field id {id} does not fit in 16 bits"), span)
                        .with_label("field ids are `i16` on the wire");
                self.report(file, Pass::Syntax, d);
            }
            // The reference rejects a field whose id or name is already taken.
            let clash = ids
                .get(&id)
                .map(|first| (*first, true))
                .or_else(|| names.get(f.name.name.as_str()).map(|first| (*first, false)));
            if let Some((first, by_id)) = clash {
                let d = if by_id {
                    Diagnostic::error(
                        "duplicate-field",
                        format!("field id {id} is used twice"),
                        f.id.as_ref().map_or(f.name.span, |l| l.span),
                    )
                    .with_label(format!("used again by `{}`", f.name.name))
                    .with_secondary(
                        first.id.as_ref().map_or(first.name.span, |l| l.span),
                        format!("first used by `{}`", first.name.name),
                    )
                } else {
                    Diagnostic::error(
                        "duplicate-field",
                        format!("field `{}` is defined twice", f.name.name),
                        f.name.span,
                    )
                    .with_label("defined again here")
                    .with_secondary(first.name.span, "first defined here")
                };
                self.report(file, Pass::Syntax, d.with_reference_span(f.follow));
            } else {
                ids.insert(id, f);
                names.insert(&f.name.name, f);
            }
            let requiredness = self.adjust_requiredness(f, place);
            let ty = self.resolve_type(&f.ty);
            let default = match &f.default {
                Some(value) => {
                    let ctx = EvalCtx {
                        what: format!("the default of field `{}`", f.name.name),
                        reference: f.follow,
                    };
                    self.eval(value, &ty, &ctx)
                }
                None => None,
            };
            out.push(model::Field {
                id: id as i16,
                id_implicit: implicit,
                name: f.name.name.clone(),
                requiredness,
                ty,
                default,
                reference: f.reference.is_some(),
                doc: f.doc.as_ref().map(|d| d.text.clone()),
                annotations: convert_annotations(&f.annotations),
                span: f.span,
            });
            if let Some(attrs) = &f.xsd_attrs {
                self.build_fields(attrs, Fields::XsdAttrs);
            }
        }
        out
    }

    fn adjust_requiredness(&mut self, f: &ast::Field, place: Fields) -> Requiredness {
        let file = self.current_file();
        let Some((written, span)) = f.requiredness else {
            return if place == Fields::Struct(StructKind::Union) {
                Requiredness::Optional
            } else {
                Requiredness::Default
            };
        };
        match (place, written) {
            (Fields::Struct(StructKind::Union), Requiredness::Required) => {
                let d = Diagnostic::warning("union-required", "union members cannot be `required`", span)
                    .with_label("ignored: union members are always optional");
                self.report(file, Pass::Program, d);
                Requiredness::Optional
            }
            (Fields::Struct(StructKind::Union), _) => Requiredness::Optional,
            (Fields::Params, Requiredness::Optional) => {
                let d =
                    Diagnostic::warning("optional-argument", "`optional` has no effect on an argument", span)
                        .with_label("ignored")
                        .with_note("arguments are always sent");
                self.report(file, Pass::Program, d);
                Requiredness::Default
            }
            (Fields::Throws, Requiredness::Required) => {
                let d = Diagnostic::warning(
                    "required-exception",
                    "`required` has no effect in a `throws` clause",
                    span,
                )
                .with_label("ignored")
                .with_note("a function throws at most one of its exceptions");
                self.report(file, Pass::Program, d);
                Requiredness::Default
            }
            (_, written) => written,
        }
    }

    fn build_service(&mut self, s: &ast::Service, follow: Span) -> model::Service {
        let file = self.current_file();
        let extends = s.extends.as_ref().and_then(|base| self.resolve_base(base));
        let mut functions: Vec<model::Function> = Vec::with_capacity(s.functions.len());
        let mut seen: HashMap<&str, &ast::Function> = HashMap::new();
        for f in &s.functions {
            self.check_simple_name(&f.name, Pass::Syntax, f.follow);
            if let Some(first) = seen.get(f.name.name.as_str()) {
                let d = Diagnostic::error(
                    "duplicate-function",
                    format!("function `{}` is defined twice in service `{}`", f.name.name, s.name.name),
                    f.name.span,
                )
                .with_label("defined again here")
                .with_secondary(first.name.span, "first defined here")
                .with_reference_span(f.follow);
                self.report(file, Pass::Syntax, d);
            } else {
                seen.insert(&f.name.name, f);
            }
            functions.push(self.build_function(f));
        }
        // A function may not have the name of one of a base service.
        if let Some(base) = extends {
            let inherited = self.inherited_functions(base);
            for f in &s.functions {
                if let Some((owner, span)) =
                    inherited.iter().find(|(_, f2)| f2.0 == f.name.name).map(|(o, f2)| (*o, f2.1))
                {
                    let d = Diagnostic::error(
                        "duplicate-function",
                        format!(
                            "function `{}` is already defined in base service `{}`",
                            f.name.name,
                            self.def_name(owner)
                        ),
                        f.name.span,
                    )
                    .with_label("defined again here")
                    .with_secondary(span, "defined in the base service here")
                    .with_note(
                        "Thrift has no overriding: a service's functions are its own and all of its bases'",
                    )
                    .with_reference_span(follow);
                    self.report(file, Pass::Program, d);
                }
            }
        }
        model::Service { extends, functions }
    }

    /// The functions of a service and its bases, with the service that defines each.
    fn inherited_functions(&self, mut service: DefId) -> Vec<(DefId, (String, Span))> {
        let mut out = Vec::new();
        let mut seen = Vec::new();
        loop {
            if seen.contains(&service) {
                return out;
            }
            seen.push(service);
            let Some(DefinitionKind::Service(s)) = &self.built[service.index()] else { return out };
            out.extend(s.functions.iter().map(|f| (service, (f.name.clone(), f.span))));
            match s.extends {
                Some(base) => service = base,
                None => return out,
            }
        }
    }

    /// The service named after `extends`: it must be defined above, or in an include.
    fn resolve_base(&mut self, base: &ast::Ident) -> Option<DefId> {
        let file = self.current_file();
        let found = self.find_type(file, &base.name);
        let mut d =
            Diagnostic::error("unknown-service", format!("unknown service `{}`", base.name), base.span);
        match found {
            Found::Def(id) => {
                let is_service = matches!(self.slots[id.index()].ast.kind, ast::DefinitionKind::Service(_));
                if is_service && self.defined_before(id) {
                    return Some(id);
                }
                d = if is_service {
                    d.with_label("defined below this service")
                        .with_secondary(self.def_span(id), "defined here")
                        .with_note(
                            "a service can only extend a service defined above it or in an included file",
                        )
                        .with_help("move the base service above")
                } else {
                    let what = self.slots[id.index()].ast.kind_word();
                    Diagnostic::error(
                        "not-a-service",
                        format!("`{}` is a {what}, not a service", base.name),
                        base.span,
                    )
                    .with_label("expected a service")
                    .with_secondary(self.def_span(id), format!("the {what} is defined here"))
                };
            }
            Found::NoSuchInclude(prefix) => d = d.with_label(format!("no included file is named `{prefix}`")),
            Found::Nothing => {
                d = d.with_label("not defined above or in an included file");
                let services: Vec<&str> = self.types[file.index()]
                    .iter()
                    .filter(|(_, id)| {
                        matches!(self.slots[id.index()].ast.kind, ast::DefinitionKind::Service(_))
                    })
                    .map(|(n, _)| *n)
                    .collect();
                if let Some(close) = suggest(&base.name, services) {
                    d = d.with_help(format!("did you mean `{close}`?"));
                }
            }
        }
        self.report(file, Pass::Program, d);
        None
    }

    fn build_function(&mut self, f: &ast::Function) -> model::Function {
        let file = self.current_file();
        let returns = f.returns.as_ref().map(|t| self.resolve_type(t));
        let params = self.build_fields(&f.params, Fields::Params);
        let throws = match &f.throws {
            Some((fields, keyword)) => {
                let built = self.build_fields(fields, Fields::Throws);
                let close = fields.last().map_or(*keyword, |l| l.follow);
                for (field, ast_field) in built.iter().zip(fields) {
                    self.check_throwable(field, ast_field, close);
                }
                if f.oneway.is_some() && !fields.is_empty() {
                    let d = Diagnostic::error(
                        "oneway-throws",
                        format!("oneway function `{}` cannot throw exceptions", f.name.name),
                        *keyword,
                    )
                    .with_label("a `throws` clause on a oneway function")
                    .with_secondary(f.oneway.unwrap_or(f.name.span), "declared oneway here")
                    .with_note("a oneway call gets no reply, so no exception can reach the caller")
                    .with_reference_span(f.follow);
                    self.report(file, Pass::Syntax, d);
                }
                built
            }
            None => Vec::new(),
        };
        if let (Some(oneway), Some(_)) = (f.oneway, &f.returns) {
            let d = Diagnostic::warning(
                "oneway-returns",
                format!("oneway function `{}` returns a value", f.name.name),
                f.returns_span,
            )
            .with_label("never sent: oneway calls get no reply")
            .with_secondary(oneway, "declared oneway here")
            .with_help("make it return `void`");
            self.report(file, Pass::Program, d);
        }
        model::Function {
            name: f.name.name.clone(),
            oneway: f.oneway.is_some(),
            returns,
            params,
            throws,
            doc: f.doc.as_ref().map(|d| d.text.clone()),
            annotations: convert_annotations(&f.annotations),
            span: f.span,
        }
    }

    /// A `throws` entry must be an exception defined above (or in an include): the
    /// reference checks it as it reads the function.
    fn check_throwable(&mut self, field: &model::Field, ast_field: &ast::Field, close: Span) {
        let file = self.current_file();
        let Some(ty) = self.visible_true_type(&field.ty, ast_field.ty.span, close, "a `throws` clause")
        else {
            return;
        };
        let is_exception = matches!(
            &ty.kind,
            model::TypeKind::Named(id) if matches!(&self.built[id.index()], Some(DefinitionKind::Struct(s)) if s.kind == StructKind::Exception)
        );
        if !is_exception && ty.kind != model::TypeKind::Unresolved {
            let d = Diagnostic::error(
                "not-an-exception",
                format!("`{}` is not an exception", self.snippet(ast_field.ty.span)),
                ast_field.ty.span,
            )
            .with_label("only exceptions can be thrown")
            .with_reference_span(close);
            let d = match &ty.kind {
                model::TypeKind::Named(id) => {
                    let what = self.slots[id.index()].ast.kind_word();
                    d.with_secondary(self.def_span(*id), format!("defined here as a {what}"))
                }
                _ => d,
            };
            self.report(file, Pass::Program, d);
        }
    }

    fn snippet(&self, span: Span) -> &str {
        self.sources.snippet(span)
    }
}

impl ast::Definition {
    /// What kind of definition this is, for messages.
    pub(crate) fn kind_word(&self) -> &'static str {
        match &self.kind {
            ast::DefinitionKind::Const(_) => "constant",
            ast::DefinitionKind::Typedef(_) => "typedef",
            ast::DefinitionKind::Enum(_) => "enum",
            ast::DefinitionKind::Struct(s) => s.kind.keyword(),
            ast::DefinitionKind::Service(_) => "service",
        }
    }
}
