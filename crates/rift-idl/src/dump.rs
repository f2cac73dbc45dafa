//! A compact, stable text form of a syntax tree, for golden tests and debugging.

use std::fmt::Write;

use crate::ast::{
    Annotation, ConstValue, Definition, DefinitionKind, Document, Field, Function, Header, Requiredness,
    Type, TypeKind,
};
use crate::span::{SourceFile, Span};

impl Document {
    /// The tree as indented text: one node a line, with `@line:column` of each
    /// definition, field, function and enum value.
    pub fn dump(&self, file: &SourceFile) -> String {
        let mut d = Dumper { out: String::new(), file };
        if let Some(doc) = &self.doc {
            d.line(0, &format!("program-doc {:?}", doc.text));
        }
        for header in &self.headers {
            match header {
                Header::Include { path, .. } => d.line(0, &format!("include {:?}", path.value)),
                Header::CppInclude { path, .. } => d.line(0, &format!("cpp_include {:?}", path.value)),
                Header::Namespace { scope, name, annotations, .. } => d.line(
                    0,
                    &format!("namespace {} {}{}", scope.name, name.name, annotations_text(annotations)),
                ),
            }
        }
        for definition in &self.definitions {
            d.definition(definition);
        }
        d.out
    }
}

struct Dumper<'a> {
    out: String,
    file: &'a SourceFile,
}

impl Dumper<'_> {
    fn line(&mut self, indent: usize, text: &str) {
        let _ = writeln!(self.out, "{}{}", "  ".repeat(indent), text);
    }

    fn at(&self, span: Span) -> String {
        let (line, column) = self.file.line_col(span.start);
        format!("@{line}:{column}")
    }

    fn doc(&mut self, indent: usize, doc: Option<&crate::ast::Doc>) {
        if let Some(doc) = doc {
            self.line(indent, &format!("doc {:?}", doc.text));
        }
    }

    fn definition(&mut self, definition: &Definition) {
        let at = self.at(definition.span);
        match &definition.kind {
            DefinitionKind::Const(c) => {
                self.line(
                    0,
                    &format!("const {} {} = {} {at}", type_text(&c.ty), c.name.name, const_text(&c.value)),
                );
                self.doc(1, definition.doc.as_ref());
            }
            DefinitionKind::Typedef(t) => {
                self.line(
                    0,
                    &format!(
                        "typedef {} {}{} {at}",
                        type_text(&t.ty),
                        t.name.name,
                        annotations_text(&t.annotations)
                    ),
                );
                self.doc(1, definition.doc.as_ref());
            }
            DefinitionKind::Enum(e) => {
                self.line(0, &format!("enum {}{} {at}", e.name.name, annotations_text(&e.annotations)));
                self.doc(1, definition.doc.as_ref());
                for v in &e.values {
                    let value = v.value.as_ref().map(|l| format!(" = {}", l.value)).unwrap_or_default();
                    let at = self.at(v.span);
                    self.line(
                        1,
                        &format!("value {}{value}{} {at}", v.name.name, annotations_text(&v.annotations)),
                    );
                    self.doc(2, v.doc.as_ref());
                }
            }
            DefinitionKind::Struct(s) => {
                let xsd = if s.xsd_all { " xsd_all" } else { "" };
                self.line(
                    0,
                    &format!(
                        "{} {}{xsd}{} {at}",
                        s.kind.keyword(),
                        s.name.name,
                        annotations_text(&s.annotations)
                    ),
                );
                self.doc(1, definition.doc.as_ref());
                for f in &s.fields {
                    self.field(1, "field", f);
                }
            }
            DefinitionKind::Service(s) => {
                let extends = s.extends.as_ref().map(|e| format!(" extends {}", e.name)).unwrap_or_default();
                self.line(
                    0,
                    &format!("service {}{extends}{} {at}", s.name.name, annotations_text(&s.annotations)),
                );
                self.doc(1, definition.doc.as_ref());
                for f in &s.functions {
                    self.function(f);
                }
            }
        }
    }

    fn field(&mut self, indent: usize, kind: &str, f: &Field) {
        let mut text = kind.to_string();
        if let Some(id) = &f.id {
            let _ = write!(text, " {}:", id.value);
        }
        match f.requiredness {
            Some((Requiredness::Required, _)) => text.push_str(" required"),
            Some((Requiredness::Optional, _)) => text.push_str(" optional"),
            _ => {}
        }
        let _ = write!(text, " {}", type_text(&f.ty));
        if f.reference.is_some() {
            text.push_str(" &");
        }
        let _ = write!(text, " {}", f.name.name);
        if let Some(default) = &f.default {
            let _ = write!(text, " = {}", const_text(default));
        }
        if f.xsd_optional {
            text.push_str(" xsd_optional");
        }
        if f.xsd_nillable {
            text.push_str(" xsd_nillable");
        }
        text.push_str(&annotations_text(&f.annotations));
        let _ = write!(text, " {}", self.at(f.span));
        self.line(indent, &text);
        self.doc(indent + 1, f.doc.as_ref());
        if let Some(attrs) = &f.xsd_attrs {
            for a in attrs {
                self.field(indent + 1, "xsd_attr", a);
            }
        }
    }

    fn function(&mut self, f: &Function) {
        let oneway = if f.oneway.is_some() { "oneway " } else { "" };
        let returns = f.returns.as_ref().map_or_else(|| "void".to_string(), type_text);
        let at = self.at(f.span);
        self.line(
            1,
            &format!("function {oneway}{returns} {}{} {at}", f.name.name, annotations_text(&f.annotations)),
        );
        self.doc(2, f.doc.as_ref());
        for p in &f.params {
            self.field(2, "param", p);
        }
        if let Some((throws, _)) = &f.throws {
            for t in throws {
                self.field(2, "throws", t);
            }
        }
    }
}

fn annotations_text(annotations: &[Annotation]) -> String {
    if annotations.is_empty() {
        return String::new();
    }
    let items: Vec<String> = annotations
        .iter()
        .map(|a| match &a.value {
            Some(v) => format!("{} = {:?}", a.key.name, v.value),
            None => a.key.name.clone(),
        })
        .collect();
    format!(" ({})", items.join(", "))
}

fn type_text(ty: &Type) -> String {
    let base = match &ty.kind {
        TypeKind::Base(b) => b.name().to_string(),
        TypeKind::Named(n) => n.name.clone(),
        TypeKind::List { elem, cpp_type } => {
            format!("list{}<{}>", cpp_text(cpp_type.as_ref()), type_text(elem))
        }
        TypeKind::Set { elem, cpp_type } => {
            format!("set{}<{}>", cpp_text(cpp_type.as_ref()), type_text(elem))
        }
        TypeKind::Map { key, value, cpp_type } => {
            format!("map{}<{}, {}>", cpp_text(cpp_type.as_ref()), type_text(key), type_text(value))
        }
    };
    base + &annotations_text(&ty.annotations)
}

fn cpp_text(cpp_type: Option<&crate::ast::StrLit>) -> String {
    cpp_type.map(|c| format!("[cpp_type {:?}]", c.value)).unwrap_or_default()
}

fn const_text(value: &ConstValue) -> String {
    match value {
        ConstValue::Int(i) => i.value.to_string(),
        ConstValue::Double { value, .. } => format!("{value:?}"),
        ConstValue::String(s) => format!("{:?}", s.value),
        ConstValue::Ident(i) => i.name.clone(),
        ConstValue::List { items, .. } => {
            format!("[{}]", items.iter().map(const_text).collect::<Vec<_>>().join(", "))
        }
        ConstValue::Map { entries, .. } => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{}: {}", const_text(k), const_text(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

impl crate::model::Schema {
    /// The resolved definitions of one file as indented text: types with typedefs and
    /// includes resolved, field ids as assigned, constants as evaluated.
    pub fn dump(&self, file: crate::FileId) -> String {
        use crate::model::{DefinitionKind as K, Field as MField};
        let mut out = String::new();
        let field = |out: &mut String, indent: &str, kind: &str, f: &MField| {
            let implicit = if f.id_implicit { " (implicit)" } else { "" };
            let default =
                f.default.as_ref().map(|v| format!(" = {}", self.value_text(v))).unwrap_or_default();
            let reference = if f.reference { " &" } else { "" };
            let _ = writeln!(
                out,
                "{indent}{kind} {}{implicit}: {:?} {}{reference} {}{default}",
                f.id,
                f.requiredness,
                self.type_text(&f.ty),
                f.name
            );
        };
        for &id in &self.file(file).definitions {
            let d = self.definition(id);
            match &d.kind {
                K::Typedef(t) => {
                    let _ = writeln!(out, "typedef {} = {}", d.name, self.type_text(&t.target));
                }
                K::Enum(e) => {
                    let values: Vec<String> =
                        e.values.iter().map(|v| format!("{} = {}", v.name, v.value)).collect();
                    let _ = writeln!(out, "enum {} {{ {} }}", d.name, values.join(", "));
                }
                K::Struct(s) => {
                    let _ = writeln!(out, "{} {}", s.kind.keyword(), d.name);
                    for f in &s.fields {
                        field(&mut out, "  ", "field", f);
                    }
                }
                K::Const(c) => {
                    let _ = writeln!(
                        out,
                        "const {}: {} = {}",
                        d.name,
                        self.type_text(&c.ty),
                        self.value_text(&c.value)
                    );
                }
                K::Service(s) => {
                    let extends =
                        s.extends.map(|b| format!(" extends {}", self.qualified(b))).unwrap_or_default();
                    let _ = writeln!(out, "service {}{extends}", d.name);
                    for f in &s.functions {
                        let returns =
                            f.returns.as_ref().map_or_else(|| "void".to_string(), |t| self.type_text(t));
                        let oneway = if f.oneway { "oneway " } else { "" };
                        let _ = writeln!(out, "  function {oneway}{} -> {returns}", f.name);
                        for p in &f.params {
                            field(&mut out, "    ", "param", p);
                        }
                        for t in &f.throws {
                            field(&mut out, "    ", "throws", t);
                        }
                    }
                }
            }
        }
        out
    }

    /// A definition's name qualified by its file's name (`shared.Shared`).
    fn qualified(&self, id: crate::model::DefId) -> String {
        let d = self.definition(id);
        format!("{}.{}", self.file(d.file).name, d.name)
    }

    fn type_text(&self, ty: &crate::model::Type) -> String {
        use crate::model::TypeKind as T;
        match &ty.kind {
            T::Base(b) => b.name().to_string(),
            T::List(e) => format!("list<{}>", self.type_text(e)),
            T::Set(e) => format!("set<{}>", self.type_text(e)),
            T::Map(k, v) => format!("map<{}, {}>", self.type_text(k), self.type_text(v)),
            T::Named(id) => self.qualified(*id),
            T::Unresolved => "<unresolved>".to_string(),
        }
    }

    fn value_text(&self, value: &crate::model::Value) -> String {
        use crate::model::{DefinitionKind as K, Value as V};
        let join = |items: &[V]| items.iter().map(|v| self.value_text(v)).collect::<Vec<_>>().join(", ");
        match value {
            V::Bool(b) => b.to_string(),
            V::Int(i) => i.to_string(),
            V::Double(d) => format!("{d:?}"),
            V::String(s) => format!("{s:?}"),
            V::Binary(b) => format!("b{:?}", String::from_utf8_lossy(b)),
            V::Uuid(u) => format!("uuid({})", u.iter().map(|b| format!("{b:02x}")).collect::<String>()),
            V::Enum { def, value } => {
                let name = match &self.definition(*def).kind {
                    K::Enum(e) => e.value_of(*value).map_or("?", |v| v.name.as_str()),
                    _ => "?",
                };
                format!("{}.{name}({value})", self.qualified(*def))
            }
            V::List(items) => format!("[{}]", join(items)),
            V::Set(items) => format!("set[{}]", join(items)),
            V::Map(entries) => format!(
                "{{{}}}",
                entries
                    .iter()
                    .map(|(k, v)| format!("{}: {}", self.value_text(k), self.value_text(v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            V::Struct { def, fields } => {
                let names: Vec<String> = match &self.definition(*def).kind {
                    K::Struct(s) => fields
                        .iter()
                        .map(|(i, v)| format!("{}: {}", s.fields[*i].name, self.value_text(v)))
                        .collect(),
                    _ => Vec::new(),
                };
                format!("{} {{{}}}", self.qualified(*def), names.join(", "))
            }
        }
    }
}
