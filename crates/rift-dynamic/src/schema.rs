//! A schema: the semantic model of an IDL file and its includes, loaded at run time.

use std::fmt;
use std::path::{Path, PathBuf};

use rift_idl::model::{self, Definition, DefinitionKind, Type, TypeKind};
use rift_idl::{Loader, Schema as Idl};

/// The types and services of an IDL file and the files it includes.
#[derive(Debug)]
pub struct Schema {
    idl: Idl,
    /// For each definition that is a struct, union or exception: what encoding and
    /// decoding need of it, worked out once.
    plans: Vec<Option<StructPlan>>,
}

/// A struct's fields as the codec walks them.
#[derive(Debug)]
pub(crate) struct StructPlan {
    /// Indices into the struct's fields, in id order (the order generated code writes).
    pub(crate) order: Vec<usize>,
    /// The wire type of each field, by index.
    pub(crate) ttypes: Vec<rift::TType>,
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
                        let mut order: Vec<usize> = (0..s.fields.len()).collect();
                        order.sort_by_key(|&i| s.fields[i].id);
                        let ttypes = s.fields.iter().map(|f| crate::codec::wire_type(&idl, &f.ty)).collect();
                        Some(StructPlan { order, ttypes })
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
