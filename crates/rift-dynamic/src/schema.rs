//! A schema: the semantic model of an IDL file and its includes, loaded at run time.

use std::fmt;
use std::path::{Path, PathBuf};

use rift::TType;
use rift_idl::ast::{BaseType, Requiredness, StructKind};
use rift_idl::model::{self, DefId, Definition, DefinitionKind, Type, TypeKind};
use rift_idl::{Loader, Schema as Idl};

/// The types and services of an IDL file and the files it includes.
#[derive(Debug)]
pub struct Schema {
    idl: Idl,
    /// For each definition that is a struct, union or exception: what encoding and
    /// decoding need of it, worked out once.
    plans: Vec<Option<StructPlan>>,
}

/// A struct as the codec walks it, worked out once when the schema loads, so that
/// encoding and decoding look up no definition and follow no typedef.
#[derive(Debug)]
pub(crate) struct StructPlan {
    /// The struct's name.
    pub(crate) name: String,
    /// Whether it is a union.
    pub(crate) union: bool,
    /// Its fields, in id order (the order generated code writes).
    pub(crate) fields: Vec<FieldPlan>,
}

/// A field as the codec walks it.
#[derive(Debug)]
pub(crate) struct FieldPlan {
    pub(crate) id: i16,
    pub(crate) name: String,
    pub(crate) required: bool,
    /// The wire type of `shape`.
    pub(crate) ttype: TType,
    pub(crate) shape: Shape,
}

/// A type with typedefs followed: what the codec needs of it.
#[derive(Debug)]
pub(crate) enum Shape {
    Bool,
    I8,
    I16,
    I32,
    I64,
    Double,
    String,
    Binary,
    Uuid,
    /// An enum: an `i32` on the wire.
    Enum(DefId),
    List(Box<Shape>),
    Set(Box<Shape>),
    Map(Box<(Shape, Shape)>),
    /// A struct, union or exception.
    Struct(DefId),
    /// A definition that is not a type (a service or a constant), or, with `None`, a type
    /// that did not resolve.
    Unreadable(Option<DefId>),
}

impl Shape {
    /// The shape of `ty` in `idl`.
    pub(crate) fn of(idl: &Idl, ty: &Type) -> Shape {
        match &idl.true_type(ty).kind {
            TypeKind::Base(b) => match b {
                BaseType::Bool => Shape::Bool,
                BaseType::I8 => Shape::I8,
                BaseType::I16 => Shape::I16,
                BaseType::I32 => Shape::I32,
                BaseType::I64 => Shape::I64,
                BaseType::Double => Shape::Double,
                BaseType::String => Shape::String,
                BaseType::Binary => Shape::Binary,
                BaseType::Uuid => Shape::Uuid,
            },
            TypeKind::List(e) => Shape::List(Box::new(Shape::of(idl, e))),
            TypeKind::Set(e) => Shape::Set(Box::new(Shape::of(idl, e))),
            TypeKind::Map(k, v) => Shape::Map(Box::new((Shape::of(idl, k), Shape::of(idl, v)))),
            TypeKind::Named(id) => match &idl.definition(*id).kind {
                DefinitionKind::Enum(_) => Shape::Enum(*id),
                DefinitionKind::Struct(_) => Shape::Struct(*id),
                _ => Shape::Unreadable(Some(*id)),
            },
            TypeKind::Unresolved => Shape::Unreadable(None),
        }
    }

    /// The wire type of values of this shape.
    pub(crate) fn ttype(&self) -> TType {
        match self {
            Shape::Bool => TType::Bool,
            Shape::I8 => TType::I8,
            Shape::I16 => TType::I16,
            Shape::I32 | Shape::Enum(_) => TType::I32,
            Shape::I64 => TType::I64,
            Shape::Double => TType::Double,
            Shape::String | Shape::Binary => TType::String,
            Shape::Uuid => TType::Uuid,
            Shape::List(_) => TType::List,
            Shape::Set(_) => TType::Set,
            Shape::Map(_) => TType::Map,
            Shape::Struct(_) => TType::Struct,
            Shape::Unreadable(_) => TType::Void,
        }
    }
}

/// A type of a schema: a base type, a container, or a definition's.
pub type TypeRef = Type;

/// Why a schema could not be loaded: its diagnostics, as `rift check` prints them.
#[derive(Debug)]
pub struct LoadError {
    rendered: String,
    errors: usize,
}

impl LoadError {
    /// How many errors the IDL has.
    pub fn errors(&self) -> usize {
        self.errors
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if self.errors == 1 { "" } else { "s" };
        write!(f, "{}\nerror: the IDL has {} error{plural}", self.rendered.trim_end(), self.errors)
    }
}

impl std::error::Error for LoadError {}

impl Schema {
    /// Loads `path` and everything it includes, looking for includes beside each file
    /// and then in `include_dirs`.
    pub fn load<P: AsRef<Path>>(path: impl AsRef<Path>, include_dirs: &[P]) -> Result<Schema, LoadError> {
        let dirs: Vec<PathBuf> = include_dirs.iter().map(|d| d.as_ref().to_path_buf()).collect();
        Schema::from_idl(Loader::new().include_dirs(dirs).load(path))
    }

    /// A schema of a model already loaded, if it has no errors.
    pub fn from_idl(idl: Idl) -> Result<Schema, LoadError> {
        if !idl.has_errors() {
            let plans = idl
                .definitions()
                .iter()
                .map(|def| match &def.kind {
                    DefinitionKind::Struct(s) => {
                        let mut fields: Vec<FieldPlan> = s
                            .fields
                            .iter()
                            .map(|f| {
                                let shape = Shape::of(&idl, &f.ty);
                                FieldPlan {
                                    id: f.id,
                                    name: f.name.clone(),
                                    required: f.requiredness == Requiredness::Required,
                                    ttype: shape.ttype(),
                                    shape,
                                }
                            })
                            .collect();
                        fields.sort_by_key(|f| f.id);
                        Some(StructPlan {
                            name: def.name.clone(),
                            union: s.kind == StructKind::Union,
                            fields,
                        })
                    }
                    _ => None,
                })
                .collect();
            return Ok(Schema { idl, plans });
        }
        let errors = idl.diagnostics().iter().filter(|d| d.is_error()).count();
        let rendered = idl
            .diagnostics()
            .iter()
            .map(|d| d.render(idl.sources(), false) + "\n")
            .collect::<Vec<_>>()
            .join("\n");
        Err(LoadError { rendered, errors })
    }

    /// The semantic model underneath.
    pub fn idl(&self) -> &Idl {
        &self.idl
    }

    /// A definition named as in the first file loaded (`Location`, or with an include
    /// prefix, `shared.Location`).
    pub fn definition_named(&self, name: &str) -> Option<&Definition> {
        let root = self.idl.roots().next()?;
        self.idl.lookup(root.id, name)
    }

    /// The type of a struct, union, exception, enum or typedef, by name (see
    /// [`Schema::definition_named`]).
    pub fn type_named(&self, name: &str) -> Option<TypeRef> {
        let def = self.definition_named(name)?;
        match def.kind {
            DefinitionKind::Service(_) | DefinitionKind::Const(_) => None,
            _ => Some(self.type_of(def)),
        }
    }

    /// The type a definition is.
    pub fn type_of(&self, def: &Definition) -> TypeRef {
        Type { kind: TypeKind::Named(def.id), annotations: model::Annotations::default(), span: def.span }
    }

    /// The type with typedefs followed.
    pub(crate) fn resolve<'a>(&'a self, ty: &'a Type) -> &'a Type {
        match &ty.kind {
            TypeKind::Named(id) if matches!(self.idl.definition(*id).kind, DefinitionKind::Typedef(_)) => {
                self.idl.true_type(ty)
            }
            _ => ty,
        }
    }

    /// The plan of a struct, union or exception.
    pub(crate) fn plan(&self, id: model::DefId) -> &StructPlan {
        self.plans[id.index()].as_ref().expect("a struct's definition")
    }

    /// The definition a (resolved) named type is.
    pub(crate) fn definition(&self, id: model::DefId) -> &Definition {
        self.idl.definition(id)
    }
}
