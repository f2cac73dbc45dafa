//! The plan of the output before any code is written: which module each IDL file goes
//! to, the Rust name of every definition, field, enum value and service item, which
//! types can derive `Eq`/`Hash`/`Ord`, and which fields must be boxed.

use std::collections::{BTreeMap, HashMap, HashSet};

use rift_idl::FileId;
use rift_idl::ast::StructKind;
use rift_idl::model::{DefId, DefinitionKind, Schema, Type, TypeKind};

use crate::names::{Scope, camel, screaming, snake};

/// Names of the items generated for a service.
#[derive(Debug, Clone)]
pub(crate) struct ServiceNames {
    /// The async handler trait (`WeatherService`).
    pub(crate) handler: String,
    /// The blocking handler trait.
    pub(crate) blocking: String,
    /// The async processor.
    pub(crate) processor: String,
    /// The blocking processor.
    pub(crate) blocking_processor: String,
    /// The async client.
    pub(crate) client: String,
    /// The blocking client.
    pub(crate) blocking_client: String,
    /// The module with the argument and result types (`weather_service`).
    pub(crate) module: String,
    /// Per own function: Rust method name, and the type names in `module`.
    pub(crate) methods: Vec<MethodNames>,
}

#[derive(Debug, Clone)]
pub(crate) struct MethodNames {
    pub(crate) method: String,
    pub(crate) args: String,
    pub(crate) exception: String,
    /// Argument names, snake case.
    pub(crate) params: Vec<String>,
}

/// A Rust module of the output.
#[derive(Debug, Clone)]
pub(crate) struct Module {
    /// The path from the root, each segment a Rust identifier.
    pub(crate) path: Vec<String>,
    /// The IDL files whose definitions it holds.
    pub(crate) files: Vec<FileId>,
    /// Every Rust name the module defines (its items and submodules).
    pub(crate) taken: HashSet<String>,
}

#[derive(Debug)]
pub(crate) struct Plan<'s> {
    pub(crate) schema: &'s Schema,
    pub(crate) modules: Vec<Module>,
    file_module: HashMap<FileId, usize>,
    /// Rust name of each definition (type, trait prefix, or constant).
    names: Vec<String>,
    /// Rust names of the fields (structs) or variants (unions) or consts (enums).
    members: Vec<Vec<String>>,
    pub(crate) services: HashMap<DefId, ServiceNames>,
    /// Definitions that can derive `Eq`, `Hash`, `PartialOrd` and `Ord`.
    orderable: Vec<bool>,
    /// Definitions that must derive them: used as a set element or a map key, or inside
    /// one (and able to).
    keyed: Vec<bool>,
    /// Fields held in a `Box` (recursion, or `&`).
    boxed: HashSet<(DefId, usize)>,
    pub(crate) options: crate::Options,
}

impl<'s> Plan<'s> {
    pub(crate) fn new(schema: &'s Schema, files: &[FileId], options: crate::Options) -> Plan<'s> {
        // Modules: `namespace rs a.b` or the file name.
        let mut modules: Vec<Module> = Vec::new();
        let mut file_module = HashMap::new();
        for &file in files {
            let f = schema.file(file);
            let path: Vec<String> = match f.namespaces.iter().rev().find(|n| n.scope == "rs") {
                Some(ns) => ns.name.split('.').map(snake).collect(),
                None => vec![snake(&f.name)],
            };
            let index = match modules.iter().position(|m| m.path == path) {
                Some(i) => i,
                None => {
                    modules.push(Module { path, files: Vec::new(), taken: HashSet::new() });
                    modules.len() - 1
                }
            };
            modules[index].files.push(file);
            file_module.insert(file, index);
        }
        // Parents of nested modules exist as modules too.
        let mut i = 0;
        while i < modules.len() {
            let path = modules[i].path.clone();
            for len in 1..path.len() {
                let parent = path[..len].to_vec();
                if !modules.iter().any(|m| m.path == parent) {
                    modules.push(Module { path: parent, files: Vec::new(), taken: HashSet::new() });
                }
            }
            i += 1;
        }
        modules.sort_by(|a, b| a.path.cmp(&b.path));
        for (index, module) in modules.iter().enumerate() {
            for &file in &module.files {
                file_module.insert(file, index);
            }
        }

        let count = schema.definitions().len();
        let mut plan = Plan {
            schema,
            modules,
            file_module,
            names: vec![String::new(); count],
            members: vec![Vec::new(); count],
            services: HashMap::new(),
            orderable: vec![true; count],
            keyed: vec![false; count],
            boxed: HashSet::new(),
            options,
        };
        plan.name_everything();
        plan.find_orderable();
        plan.find_keyed();
        plan.find_boxed();
        plan
    }

    fn name_everything(&mut self) {
        let schema = self.schema;
        for m in 0..self.modules.len() {
            let mut types = Scope::new();
            let mut values = Scope::new();
            // Child modules take their names first.
            let depth = self.modules[m].path.len();
            let children: Vec<String> = self
                .modules
                .iter()
                .filter(|c| c.path.len() == depth + 1 && c.path[..depth] == self.modules[m].path[..])
                .map(|c| c.path[depth].clone())
                .collect();
            for child in &children {
                types.reserve(child);
            }
            let defs: Vec<DefId> = self.modules[m]
                .files
                .iter()
                .flat_map(|&f| schema.file(f).definitions.iter().copied())
                .collect();
            for &id in &defs {
                let d = schema.definition(id);
                self.names[id.index()] = match &d.kind {
                    DefinitionKind::Const(_) => values.claim(&screaming(&d.name)),
                    _ => types.claim(&camel(&d.name)),
                };
            }
            for &id in &defs {
                let d = schema.definition(id);
                match &d.kind {
                    DefinitionKind::Struct(s) => {
                        let mut scope = Scope::new();
                        if s.kind == StructKind::Union {
                            // The variant for members this code does not know.
                            scope.reserve("Unknown");
                            self.members[id.index()] =
                                s.fields.iter().map(|f| scope.claim(&camel(&f.name))).collect();
                        } else {
                            self.members[id.index()] =
                                s.fields.iter().map(|f| scope.claim(&snake(&f.name))).collect();
                        }
                    }
                    DefinitionKind::Enum(e) => {
                        let mut scope = Scope::new();
                        for reserved in ["VALUES", "name", "from_name"] {
                            scope.reserve(reserved);
                        }
                        self.members[id.index()] =
                            e.values.iter().map(|v| scope.claim(&screaming(&v.name))).collect();
                    }
                    DefinitionKind::Service(s) => {
                        let base = self.names[id.index()].clone();
                        let mut claim = |suffix: &str| types.claim(&format!("{base}{suffix}"));
                        let handler = base.clone();
                        let names = ServiceNames {
                            handler,
                            blocking: claim("Blocking"),
                            processor: claim("Processor"),
                            blocking_processor: claim("BlockingProcessor"),
                            client: claim("Client"),
                            blocking_client: claim("BlockingClient"),
                            module: {
                                // `middle::middle` trips clippy's module_inception.
                                let wanted = snake(&d.name);
                                let parent = self.modules[m].path.last().map(String::as_str);
                                if parent == Some(wanted.as_str()) {
                                    types.claim(&format!("{wanted}_service"))
                                } else {
                                    types.claim(&wanted)
                                }
                            },
                            methods: Vec::new(),
                        };
                        let mut module_scope = Scope::new();
                        let mut method_scope = Scope::new();
                        for reserved in ["new", "channel", "into_inner", "service_name", "process"] {
                            method_scope.reserve(reserved);
                        }
                        // Inherited methods are in the client too: keep their names free.
                        for f in schema.all_functions(s) {
                            if !s.functions.iter().any(|own| std::ptr::eq(own, f)) {
                                method_scope.reserve(&snake(&f.name));
                            }
                        }
                        let methods = s
                            .functions
                            .iter()
                            .map(|f| {
                                let camel_name = camel(&f.name);
                                let mut params = Scope::new();
                                MethodNames {
                                    method: method_scope.claim(&snake(&f.name)),
                                    args: module_scope.claim(&format!("{camel_name}Args")),
                                    exception: module_scope.claim(&format!("{camel_name}Exception")),
                                    params: f.params.iter().map(|p| params.claim(&snake(&p.name))).collect(),
                                }
                            })
                            .collect();
                        self.services.insert(id, ServiceNames { methods, ..names });
                    }
                    _ => {}
                }
            }
            self.modules[m].taken = types.taken().union(values.taken()).cloned().collect();
        }
    }

    /// A definition can derive `Eq`, `Hash` and `Ord` when no `double` is reachable
    /// from it without indirection through a type that cannot (nor, with hashed maps,
    /// a map or a set, which are neither `Hash` nor `Ord`).
    fn find_orderable(&mut self) {
        let schema = self.schema;
        loop {
            let mut changed = false;
            for d in schema.definitions() {
                if !self.orderable[d.id.index()] {
                    continue;
                }
                let ok = match &d.kind {
                    DefinitionKind::Struct(s) => s.fields.iter().all(|f| self.type_orderable(&f.ty)),
                    DefinitionKind::Typedef(t) => self.type_orderable(&t.target),
                    _ => true,
                };
                if !ok {
                    self.orderable[d.id.index()] = false;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// Marks the definitions that a set element or a map key reaches, anywhere in the
    /// schema: they derive `Eq`, `Hash`, `PartialOrd` and `Ord` because the collection
    /// needs them, and so do the types of their fields.
    fn find_keyed(&mut self) {
        let schema = self.schema;
        let mut keys: Vec<&Type> = Vec::new();
        let mut walk = |ty: &'s Type| collect_keys(ty, &mut keys);
        for d in schema.definitions() {
            match &d.kind {
                DefinitionKind::Struct(s) => s.fields.iter().for_each(|f| walk(&f.ty)),
                DefinitionKind::Typedef(t) => walk(&t.target),
                DefinitionKind::Const(c) => walk(&c.ty),
                DefinitionKind::Service(s) => {
                    for f in &s.functions {
                        f.params.iter().chain(&f.throws).for_each(|p| walk(&p.ty));
                        if let Some(ty) = &f.returns {
                            walk(ty);
                        }
                    }
                }
                DefinitionKind::Enum(_) => {}
            }
        }
        let mut stack: Vec<DefId> = Vec::new();
        for key in keys {
            if self.type_orderable(key) {
                named_in(key, &mut stack);
            }
        }
        while let Some(id) = stack.pop() {
            if std::mem::replace(&mut self.keyed[id.index()], true) {
                continue;
            }
            match &schema.definition(id).kind {
                DefinitionKind::Struct(s) => s.fields.iter().for_each(|f| named_in(&f.ty, &mut stack)),
                DefinitionKind::Typedef(t) => named_in(&t.target, &mut stack),
                _ => {}
            }
        }
    }

    /// Whether a definition derives `Eq`, `Hash`, `PartialOrd` and `Ord` (see
    /// `find_keyed`).
    pub(crate) fn keyed(&self, id: DefId) -> bool {
        self.keyed[id.index()] && self.orderable[id.index()]
    }

    pub(crate) fn type_orderable(&self, ty: &Type) -> bool {
        match &ty.kind {
            TypeKind::Base(b) => *b != rift_idl::ast::BaseType::Double,
            TypeKind::List(e) => self.type_orderable(e),
            TypeKind::Set(_) | TypeKind::Map(..) if self.options.maps == crate::Maps::Hash => false,
            TypeKind::Set(e) => self.type_orderable(e),
            TypeKind::Map(k, v) => self.type_orderable(k) && self.type_orderable(v),
            TypeKind::Named(id) => self.orderable[id.index()],
            TypeKind::Unresolved => true,
        }
    }

    /// Fields that hold a struct inline and close a cycle of inline containment (or
    /// are marked `&`) are boxed.
    fn find_boxed(&mut self) {
        let schema = self.schema;
        // Edges: struct → struct held inline by a field (through typedefs, not through
        // collections, which already indirect).
        let mut edges: BTreeMap<DefId, Vec<(usize, DefId)>> = BTreeMap::new();
        for d in schema.definitions() {
            if let DefinitionKind::Struct(s) = &d.kind {
                for (i, f) in s.fields.iter().enumerate() {
                    if f.reference {
                        self.boxed.insert((d.id, i));
                    }
                    if let TypeKind::Named(target) = schema.true_type(&f.ty).kind
                        && matches!(schema.definition(target).kind, DefinitionKind::Struct(_))
                    {
                        edges.entry(d.id).or_default().push((i, target));
                    }
                }
            }
        }
        // A field is boxed when its target reaches back to the field's struct.
        for (&from, targets) in &edges {
            for &(field, to) in targets {
                if reaches(&edges, to, from) {
                    self.boxed.insert((from, field));
                }
            }
        }
    }

    pub(crate) fn module_of_file(&self, file: FileId) -> usize {
        self.file_module[&file]
    }

    pub(crate) fn module_of(&self, id: DefId) -> usize {
        self.module_of_file(self.schema.definition(id).file)
    }

    pub(crate) fn name(&self, id: DefId) -> &str {
        &self.names[id.index()]
    }

    pub(crate) fn members(&self, id: DefId) -> &[String] {
        &self.members[id.index()]
    }

    pub(crate) fn is_boxed(&self, id: DefId, field: usize) -> bool {
        self.boxed.contains(&(id, field))
    }

    /// The path from code in module `from` (plus `extra` levels of nested modules) to
    /// module `to`: `super::super::shared::`, or nothing for the same module.
    pub(crate) fn path_to(&self, from: usize, extra: usize, to: usize) -> Vec<String> {
        let (a, b) = (&self.modules[from].path, &self.modules[to].path);
        let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let mut out: Vec<String> =
            std::iter::repeat_n("super".to_string(), a.len() - common + extra).collect();
        out.extend(b[common..].iter().cloned());
        out
    }
}

fn reaches(edges: &BTreeMap<DefId, Vec<(usize, DefId)>>, start: DefId, goal: DefId) -> bool {
    let mut seen = HashSet::new();
    let mut stack = vec![start];
    while let Some(node) = stack.pop() {
        if node == goal {
            return true;
        }
        if seen.insert(node)
            && let Some(next) = edges.get(&node)
        {
            stack.extend(next.iter().map(|(_, t)| *t));
        }
    }
    false
}

/// The set elements and map keys in a type, nested ones included.
fn collect_keys<'s>(ty: &'s Type, keys: &mut Vec<&'s Type>) {
    match &ty.kind {
        TypeKind::List(e) => collect_keys(e, keys),
        TypeKind::Set(e) => {
            keys.push(e);
            collect_keys(e, keys);
        }
        TypeKind::Map(k, v) => {
            keys.push(k);
            collect_keys(k, keys);
            collect_keys(v, keys);
        }
        TypeKind::Base(_) | TypeKind::Named(_) | TypeKind::Unresolved => {}
    }
}

/// The definitions a type names, inside containers too.
fn named_in(ty: &Type, out: &mut Vec<DefId>) {
    match &ty.kind {
        TypeKind::List(e) | TypeKind::Set(e) => named_in(e, out),
        TypeKind::Map(k, v) => {
            named_in(k, out);
            named_in(v, out);
        }
        TypeKind::Named(id) => out.push(*id),
        TypeKind::Base(_) | TypeKind::Unresolved => {}
    }
}
