//! Rust types and expressions for IDL types and constant values, as seen from one module.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use rift_idl::ast::{BaseType, StructKind};
use rift_idl::model::{DefId, DefinitionKind, Type, TypeKind, Value};

use crate::names::{ident, segment};
use crate::plan::Plan;
use crate::text::{Spelling, Texts};

/// Where code is being generated: a module, and how many service modules deep.
#[derive(Copy, Clone)]
pub(crate) struct Ctx<'p, 's> {
    pub(crate) plan: &'p Plan<'s>,
    pub(crate) module: usize,
    pub(crate) extra: usize,
    /// Where items written as text are set aside, when they may be.
    pub(crate) texts: Option<&'p Texts>,
}

impl<'p, 's> Ctx<'p, 's> {
    /// The same place, one module deeper.
    pub(crate) fn nested(self) -> Ctx<'p, 's> {
        Ctx { extra: self.extra + 1, ..self }
    }

    /// How text written for this place spells runtime and prelude paths.
    pub(crate) fn spelling(&self) -> Spelling {
        let shadowed = &self.plan.modules[self.module].taken;
        // A service's nested module holds only generated names, so the alias is free.
        Spelling::new(shadowed, self.extra, self.extra > 0 || !shadowed.contains("_rt"))
    }

    /// The path to a definition.
    pub(crate) fn def_path(&self, id: DefId) -> TokenStream {
        let segments: Vec<_> = self
            .plan
            .path_to(self.module, self.extra, self.plan.module_of(id))
            .into_iter()
            .map(|s| segment(&s))
            .collect();
        let name = ident(self.plan.name(id));
        quote! { #(#segments::)* #name }
    }

    /// [`Ctx::def_path`] as text.
    pub(crate) fn def_path_text(&self, id: DefId) -> String {
        let mut out = String::new();
        for s in self.plan.path_to(self.module, self.extra, self.plan.module_of(id)) {
            out.push_str(&segment(&s).to_string());
            out.push_str("::");
        }
        out.push_str(&ident(self.plan.name(id)).to_string());
        out
    }

    /// [`Ctx::service_item`] as text.
    pub(crate) fn service_item_text(&self, service: DefId, item: &str) -> String {
        let names = &self.plan.services[&service];
        let mut out = String::new();
        for s in self.plan.path_to(self.module, self.extra, self.plan.module_of(service)) {
            out.push_str(&segment(&s).to_string());
            out.push_str("::");
        }
        out.push_str(&ident(&names.module).to_string());
        out.push_str("::");
        out.push_str(&ident(item).to_string());
        out
    }

    /// [`Ctx::ty`] as text, spelled as the prelude pass would shorten it.
    pub(crate) fn ty_text(&self, ty: &Type) -> String {
        let s = self.spelling();
        let rt = s.rt;
        match &ty.kind {
            TypeKind::Base(b) => match b {
                BaseType::Bool => "bool".into(),
                BaseType::I8 => "i8".into(),
                BaseType::I16 => "i16".into(),
                BaseType::I32 => "i32".into(),
                BaseType::I64 => "i64".into(),
                BaseType::Double => "f64".into(),
                BaseType::String => match self.plan.options.strings {
                    crate::Strings::Shared => format!("{rt}::FastStr"),
                    crate::Strings::Owned => s.string.into(),
                },
                BaseType::Binary => format!("{rt}::Bytes"),
                BaseType::Uuid => format!("{rt}::Uuid"),
            },
            TypeKind::List(elem) => format!("{}<{}>", s.vec, self.ty_text(elem)),
            TypeKind::Set(elem) => {
                let set = if self.plan.type_orderable(elem) { self.set_name() } else { "SetVec" };
                format!("{rt}::{set}<{}>", self.ty_text(elem))
            }
            TypeKind::Map(key, value) => {
                let map = if self.plan.type_orderable(key) { self.map_name() } else { "MapVec" };
                format!("{rt}::{map}<{}, {}>", self.ty_text(key), self.ty_text(value))
            }
            TypeKind::Named(id) => self.def_path_text(*id),
            TypeKind::Unresolved => "()".into(),
        }
    }

    /// The runtime's name of the sets of hashable or ordered elements.
    fn set_name(&self) -> &'static str {
        match self.plan.options.maps {
            crate::Maps::Hash => "HashSet",
            crate::Maps::BTree => "BTreeSet",
        }
    }

    /// The runtime's name of the maps of hashable or ordered keys.
    fn map_name(&self) -> &'static str {
        match self.plan.options.maps {
            crate::Maps::Hash => "HashMap",
            crate::Maps::BTree => "BTreeMap",
        }
    }

    /// The Rust type of an IDL type.
    pub(crate) fn ty(&self, ty: &Type) -> TokenStream {
        match &ty.kind {
            TypeKind::Base(BaseType::String) if self.plan.options.strings == crate::Strings::Shared => {
                quote! { ::rift::codegen::FastStr }
            }
            TypeKind::Base(b) => base_type(*b),
            TypeKind::List(elem) => {
                let elem = self.ty(elem);
                quote! { ::std::vec::Vec<#elem> }
            }
            TypeKind::Set(elem) => {
                let inner = self.ty(elem);
                if self.plan.type_orderable(elem) {
                    let set = segment(self.set_name());
                    quote! { ::rift::codegen::#set<#inner> }
                } else {
                    quote! { ::rift::codegen::SetVec<#inner> }
                }
            }
            TypeKind::Map(key, value) => {
                let (k, v) = (self.ty(key), self.ty(value));
                if self.plan.type_orderable(key) {
                    let map = segment(self.map_name());
                    quote! { ::rift::codegen::#map<#k, #v> }
                } else {
                    quote! { ::rift::codegen::MapVec<#k, #v> }
                }
            }
            TypeKind::Named(id) => self.def_path(*id),
            TypeKind::Unresolved => quote! { () },
        }
    }

    /// An expression of type `ty` for a constant value.
    pub(crate) fn value(&self, value: &Value, ty: &Type) -> TokenStream {
        let schema = self.plan.schema;
        let ty = schema.true_type(ty);
        match (value, &ty.kind) {
            (Value::Bool(b), _) => quote! { #b },
            (Value::Int(n), TypeKind::Base(b)) => int_literal(*n, *b),
            (Value::Int(n), _) => {
                let lit = Literal::i64_unsuffixed(*n);
                quote! { #lit }
            }
            (Value::Double(d), _) => double_literal(*d),
            (Value::String(s), _) => match self.plan.options.strings {
                crate::Strings::Shared => quote! { ::rift::codegen::FastStr::from_static_str(#s) },
                crate::Strings::Owned => quote! { ::std::string::String::from(#s) },
            },
            (Value::Binary(b), _) => {
                let lit = Literal::byte_string(b);
                quote! { ::rift::codegen::Bytes::from_static(#lit) }
            }
            (Value::Uuid(u), _) => quote! { ::rift::codegen::Uuid([#(#u),*]) },
            (Value::Enum { def, value }, _) => self.enum_value(*def, *value),
            (Value::List(items), TypeKind::List(elem)) => {
                let items = items.iter().map(|v| self.value(v, elem));
                quote! { ::std::vec::Vec::from([#(#items),*]) }
            }
            (Value::Set(items) | Value::List(items), TypeKind::Set(elem)) => {
                let items: Vec<_> = items.iter().map(|v| self.value(v, elem)).collect();
                if self.plan.type_orderable(elem) {
                    quote! { [#(#items),*].into_iter().collect() }
                } else {
                    quote! { ::rift::codegen::SetVec(::std::vec::Vec::from([#(#items),*])) }
                }
            }
            (Value::Map(entries), TypeKind::Map(k, v)) => {
                let pairs: Vec<_> = entries
                    .iter()
                    .map(|(key, value)| {
                        let (key, value) = (self.value(key, k), self.value(value, v));
                        quote! { (#key, #value) }
                    })
                    .collect();
                if self.plan.type_orderable(k) {
                    quote! { [#(#pairs),*].into_iter().collect() }
                } else {
                    quote! { ::rift::codegen::MapVec(::std::vec::Vec::from([#(#pairs),*])) }
                }
            }
            (Value::Struct { def, fields }, _) => self.struct_value(*def, fields),
            _ => quote! { ::std::default::Default::default() },
        }
    }

    fn enum_value(&self, def: DefId, value: i32) -> TokenStream {
        let path = self.def_path(def);
        if let DefinitionKind::Enum(e) = &self.plan.schema.definition(def).kind
            && let Some(i) = e.values.iter().position(|v| v.value == value)
        {
            let name = ident(&self.plan.members(def)[i]);
            return quote! { #path::#name };
        }
        quote! { #path(#value) }
    }

    fn struct_value(&self, def: DefId, fields: &[(usize, Value)]) -> TokenStream {
        let path = self.def_path(def);
        let DefinitionKind::Struct(s) = &self.plan.schema.definition(def).kind else { return quote! { () } };
        let members = self.plan.members(def);
        if s.kind == StructKind::Union {
            let Some((index, value)) = fields.last() else {
                return quote! { #path::Unknown(0) };
            };
            let variant = ident(&members[*index]);
            let mut inner = self.value(value, &s.fields[*index].ty);
            if self.plan.is_boxed(def, *index) {
                inner = quote! { ::std::boxed::Box::new(#inner) };
            }
            return quote! { #path::#variant(#inner) };
        }
        let assignments = fields.iter().map(|(index, value)| {
            let field = &s.fields[*index];
            let name = ident(&members[*index]);
            let mut inner = self.value(value, &field.ty);
            if self.plan.is_boxed(def, *index) {
                inner = quote! { ::std::boxed::Box::new(#inner) };
            }
            if crate::items::is_option(self.plan, def, *index, field) {
                inner = quote! { ::std::option::Option::Some(#inner) };
            }
            quote! { #name: #inner }
        });
        if fields.len() == s.fields.len() {
            quote! { #path { #(#assignments),* } }
        } else {
            quote! { #path { #(#assignments,)* ..::std::default::Default::default() } }
        }
    }

    /// A constant expression (usable in `const`) for scalar values; `None` for values
    /// that need allocation.
    pub(crate) fn const_value(&self, value: &Value, ty: &Type) -> Option<(TokenStream, TokenStream)> {
        let schema = self.plan.schema;
        let true_ty = schema.true_type(ty);
        Some(match (value, &true_ty.kind) {
            (Value::Bool(_) | Value::Int(_) | Value::Double(_) | Value::Uuid(_) | Value::Enum { .. }, _) => {
                (self.ty(ty), self.value(value, ty))
            }
            (Value::String(s), _) => (quote! { &str }, quote! { #s }),
            (Value::Binary(b), _) => {
                let lit = Literal::byte_string(b);
                (quote! { &[u8] }, quote! { #lit })
            }
            _ => return None,
        })
    }
}

pub(crate) fn base_type(b: BaseType) -> TokenStream {
    match b {
        BaseType::Bool => quote! { bool },
        BaseType::I8 => quote! { i8 },
        BaseType::I16 => quote! { i16 },
        BaseType::I32 => quote! { i32 },
        BaseType::I64 => quote! { i64 },
        BaseType::Double => quote! { f64 },
        BaseType::String => quote! { ::std::string::String },
        BaseType::Binary => quote! { ::rift::codegen::Bytes },
        BaseType::Uuid => quote! { ::rift::codegen::Uuid },
    }
}

fn int_literal(n: i64, b: BaseType) -> TokenStream {
    match b {
        BaseType::I8 => {
            let lit = Literal::i8_suffixed(n as i8);
            quote! { #lit }
        }
        BaseType::I16 => {
            let lit = Literal::i16_suffixed(n as i16);
            quote! { #lit }
        }
        BaseType::I32 => {
            let lit = Literal::i32_suffixed(n as i32);
            quote! { #lit }
        }
        BaseType::Double => double_literal(n as f64),
        BaseType::Bool => {
            let b = n != 0;
            quote! { #b }
        }
        _ => {
            let lit = Literal::i64_suffixed(n);
            quote! { #lit }
        }
    }
}

fn double_literal(d: f64) -> TokenStream {
    if d.is_nan() {
        quote! { f64::NAN }
    } else if d == f64::INFINITY {
        quote! { f64::INFINITY }
    } else if d == f64::NEG_INFINITY {
        quote! { f64::NEG_INFINITY }
    } else {
        let lit = Literal::f64_suffixed(d);
        quote! { #lit }
    }
}

/// `#[doc = "..."]` attributes for a doc comment.
pub(crate) fn doc(text: Option<&str>) -> TokenStream {
    match text {
        Some(text) if !text.trim().is_empty() => {
            let lines = doc_lines(text).into_iter().map(|l| format!(" {l}"));
            quote! { #(#[doc = #lines])* }
        }
        _ => quote! {},
    }
}

/// [`doc`] as `///` lines at `indent`, for text written directly.
pub(crate) fn doc_text(text: Option<&str>, indent: &str) -> String {
    match text {
        Some(text) if !text.trim().is_empty() => {
            doc_lines(text).iter().map(|l| format!("{indent}/// {l}").trim_end().to_owned() + "\n").collect()
        }
        _ => String::new(),
    }
}

/// The lines of an IDL doc comment as rustdoc Markdown that is never a doctest: the
/// common indentation is removed, code fences without a language become `text`, and
/// an indented block (which Markdown takes for code) is fenced as `text`.
pub(crate) fn doc_lines(text: &str) -> Vec<String> {
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<String> = Vec::new();
    let (mut in_fence, mut in_indented) = (false, false);
    for line in text.lines() {
        let line = line.get(indent..).unwrap_or(line.trim_start()).trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            if in_indented {
                out.push("```".into());
                in_indented = false;
            }
            let fence = &trimmed[..3];
            if !in_fence && trimmed[3..].trim().is_empty() {
                out.push(format!("{fence}text"));
            } else {
                out.push(trimmed.to_string());
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_string());
            continue;
        }
        let indented = line.starts_with("    ") || line.starts_with('\t');
        let after_blank = out.last().is_none_or(|l| l.trim().is_empty());
        if indented && (in_indented || after_blank) {
            if !in_indented {
                out.push("```text".into());
                in_indented = true;
            }
            out.push(line.strip_prefix("    ").or(line.strip_prefix('\t')).unwrap_or(line).to_string());
        } else if in_indented && line.is_empty() {
            out.push(String::new());
        } else {
            if in_indented {
                let mut blank = false;
                while out.last().is_some_and(|l| l.is_empty()) {
                    out.pop();
                    blank = true;
                }
                out.push("```".into());
                if blank {
                    out.push(String::new());
                }
                in_indented = false;
            }
            out.push(line.to_string());
        }
    }
    if in_indented {
        while out.last().is_some_and(|l| l.is_empty()) {
            out.pop();
        }
        out.push("```".into());
    }
    if in_fence {
        out.push("```".into());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::doc_lines;

    #[test]
    fn docs_never_become_doctests() {
        assert_eq!(doc_lines("  Hello\n  world"), ["Hello", "world"]);
        assert_eq!(doc_lines("Use it:\n```\nfoo()\n```"), ["Use it:", "```text", "foo()", "```"]);
        assert_eq!(doc_lines("```java\nx\n```"), ["```java", "x", "```"]);
        assert_eq!(
            doc_lines("Example:\n\n    let x = 1;\n    x\n\nDone"),
            ["Example:", "", "```text", "let x = 1;", "x", "```", "", "Done"]
        );
        assert_eq!(doc_lines("a\n    continued"), ["a", "    continued"]);
        assert_eq!(doc_lines("```\nunclosed"), ["```text", "unclosed", "```"]);
    }
}
