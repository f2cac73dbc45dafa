//! Code for enums, typedefs, constants, structs, unions and exceptions.

use proc_macro2::TokenStream;
use quote::quote;
use rift_idl::ast::{Requiredness, StructKind};
use rift_idl::model::{self, DefId, DefinitionKind, Field, Type, TypeKind};

use crate::Options;
use crate::names::ident;
use crate::plan::Plan;
use crate::text::{self, CodecField};
use crate::types::{Ctx, doc};

/// Whether a field is held in an `Option`: optional fields, and fields of default
/// requiredness that must be boxed (so that recursive values can end).
pub(crate) fn is_option(plan: &Plan<'_>, def: DefId, index: usize, field: &Field) -> bool {
    match field.requiredness {
        Requiredness::Optional => true,
        Requiredness::Default => plan.is_boxed(def, index),
        Requiredness::Required => false,
    }
}

/// The wire type of an IDL type, as a `TType` variant (`T::String`).
pub(crate) fn ttype(plan: &Plan<'_>, ty: &Type) -> TokenStream {
    let name = ident(ttype_name(plan, ty));
    quote! { T::#name }
}

/// The name of the `TType` variant of an IDL type's wire type.
pub(crate) fn ttype_name(plan: &Plan<'_>, ty: &Type) -> &'static str {
    use rift_idl::ast::BaseType as B;
    let ty = plan.schema.true_type(ty);
    match &ty.kind {
        TypeKind::Base(B::Bool) => "Bool",
        TypeKind::Base(B::I8) => "I8",
        TypeKind::Base(B::I16) => "I16",
        TypeKind::Base(B::I32) => "I32",
        TypeKind::Base(B::I64) => "I64",
        TypeKind::Base(B::Double) => "Double",
        TypeKind::Base(B::String | B::Binary) => "String",
        TypeKind::Base(B::Uuid) => "Uuid",
        TypeKind::List(_) => "List",
        TypeKind::Set(_) => "Set",
        TypeKind::Map(..) => "Map",
        TypeKind::Named(id) => match &plan.schema.definition(*id).kind {
            DefinitionKind::Enum(_) => "I32",
            _ => "Struct",
        },
        TypeKind::Unresolved => "Void",
    }
}

/// The derives of a struct, exception or union: always `Clone, Debug, PartialEq` (and
/// `Default` where it can be derived, `extra`); `Eq, Hash, PartialOrd, Ord` when the IDL
/// uses the type in a set element or a map key; serde's with `serde`; and what the build
/// asked for.
fn derives(plan: &Plan<'_>, id: Option<DefId>, extra: TokenStream) -> TokenStream {
    let options = &plan.options;
    let mut traits: Vec<String> = ["Clone", "Debug", "PartialEq"].map(String::from).to_vec();
    if id.is_some_and(|id| plan.keyed(id)) {
        traits.extend(["Eq", "Hash", "PartialOrd", "Ord"].map(String::from));
    }
    if options.serde {
        traits.extend(["::serde::Serialize", "::serde::Deserialize"].map(String::from));
    }
    if let Some(id) = id {
        let def = plan.schema.definition(id);
        let prefixed = format!("{}.{}", plan.schema.file(def.file).name, def.name);
        for (name, extra) in &options.derives {
            if name.as_deref().is_none_or(|n| n == def.name || n == prefixed) {
                for t in extra {
                    let t = t.trim();
                    if !t.is_empty() && !traits.iter().any(|have| have == t) {
                        traits.push(t.to_owned());
                    }
                }
            }
        }
    }
    let traits = traits.iter().filter_map(|t| t.parse::<TokenStream>().ok());
    quote! { #[derive(#(#traits,)* #extra)] }
}

pub(crate) fn definition(ctx: Ctx<'_, '_>, def: &model::Definition, options: &Options) -> TokenStream {
    let docs = doc(def.doc.as_deref());
    match &def.kind {
        DefinitionKind::Typedef(t) => {
            let name = ident(ctx.plan.name(def.id));
            let target = ctx.ty(&t.target);
            quote! { #docs pub type #name = #target; }
        }
        DefinitionKind::Enum(e) => enumeration(ctx, def, e, docs, options),
        DefinitionKind::Const(c) => constant(ctx, def, c, docs),
        DefinitionKind::Struct(s) if s.kind == StructKind::Union => union(ctx, def, s, docs),
        DefinitionKind::Struct(s) => structure(ctx, def, s, docs),
        DefinitionKind::Service(_) => crate::services::service(ctx, def),
    }
}

fn constant(ctx: Ctx<'_, '_>, def: &model::Definition, c: &model::Const, docs: TokenStream) -> TokenStream {
    let name = ident(ctx.plan.name(def.id));
    match ctx.const_value(&c.value, &c.ty) {
        Some((ty, value)) => quote! { #docs pub const #name: #ty = #value; },
        None => {
            let ty = ctx.ty(&c.ty);
            let value = ctx.value(&c.value, &c.ty);
            quote! {
                #docs
                pub static #name: ::rift::codegen::LazyLock<#ty> = ::rift::codegen::LazyLock::new(|| #value);
            }
        }
    }
}

fn enumeration(
    ctx: Ctx<'_, '_>,
    def: &model::Definition,
    e: &model::Enum,
    docs: TokenStream,
    options: &Options,
) -> TokenStream {
    let name = ident(ctx.plan.name(def.id));
    let members: Vec<_> = ctx.plan.members(def.id).iter().map(|m| ident(m)).collect();
    let consts = e.values.iter().zip(&members).map(|(v, member)| {
        let value = v.value;
        let vdoc = doc(v.doc.as_deref());
        quote! { #vdoc pub const #member: #name = #name(#value); }
    });
    // Names by value; the first of values that share a number wins.
    let mut seen = std::collections::HashSet::new();
    let arms: Vec<_> = e
        .values
        .iter()
        .filter(|v| seen.insert(v.value))
        .map(|v| {
            let (value, wire) = (v.value, &v.name);
            quote! { #value => ::std::option::Option::Some(#wire), }
        })
        .collect();
    let from_name = e.values.iter().zip(&members).map(|(v, member)| {
        let wire = &v.name;
        quote! { #wire => ::std::option::Option::Some(#name::#member), }
    });
    let (name_body, from_name_body) = if e.values.is_empty() {
        (quote! { ::std::option::Option::None }, quote! { let _ = name; ::std::option::Option::None })
    } else {
        (
            quote! { match self.0 { #(#arms)* _ => ::std::option::Option::None } },
            quote! { match name { #(#from_name)* _ => ::std::option::Option::None } },
        )
    };
    // The first value is the default; when that is 0, `derive(Default)` says so.
    let (derive_default, default_impl) = match (members.first(), e.values.first()) {
        (Some(first), Some(v)) if v.value != 0 => (
            quote! {},
            quote! {
                impl ::std::default::Default for #name {
                    fn default() -> Self {
                        #name::#first
                    }
                }
            },
        ),
        _ => (quote! { Default, }, quote! {}),
    };
    let serde = if options.serde {
        quote! { ::serde::Serialize, ::serde::Deserialize, }
    } else {
        quote! {}
    };
    quote! {
        #docs
        #[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, #derive_default #serde)]
        pub struct #name(pub i32);

        impl #name {
            #(#consts)*
            /// Every named value, in the order of the IDL.
            pub const VALUES: &'static [#name] = &[#(#name::#members),*];

            /// The IDL name of the value, if it has one.
            pub fn name(self) -> ::std::option::Option<&'static str> {
                #name_body
            }

            /// The value with this IDL name.
            pub fn from_name(name: &str) -> ::std::option::Option<#name> {
                #from_name_body
            }
        }

        #default_impl

        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self.name() {
                    ::std::option::Option::Some(name) => f.write_str(name),
                    ::std::option::Option::None => write!(f, "{}({})", stringify!(#name), self.0),
                }
            }
        }

        impl ::std::convert::From<i32> for #name {
            fn from(value: i32) -> Self {
                #name(value)
            }
        }

        impl ::std::convert::From<#name> for i32 {
            fn from(value: #name) -> i32 {
                value.0
            }
        }

        impl ::rift::codegen::Encode for #name {
            const TTYPE: ::rift::codegen::TType = ::rift::codegen::TType::I32;

            #[inline]
            fn encode<W: ::rift::codegen::ProtocolWriter + ?Sized>(&self, w: &mut W) -> ::rift::codegen::Result<()> {
                w.write_i32(self.0)
            }
        }

        impl ::rift::codegen::Decode for #name {
            const TTYPE: ::rift::codegen::TType = ::rift::codegen::TType::I32;

            #[inline]
            fn decode<R: ::rift::codegen::ProtocolReader + ?Sized>(r: &mut R) -> ::rift::codegen::Result<Self> {
                r.read_i32().map(#name)
            }
        }
    }
}

/// The Rust type of a field as stored: boxed and in an `Option` as needed.
pub(crate) fn field_type(
    ctx: Ctx<'_, '_>,
    def: DefId,
    index: usize,
    field: &Field,
) -> (TokenStream, TokenStream) {
    let mut inner = ctx.ty(&field.ty);
    if ctx.plan.is_boxed(def, index) {
        inner = quote! { ::std::boxed::Box<#inner> };
    }
    let outer = if is_option(ctx.plan, def, index, field) {
        quote! { ::std::option::Option<#inner> }
    } else {
        inner.clone()
    };
    (inner, outer)
}

/// The value of a field in `Default::default()`.
fn field_default(ctx: Ctx<'_, '_>, def: DefId, index: usize, field: &Field) -> TokenStream {
    let option = is_option(ctx.plan, def, index, field);
    match &field.default {
        Some(value) => {
            let mut v = ctx.value(value, &field.ty);
            if ctx.plan.is_boxed(def, index) {
                v = quote! { ::std::boxed::Box::new(#v) };
            }
            if option {
                quote! { ::std::option::Option::Some(#v) }
            } else {
                v
            }
        }
        None if option => quote! { ::std::option::Option::None },
        None => quote! { ::std::default::Default::default() },
    }
}

/// Whether `value` is what `Default::default()` gives for `ty` (`0`, `false`, `""`, an
/// empty container), so that a default in the IDL changes nothing and `Default` can be
/// derived. Enums are left out: their default is their first value.
fn is_zero_value(schema: &model::Schema, value: &model::Value, ty: &Type) -> bool {
    let base = matches!(
        schema.true_type(ty).kind,
        TypeKind::Base(_) | TypeKind::List(_) | TypeKind::Set(_) | TypeKind::Map(..)
    );
    base && match value {
        model::Value::Bool(b) => !b,
        model::Value::Int(i) => *i == 0,
        model::Value::Double(d) => d.to_bits() == 0,
        model::Value::String(s) => s.is_empty(),
        model::Value::Binary(b) => b.is_empty(),
        model::Value::List(v) | model::Value::Set(v) => v.is_empty(),
        model::Value::Map(v) => v.is_empty(),
        _ => false,
    }
}

/// Whether a value is written as a constant expression (no allocation, no call).
fn is_const_value(schema: &model::Schema, value: &model::Value) -> bool {
    match value {
        model::Value::Bool(_)
        | model::Value::Int(_)
        | model::Value::Double(_)
        | model::Value::Uuid(_)
        | model::Value::Enum { .. } => true,
        model::Value::Struct { def, fields } => {
            let all = match &schema.definition(*def).kind {
                DefinitionKind::Struct(s) => s.fields.len() == fields.len() && s.kind != StructKind::Union,
                _ => false,
            };
            all && fields.iter().all(|(_, v)| is_const_value(schema, v))
        }
        _ => false,
    }
}

/// One field of a struct to generate: a struct's own, or an argument.
pub(crate) struct FieldSpec<'a> {
    /// The Rust name.
    pub(crate) name: proc_macro2::Ident,
    /// The name on the wire.
    pub(crate) wire: &'a str,
    pub(crate) id: i16,
    pub(crate) ty: &'a Type,
    /// The type inside `Option`, boxed if it must be.
    pub(crate) inner: TokenStream,
    /// The type of the Rust field.
    pub(crate) stored: TokenStream,
    pub(crate) option: bool,
    pub(crate) required: bool,
    /// The value of the field when absent, if not its type's default.
    pub(crate) default: Option<TokenStream>,
    /// Whether that value is a constant (no allocation), so `unwrap_or` fits.
    pub(crate) default_is_const: bool,
    pub(crate) doc: TokenStream,
}

impl<'a> FieldSpec<'a> {
    pub(crate) fn of(
        ctx: Ctx<'_, '_>,
        def: DefId,
        index: usize,
        field: &'a Field,
        name: &str,
    ) -> FieldSpec<'a> {
        let (inner, stored) = field_type(ctx, def, index, field);
        let option = is_option(ctx.plan, def, index, field);
        FieldSpec {
            name: ident(name),
            wire: &field.name,
            id: field.id,
            ty: &field.ty,
            inner,
            stored,
            option,
            required: field.requiredness == Requiredness::Required,
            default: field
                .default
                .as_ref()
                .filter(|v| option || !is_zero_value(ctx.plan.schema, v, &field.ty))
                .map(|_| field_default(ctx, def, index, field)),
            default_is_const: field.default.as_ref().is_some_and(|v| is_const_value(ctx.plan.schema, v))
                && !ctx.plan.is_boxed(def, index),
            doc: doc(field.doc.as_deref()),
        }
    }
}

impl<'a> FieldSpec<'a> {
    /// An argument of a function: never boxed, present unless `optional`.
    pub(crate) fn argument(ctx: Ctx<'_, '_>, field: &'a Field, name: &str) -> FieldSpec<'a> {
        let inner = ctx.ty(&field.ty);
        let option = field.requiredness == Requiredness::Optional;
        let stored = if option {
            quote! { ::std::option::Option<#inner> }
        } else {
            inner.clone()
        };
        let default = field.default.as_ref().map(|value| {
            let v = ctx.value(value, &field.ty);
            if option {
                quote! { ::std::option::Option::Some(#v) }
            } else {
                v
            }
        });
        FieldSpec {
            name: ident(name),
            wire: &field.name,
            id: field.id,
            ty: &field.ty,
            inner,
            stored,
            option,
            required: field.requiredness == Requiredness::Required,
            default_is_const: field.default.as_ref().is_some_and(|v| is_const_value(ctx.plan.schema, v)),
            default,
            doc: doc(field.doc.as_deref()),
        }
    }
}

/// A struct with its `Default`, `Encode` and `Decode`.
#[allow(clippy::too_many_arguments, reason = "the parts of one struct; a bundle type would only rename them")]
pub(crate) fn struct_code(
    ctx: Ctx<'_, '_>,
    name: &proc_macro2::Ident,
    wire_name: &str,
    docs: TokenStream,
    id: Option<DefId>,
    fields: &[FieldSpec<'_>],
    exception: bool,
) -> TokenStream {
    let field_defs = fields.iter().map(|f| {
        let (fname, ty, fdoc) = (&f.name, &f.stored, &f.doc);
        quote! { #fdoc pub #fname: #ty, }
    });
    let derivable = fields.iter().all(|f| f.default.is_none());
    let (derive_default, default_impl) = if derivable {
        (quote! { Default, }, quote! {})
    } else {
        let defaults = fields.iter().map(|f| {
            let fname = &f.name;
            let value = match (&f.default, f.option) {
                (Some(default), _) => default.clone(),
                (None, true) => quote! { ::std::option::Option::None },
                (None, false) => quote! { ::std::default::Default::default() },
            };
            quote! { #fname: #value, }
        });
        (
            quote! {},
            quote! {
                impl ::std::default::Default for #name {
                    fn default() -> Self {
                        #name { #(#defaults)* }
                    }
                }
            },
        )
    };
    let derive = derives(ctx.plan, id, derive_default);
    let exception = if exception {
        let display = exception_display(ctx, wire_name, fields);
        quote! {
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    #display
                }
            }

            impl ::std::error::Error for #name {}
        }
    } else {
        quote! {}
    };
    let codec = match ctx.texts {
        // Fields that take an IDL default need its expression, written by the tokens.
        Some(texts) if derivable => texts.placeholder(text::codec_impls(
            ctx.spelling(),
            &name.to_string(),
            wire_name,
            &fields
                .iter()
                .map(|f| CodecField {
                    name: f.name.to_string(),
                    wire: f.wire,
                    id: f.id,
                    ttype: ttype_name(ctx.plan, f.ty),
                    option: f.option,
                    required: f.required,
                })
                .collect::<Vec<_>>(),
        )),
        _ => codec_tokens(ctx, name, wire_name, fields),
    };
    quote! {
        #docs
        #derive
        pub struct #name {
            #(#field_defs)*
        }

        #default_impl

        #codec

        #exception
    }
}

/// The body of an exception's `Display`: its IDL name, then its message where it has
/// one: the field named `message` or `msg` (in any case), or else its first string
/// field. An exception without a string field shows its fields as `Debug` does.
fn exception_display(ctx: Ctx<'_, '_>, wire_name: &str, fields: &[FieldSpec<'_>]) -> TokenStream {
    use rift_idl::ast::BaseType as B;
    let is_string =
        |f: &&FieldSpec<'_>| matches!(ctx.plan.schema.true_type(f.ty).kind, TypeKind::Base(B::String));
    let named = fields
        .iter()
        .filter(is_string)
        .find(|f| f.wire.eq_ignore_ascii_case("message") || f.wire.eq_ignore_ascii_case("msg"));
    let Some(message) = named.or_else(|| fields.iter().find(is_string)) else {
        return quote! { ::std::fmt::Debug::fmt(self, f) };
    };
    let field = &message.name;
    // IDL names are identifiers: no braces to escape.
    let with_message = format!("{wire_name}: {{}}");
    if message.option {
        quote! {
            match &self.#field {
                ::std::option::Option::Some(message) => ::std::write!(f, #with_message, message),
                ::std::option::Option::None => f.write_str(#wire_name),
            }
        }
    } else {
        quote! { ::std::write!(f, #with_message, self.#field) }
    }
}

/// The `Encode` and `Decode` impls of a struct, as tokens.
fn codec_tokens(
    ctx: Ctx<'_, '_>,
    name: &proc_macro2::Ident,
    wire_name: &str,
    fields: &[FieldSpec<'_>],
) -> TokenStream {
    let mut order: Vec<&FieldSpec<'_>> = fields.iter().collect();
    order.sort_by_key(|f| f.id);
    let writes = order.iter().map(|f| {
        let (fname, wire, fid) = (&f.name, f.wire, proc_macro2::Literal::i16_unsuffixed(f.id));
        if f.option {
            quote! { ::rift::codegen::write_opt_field(w, #wire, #fid, &self.#fname)?; }
        } else {
            quote! { ::rift::codegen::write_field(w, #wire, #fid, &self.#fname)?; }
        }
    });
    let locals: Vec<_> = (0..fields.len()).map(|i| quote::format_ident!("f{}", i)).collect();
    let local_decls = fields.iter().zip(&locals).map(|(f, local)| {
        let inner = &f.inner;
        quote! { let mut #local: ::std::option::Option<#inner> = ::std::option::Option::None; }
    });
    let arms = fields.iter().zip(&locals).map(|(f, local)| {
        let (fid, wire) = (proc_macro2::Literal::i16_unsuffixed(f.id), f.wire);
        let tt = ttype(ctx.plan, f.ty);
        quote! { (#fid, #tt) => #local = ::std::option::Option::Some(::rift::codegen::read_field(r, #wire_name, #wire)?), }
    });
    let builds = fields.iter().zip(&locals).map(|(f, local)| {
        let (fname, wire) = (&f.name, f.wire);
        let value = if f.required {
            quote! { ::rift::codegen::required(#local, #wire_name, #wire)? }
        } else {
            match (&f.default, f.option) {
                (None, true) => quote! { #local },
                (None, false) => quote! { #local.unwrap_or_default() },
                (Some(default), true) if f.default_is_const => quote! { #local.or(#default) },
                (Some(default), false) if f.default_is_const => quote! { #local.unwrap_or(#default) },
                (Some(default), true) => quote! { #local.or_else(|| #default) },
                (Some(default), false) => quote! { #local.unwrap_or_else(|| #default) },
            }
        };
        quote! { #fname: #value, }
    });
    let decode_body = if fields.is_empty() {
        quote! {
            r.read_struct_begin()?;
            loop {
                let field = r.read_field_begin()?;
                if field.ttype == ::rift::codegen::TType::Stop {
                    break;
                }
                r.skip(field.ttype)?;
                r.read_field_end()?;
            }
            r.read_struct_end()?;
            ::std::result::Result::Ok(#name {})
        }
    } else {
        quote! {
            use ::rift::codegen::TType as T;
            #(#local_decls)*
            r.read_struct_begin()?;
            loop {
                let field = r.read_field_begin()?;
                match (field.id, field.ttype) {
                    (_, T::Stop) => break,
                    #(#arms)*
                    (_, ttype) => r.skip(ttype)?,
                }
                r.read_field_end()?;
            }
            r.read_struct_end()?;
            ::std::result::Result::Ok(#name { #(#builds)* })
        }
    };
    quote! {
        impl ::rift::codegen::Encode for #name {
            const TTYPE: ::rift::codegen::TType = ::rift::codegen::TType::Struct;

            fn encode<W: ::rift::codegen::ProtocolWriter + ?Sized>(&self, w: &mut W) -> ::rift::codegen::Result<()> {
                w.write_struct_begin(#wire_name)?;
                #(#writes)*
                w.write_field_stop()?;
                w.write_struct_end()
            }
        }

        impl ::rift::codegen::Decode for #name {
            const TTYPE: ::rift::codegen::TType = ::rift::codegen::TType::Struct;

            fn decode<R: ::rift::codegen::ProtocolReader + ?Sized>(r: &mut R) -> ::rift::codegen::Result<Self> {
                #decode_body
            }
        }
    }
}

fn structure(ctx: Ctx<'_, '_>, def: &model::Definition, s: &model::Struct, docs: TokenStream) -> TokenStream {
    let name = ident(ctx.plan.name(def.id));
    let members = ctx.plan.members(def.id);
    let fields: Vec<FieldSpec<'_>> =
        s.fields.iter().enumerate().map(|(i, f)| FieldSpec::of(ctx, def.id, i, f, &members[i])).collect();
    struct_code(ctx, &name, &def.name, docs, Some(def.id), &fields, s.kind == StructKind::Exception)
}

fn union(ctx: Ctx<'_, '_>, def: &model::Definition, s: &model::Struct, docs: TokenStream) -> TokenStream {
    let id = def.id;
    let name = ident(ctx.plan.name(id));
    let wire_name = &def.name;
    let members = ctx.plan.members(id);
    let variants = s.fields.iter().enumerate().map(|(i, f)| {
        let variant = ident(&members[i]);
        let (inner, _) = field_type(ctx, id, i, f);
        let fdoc = doc(f.doc.as_deref());
        quote! { #fdoc #variant(#inner), }
    });
    let writes = s.fields.iter().enumerate().map(|(i, f)| {
        let (variant, wire, fid) = (ident(&members[i]), &f.name, proc_macro2::Literal::i16_unsuffixed(f.id));
        quote! { #name::#variant(value) => ::rift::codegen::write_field(w, #wire, #fid, value)?, }
    });
    let arms = s.fields.iter().enumerate().map(|(i, f)| {
        let (variant, wire, fid) = (ident(&members[i]), &f.name, proc_macro2::Literal::i16_unsuffixed(f.id));
        let tt = ttype(ctx.plan, &f.ty);
        quote! {
            (#fid, #tt) => {
                if value.is_some() {
                    return ::std::result::Result::Err(::rift::codegen::union_with_two_members(#wire_name));
                }
                value = ::std::option::Option::Some(#name::#variant(::rift::codegen::read_field(r, #wire_name, #wire)?));
            }
        }
    });
    let default = match s.fields.iter().position(|f| f.default.is_some()) {
        Some(i) => {
            let variant = ident(&members[i]);
            let mut v = ctx.value(s.fields[i].default.as_ref().expect("has a default"), &s.fields[i].ty);
            if ctx.plan.is_boxed(id, i) {
                v = quote! { ::std::boxed::Box::new(#v) };
            }
            quote! { #name::#variant(#v) }
        }
        None => quote! { #name::Unknown(0) },
    };
    let derive = derives(ctx.plan, Some(id), quote! {});
    let value_mut = if s.fields.is_empty() {
        quote! {}
    } else {
        quote! { mut }
    };
    let finish = if s.fields.is_empty() {
        quote! {
            let _ = value;
            ::std::result::Result::Ok(#name::Unknown(unknown))
        }
    } else {
        quote! { ::std::result::Result::Ok(value.unwrap_or(#name::Unknown(unknown))) }
    };
    quote! {
        #docs
        #derive
        pub enum #name {
            #(#variants)*
            /// No member this code knows was set: the id of an unknown member that was, or
            /// 0 when none was.
            Unknown(i16),
        }

        impl ::std::default::Default for #name {
            fn default() -> Self {
                #default
            }
        }

        impl ::rift::codegen::Encode for #name {
            const TTYPE: ::rift::codegen::TType = ::rift::codegen::TType::Struct;

            fn encode<W: ::rift::codegen::ProtocolWriter + ?Sized>(&self, w: &mut W) -> ::rift::codegen::Result<()> {
                w.write_struct_begin(#wire_name)?;
                match self {
                    #(#writes)*
                    #name::Unknown(_) => {}
                }
                w.write_field_stop()?;
                w.write_struct_end()
            }
        }

        impl ::rift::codegen::Decode for #name {
            const TTYPE: ::rift::codegen::TType = ::rift::codegen::TType::Struct;

            fn decode<R: ::rift::codegen::ProtocolReader + ?Sized>(r: &mut R) -> ::rift::codegen::Result<Self> {
                #[allow(unused_imports)]
                use ::rift::codegen::TType as T;
                let #value_mut value: ::std::option::Option<#name> = ::std::option::Option::None;
                let mut unknown = 0i16;
                r.read_struct_begin()?;
                loop {
                    let field = r.read_field_begin()?;
                    match (field.id, field.ttype) {
                        (_, T::Stop) => break,
                        #(#arms)*
                        (id, ttype) => {
                            if unknown == 0 {
                                unknown = id;
                            }
                            r.skip(ttype)?;
                        }
                    }
                    r.read_field_end()?;
                }
                r.read_struct_end()?;
                #finish
            }
        }
    }
}
