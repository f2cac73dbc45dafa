//! Values as JSON, and JSON as values, by schema.
//!
//! | Thrift | JSON |
//! | --- | --- |
//! | struct, exception, union | an object by field name (a union: one member) |
//! | enum | its name (its number when it has no name) |
//! | `bool`, `i8` ... `i64`, `double` | a boolean, a number; an `i64` is exact (a string of digits is read too); `NaN` and the infinities are strings |
//! | `string` | a string |
//! | `binary` | base64 (standard alphabet, padded) |
//! | `uuid` | `"00112233-4455-6677-8899-aabbccddeeff"` |
//! | `list`, `set` | an array |
//! | `map` | an object when keys are strings, numbers, bools, enums or uuids (keys written as strings); otherwise an array of `[key, value]` pairs |
//!
//! Reading JSON, a field absent from an object takes its IDL default when it has one;
//! a required field absent, an unknown field name or a value of the wrong kind is an
//! error naming the path (`items[2].name`).

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rift::FastStr;
use rift::bytes::Bytes;
use rift_idl::ast::{BaseType, Requiredness, StructKind};
use rift_idl::model::{self, DefinitionKind, Type, TypeKind};
use serde_json::{Map, Number, Value as Json};

use crate::codec::describe;
use crate::schema::Schema;
use crate::value::{Struct, Value};

/// JSON that does not fit the schema: where, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    path: String,
    message: String,
}

impl JsonError {
    pub(crate) fn new(path: &str, message: impl Into<String>) -> JsonError {
        JsonError { path: path.to_owned(), message: message.into() }
    }

    /// The same error, inside `field`.
    pub(crate) fn under(mut self, field: &str) -> JsonError {
        self.path = if self.path.is_empty() {
            field.to_owned()
        } else if self.path.starts_with('[') {
            format!("{field}{}", self.path)
        } else {
            format!("{field}.{}", self.path)
        };
        self
    }

    /// The path of the value in error (`location.city`, `items[2]`; empty for the whole).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "at `{}`: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for JsonError {}

/// A value of `ty` as JSON.
pub fn to_json(schema: &Schema, ty: &Type, value: &Value) -> Json {
    let resolved = schema.resolve(ty);
    match (&resolved.kind, value) {
        (_, Value::Bool(v)) => Json::Bool(*v),
        (_, Value::I8(v)) => Json::from(*v),
        (_, Value::I16(v)) => Json::from(*v),
        (TypeKind::Named(id), Value::I32(v)) => match &schema.definition(*id).kind {
            DefinitionKind::Enum(e) => {
                e.value_of(*v).map_or_else(|| Json::from(*v), |n| Json::from(n.name.clone()))
            }
            _ => Json::from(*v),
        },
        (_, Value::I32(v)) => Json::from(*v),
        (_, Value::I64(v)) => Json::from(*v),
        (_, Value::Double(v)) => double_to_json(*v),
        (_, Value::String(v)) => Json::from(v.as_str()),
        (_, Value::Binary(v)) => Json::from(STANDARD.encode(v)),
        (_, Value::Uuid(v)) => Json::from(uuid_text(v)),
        (TypeKind::List(elem) | TypeKind::Set(elem), Value::List(items) | Value::Set(items)) => {
            Json::Array(items.iter().map(|v| to_json(schema, elem, v)).collect())
        }
        (TypeKind::Map(k, v), Value::Map(entries)) => {
            if keys_are_text(schema, k) {
                let mut object = Map::new();
                for (key, value) in entries {
                    object.insert(key_text(schema, k, key), to_json(schema, v, value));
                }
                Json::Object(object)
            } else {
                Json::Array(
                    entries
                        .iter()
                        .map(|(key, value)| {
                            Json::Array(vec![to_json(schema, k, key), to_json(schema, v, value)])
                        })
                        .collect(),
                )
            }
        }
        (TypeKind::Named(id), Value::Struct(s)) => match &schema.definition(*id).kind {
            DefinitionKind::Struct(def) => {
                let mut object = Map::new();
                for field in &def.fields {
                    if let Some(v) = s.get(field.id) {
                        object.insert(field.name.clone(), to_json(schema, &field.ty, v));
                    }
                }
                Json::Object(object)
            }
            _ => Json::Null,
        },
        // A value that does not fit its type (the codec would refuse it): shown as best
        // it can be.
        (_, Value::List(items) | Value::Set(items)) => {
            Json::Array(items.iter().map(|v| to_json(schema, ty, v)).collect())
        }
        _ => Json::Null,
    }
}

fn double_to_json(v: f64) -> Json {
    match Number::from_f64(v) {
        Some(n) => Json::Number(n),
        None if v.is_nan() => Json::from("NaN"),
        None if v > 0.0 => Json::from("Infinity"),
        None => Json::from("-Infinity"),
    }
}

fn uuid_text(v: &[u8; 16]) -> String {
    let hex: String = v.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// Whether keys of this type are written as JSON object keys.
fn keys_are_text(schema: &Schema, ty: &Type) -> bool {
    match &schema.resolve(ty).kind {
        TypeKind::Base(_) => true,
        TypeKind::Named(id) => matches!(schema.definition(*id).kind, DefinitionKind::Enum(_)),
        _ => false,
    }
}

fn key_text(schema: &Schema, ty: &Type, key: &Value) -> String {
    match to_json(schema, ty, key) {
        Json::String(s) => s,
        other => other.to_string(),
    }
}

/// A value of `ty` from JSON.
pub fn from_json(schema: &Schema, ty: &Type, json: &Json) -> Result<Value, JsonError> {
    let mut path = Vec::new();
    read(schema, ty, json, &mut path)
}

/// A segment of a path: a field name or an index.
enum Segment {
    Field(String),
    Index(usize),
    Key(String),
}

fn error(path: &[Segment], message: impl Into<String>) -> JsonError {
    let mut text = String::new();
    for segment in path {
        match segment {
            Segment::Field(name) => {
                if !text.is_empty() {
                    text.push('.');
                }
                text.push_str(name);
            }
            Segment::Index(i) => text.push_str(&format!("[{i}]")),
            Segment::Key(k) => text.push_str(&format!("[{k:?}]")),
        }
    }
    JsonError { path: text, message: message.into() }
}

fn kind_of(json: &Json) -> &'static str {
    match json {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

fn read(schema: &Schema, ty: &Type, json: &Json, path: &mut Vec<Segment>) -> Result<Value, JsonError> {
    let resolved = schema.resolve(ty);
    let expected = || format!("expected {}, found {}", describe(schema, resolved), kind_of(json));
    Ok(match &resolved.kind {
        TypeKind::Base(b) => match b {
            BaseType::Bool => Value::Bool(json.as_bool().ok_or_else(|| error(path, expected()))?),
            BaseType::I8 => Value::I8(integer(json, path, "i8")?),
            BaseType::I16 => Value::I16(integer(json, path, "i16")?),
            BaseType::I32 => Value::I32(integer(json, path, "i32")?),
            BaseType::I64 => Value::I64(integer(json, path, "i64")?),
            BaseType::Double => Value::Double(double(json).ok_or_else(|| error(path, expected()))?),
            BaseType::String => {
                Value::String(FastStr::new(json.as_str().ok_or_else(|| error(path, expected()))?))
            }
            BaseType::Binary => {
                let text = json.as_str().ok_or_else(|| error(path, expected()))?;
                let bytes = STANDARD
                    .decode(text)
                    .map_err(|e| error(path, format!("a binary is written in base64: {e}")))?;
                Value::Binary(Bytes::from(bytes))
            }
            BaseType::Uuid => {
                let text = json.as_str().ok_or_else(|| error(path, expected()))?;
                Value::Uuid(parse_uuid(text).ok_or_else(|| {
                    error(path, format!("`{text}` is not a uuid (00112233-4455-6677-8899-aabbccddeeff)"))
                })?)
            }
        },
        TypeKind::List(elem) | TypeKind::Set(elem) => {
            let items = json.as_array().ok_or_else(|| error(path, expected()))?;
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                path.push(Segment::Index(i));
                out.push(read(schema, elem, item, path)?);
                path.pop();
            }
            if matches!(resolved.kind, TypeKind::List(_)) { Value::List(out) } else { Value::Set(out) }
        }
        TypeKind::Map(k, v) => {
            let mut entries = Vec::new();
            match json {
                Json::Object(object) => {
                    for (key, value) in object {
                        path.push(Segment::Key(key.clone()));
                        let key = read_key(schema, k, key, path)?;
                        let value = read(schema, v, value, path)?;
                        path.pop();
                        entries.push((key, value));
                    }
                }
                Json::Array(pairs) => {
                    for (i, pair) in pairs.iter().enumerate() {
                        path.push(Segment::Index(i));
                        let Some([key, value]) =
                            pair.as_array().map(Vec::as_slice).and_then(|p| <&[Json; 2]>::try_from(p).ok())
                        else {
                            return Err(error(path, "a map entry is written as `[key, value]`"));
                        };
                        entries.push((read(schema, k, key, path)?, read(schema, v, value, path)?));
                        path.pop();
                    }
                }
                _ => return Err(error(path, expected())),
            }
            Value::Map(entries)
        }
        TypeKind::Named(id) => {
            let def = schema.definition(*id);
            match &def.kind {
                DefinitionKind::Enum(e) => match json {
                    Json::String(name) => match e.value_named(name) {
                        Some(v) => Value::I32(v.value),
                        None => {
                            let names: Vec<&str> = e.values.iter().map(|v| v.name.as_str()).collect();
                            return Err(error(
                                path,
                                format!(
                                    "`{name}` is not a value of enum `{}` ({})",
                                    def.name,
                                    names.join(", ")
                                ),
                            ));
                        }
                    },
                    _ => Value::I32(integer(json, path, "i32").map_err(|_| error(path, expected()))?),
                },
                DefinitionKind::Struct(s) => Value::Struct(read_struct(schema, &def.name, s, json, path)?),
                _ => return Err(error(path, format!("`{}` is not a type of values", def.name))),
            }
        }
        TypeKind::Unresolved => return Err(error(path, "a value of an unresolved type")),
    })
}

fn read_struct(
    schema: &Schema,
    name: &str,
    s: &model::Struct,
    json: &Json,
    path: &mut Vec<Segment>,
) -> Result<Struct, JsonError> {
    let object = json
        .as_object()
        .ok_or_else(|| error(path, format!("expected an object for `{name}`, found {}", kind_of(json))))?;
    let mut out = Struct::default();
    for (key, value) in object {
        let Some(field) = s.field_named(key) else {
            let names: Vec<&str> = s.fields.iter().map(|f| f.name.as_str()).collect();
            path.push(Segment::Field(key.clone()));
            return Err(error(
                path,
                format!("`{name}` has no field `{key}` (its fields: {})", names.join(", ")),
            ));
        };
        if value.is_null() && field.requiredness != Requiredness::Required {
            continue;
        }
        path.push(Segment::Field(key.clone()));
        out.fields.push((field.id, read(schema, &field.ty, value, path)?));
        path.pop();
    }
    if s.kind == StructKind::Union {
        if out.fields.len() != 1 {
            return Err(error(
                path,
                format!("union `{name}` needs exactly one member, not {}", out.fields.len()),
            ));
        }
        return Ok(out);
    }
    for field in &s.fields {
        if out.get(field.id).is_some() {
            continue;
        }
        if field.requiredness == Requiredness::Required {
            return Err(error(path, format!("required field `{}` of `{name}` is missing", field.name)));
        }
        if let Some(default) = &field.default {
            out.fields.push((field.id, constant(schema, &field.ty, default)));
        }
    }
    // In the schema's order, as generated code and the other libraries hold them.
    out.fields.sort_by_key(|(id, _)| s.fields.iter().position(|f| f.id == *id));
    Ok(out)
}

fn read_key(schema: &Schema, ty: &Type, key: &str, path: &mut Vec<Segment>) -> Result<Value, JsonError> {
    // An object key is always a string: read it as the JSON it spells for types that are
    // not strings (`"1"` → 1, `"true"` → true), else as the string itself.
    let as_text = Json::String(key.to_owned());
    match &schema.resolve(ty).kind {
        TypeKind::Base(BaseType::String | BaseType::Binary | BaseType::Uuid) => {
            read(schema, ty, &as_text, path)
        }
        TypeKind::Named(_) => match read(schema, ty, &as_text, path) {
            Ok(v) => Ok(v),
            Err(_) => read(schema, ty, &serde_json::from_str(key).unwrap_or(as_text), path),
        },
        _ => read(schema, ty, &serde_json::from_str(key).unwrap_or(as_text), path),
    }
}

fn integer<T: TryFrom<i64>>(json: &Json, path: &[Segment], name: &str) -> Result<T, JsonError> {
    let n = match json {
        Json::Number(n) => n.as_i64(),
        // Exact beyond 2^53, where JSON numbers are often doubles.
        Json::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    }
    .ok_or_else(|| error(path, format!("expected an integer ({name}), found {}", json)))?;
    T::try_from(n).map_err(|_| error(path, format!("{n} is out of range for {name}")))
}

fn double(json: &Json) -> Option<f64> {
    match json {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => match s.as_str() {
            "NaN" => Some(f64::NAN),
            "Infinity" => Some(f64::INFINITY),
            "-Infinity" => Some(f64::NEG_INFINITY),
            other => other.parse().ok(),
        },
        _ => None,
    }
}

fn parse_uuid(text: &str) -> Option<[u8; 16]> {
    let hex: Vec<u8> = text.bytes().filter(|&b| b != b'-').collect();
    if hex.len() != 32 {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, pair) in hex.chunks(2).enumerate() {
        out[i] = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(out)
}

/// An IDL constant as a value of `ty`.
pub(crate) fn constant(schema: &Schema, ty: &Type, value: &model::Value) -> Value {
    let resolved = schema.resolve(ty);
    match (&resolved.kind, value) {
        (_, model::Value::Bool(b)) => Value::Bool(*b),
        (TypeKind::Base(BaseType::I8), model::Value::Int(n)) => Value::I8(*n as i8),
        (TypeKind::Base(BaseType::I16), model::Value::Int(n)) => Value::I16(*n as i16),
        (TypeKind::Base(BaseType::I64), model::Value::Int(n)) => Value::I64(*n),
        (TypeKind::Base(BaseType::Double), model::Value::Int(n)) => Value::Double(*n as f64),
        (_, model::Value::Int(n)) => Value::I32(*n as i32),
        (_, model::Value::Double(d)) => Value::Double(*d),
        (TypeKind::Base(BaseType::Binary), model::Value::String(s)) => {
            Value::Binary(Bytes::from(s.clone().into_bytes()))
        }
        (_, model::Value::String(s)) => Value::String(FastStr::new(s)),
        (_, model::Value::Binary(b)) => Value::Binary(Bytes::from(b.clone())),
        (_, model::Value::Uuid(u)) => Value::Uuid(*u),
        (_, model::Value::Enum { value, .. }) => Value::I32(*value),
        (TypeKind::List(e), model::Value::List(items) | model::Value::Set(items)) => {
            Value::List(items.iter().map(|v| constant(schema, e, v)).collect())
        }
        (TypeKind::Set(e), model::Value::List(items) | model::Value::Set(items)) => {
            Value::Set(items.iter().map(|v| constant(schema, e, v)).collect())
        }
        (TypeKind::Map(k, v), model::Value::Map(entries)) => Value::Map(
            entries.iter().map(|(key, val)| (constant(schema, k, key), constant(schema, v, val))).collect(),
        ),
        (_, model::Value::Struct { def, fields }) => {
            let DefinitionKind::Struct(s) = &schema.definition(*def).kind else {
                return Value::Struct(Struct::default());
            };
            Value::Struct(Struct {
                fields: fields
                    .iter()
                    .map(|(i, v)| (s.fields[*i].id, constant(schema, &s.fields[*i].ty, v)))
                    .collect(),
            })
        }
        _ => Value::Struct(Struct::default()),
    }
}

/// A JSON example of a value of `ty`, every field present, for people to fill in: what
/// `rift call --describe` shows. Recursive types stop after a few levels.
pub fn template(schema: &Schema, ty: &Type) -> Json {
    template_at(schema, ty, 0)
}

fn template_at(schema: &Schema, ty: &Type, depth: usize) -> Json {
    let resolved = schema.resolve(ty);
    match &resolved.kind {
        TypeKind::Base(b) => match b {
            BaseType::Bool => Json::Bool(false),
            BaseType::I8 | BaseType::I16 | BaseType::I32 | BaseType::I64 => Json::from(0),
            BaseType::Double => Json::from(0.0),
            BaseType::String => Json::from(""),
            BaseType::Binary => Json::from(""),
            BaseType::Uuid => Json::from("00000000-0000-0000-0000-000000000000"),
        },
        TypeKind::List(e) | TypeKind::Set(e) => Json::Array(vec![template_at(schema, e, depth + 1)]),
        TypeKind::Map(k, v) => {
            if keys_are_text(schema, k) {
                let key = match template_at(schema, k, depth + 1) {
                    Json::String(s) => s,
                    other => other.to_string(),
                };
                let mut object = Map::new();
                object.insert(key, template_at(schema, v, depth + 1));
                Json::Object(object)
            } else {
                Json::Array(vec![Json::Array(vec![
                    template_at(schema, k, depth + 1),
                    template_at(schema, v, depth + 1),
                ])])
            }
        }
        TypeKind::Named(id) => match &schema.definition(*id).kind {
            DefinitionKind::Enum(e) => e.values.first().map_or(Json::from(0), |v| Json::from(v.name.clone())),
            DefinitionKind::Struct(s) if depth < 4 => {
                let mut object = Map::new();
                let fields = if s.kind == StructKind::Union {
                    &s.fields[..s.fields.len().min(1)]
                } else {
                    &s.fields[..]
                };
                for f in fields {
                    object.insert(f.name.clone(), template_at(schema, &f.ty, depth + 1));
                }
                Json::Object(object)
            }
            _ => Json::Object(Map::new()),
        },
        TypeKind::Unresolved => Json::Null,
    }
}
