//! Constant evaluation: a written value checked against a type and turned into a
//! [`Value`].
//!
//! Constants are evaluated in the order they are written, as the reference compiler
//! does: a constant can use constants and types defined above it or in included files.
//! Integers are checked against the range of their type, enum values must be written
//! `Enum.NAME` (or be the number of a value), struct literals name existing fields.

use super::{Analyzer, ConstRef, Pass, suggest};
use crate::ast::{self, BaseType};
use crate::diagnostic::Diagnostic;
use crate::model::{DefId, DefinitionKind, Type, TypeKind, Value};
use crate::span::Span;

/// What is being evaluated, for messages.
pub(super) struct EvalCtx {
    /// "constant `X`" or "the default of field `f`".
    pub(super) what: String,
    /// Where the reference compiler reports problems with it.
    pub(super) reference: Span,
}

impl Analyzer<'_> {
    /// Follows typedefs to the type a value must have. Every name on the way must be
    /// defined above the current definition or in an include: the reference resolves
    /// the type as it reads the constant.
    pub(super) fn visible_true_type(
        &mut self,
        ty: &Type,
        used_at: Span,
        reference: Span,
        context: &str,
    ) -> Option<Type> {
        let mut ty = ty.clone();
        for _ in 0..=self.slots.len() {
            let TypeKind::Named(id) = ty.kind else { return Some(ty) };
            if !self.defined_before(id) {
                let name = self.def_name(id);
                let d = Diagnostic::error(
                    "defined-later",
                    format!("`{name}` is used in {context} before it is defined"),
                    used_at,
                )
                .with_label(format!("`{name}` is not defined yet here"))
                .with_secondary(self.def_span(id), "defined here")
                .with_note(format!(
                    "Thrift reads {context} in order, so the types it uses must be defined above it"
                ))
                .with_help(format!("move `{name}` above this definition"))
                .with_reference_span(reference);
                self.report(self.current_file(), Pass::Program, d);
                return None;
            }
            match &self.built[id.index()] {
                Some(DefinitionKind::Typedef(t)) => ty = t.target.clone(),
                Some(_) => return Some(ty),
                None => return None,
            }
        }
        None
    }

    /// Evaluates `value` as a value of `ty`; `None` after reporting why it is not one.
    pub(super) fn eval(&mut self, value: &ast::ConstValue, ty: &Type, ctx: &EvalCtx) -> Option<Value> {
        let ty = self.visible_true_type(ty, value.span(), ctx.reference, "a constant value")?;
        if let ast::ConstValue::Int(lit) = value
            && i32::try_from(lit.value).is_err()
        {
            // Whether a double (a JavaScript number) holds it exactly; i128 so that
            // i64::MAX, which rounds up to 2^63, does not look exact by saturation.
            let exact = (lit.value as f64) as i128 == i128::from(lit.value);
            let label = if exact {
                "languages whose integers are 32-bit need a 64-bit type for it"
            } else {
                "a double (JavaScript's number) cannot represent it exactly"
            };
            let d =
                Diagnostic::warning("64-bit-constant", format!("`{}` needs 64 bits", lit.value), lit.span)
                    .with_label(label)
                    .with_reference_span(ctx.reference);
            self.report(self.current_file(), Pass::Program, d);
        }
        match (&ty.kind, value) {
            (TypeKind::Unresolved, _) => None,
            (TypeKind::Named(id), _) => self.eval_named(*id, value, ctx),
            (_, ast::ConstValue::Ident(ident)) => {
                let found = self.const_ref(ident, ctx)?;
                self.coerce(found, &ty, ident.span, ctx)
            }
            (TypeKind::Base(base), _) => self.eval_base(*base, value, ctx),
            (TypeKind::List(elem) | TypeKind::Set(elem), ast::ConstValue::List { items, .. }) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(self.eval(item, elem, ctx));
                }
                let out: Option<Vec<Value>> = out.into_iter().collect();
                Some(if matches!(ty.kind, TypeKind::Set(_)) { Value::Set(out?) } else { Value::List(out?) })
            }
            (TypeKind::Map(key, val), ast::ConstValue::Map { entries, .. }) => {
                let mut out = Vec::with_capacity(entries.len());
                let mut ok = true;
                for (k, v) in entries {
                    match (self.eval(k, key, ctx), self.eval(v, val, ctx)) {
                        (Some(k), Some(v)) => out.push((k, v)),
                        _ => ok = false,
                    }
                }
                ok.then_some(Value::Map(out))
            }
            // `{}` for an empty list or set and `[]` for an empty map: the reference
            // accepts both.
            (TypeKind::List(_) | TypeKind::Set(_), ast::ConstValue::Map { entries, span })
                if entries.is_empty() =>
            {
                self.warn_empty(*span, "[]", ctx);
                Some(if matches!(ty.kind, TypeKind::Set(_)) {
                    Value::Set(Vec::new())
                } else {
                    Value::List(Vec::new())
                })
            }
            (TypeKind::Map(..), ast::ConstValue::List { items, span }) if items.is_empty() => {
                self.warn_empty(*span, "{}", ctx);
                Some(Value::Map(Vec::new()))
            }
            (TypeKind::List(_) | TypeKind::Set(_), _) => self.mismatch(value, "a list `[...]`", ctx),
            (TypeKind::Map(..), _) => self.mismatch(value, "a map `{key: value, ...}`", ctx),
        }
    }

    fn warn_empty(&mut self, span: Span, write: &str, ctx: &EvalCtx) {
        let d = Diagnostic::warning(
            "empty-collection-syntax",
            "empty collection written with the wrong brackets",
            span,
        )
        .with_help(format!("write `{write}`"))
        .with_reference_span(ctx.reference);
        self.report(self.current_file(), Pass::Program, d);
    }

    fn mismatch(&mut self, value: &ast::ConstValue, expected: &str, ctx: &EvalCtx) -> Option<Value> {
        let found = match value {
            ast::ConstValue::Int(_) => "an integer",
            ast::ConstValue::Double { .. } => "a floating point number",
            ast::ConstValue::String(_) => "a string",
            ast::ConstValue::Ident(_) => "a name",
            ast::ConstValue::List { .. } => "a list",
            ast::ConstValue::Map { .. } => "a map",
        };
        let d = Diagnostic::error(
            "const-type",
            format!("{} must be {expected}, found {found}", ctx.what),
            value.span(),
        )
        .with_label(format!("expected {expected}"))
        .with_reference_span(ctx.reference);
        self.report(self.current_file(), Pass::Program, d);
        None
    }

    fn eval_base(&mut self, base: BaseType, value: &ast::ConstValue, ctx: &EvalCtx) -> Option<Value> {
        match (base, value) {
            (BaseType::Bool, ast::ConstValue::Int(lit)) => match lit.value {
                0 | 1 => Some(Value::Bool(lit.value == 1)),
                _ => self.out_of_range(lit.value, "bool", lit.span, ctx),
            },
            (BaseType::I8 | BaseType::I16 | BaseType::I32 | BaseType::I64, ast::ConstValue::Int(lit)) => {
                self.int_in_range(lit.value, base, lit.span, ctx)
            }
            (BaseType::Double, ast::ConstValue::Int(lit)) => Some(Value::Double(lit.value as f64)),
            (BaseType::Double, ast::ConstValue::Double { value, .. }) => Some(Value::Double(*value)),
            (BaseType::String, ast::ConstValue::String(s)) => Some(Value::String(s.value.clone())),
            (BaseType::Binary, ast::ConstValue::String(s)) => {
                Some(Value::Binary(s.value.clone().into_bytes()))
            }
            (BaseType::Uuid, ast::ConstValue::String(s)) => match parse_uuid(&s.value) {
                Some(bytes) => Some(Value::Uuid(bytes)),
                None => {
                    let d = Diagnostic::error(
                        "invalid-uuid",
                        format!("{:?} is not a valid uuid", s.value),
                        s.span,
                    )
                    .with_label("expected 8-4-4-4-12 hex digits, optionally in braces")
                    .with_reference_span(ctx.reference);
                    self.report(self.current_file(), Pass::Program, d);
                    None
                }
            },
            (BaseType::Bool, _) => self.mismatch(value, "`true`, `false`, 0 or 1", ctx),
            (BaseType::I8 | BaseType::I16 | BaseType::I32 | BaseType::I64, _) => {
                self.mismatch(value, &format!("an integer (`{}`)", base.name()), ctx)
            }
            (BaseType::Double, _) => self.mismatch(value, "a number", ctx),
            (BaseType::String | BaseType::Binary, _) => self.mismatch(value, "a string literal", ctx),
            (BaseType::Uuid, _) => self.mismatch(value, "a uuid in quotes", ctx),
        }
    }

    fn int_in_range(&mut self, value: i64, base: BaseType, span: Span, ctx: &EvalCtx) -> Option<Value> {
        let (min, max) = match base {
            BaseType::I8 => (i64::from(i8::MIN), i64::from(i8::MAX)),
            BaseType::I16 => (i64::from(i16::MIN), i64::from(i16::MAX)),
            BaseType::I32 => (i64::from(i32::MIN), i64::from(i32::MAX)),
            _ => (i64::MIN, i64::MAX),
        };
        if (min..=max).contains(&value) {
            Some(Value::Int(value))
        } else {
            self.out_of_range(value, base.name(), span, ctx)
        }
    }

    fn out_of_range(&mut self, value: i64, ty: &str, span: Span, ctx: &EvalCtx) -> Option<Value> {
        let range = match ty {
            "bool" => "`true`, `false`, 0 or 1".to_string(),
            "i8" => "-128 to 127".to_string(),
            "i16" => "-32768 to 32767".to_string(),
            _ => "-2147483648 to 2147483647".to_string(),
        };
        let d = Diagnostic::error("const-range", format!("{value} is out of range for `{ty}`"), span)
            .with_label(format!("{} must be {range}", ctx.what))
            .with_reference_span(ctx.reference);
        self.report(self.current_file(), Pass::Program, d);
        None
    }

    /// Values of enums, structs, unions and exceptions.
    fn eval_named(&mut self, id: DefId, value: &ast::ConstValue, ctx: &EvalCtx) -> Option<Value> {
        match &self.built[id.index()] {
            Some(DefinitionKind::Enum(_)) => self.eval_enum(id, value, ctx),
            Some(DefinitionKind::Struct(_)) => self.eval_struct(id, value, ctx),
            _ => None,
        }
    }

    fn eval_enum(&mut self, id: DefId, value: &ast::ConstValue, ctx: &EvalCtx) -> Option<Value> {
        let Some(DefinitionKind::Enum(e)) = &self.built[id.index()] else { return None };
        let enum_name = self.def_name(id);
        let file = self.current_file();
        match value {
            ast::ConstValue::Int(lit) => {
                if let Ok(n) = i32::try_from(lit.value)
                    && e.value_of(n).is_some()
                {
                    return Some(Value::Enum { def: id, value: n });
                }
                let d = Diagnostic::error(
                    "unknown-enum-value",
                    format!("enum `{enum_name}` has no value {}", lit.value),
                    lit.span,
                )
                .with_label(format!("not a value of `{enum_name}`"))
                .with_secondary(self.def_span(id), "the enum is defined here")
                .with_reference_span(ctx.reference);
                self.report(file, Pass::Program, d);
                None
            }
            ast::ConstValue::Ident(ident) => {
                let name = ident.name.as_str();
                // The reference takes the part after `Enum.` or `include.Enum.`.
                let member =
                    name.split_once('.').map(|(_, rest)| rest.split_once('.').map_or(rest, |(_, r)| r));
                let Some(member) = member else {
                    let mut d = Diagnostic::error(
                        "unqualified-enum-value",
                        format!("`{name}` must be qualified with its enum"),
                        ident.span,
                    )
                    .with_label(format!("expected `{enum_name}.NAME`"))
                    .with_reference_span(ctx.reference);
                    if e.value_named(name).is_some() {
                        d = d.with_help(format!("write `{enum_name}.{name}`"));
                    } else if self.find_const(file, name).is_some() {
                        d = d.with_note(
                            "a value of an enum type must name the enum value itself, not another constant",
                        );
                    }
                    self.report(file, Pass::Program, d);
                    return None;
                };
                if let Some(v) = e.value_named(member) {
                    let value = v.value;
                    let prefix = &name[..name.len() - member.len() - 1];
                    let qualified_right = prefix == enum_name || prefix.ends_with(&format!(".{enum_name}"));
                    if !qualified_right {
                        let d = Diagnostic::warning(
                            "enum-value-prefix",
                            format!("`{name}` is used as a value of enum `{enum_name}`"),
                            ident.span,
                        )
                        .with_label(format!("`{prefix}` is not `{enum_name}`"))
                        .with_help(format!("write `{enum_name}.{member}`"))
                        .with_reference_span(ctx.reference);
                        self.report(file, Pass::Program, d);
                    }
                    return Some(Value::Enum { def: id, value });
                }
                let mut d = Diagnostic::error(
                    "unknown-enum-value",
                    format!("`{member}` is not a value of enum `{enum_name}`"),
                    ident.span,
                )
                .with_label(format!("not in `{enum_name}`"))
                .with_secondary(self.def_span(id), "the enum is defined here")
                .with_reference_span(ctx.reference);
                if let Some(close) = suggest(member, e.values.iter().map(|v| v.name.as_str())) {
                    d = d.with_help(format!("did you mean `{enum_name}.{close}`?"));
                }
                self.report(file, Pass::Program, d);
                None
            }
            _ => self.mismatch(value, &format!("a value of enum `{enum_name}`"), ctx),
        }
    }

    fn eval_struct(&mut self, id: DefId, value: &ast::ConstValue, ctx: &EvalCtx) -> Option<Value> {
        let struct_name = self.def_name(id);
        let file = self.current_file();
        let ast::ConstValue::Map { entries, .. } = value else {
            let result = self.mismatch(
                value,
                &format!("a struct literal `{{\"field\": value}}` of `{struct_name}`"),
                ctx,
            );
            if let (ast::ConstValue::Ident(_), Some(last)) = (value, self.diagnostics.last_mut()) {
                last.diagnostic.notes.push(crate::Note::Note(
                    "a struct value cannot name another constant; write the struct literal".into(),
                ));
            }
            return result;
        };
        let mut fields: Vec<(usize, Value)> = Vec::with_capacity(entries.len());
        let mut ok = true;
        for (key, val) in entries {
            let ast::ConstValue::String(key) = key else {
                let d = Diagnostic::error(
                    "struct-key",
                    "keys of a struct literal must be field names in quotes",
                    key.span(),
                )
                .with_label("expected a field name in quotes")
                .with_reference_span(ctx.reference);
                self.report(file, Pass::Program, d);
                ok = false;
                continue;
            };
            let Some(DefinitionKind::Struct(s)) = &self.built[id.index()] else { return None };
            let Some(index) = s.fields.iter().position(|f| f.name == key.value) else {
                let mut d = Diagnostic::error(
                    "unknown-field",
                    format!("`{struct_name}` has no field {:?}", key.value),
                    key.span,
                )
                .with_label("no such field")
                .with_secondary(self.def_span(id), format!("`{struct_name}` is defined here"))
                .with_reference_span(ctx.reference);
                if let Some(close) = suggest(&key.value, s.fields.iter().map(|f| f.name.as_str())) {
                    d = d.with_help(format!("did you mean `{close}`?"));
                }
                self.report(file, Pass::Program, d);
                ok = false;
                continue;
            };
            let field_ty = s.fields[index].ty.clone();
            let inner =
                EvalCtx { what: format!("field {:?} of {}", key.value, ctx.what), reference: ctx.reference };
            match self.eval(val, &field_ty, &inner) {
                Some(v) => {
                    if let Some(slot) = fields.iter_mut().find(|(i, _)| *i == index) {
                        let d = Diagnostic::warning(
                            "duplicate-key",
                            format!("field {:?} is given twice", key.value),
                            key.span,
                        )
                        .with_label("this value replaces the earlier one")
                        .with_reference_span(ctx.reference);
                        self.report(file, Pass::Program, d);
                        slot.1 = v;
                    } else {
                        fields.push((index, v));
                    }
                }
                None => ok = false,
            }
        }
        ok.then_some(Value::Struct { def: id, fields })
    }

    /// Looks up a constant used as a value: it must be defined above or in an include.
    fn const_ref(&mut self, ident: &ast::Ident, ctx: &EvalCtx) -> Option<Value> {
        let file = self.current_file();
        let Some(found) = self.find_const(file, &ident.name) else {
            let mut d = Diagnostic::error(
                "unknown-constant",
                format!("unknown constant `{}`", ident.name),
                ident.span,
            )
            .with_label("no constant or enum value of this name")
            .with_reference_span(ctx.reference);
            let mut names: Vec<String> = self.consts[file.index()].keys().cloned().collect();
            for (prefix, target) in &self.includes[file.index()] {
                names.extend(self.consts[target.index()].keys().map(|k| format!("{prefix}.{k}")));
            }
            names.sort();
            if let Some(close) = suggest(&ident.name, names.iter().map(String::as_str)) {
                d = d.with_help(format!("did you mean `{close}`?"));
            } else if !ident.name.contains('.') {
                let enums: Vec<String> = names
                    .iter()
                    .filter(|n| n.rsplit('.').next() == Some(ident.name.as_str()))
                    .cloned()
                    .collect();
                if let Some(first) = enums.first() {
                    d = d.with_help(format!("enum values are written with their enum: `{first}`"));
                }
            }
            self.report(file, Pass::Program, d);
            return None;
        };
        let def = match found {
            ConstRef::Const(def) | ConstRef::EnumValue(def, _) => def,
        };
        if !self.defined_before(def) {
            let d = Diagnostic::error(
                "defined-later",
                format!("`{}` is used before it is defined", ident.name),
                ident.span,
            )
            .with_label("not defined yet here")
            .with_secondary(self.def_span(def), "defined here")
            .with_note(
                "Thrift evaluates constants in order, so a constant can only use those defined above it",
            )
            .with_reference_span(ctx.reference);
            self.report(file, Pass::Program, d);
            return None;
        }
        match (found, &self.built[def.index()]) {
            (ConstRef::EnumValue(_, index), Some(DefinitionKind::Enum(e))) => {
                Some(Value::Enum { def, value: e.values[index].value })
            }
            (ConstRef::Const(_), Some(DefinitionKind::Const(c))) if !self.failed_consts.contains(&def) => {
                Some(c.value.clone())
            }
            _ => None,
        }
    }

    /// Converts the value of a referenced constant to the type it is used as.
    fn coerce(&mut self, value: Value, ty: &Type, span: Span, ctx: &EvalCtx) -> Option<Value> {
        let ty = self.visible_true_type(ty, span, ctx.reference, "a constant value")?;
        let converted = match (&ty.kind, value) {
            (TypeKind::Base(BaseType::Bool), Value::Bool(b)) => Some(Value::Bool(b)),
            (TypeKind::Base(BaseType::Bool), Value::Int(n @ (0 | 1))) => Some(Value::Bool(n == 1)),
            (TypeKind::Base(base @ (BaseType::I8 | BaseType::I16 | BaseType::I32 | BaseType::I64)), v) => {
                let n = match v {
                    Value::Int(n) => n,
                    Value::Bool(b) => i64::from(b),
                    Value::Enum { value, .. } => i64::from(value),
                    _ => return self.bad_reference(span, &ty, ctx),
                };
                return self.int_in_range(n, *base, span, ctx);
            }
            (TypeKind::Base(BaseType::Double), Value::Double(d)) => Some(Value::Double(d)),
            (TypeKind::Base(BaseType::Double), Value::Int(n)) => Some(Value::Double(n as f64)),
            (TypeKind::Base(BaseType::String), Value::String(s)) => Some(Value::String(s)),
            (TypeKind::Base(BaseType::Binary), Value::String(s)) => Some(Value::Binary(s.into_bytes())),
            (TypeKind::Base(BaseType::Binary), Value::Binary(b)) => Some(Value::Binary(b)),
            (TypeKind::Base(BaseType::Uuid), Value::Uuid(u)) => Some(Value::Uuid(u)),
            (TypeKind::List(elem) | TypeKind::Set(elem), Value::List(items) | Value::Set(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(self.coerce(item, elem, span, ctx)?);
                }
                Some(if matches!(ty.kind, TypeKind::Set(_)) { Value::Set(out) } else { Value::List(out) })
            }
            (TypeKind::Named(id), Value::Enum { def, value }) if def == *id => {
                Some(Value::Enum { def, value })
            }
            (TypeKind::Named(id), Value::Struct { def, fields }) if def == *id => {
                Some(Value::Struct { def, fields })
            }
            (TypeKind::Map(k, v), Value::Map(entries)) => {
                let mut out = Vec::with_capacity(entries.len());
                for (key, val) in entries {
                    out.push((self.coerce(key, k, span, ctx)?, self.coerce(val, v, span, ctx)?));
                }
                Some(Value::Map(out))
            }
            _ => None,
        };
        converted.or_else(|| self.bad_reference(span, &ty, ctx))
    }

    fn bad_reference(&mut self, span: Span, ty: &Type, ctx: &EvalCtx) -> Option<Value> {
        let d = Diagnostic::error(
            "const-type",
            format!("`{}` cannot be used as {}", self.sources.snippet(span), ctx.what),
            span,
        )
        .with_label(format!("this constant's value does not fit `{}`", self.written_type(ty)))
        .with_reference_span(ctx.reference);
        self.report(self.current_file(), Pass::Program, d);
        None
    }

    /// A type as it would be written, for messages.
    fn written_type(&self, ty: &Type) -> String {
        match &ty.kind {
            TypeKind::Base(b) => b.name().to_string(),
            TypeKind::List(e) => format!("list<{}>", self.written_type(e)),
            TypeKind::Set(e) => format!("set<{}>", self.written_type(e)),
            TypeKind::Map(k, v) => format!("map<{}, {}>", self.written_type(k), self.written_type(v)),
            TypeKind::Named(id) => self.def_name(*id).to_string(),
            TypeKind::Unresolved => "?".to_string(),
        }
    }
}

/// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, optionally in braces.
pub(crate) fn parse_uuid(text: &str) -> Option<[u8; 16]> {
    let text = text.strip_prefix('{').and_then(|t| t.strip_suffix('}')).unwrap_or(text);
    let bytes = text.as_bytes();
    if bytes.len() != 36 {
        return None;
    }
    let mut out = [0u8; 16];
    let mut nibbles = 0;
    for (i, &c) in bytes.iter().enumerate() {
        if matches!(i, 8 | 13 | 18 | 23) {
            if c != b'-' {
                return None;
            }
            continue;
        }
        let v = (c as char).to_digit(16)? as u8;
        out[nibbles / 2] |= if nibbles % 2 == 0 { v << 4 } else { v };
        nibbles += 1;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::parse_uuid;

    #[test]
    fn uuids() {
        let u = parse_uuid("00112233-4455-6677-8899-aabbccddeeff").unwrap();
        assert_eq!(u[0], 0x00);
        assert_eq!(u[15], 0xff);
        assert!(parse_uuid("{00112233-4455-6677-8899-AABBCCDDEEFF}").is_some());
        assert!(parse_uuid("00112233-4455-6677-8899-aabbccddeef").is_none());
        assert!(parse_uuid("00112233x4455-6677-8899-aabbccddeeff").is_none());
        assert!(parse_uuid("0011223g-4455-6677-8899-aabbccddeeff").is_none());
    }
}
