//! Values read and written by schema, with any rift protocol: the same bytes as the code
//! `rift-build` generates for the same types.

use rift::bytes::Bytes;
use rift::protocol::binary::{BinaryReader, BinaryWriter};
use rift::protocol::compact::{CompactReader, CompactWriter};
use rift::protocol::json::{JsonReader, JsonWriter};
use rift::{Encode, Error, ErrorKind, Limits, Protocol, ProtocolReader, ProtocolWriter, Result, TType};
use rift_idl::model::{Type, TypeKind};

use crate::schema::{Schema, Shape, StructPlan};
use crate::value::{Struct, Value};

/// Writes field `id` of a struct that is not a definition of the schema (a function's
/// arguments or result): its header with the wire type of `ty`, then `value`.
pub(crate) fn write_field<W: ProtocolWriter + ?Sized>(
    schema: &Schema,
    name: &str,
    id: i16,
    ty: &Type,
    value: &Value,
    w: &mut W,
) -> Result<()> {
    let shape = Shape::of(schema.idl(), ty);
    w.write_field_begin(name, shape.ttype(), id)?;
    encode_shape(schema, &shape, value, w)?;
    w.write_field_end()
}

/// Reads a field's value of type `ty`, its header having said `ttype`: `None`, with
/// nothing read, when that is not the wire type of `ty` (the field is to be skipped).
pub(crate) fn read_field<R: ProtocolReader + ?Sized>(
    schema: &Schema,
    ty: &Type,
    ttype: TType,
    r: &mut R,
) -> Result<Option<Value>> {
    let shape = Shape::of(schema.idl(), ty);
    if shape.ttype() != ttype {
        return Ok(None);
    }
    decode_shape(schema, &shape, r).map(Some)
}

/// What a value is, for messages.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Bool(_) => "a bool",
        Value::I8(_) => "an i8",
        Value::I16(_) => "an i16",
        Value::I32(_) => "an i32",
        Value::I64(_) => "an i64",
        Value::Double(_) => "a double",
        Value::String(_) => "a string",
        Value::Binary(_) => "a binary",
        Value::Uuid(_) => "a uuid",
        Value::List(_) => "a list",
        Value::Set(_) => "a set",
        Value::Map(_) => "a map",
        Value::Struct(_) => "a struct",
    }
}

/// A type as the IDL writes it (`list<Location>`).
pub fn type_name(schema: &Schema, ty: &Type) -> String {
    describe(schema, ty)
}

/// A type as the IDL writes it.
pub(crate) fn describe(schema: &Schema, ty: &Type) -> String {
    match &ty.kind {
        TypeKind::Base(b) => format!("{b:?}").to_lowercase(),
        TypeKind::List(e) => format!("list<{}>", describe(schema, e)),
        TypeKind::Set(e) => format!("set<{}>", describe(schema, e)),
        TypeKind::Map(k, v) => format!("map<{}, {}>", describe(schema, k), describe(schema, v)),
        TypeKind::Named(id) => schema.definition(*id).name.clone(),
        TypeKind::Unresolved => "an unresolved type".to_owned(),
    }
}

/// Writes `value` as a value of `ty`.
pub fn encode<W: ProtocolWriter + ?Sized>(
    schema: &Schema,
    ty: &Type,
    value: &Value,
    w: &mut W,
) -> Result<()> {
    encode_shape(schema, &Shape::of(schema.idl(), ty), value, w)
}

/// A shape as the IDL writes it (`list<Location>`), typedefs followed.
fn describe_shape(schema: &Schema, shape: &Shape) -> String {
    match shape {
        Shape::Bool => "bool".to_owned(),
        Shape::I8 => "i8".to_owned(),
        Shape::I16 => "i16".to_owned(),
        Shape::I32 => "i32".to_owned(),
        Shape::I64 => "i64".to_owned(),
        Shape::Double => "double".to_owned(),
        Shape::String => "string".to_owned(),
        Shape::Binary => "binary".to_owned(),
        Shape::Uuid => "uuid".to_owned(),
        Shape::List(e) => format!("list<{}>", describe_shape(schema, e)),
        Shape::Set(e) => format!("set<{}>", describe_shape(schema, e)),
        Shape::Map(kv) => {
            format!("map<{}, {}>", describe_shape(schema, &kv.0), describe_shape(schema, &kv.1))
        }
        Shape::Enum(id) | Shape::Struct(id) | Shape::Unreadable(Some(id)) => {
            schema.definition(*id).name.clone()
        }
        Shape::Unreadable(None) => "an unresolved type".to_owned(),
    }
}

fn encode_shape<W: ProtocolWriter + ?Sized>(
    schema: &Schema,
    shape: &Shape,
    value: &Value,
    w: &mut W,
) -> Result<()> {
    match (shape, value) {
        (Shape::Bool, Value::Bool(v)) => w.write_bool(*v),
        (Shape::I8, Value::I8(v)) => w.write_i8(*v),
        (Shape::I16, Value::I16(v)) => w.write_i16(*v),
        (Shape::I32 | Shape::Enum(_), Value::I32(v)) => w.write_i32(*v),
        (Shape::I64, Value::I64(v)) => w.write_i64(*v),
        (Shape::Double, Value::Double(v)) => w.write_double(*v),
        (Shape::String, Value::String(v)) => w.write_string(v),
        (Shape::Binary, Value::Binary(v)) => w.write_binary(v),
        (Shape::Uuid, Value::Uuid(v)) => w.write_uuid(v),
        (Shape::Struct(id), Value::Struct(fields)) => encode_struct(schema, schema.plan(*id), fields, w),
        (Shape::List(elem), Value::List(items)) => {
            w.write_list_begin(elem.ttype(), items.len())?;
            encode_elements(schema, elem, items, w)?;
            w.write_list_end()
        }
        (Shape::Set(elem), Value::Set(items)) => {
            w.write_set_begin(elem.ttype(), items.len())?;
            encode_elements(schema, elem, items, w)?;
            w.write_set_end()
        }
        (Shape::Map(kv), Value::Map(entries)) => {
            let (k, v) = &**kv;
            w.write_map_begin(k.ttype(), v.ttype(), entries.len())?;
            for (i, (key, value)) in entries.iter().enumerate() {
                encode_shape(schema, k, key, w).map_err(|e| e.at_index(i))?;
                encode_shape(schema, v, value, w).map_err(|e| e.at_index(i))?;
            }
            w.write_map_end()
        }
        _ => Err(Error::new(
            ErrorKind::InvalidValue,
            format!("{} where the schema has {}", kind_of(value), describe_shape(schema, shape)),
        )),
    }
}

/// Writes the elements of a list or set; scalars without a dispatch per element.
fn encode_elements<W: ProtocolWriter + ?Sized>(
    schema: &Schema,
    elem: &Shape,
    items: &[Value],
    w: &mut W,
) -> Result<()> {
    match elem {
        Shape::I32 if items.iter().all(|v| matches!(v, Value::I32(_))) => {
            for item in items {
                if let Value::I32(v) = item {
                    w.write_i32(*v)?;
                }
            }
            return Ok(());
        }
        Shape::I64 if items.iter().all(|v| matches!(v, Value::I64(_))) => {
            for item in items {
                if let Value::I64(v) = item {
                    w.write_i64(*v)?;
                }
            }
            return Ok(());
        }
        _ => {}
    }
    for (i, item) in items.iter().enumerate() {
        encode_shape(schema, elem, item, w).map_err(|e| e.at_index(i))?;
    }
    Ok(())
}

fn encode_struct<W: ProtocolWriter + ?Sized>(
    schema: &Schema,
    plan: &StructPlan,
    value: &Struct,
    w: &mut W,
) -> Result<()> {
    let name = &plan.name;
    // A union read with no member it knows is written empty, as generated code writes
    // one; two members set is no union.
    if plan.union && value.fields.len() > 1 {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            format!("union `{name}` must have one member set, not {}", value.fields.len()),
        ));
    }
    // Values read from the wire, and most built by hand, hold their fields in id order:
    // then one walk of both lists finds every field.
    let in_order = value.fields.windows(2).all(|pair| pair[0].0 < pair[1].0);
    let mut next = 0;
    let mut written = 0;
    w.write_struct_begin(name)?;
    // In id order, as generated code writes them.
    for field in &plan.fields {
        let found = if in_order {
            while value.fields.get(next).is_some_and(|(id, _)| *id < field.id) {
                next += 1;
            }
            match value.fields.get(next) {
                Some((id, v)) if *id == field.id => {
                    next += 1;
                    Some(v)
                }
                _ => None,
            }
        } else {
            value.get(field.id)
        };
        match found {
            Some(v) => {
                w.write_field_begin(&field.name, field.ttype, field.id)?;
                encode_shape(schema, &field.shape, v, w).map_err(|e| in_field(e, name, &field.name))?;
                w.write_field_end()?;
                written += 1;
            }
            None if field.required => {
                return Err(Error::new(
                    ErrorKind::MissingField,
                    format!("required field `{}` of `{name}` is not set", field.name),
                ));
            }
            None => {}
        }
    }
    if written != value.fields.len() {
        let unknown = value.fields.iter().find(|(id, _)| !plan.fields.iter().any(|f| f.id == *id));
        let what = unknown.map_or_else(|| "a field set twice".to_owned(), |(id, _)| format!("no field {id}"));
        return Err(Error::new(ErrorKind::InvalidValue, format!("`{name}` has {what}")));
    }
    w.write_field_stop()?;
    w.write_struct_end()
}

/// `e`, said to have happened in field `field` of `ty` (the runtime's field paths take
/// only static names, so the path goes into the message).
fn in_field(e: Error, ty: &str, field: &str) -> Error {
    let message = format!("in `{ty}.{field}`: {}", e.message());
    Error::new(e.kind(), message)
}

/// Reads a value of `ty`.
pub fn decode<R: ProtocolReader + ?Sized>(schema: &Schema, ty: &Type, r: &mut R) -> Result<Value> {
    decode_shape(schema, &Shape::of(schema.idl(), ty), r)
}

/// Reads `len` elements of shape `elem`; scalars and strings without a dispatch per
/// element.
fn decode_elements<R: ProtocolReader + ?Sized>(
    schema: &Schema,
    elem: &Shape,
    len: usize,
    r: &mut R,
) -> Result<Vec<Value>> {
    let mut items = Vec::with_capacity(len.min(1 << 16));
    match elem {
        Shape::I32 => {
            for _ in 0..len {
                items.push(Value::I32(r.read_i32()?));
            }
        }
        Shape::I64 => {
            for _ in 0..len {
                items.push(Value::I64(r.read_i64()?));
            }
        }
        Shape::String => {
            for _ in 0..len {
                items.push(Value::String(r.read_text()?));
            }
        }
        _ => {
            for i in 0..len {
                items.push(decode_shape(schema, elem, r).map_err(|e| e.at_index(i))?);
            }
        }
    }
    Ok(items)
}

fn decode_shape<R: ProtocolReader + ?Sized>(schema: &Schema, shape: &Shape, r: &mut R) -> Result<Value> {
    Ok(match shape {
        Shape::Bool => Value::Bool(r.read_bool()?),
        Shape::I8 => Value::I8(r.read_i8()?),
        Shape::I16 => Value::I16(r.read_i16()?),
        Shape::I32 | Shape::Enum(_) => Value::I32(r.read_i32()?),
        Shape::I64 => Value::I64(r.read_i64()?),
        Shape::Double => Value::Double(r.read_double()?),
        Shape::String => Value::String(r.read_text()?),
        Shape::Binary => Value::Binary(r.read_bytes()?),
        Shape::Uuid => Value::Uuid(r.read_uuid()?),
        Shape::Struct(id) => Value::Struct(decode_struct(schema, schema.plan(*id), r)?),
        Shape::List(elem) => {
            let header = r.read_list_begin()?;
            check(header.elem, elem.ttype(), header.len)?;
            let items = decode_elements(schema, elem, header.len, r)?;
            r.read_list_end()?;
            Value::List(items)
        }
        Shape::Set(elem) => {
            let header = r.read_set_begin()?;
            check(header.elem, elem.ttype(), header.len)?;
            let items = decode_elements(schema, elem, header.len, r)?;
            r.read_set_end()?;
            Value::Set(items)
        }
        Shape::Map(kv) => {
            let (k, v) = &**kv;
            let header = r.read_map_begin()?;
            check(header.key, k.ttype(), header.len)?;
            check(header.value, v.ttype(), header.len)?;
            let mut entries = Vec::with_capacity(header.len.min(1 << 16));
            for i in 0..header.len {
                let key = decode_shape(schema, k, r).map_err(|e| e.at_index(i))?;
                let value = decode_shape(schema, v, r).map_err(|e| e.at_index(i))?;
                entries.push((key, value));
            }
            r.read_map_end()?;
            Value::Map(entries)
        }
        Shape::Unreadable(Some(id)) => {
            return Err(Error::invalid(format!(
                "`{}` is not a type that can be read",
                schema.definition(*id).name
            )));
        }
        Shape::Unreadable(None) => return Err(Error::invalid("a value of an unresolved type")),
    })
}

fn check(found: TType, expected: TType, len: usize) -> Result<()> {
    if len == 0 || found == expected {
        Ok(())
    } else {
        Err(Error::invalid(format!("collection elements are {found:?} on the wire, expected {expected:?}")))
    }
}

fn decode_struct<R: ProtocolReader + ?Sized>(
    schema: &Schema,
    plan: &StructPlan,
    r: &mut R,
) -> Result<Struct> {
    let name = &plan.name;
    let mut out = Struct { fields: Vec::with_capacity(plan.fields.len()) };
    // The fields seen, by position in the plan (for structs of up to 128 fields; others
    // look).
    let mut seen = 0u128;
    // Where the next field is expected: writers go in id order.
    let mut next = 0;
    r.read_struct_begin()?;
    loop {
        let header = r.read_field_begin()?;
        if header.ttype == TType::Stop {
            break;
        }
        let index = match plan.fields.get(next) {
            Some(f) if f.id == header.id => Some(next),
            _ => plan.fields.iter().position(|f| f.id == header.id),
        };
        match index {
            Some(index) if plan.fields[index].ttype == header.ttype => {
                let field = &plan.fields[index];
                next = index + 1;
                let value =
                    decode_shape(schema, &field.shape, r).map_err(|e| in_field(e, name, &field.name))?;
                let bit = 1u128.checked_shl(index as u32).unwrap_or(0);
                if bit != 0 && seen & bit == 0 {
                    seen |= bit;
                    out.fields.push((field.id, value));
                } else {
                    // A field written twice (the last wins), or a struct too wide for the mask.
                    out.set(field.id, value);
                }
            }
            _ => r.skip(header.ttype)?,
        }
        r.read_field_end()?;
    }
    r.read_struct_end()?;
    for (index, field) in plan.fields.iter().enumerate() {
        if !field.required {
            continue;
        }
        let bit = 1u128.checked_shl(index as u32).unwrap_or(0);
        let missing = if bit != 0 { seen & bit == 0 } else { out.get(field.id).is_none() };
        if missing {
            return Err(Error::new(
                ErrorKind::MissingField,
                format!("required field `{}` of `{name}` is missing", field.name),
            ));
        }
    }
    if plan.union && out.fields.len() > 1 {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            format!("union `{name}` has more than one member set"),
        ));
    }
    Ok(out)
}

/// Reads a struct that is not a definition of the schema (a function's arguments or
/// result): `type_of` gives the type of each field it knows by id; the others are
/// skipped, as are fields of another wire type.
pub(crate) fn decode_fields<'t, R: ProtocolReader + ?Sized>(
    schema: &'t Schema,
    r: &mut R,
    type_of: impl Fn(i16) -> Option<&'t Type>,
) -> Result<Struct> {
    let mut out = Struct::default();
    r.read_struct_begin()?;
    loop {
        let header = r.read_field_begin()?;
        if header.ttype == TType::Stop {
            break;
        }
        match type_of(header.id) {
            Some(ty) => match read_field(schema, ty, header.ttype, r)? {
                Some(value) => out.set(header.id, value),
                None => r.skip(header.ttype)?,
            },
            None => r.skip(header.ttype)?,
        }
        r.read_field_end()?;
    }
    r.read_struct_end()?;
    Ok(out)
}

/// A struct value with its schema and type: what the runtime's `Encode` needs, so that
/// every protocol and transport of `rift` carries it as it carries generated types.
#[derive(Clone, Copy, Debug)]
pub struct DynamicStruct<'a> {
    /// The schema of `ty`.
    pub schema: &'a Schema,
    /// A struct, union or exception of the schema.
    pub ty: &'a Type,
    /// Its value.
    pub value: &'a Value,
}

impl Encode for DynamicStruct<'_> {
    const TTYPE: TType = TType::Struct;

    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> Result<()> {
        encode(self.schema, self.ty, self.value, w)
    }
}

/// Encodes `value`, of type `ty`, in `protocol`.
pub fn to_vec(schema: &Schema, ty: &Type, value: &Value, protocol: Protocol) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    match protocol {
        Protocol::Binary => encode(schema, ty, value, &mut BinaryWriter::new(&mut buf))?,
        Protocol::Compact => encode(schema, ty, value, &mut CompactWriter::new(&mut buf))?,
        Protocol::Json => encode(schema, ty, value, &mut JsonWriter::new(&mut buf))?,
    }
    Ok(buf)
}

/// Decodes a value of type `ty` from `data` in `protocol`, with the default limits.
pub fn from_slice(schema: &Schema, ty: &Type, data: &[u8], protocol: Protocol) -> Result<Value> {
    let bytes = Bytes::copy_from_slice(data);
    from_bytes(schema, ty, &bytes, protocol, Limits::default())
}

/// Decodes a value of type `ty` from `bytes` in `protocol`: its strings and binaries are
/// slices of `bytes`.
pub fn from_bytes(
    schema: &Schema,
    ty: &Type,
    bytes: &Bytes,
    protocol: Protocol,
    limits: Limits,
) -> Result<Value> {
    match protocol {
        Protocol::Binary => decode(schema, ty, &mut BinaryReader::from_bytes(bytes, limits)),
        Protocol::Compact => decode(schema, ty, &mut CompactReader::from_bytes(bytes, limits)),
        Protocol::Json => decode(schema, ty, &mut JsonReader::from_bytes(bytes, limits)),
    }
}
