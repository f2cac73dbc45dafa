//! The semantic model: every file of a load, with names resolved, typedefs followed,
//! field ids assigned and constants evaluated. Code generation and the dynamic mode read
//! this, never the syntax tree.
//!
//! Definitions of all files live in one arena and refer to each other by [`DefId`], so
//! a type in one file can name a struct in an included file without lifetimes or
//! reference counting.

use std::path::{Path, PathBuf};

use crate::ast::{BaseType, Requiredness, StructKind};
use crate::diagnostic::Diagnostic;
use crate::span::{FileId, SourceMap, Span};

/// Identifies a definition in a [`Schema`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DefId(pub(crate) u32);

impl DefId {
    /// The index into [`Schema::definitions`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The result of loading one or more `.thrift` files and everything they include.
#[derive(Debug)]
pub struct Schema {
    pub(crate) sources: SourceMap,
    pub(crate) files: Vec<File>,
    pub(crate) roots: Vec<FileId>,
    pub(crate) definitions: Vec<Definition>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl Schema {
    /// The text of every loaded file, for rendering diagnostics.
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    /// Errors and warnings, errors of a file included before errors of its includer, in
    /// the order the reference compiler would meet them.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The files that were asked for, in order.
    pub fn roots(&self) -> impl Iterator<Item = &File> {
        self.roots.iter().map(|&id| self.file(id))
    }

    /// Every file that was loaded: the roots and everything they include.
    pub fn files(&self) -> &[File] {
        &self.files
    }

    /// One file.
    pub fn file(&self, id: FileId) -> &File {
        &self.files[id.index()]
    }

    /// Every definition of every file.
    pub fn definitions(&self) -> &[Definition] {
        &self.definitions
    }

    /// One definition.
    pub fn definition(&self, id: DefId) -> &Definition {
        &self.definitions[id.index()]
    }

    /// Follows typedefs until the type is not a typedef.
    pub fn true_type<'a>(&'a self, mut ty: &'a Type) -> &'a Type {
        // Typedef cycles are rejected while resolving, so this terminates; the bound is
        // a second line of defence for a schema that has errors.
        for _ in 0..=self.definitions.len() {
            match &ty.kind {
                TypeKind::Named(id) => match &self.definition(*id).kind {
                    DefinitionKind::Typedef(t) => ty = &t.target,
                    _ => return ty,
                },
                _ => return ty,
            }
        }
        ty
    }

    /// The definition a type names after following typedefs, if it names one.
    pub fn named_definition(&self, ty: &Type) -> Option<&Definition> {
        match self.true_type(ty).kind {
            TypeKind::Named(id) => Some(self.definition(id)),
            _ => None,
        }
    }

    /// Finds a definition by name as it would be written in `file` (`Name` or
    /// `include.Name`).
    pub fn lookup(&self, file: FileId, name: &str) -> Option<&Definition> {
        let f = self.file(file);
        if let Some(&id) = f.definitions.iter().find(|&&id| self.definition(id).name == name) {
            return Some(self.definition(id));
        }
        let (prefix, rest) = name.rsplit_once('.')?;
        let include = f.includes.iter().rev().find(|i| i.name == prefix)?;
        let target = self.file(include.file);
        target.definitions.iter().map(|&id| self.definition(id)).find(|d| d.name == rest)
    }

    /// All functions of a service, those of its bases first.
    pub fn all_functions<'a>(&'a self, service: &'a Service) -> Vec<&'a Function> {
        let mut chain = vec![service];
        let mut current = service;
        while let Some(base) = current.extends {
            match &self.definition(base).kind {
                DefinitionKind::Service(s) if chain.len() <= self.definitions.len() => {
                    chain.push(s);
                    current = s;
                }
                _ => break,
            }
        }
        chain.iter().rev().flat_map(|s| s.functions.iter()).collect()
    }
}

/// One `.thrift` file.
#[derive(Debug)]
pub struct File {
    /// Its id.
    pub id: FileId,
    /// The path it was loaded from.
    pub path: PathBuf,
    /// The name other files use for it: the file name without directory and extension
    /// (`shared` for `include "idl/shared.thrift"`).
    pub name: String,
    /// The file's own documentation.
    pub doc: Option<String>,
    /// `include`s that were found, in order.
    pub includes: Vec<Include>,
    /// `cpp_include`s, in order.
    pub cpp_includes: Vec<String>,
    /// `namespace`s, in order.
    pub namespaces: Vec<Namespace>,
    /// The file's definitions, in source order.
    pub definitions: Vec<DefId>,
}

impl File {
    /// The namespace declared for a language scope, falling back to `namespace *`.
    pub fn namespace(&self, scope: &str) -> Option<&str> {
        let find = |s: &str| self.namespaces.iter().rev().find(|n| n.scope == s).map(|n| n.name.as_str());
        find(scope).or_else(|| find("*"))
    }

    /// The path as a `Path`.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// An `include` of another file.
#[derive(Debug)]
pub struct Include {
    /// The path as written.
    pub written: String,
    /// The file it resolved to.
    pub file: FileId,
    /// The prefix used to refer to its definitions.
    pub name: String,
    /// Where the `include` is written.
    pub span: Span,
}

/// `namespace scope name`.
#[derive(Debug)]
pub struct Namespace {
    /// The language scope (`py`, `java`, `rs`, `*`, ...).
    pub scope: String,
    /// The namespace.
    pub name: String,
    /// Annotations on the header.
    pub annotations: Annotations,
}

/// Annotations in the order written; a key may repeat.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Annotations(pub Vec<(String, String)>);

impl Annotations {
    /// The last value given for `key` (a key without value has the value `"1"`).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A named definition of a file.
#[derive(Debug)]
pub struct Definition {
    /// Its id.
    pub id: DefId,
    /// The file that defines it.
    pub file: FileId,
    /// The name, as written.
    pub name: String,
    /// Where the name is written.
    pub span: Span,
    /// The doc comment.
    pub doc: Option<String>,
    /// Annotations on the definition.
    pub annotations: Annotations,
    /// What it is.
    pub kind: DefinitionKind,
}

/// The kinds of definition.
#[derive(Debug)]
pub enum DefinitionKind {
    /// `typedef`.
    Typedef(Typedef),
    /// `enum`.
    Enum(Enum),
    /// `struct`, `union` or `exception`.
    Struct(Struct),
    /// `const`.
    Const(Const),
    /// `service`.
    Service(Service),
}

impl DefinitionKind {
    /// A word for messages: `"struct"`, `"enum"`, ...
    pub fn describe(&self) -> &'static str {
        match self {
            DefinitionKind::Typedef(_) => "typedef",
            DefinitionKind::Enum(_) => "enum",
            DefinitionKind::Struct(s) => s.kind.keyword(),
            DefinitionKind::Const(_) => "constant",
            DefinitionKind::Service(_) => "service",
        }
    }
}

/// `typedef target Name`.
#[derive(Debug)]
pub struct Typedef {
    /// The type it names.
    pub target: Type,
}

/// An enum: named `i32` values.
#[derive(Debug)]
pub struct Enum {
    /// The values in order; two names may share a number.
    pub values: Vec<EnumValue>,
}

impl Enum {
    /// The value with this name.
    pub fn value_named(&self, name: &str) -> Option<&EnumValue> {
        self.values.iter().find(|v| v.name == name)
    }

    /// The first value with this number.
    pub fn value_of(&self, value: i32) -> Option<&EnumValue> {
        self.values.iter().find(|v| v.value == value)
    }
}

/// One value of an enum.
#[derive(Debug)]
pub struct EnumValue {
    /// The name.
    pub name: String,
    /// The number, given or counted on from the previous one.
    pub value: i32,
    /// The doc comment.
    pub doc: Option<String>,
    /// Annotations.
    pub annotations: Annotations,
    /// Where it is written.
    pub span: Span,
}

/// A struct, union or exception.
#[derive(Debug)]
pub struct Struct {
    /// Which of the three.
    pub kind: StructKind,
    /// The fields in the order written.
    pub fields: Vec<Field>,
}

impl Struct {
    /// The field with this name.
    pub fn field_named(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// A field of a struct, union or exception, an argument of a function, or an exception
/// it throws.
#[derive(Debug)]
pub struct Field {
    /// The field id on the wire.
    pub id: i16,
    /// Whether the id was assigned because none (or a non-positive one) was written.
    pub id_implicit: bool,
    /// The name, as on the wire.
    pub name: String,
    /// After the reference's adjustments: union members are optional; arguments and
    /// `throws` entries are default.
    pub requiredness: Requiredness,
    /// The type.
    pub ty: Type,
    /// The default value, evaluated for the field's type.
    pub default: Option<Value>,
    /// Whether the field is marked `&` (held by reference).
    pub reference: bool,
    /// The doc comment.
    pub doc: Option<String>,
    /// Annotations.
    pub annotations: Annotations,
    /// Where the field is written.
    pub span: Span,
}

/// `const type Name = value`.
#[derive(Debug)]
pub struct Const {
    /// The declared type.
    pub ty: Type,
    /// The value, evaluated for that type.
    pub value: Value,
}

/// A service.
#[derive(Debug)]
pub struct Service {
    /// The service it extends.
    pub extends: Option<DefId>,
    /// Its own functions (not those of its bases; see [`Schema::all_functions`]).
    pub functions: Vec<Function>,
}

/// A function of a service.
#[derive(Debug)]
pub struct Function {
    /// The name, as on the wire.
    pub name: String,
    /// Whether the client waits for no reply.
    pub oneway: bool,
    /// The return type; `None` for `void`.
    pub returns: Option<Type>,
    /// The arguments.
    pub params: Vec<Field>,
    /// The exceptions it may throw.
    pub throws: Vec<Field>,
    /// The doc comment.
    pub doc: Option<String>,
    /// Annotations.
    pub annotations: Annotations,
    /// Where the function is written.
    pub span: Span,
}

/// A resolved type.
#[derive(Clone, Debug, PartialEq)]
pub struct Type {
    /// What it is.
    pub kind: TypeKind,
    /// Annotations written on the type itself.
    pub annotations: Annotations,
    /// Where it is written.
    pub span: Span,
}

/// The shapes of a resolved type.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    /// A built-in type.
    Base(BaseType),
    /// `list<T>`.
    List(Box<Type>),
    /// `set<T>`.
    Set(Box<Type>),
    /// `map<K, V>`.
    Map(Box<Type>, Box<Type>),
    /// A typedef, enum, struct, union or exception.
    Named(DefId),
    /// A name that could not be resolved; an error was reported.
    Unresolved,
}

/// An evaluated constant: a constant's value or a field's default, shaped by its type.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A `bool`.
    Bool(bool),
    /// An `i8`, `i16`, `i32` or `i64`, in range for its type.
    Int(i64),
    /// A `double`.
    Double(f64),
    /// A `string`.
    String(String),
    /// A `binary`: the bytes of the literal.
    Binary(Vec<u8>),
    /// A `uuid`, as 16 bytes in the order written.
    Uuid([u8; 16]),
    /// A value of an enum.
    Enum {
        /// The enum.
        def: DefId,
        /// The number.
        value: i32,
    },
    /// A `list`.
    List(Vec<Value>),
    /// A `set`, in the order written.
    Set(Vec<Value>),
    /// A `map`, in the order written.
    Map(Vec<(Value, Value)>),
    /// A struct, union or exception: the fields given, by index into its fields.
    Struct {
        /// The struct.
        def: DefId,
        /// `(index into Struct::fields, value)` in the order written.
        fields: Vec<(usize, Value)>,
    },
}
