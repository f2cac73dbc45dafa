//! Resolving written types and names to definitions.

use super::{Analyzer, ConstRef, Pass, convert_annotations, suggest};
use crate::ast::{self, BaseType};
use crate::diagnostic::Diagnostic;
use crate::model::{self, DefId};
use crate::span::FileId;

/// What a name refers to in a file's scope.
pub(super) enum Found {
    /// A definition of the file or of a direct include.
    Def(DefId),
    /// The name has an include prefix, but no include has that name.
    NoSuchInclude(String),
    /// Nothing.
    Nothing,
}

impl Analyzer<'_> {
    /// Finds a type or service name as written in `file`: `Name`, or `include.Name` for
    /// a direct include.
    pub(super) fn find_type(&self, file: FileId, name: &str) -> Found {
        if let Some(&id) = self.types[file.index()].get(name) {
            return Found::Def(id);
        }
        if !name.contains('.') {
            return Found::Nothing;
        }
        let mut prefix_seen = None;
        // A later include of the same name hides an earlier one, as in the reference.
        for (prefix, target) in self.includes[file.index()].iter().rev() {
            if let Some(rest) = name.strip_prefix(prefix.as_str()).and_then(|r| r.strip_prefix('.')) {
                if let Some(&id) = self.types[target.index()].get(rest) {
                    return Found::Def(id);
                }
                prefix_seen = Some(());
            }
        }
        match prefix_seen {
            Some(()) => Found::Nothing,
            None => Found::NoSuchInclude(name.rsplit_once('.').map_or("", |(p, _)| p).to_string()),
        }
    }

    /// Finds a constant or enum value name (`NAME`, `Enum.VALUE`, `inc.NAME`,
    /// `inc.Enum.VALUE`) as written in `file`.
    pub(super) fn find_const(&self, file: FileId, name: &str) -> Option<ConstRef> {
        if let Some(&found) = self.consts[file.index()].get(name) {
            return Some(found);
        }
        for (prefix, target) in self.includes[file.index()].iter().rev() {
            if let Some(rest) = name.strip_prefix(prefix.as_str()).and_then(|r| r.strip_prefix('.'))
                && let Some(&found) = self.consts[target.index()].get(rest)
            {
                return Some(found);
            }
        }
        None
    }

    /// Resolves a written type. Names may refer to definitions anywhere in the file or
    /// its includes; a name that resolves to nothing is reported as the reference
    /// reports it, when it generates code.
    pub(super) fn resolve_type(&mut self, ty: &ast::Type) -> model::Type {
        let kind = match &ty.kind {
            ast::TypeKind::Base(base) => model::TypeKind::Base(*base),
            ast::TypeKind::List { elem, .. } => {
                if matches!(elem.kind, ast::TypeKind::Base(BaseType::I8)) {
                    let d = Diagnostic::warning(
                        "list-of-bytes",
                        "`list<i8>` is an inefficient way to hold bytes",
                        ty.span,
                    )
                    .with_help("use `binary`, which is encoded as one block of bytes");
                    self.report(self.current_file(), Pass::Program, d);
                }
                model::TypeKind::List(Box::new(self.resolve_type(elem)))
            }
            ast::TypeKind::Set { elem, .. } => model::TypeKind::Set(Box::new(self.resolve_type(elem))),
            ast::TypeKind::Map { key, value, .. } => {
                model::TypeKind::Map(Box::new(self.resolve_type(key)), Box::new(self.resolve_type(value)))
            }
            ast::TypeKind::Named(ident) => match self.type_name(ident) {
                Some(id) => model::TypeKind::Named(id),
                None => model::TypeKind::Unresolved,
            },
        };
        model::Type { kind, annotations: convert_annotations(&ty.annotations), span: ty.span }
    }

    /// The target of typedef `id`. A target that is a name of no type (a constant, or
    /// nothing) is accepted with a warning, as the reference accepts it while no
    /// generator needs the type: it is an error only where the typedef is used.
    pub(super) fn typedef_target(&mut self, id: DefId, name: &ast::Ident, ty: &ast::Type) -> model::Type {
        let file = self.current_file();
        let ast::TypeKind::Named(ident) = &ty.kind else { return self.resolve_type(ty) };
        if matches!(self.find_type(file, &ident.name), Found::Def(_)) {
            // A typedef of a typedef is not a use of it: only uses of this one will be.
            let uses = self.typedef_uses.len();
            let target = self.resolve_type(ty);
            self.typedef_uses.truncate(uses);
            return target;
        }
        let what = if self.find_const(file, &ident.name).is_some() {
            format!("`{}` is a constant, not a type", ident.name)
        } else {
            format!("`{}` is not defined here or in an included file", ident.name)
        };
        let d = Diagnostic::warning(
            "typedef-of-no-type",
            format!("typedef `{}` names `{}`, which is not a type", name.name, ident.name),
            ident.span,
        )
        .with_label(what)
        .with_note(format!(
            "Apache Thrift accepts this while nothing uses `{}`; every use of it as a type is an error",
            name.name
        ));
        self.report(file, Pass::Program, d);
        self.broken_typedefs.insert(id, ident.name.clone());
        model::Type {
            kind: model::TypeKind::Unresolved,
            annotations: convert_annotations(&ty.annotations),
            span: ty.span,
        }
    }

    /// Reports each use, as a type, of a typedef whose target is no type (directly or
    /// through other typedefs).
    pub(super) fn check_typedef_uses(&mut self) {
        if self.broken_typedefs.is_empty() {
            return;
        }
        for (file, span, id) in std::mem::take(&mut self.typedef_uses) {
            let mut current = id;
            let mut seen = vec![current];
            let broken = loop {
                if let Some(target) = self.broken_typedefs.get(&current) {
                    break Some((current, target.clone()));
                }
                match &self.built[current.index()] {
                    Some(model::DefinitionKind::Typedef(t)) => match t.target.kind {
                        model::TypeKind::Named(next) if !seen.contains(&next) => {
                            seen.push(next);
                            current = next;
                        }
                        _ => break None,
                    },
                    _ => break None,
                }
            };
            let Some((typedef, target)) = broken else { continue };
            let name = self.def_name(id);
            let d = Diagnostic::error("unknown-type", format!("`{name}` is not a type"), span)
                .with_label(format!("a typedef of `{target}`, which is not a type"))
                .with_secondary(self.def_span(typedef), "the typedef is here");
            self.report(file, Pass::Generation, d);
        }
    }

    /// Resolves a name used as a type, reporting what is wrong with it.
    fn type_name(&mut self, ident: &ast::Ident) -> Option<DefId> {
        let file = self.current_file();
        match self.find_type(file, &ident.name) {
            Found::Def(id) => {
                if let ast::DefinitionKind::Service(_) = self.slots[id.index()].ast.kind {
                    let d = Diagnostic::error(
                        "not-a-type",
                        format!("`{}` is a service, not a type", ident.name),
                        ident.span,
                    )
                    .with_label("expected a type")
                    .with_secondary(self.def_span(id), "the service is defined here");
                    self.report(file, Pass::Generation, d);
                    return None;
                }
                if let ast::DefinitionKind::Typedef(_) = self.slots[id.index()].ast.kind {
                    self.typedef_uses.push((file, ident.span, id));
                }
                Some(id)
            }
            Found::NoSuchInclude(prefix) => {
                let mut d =
                    Diagnostic::error("unknown-type", format!("unknown type `{}`", ident.name), ident.span)
                        .with_label(format!("no included file is named `{prefix}`"));
                let names: Vec<&str> = self.includes[file.index()].iter().map(|(p, _)| p.as_str()).collect();
                d = match suggest(&prefix, names) {
                    Some(close) => d.with_help(format!("did you mean the include `{close}`?")),
                    None => d.with_help(format!(
                        "include the file that defines it: `include \"{prefix}.thrift\"`"
                    )),
                };
                self.report(file, Pass::Generation, d);
                None
            }
            Found::Nothing => {
                let d = self.unknown_type(file, ident);
                self.report(file, Pass::Generation, d);
                None
            }
        }
    }

    fn unknown_type(&self, file: FileId, ident: &ast::Ident) -> Diagnostic {
        let mut d = Diagnostic::error("unknown-type", format!("unknown type `{}`", ident.name), ident.span)
            .with_label("not defined here or in an included file");
        if self.find_const(file, &ident.name).is_some() {
            return d.with_note(format!("`{}` is a constant, not a type", ident.name));
        }
        let mut candidates: Vec<String> = self.types[file.index()]
            .iter()
            .filter(|(_, id)| !matches!(self.slots[id.index()].ast.kind, ast::DefinitionKind::Service(_)))
            .map(|(name, _)| name.to_string())
            .collect();
        for (prefix, target) in &self.includes[file.index()] {
            candidates.extend(self.types[target.index()].keys().map(|name| format!("{prefix}.{name}")));
        }
        candidates.sort();
        // The name of a type of an included file, without its prefix.
        let prefixed: Vec<String> = if ident.name.contains('.') {
            Vec::new()
        } else {
            self.includes[file.index()]
                .iter()
                .filter(|(_, target)| self.types[target.index()].contains_key(ident.name.as_str()))
                .map(|(prefix, _)| format!("`{prefix}.{}`", ident.name))
                .collect()
        };
        if !prefixed.is_empty() {
            d = d.with_help(format!("did you mean {}?", prefixed.join(" or ")));
        } else if let Some(close) = suggest(&ident.name, candidates.iter().map(String::as_str)) {
            d = d.with_help(format!("did you mean `{close}`?"));
        } else if matches!(ident.name.as_str(), "slist" | "senum") {
            d = d.with_help(format!("`{}` was removed from Thrift; use `string`", ident.name));
        } else if let Some((_, last)) = ident.name.rsplit_once('.') {
            let matches: Vec<String> = self.includes[file.index()]
                .iter()
                .filter(|(_, target)| self.types[target.index()].contains_key(last))
                .map(|(prefix, _)| format!("`{prefix}.{last}`"))
                .collect();
            if !matches.is_empty() {
                d = d.with_help(format!("a type of that name is defined as {}", matches.join(" and ")));
            }
        }
        d
    }
}
