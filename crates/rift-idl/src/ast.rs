//! The syntax tree of one `.thrift` file, as written, before names are resolved.
//!
//! Every node carries its [`Span`]. Nodes the parser could not make sense of are left
//! out (and a diagnostic says why), so every node that is present is complete.

use crate::span::Span;

/// A name as written: a simple identifier, or a dotted reference (`shared.Type`).
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    /// The text.
    pub name: String,
    /// Where it is.
    pub span: Span,
}

/// A string literal, unescaped.
#[derive(Clone, Debug, PartialEq)]
pub struct StrLit {
    /// The value after escapes are applied.
    pub value: String,
    /// Where it is, quotes included.
    pub span: Span,
}

/// An integer literal.
#[derive(Clone, Debug, PartialEq)]
pub struct IntLit {
    /// The value.
    pub value: i64,
    /// Where it is.
    pub span: Span,
}

/// A `/** ... */` comment attached to the node after it.
#[derive(Clone, Debug, PartialEq)]
pub struct Doc {
    /// The text with the comment markers, the `*` margin and common indentation removed.
    pub text: String,
    /// Where the comment is.
    pub span: Span,
}

/// One parsed file.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// The file's own documentation: a doc comment before its first header.
    pub doc: Option<Doc>,
    /// `include`, `cpp_include` and `namespace`, in order.
    pub headers: Vec<Header>,
    /// Everything else, in order.
    pub definitions: Vec<Definition>,
    /// Where the file ends (an empty span at its last byte).
    pub end: Span,
}

/// A header: what comes before the definitions.
#[derive(Clone, Debug, PartialEq)]
pub enum Header {
    /// `include "path"`.
    Include {
        /// The path as written.
        path: StrLit,
        /// The whole header.
        span: Span,
    },
    /// `cpp_include "path"`.
    CppInclude {
        /// The path as written.
        path: StrLit,
        /// The whole header.
        span: Span,
    },
    /// `namespace scope name (annotations)`.
    Namespace {
        /// The language scope: an identifier, possibly dotted (`py.twisted`), or `*`.
        scope: Ident,
        /// The namespace, possibly dotted.
        name: Ident,
        /// Annotations on the header.
        annotations: Vec<Annotation>,
        /// The whole header.
        span: Span,
    },
}

impl Header {
    /// The span of the whole header.
    pub fn span(&self) -> Span {
        match self {
            Header::Include { span, .. }
            | Header::CppInclude { span, .. }
            | Header::Namespace { span, .. } => *span,
        }
    }
}

/// `(key = "value", flag)` after a definition, field, function, type or enum value.
#[derive(Clone, Debug, PartialEq)]
pub struct Annotation {
    /// The key, possibly dotted (`cpp.type`).
    pub key: Ident,
    /// The value; `None` when only the key is written (the reference then uses `"1"`).
    pub value: Option<StrLit>,
    /// The whole annotation.
    pub span: Span,
}

/// A top-level definition.
#[derive(Clone, Debug, PartialEq)]
pub struct Definition {
    /// The doc comment before it.
    pub doc: Option<Doc>,
    /// What it defines.
    pub kind: DefinitionKind,
    /// From its keyword to its end.
    pub span: Span,
    /// Where the reference compiler finds the definition ended: at its closing `,` or
    /// `;` if it has one, else at the token after it (or the end of the file). The
    /// reference reports errors about the definition on that line.
    pub follow: Span,
}

impl Definition {
    /// The name it defines.
    pub fn name(&self) -> &Ident {
        match &self.kind {
            DefinitionKind::Const(c) => &c.name,
            DefinitionKind::Typedef(t) => &t.name,
            DefinitionKind::Enum(e) => &e.name,
            DefinitionKind::Struct(s) => &s.name,
            DefinitionKind::Service(s) => &s.name,
        }
    }
}

/// The kinds of definition.
#[derive(Clone, Debug, PartialEq)]
pub enum DefinitionKind {
    /// `const type name = value`.
    Const(Const),
    /// `typedef type name`.
    Typedef(Typedef),
    /// `enum name { ... }`.
    Enum(Enum),
    /// `struct`, `union` or `exception`.
    Struct(Struct),
    /// `service name extends base { ... }`.
    Service(Service),
}

/// `const type name = value`.
#[derive(Clone, Debug, PartialEq)]
pub struct Const {
    /// The name.
    pub name: Ident,
    /// The declared type.
    pub ty: Type,
    /// The value as written.
    pub value: ConstValue,
}

/// `typedef type name (annotations)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Typedef {
    /// The new name.
    pub name: Ident,
    /// What it stands for.
    pub ty: Type,
    /// Annotations on the typedef.
    pub annotations: Vec<Annotation>,
}

/// `enum name { A, B = 2 } (annotations)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Enum {
    /// The name.
    pub name: Ident,
    /// The values, in order.
    pub values: Vec<EnumValue>,
    /// Annotations on the enum.
    pub annotations: Vec<Annotation>,
}

/// One value of an enum.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumValue {
    /// The doc comment before it.
    pub doc: Option<Doc>,
    /// The name.
    pub name: Ident,
    /// The explicit value, if one is written.
    pub value: Option<IntLit>,
    /// Annotations on the value.
    pub annotations: Vec<Annotation>,
    /// The whole value.
    pub span: Span,
}

/// Which of the three struct-like definitions.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum StructKind {
    /// `struct`.
    Struct,
    /// `union`: at most one field is set.
    Union,
    /// `exception`: can be thrown by service functions.
    Exception,
}

impl StructKind {
    /// The keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            StructKind::Struct => "struct",
            StructKind::Union => "union",
            StructKind::Exception => "exception",
        }
    }
}

/// `struct`, `union` or `exception`.
#[derive(Clone, Debug, PartialEq)]
pub struct Struct {
    /// Which keyword introduced it.
    pub kind: StructKind,
    /// The name.
    pub name: Ident,
    /// Whether `xsd_all` follows the name (structs and unions only).
    pub xsd_all: bool,
    /// The fields, in order.
    pub fields: Vec<Field>,
    /// Annotations on the definition.
    pub annotations: Vec<Annotation>,
}

/// `required`, `optional`, or neither.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Requiredness {
    /// `required`: always written, must be present when read.
    Required,
    /// `optional`: written only when set.
    Optional,
    /// Neither keyword: written always, tolerated when absent.
    Default,
}

/// A field of a struct, union or exception, an argument, or a `throws` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The doc comment before it.
    pub doc: Option<Doc>,
    /// The explicit field id (`1:`), if written.
    pub id: Option<IntLit>,
    /// `required`/`optional` as written, with its span.
    pub requiredness: Option<(Requiredness, Span)>,
    /// The type.
    pub ty: Type,
    /// Where `&` is written, for a reference field.
    pub reference: Option<Span>,
    /// The name (may be a keyword such as `type` or `list`).
    pub name: Ident,
    /// The default value, if written.
    pub default: Option<ConstValue>,
    /// `xsd_optional`.
    pub xsd_optional: bool,
    /// `xsd_nillable`.
    pub xsd_nillable: bool,
    /// `xsd_attrs { ... }`.
    pub xsd_attrs: Option<Vec<Field>>,
    /// Annotations on the field.
    pub annotations: Vec<Annotation>,
    /// The whole field.
    pub span: Span,
    /// Where the reference compiler finds it ended (see [`Definition::follow`]).
    pub follow: Span,
}

/// `service name extends base { functions } (annotations)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    /// The name.
    pub name: Ident,
    /// The base service, possibly qualified by an include (`shared.SharedService`).
    pub extends: Option<Ident>,
    /// The functions, in order.
    pub functions: Vec<Function>,
    /// Annotations on the service.
    pub annotations: Vec<Annotation>,
}

/// A function of a service.
#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    /// The doc comment before it.
    pub doc: Option<Doc>,
    /// Where `oneway` (or the old `async`) is written.
    pub oneway: Option<Span>,
    /// The return type; `None` for `void`.
    pub returns: Option<Type>,
    /// Where the return type (or `void`) is written.
    pub returns_span: Span,
    /// The name.
    pub name: Ident,
    /// The arguments.
    pub params: Vec<Field>,
    /// The `throws` clause: its fields and the span of the keyword.
    pub throws: Option<(Vec<Field>, Span)>,
    /// Annotations on the function.
    pub annotations: Vec<Annotation>,
    /// The whole function.
    pub span: Span,
    /// Where the reference compiler finds it ended (see [`Definition::follow`]).
    pub follow: Span,
}

/// A type as written.
#[derive(Clone, Debug, PartialEq)]
pub struct Type {
    /// What type.
    pub kind: TypeKind,
    /// Annotations written after the type (`i32 (cpp.type = "int32_t")`).
    pub annotations: Vec<Annotation>,
    /// Where it is written.
    pub span: Span,
}

/// The built-in scalar types.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum BaseType {
    /// `bool`.
    Bool,
    /// `i8`, or its old name `byte`.
    I8,
    /// `i16`.
    I16,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `double`.
    Double,
    /// `string`: UTF-8 text.
    String,
    /// `binary`: bytes.
    Binary,
    /// `uuid`: 16 bytes.
    Uuid,
}

impl BaseType {
    /// The keyword.
    pub fn name(self) -> &'static str {
        match self {
            BaseType::Bool => "bool",
            BaseType::I8 => "i8",
            BaseType::I16 => "i16",
            BaseType::I32 => "i32",
            BaseType::I64 => "i64",
            BaseType::Double => "double",
            BaseType::String => "string",
            BaseType::Binary => "binary",
            BaseType::Uuid => "uuid",
        }
    }
}

/// The shapes a written type can take.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    /// A built-in type.
    Base(BaseType),
    /// A name: a typedef, enum, struct, union or exception, here or in an include.
    Named(Ident),
    /// `list<elem>`.
    List {
        /// The element type.
        elem: Box<Type>,
        /// `cpp_type "..."`, before or after the brackets.
        cpp_type: Option<StrLit>,
    },
    /// `set<elem>`.
    Set {
        /// The element type.
        elem: Box<Type>,
        /// `cpp_type "..."`.
        cpp_type: Option<StrLit>,
    },
    /// `map<key, value>`.
    Map {
        /// The key type.
        key: Box<Type>,
        /// The value type.
        value: Box<Type>,
        /// `cpp_type "..."`.
        cpp_type: Option<StrLit>,
    },
}

/// A constant value as written; what it means depends on the type it is given.
#[derive(Clone, Debug, PartialEq)]
pub enum ConstValue {
    /// An integer (also `true` = 1 and `false` = 0).
    Int(IntLit),
    /// A floating point number.
    Double {
        /// The value.
        value: f64,
        /// Where it is.
        span: Span,
    },
    /// A string literal.
    String(StrLit),
    /// A name: another constant, or an enum value (`Color.RED`).
    Ident(Ident),
    /// `[a, b, c]`: a list or a set.
    List {
        /// The elements.
        items: Vec<ConstValue>,
        /// The brackets and everything between.
        span: Span,
    },
    /// `{k: v, ...}`: a map, or a struct with string keys naming its fields.
    Map {
        /// The entries in order.
        entries: Vec<(ConstValue, ConstValue)>,
        /// The braces and everything between.
        span: Span,
    },
}

impl ConstValue {
    /// Where the value is written.
    pub fn span(&self) -> Span {
        match self {
            ConstValue::Int(i) => i.span,
            ConstValue::Double { span, .. } => *span,
            ConstValue::String(s) => s.span,
            ConstValue::Ident(i) => i.span,
            ConstValue::List { span, .. } | ConstValue::Map { span, .. } => *span,
        }
    }
}
