//! Whole messages read by schema, for people: what `rift decode` shows.

use rift::bytes::Bytes;
use rift::protocol::binary::BinaryReader;
use rift::protocol::compact::CompactReader;
use rift::protocol::json::JsonReader;
use rift::{ApplicationException, Decode, Limits, MessageType, Protocol, ProtocolReader, TType};
use serde_json::{Map, Value as Json, json};

use crate::call::{param_type, result_type};
use crate::codec::read_field;
use crate::json::to_json;
use crate::schema::Schema;

/// The protocol a message is in, told by its first bytes (strict binary, compact, JSON).
pub fn detect(bytes: &[u8]) -> Option<Protocol> {
    match bytes {
        [0x80, 0x01, ..] => Some(Protocol::Binary),
        [0x82, ..] => Some(Protocol::Compact),
        [b'[', ..] => Some(Protocol::Json),
        _ => None,
    }
}

/// A message (call, reply, exception or oneway) as JSON: its envelope, and its
/// arguments or result read by the schema's function of that name (any service).
pub fn message_to_json(
    schema: &Schema,
    bytes: &Bytes,
    protocol: Protocol,
    limits: Limits,
) -> rift::Result<Json> {
    match protocol {
        Protocol::Binary => read(schema, &mut BinaryReader::from_bytes(bytes, limits)),
        Protocol::Compact => read(schema, &mut CompactReader::from_bytes(bytes, limits)),
        Protocol::Json => read(schema, &mut JsonReader::from_bytes(bytes, limits)),
    }
}

fn read<R: ProtocolReader>(schema: &Schema, r: &mut R) -> rift::Result<Json> {
    let header = r.read_message_begin()?;
    let full = header.name.to_string();
    // A multiplexed call names its service first: `Service:method`.
    let (service, method) = match full.split_once(':') {
        Some((s, m)) => (Some(s.to_owned()), m.to_owned()),
        None => (None, full.clone()),
    };
    let kind = match header.kind {
        MessageType::Call => "call",
        MessageType::Reply => "reply",
        MessageType::Exception => "exception",
        MessageType::Oneway => "oneway",
    };
    let mut out = Map::new();
    out.insert("method".into(), Json::from(full.clone()));
    out.insert("type".into(), Json::from(kind));
    out.insert("seq".into(), Json::from(header.seq));
    if header.kind == MessageType::Exception {
        let e = ApplicationException::decode(r)?;
        out.insert("exception".into(), json!({"kind": format!("{:?}", e.kind), "message": e.message}));
        r.read_message_end()?;
        return Ok(Json::Object(out));
    }
    let name = match &service {
        Some(s) => format!("{s}.{method}"),
        None => method.clone(),
    };
    let Ok(found) = schema.method(&name) else {
        // Not in the schema: its fields by id and wire type.
        out.insert("body".into(), raw_struct(r)?);
        r.read_message_end()?;
        return Ok(Json::Object(out));
    };
    let function = found.function();
    let reply = matches!(header.kind, MessageType::Reply);
    let mut body = Map::new();
    r.read_struct_begin()?;
    loop {
        let field = r.read_field_begin()?;
        if field.ttype == TType::Stop {
            break;
        }
        let (known, names) = if reply {
            (result_type(function, field.id), &function.throws)
        } else {
            (param_type(function, field.id), &function.params)
        };
        let value = match known {
            Some(ty) => read_field(schema, ty, field.ttype, r)?.map(|value| (ty, value)),
            None => None,
        };
        match value {
            Some((ty, value)) => {
                let name = match names.iter().find(|f| f.id == field.id) {
                    Some(f) => f.name.clone(),
                    None => "success".to_owned(),
                };
                body.insert(name, to_json(schema, ty, &value));
            }
            _ => {
                r.skip(field.ttype)?;
                body.insert(format!("{}", field.id), json!({"unknown field": format!("{:?}", field.ttype)}));
            }
        }
        r.read_field_end()?;
    }
    r.read_struct_end()?;
    r.read_message_end()?;
    let key = if reply { "result" } else { "args" };
    out.insert(key.into(), Json::Object(body));
    Ok(Json::Object(out))
}

/// A struct the schema does not describe: each field by id, with its wire type.
fn raw_struct<R: ProtocolReader>(r: &mut R) -> rift::Result<Json> {
    let mut out = Map::new();
    r.read_struct_begin()?;
    loop {
        let field = r.read_field_begin()?;
        if field.ttype == TType::Stop {
            break;
        }
        r.skip(field.ttype)?;
        out.insert(format!("{}", field.id), Json::from(format!("{:?}", field.ttype)));
        r.read_field_end()?;
    }
    r.read_struct_end()?;
    Ok(Json::Object(out))
}
