//! Calls by name: a method of a service of the schema, its arguments as a value (or
//! JSON), its result or declared exception back, through rift's own clients.

use std::fmt;

use rift::client::RawReply;
use rift::protocol::binary::BinaryReader;
use rift::protocol::compact::CompactReader;
use rift::protocol::json::JsonReader;
use rift::service::{ClientError, read_reply_envelope};
use rift::{
    ApplicationException, ApplicationExceptionKind, Encode, Error, ErrorKind, Protocol, ProtocolReader,
    ProtocolWriter, TType,
};
use rift_idl::model::{DefinitionKind, Field, Function, Type, TypeKind};

use crate::codec::{decode_fields, write_field};
use crate::json::{JsonError, from_json, to_json};
use crate::schema::Schema;
use crate::value::{Struct, Value};

/// A function of a service of a schema, found by [`Schema::method`].
#[derive(Clone, Copy, Debug)]
pub struct Method<'s> {
    schema: &'s Schema,
    service: &'s str,
    function: &'s Function,
}

impl<'s> Method<'s> {
    /// The service's name.
    pub fn service(&self) -> &'s str {
        self.service
    }

    /// The function.
    pub fn function(&self) -> &'s Function {
        self.function
    }

    /// Its name on the wire.
    pub fn name(&self) -> &'s str {
        &self.function.name
    }

    /// Its arguments as a value, from a JSON object of them by name.
    pub fn args_from_json(&self, json: &serde_json::Value) -> Result<Value, JsonError> {
        let object = match json {
            serde_json::Value::Null => serde_json::Map::new(),
            serde_json::Value::Object(o) => o.clone(),
            _ => {
                return Err(JsonError::new("", "the arguments are a JSON object, by argument name"));
            }
        };
        let mut out = Struct::default();
        for (name, value) in &object {
            let Some(param) = self.function.params.iter().find(|p| &p.name == name) else {
                let names: Vec<&str> = self.function.params.iter().map(|p| p.name.as_str()).collect();
                return Err(JsonError::new(
                    name,
                    format!(
                        "`{}` takes no argument `{name}` (its arguments: {})",
                        self.function.name,
                        names.join(", ")
                    ),
                ));
            };
            let v = from_json(self.schema, &param.ty, value).map_err(|e| e.under(name))?;
            out.fields.push((param.id, v));
        }
        Ok(Value::Struct(out))
    }

    /// The arguments as the runtime encodes them (`<method>_args`).
    fn args<'v>(&self, value: &'v Value) -> Fields<'_, 'v> {
        Fields {
            schema: self.schema,
            name: format!("{}_args", self.function.name),
            fields: &self.function.params,
            value,
        }
    }

    /// Reads the reply to call `reply.seq`: the value returned (`None` for `void`), or
    /// the declared exception thrown, or the `TApplicationException` answered.
    pub fn read_reply(&self, reply: &RawReply) -> Result<Option<Value>, CallError> {
        let Some(message) = &reply.message else {
            return Err(CallError::Client(ClientError::Protocol(Error::invalid("no reply to a call"))));
        };
        match reply.protocol {
            Protocol::Binary => self.read(&mut BinaryReader::from_bytes(message, reply.limits), reply.seq),
            Protocol::Compact => self.read(&mut CompactReader::from_bytes(message, reply.limits), reply.seq),
            Protocol::Json => self.read(&mut JsonReader::from_bytes(message, reply.limits), reply.seq),
        }
    }

    fn read<R: ProtocolReader>(&self, r: &mut R, seq: i32) -> Result<Option<Value>, CallError> {
        let protocol = |e: Error| CallError::Client(ClientError::Protocol(e));
        read_reply_envelope(r, &self.function.name, seq)?;
        let result = decode_fields(self.schema, r, |id| result_type(self.function, id)).map_err(protocol)?;
        r.read_message_end().map_err(protocol)?;
        if let Some(value) = result.get(0) {
            return Ok(Some(value.clone()));
        }
        if let Some((field, value)) = result
            .fields
            .iter()
            .find_map(|(id, v)| self.function.throws.iter().find(|t| t.id == *id).map(|t| (t, v)))
        {
            return Err(CallError::Exception(Thrown::new(self.schema, field, value.clone())));
        }
        if self.function.returns.is_none() {
            return Ok(None);
        }
        Err(CallError::Client(ClientError::Application(ApplicationException::new(
            ApplicationExceptionKind::MissingResult,
            format!("{} failed: unknown result", self.function.name),
        ))))
    }

    /// Calls the method through an async client.
    #[cfg(feature = "tokio")]
    pub async fn call(
        &self,
        client: &rift::client::Client,
        args: &Value,
    ) -> Result<Option<Value>, CallError> {
        let reply = client.call_raw(&self.function.name, self.function.oneway, &self.args(args)).await?;
        if self.function.oneway {
            return Ok(None);
        }
        self.read_reply(&reply)
    }

    /// Calls the method through a blocking client.
    pub fn call_blocking(
        &self,
        client: &rift::blocking::Client,
        args: &Value,
    ) -> Result<Option<Value>, CallError> {
        let reply = client.call_raw(&self.function.name, self.function.oneway, &self.args(args))?;
        if self.function.oneway {
            return Ok(None);
        }
        self.read_reply(&reply)
    }

    /// The value returned, as JSON (`null` for `void`).
    pub fn result_to_json(&self, value: Option<&Value>) -> serde_json::Value {
        match (value, &self.function.returns) {
            (Some(v), Some(ty)) => to_json(self.schema, ty, v),
            _ => serde_json::Value::Null,
        }
    }
}

/// The type of argument `id` of `function`.
pub(crate) fn param_type(function: &Function, id: i16) -> Option<&Type> {
    function.params.iter().find(|p| p.id == id).map(|p| &p.ty)
}

/// The type of field `id` of `function`'s result: 0 the value returned, the others the
/// exceptions it declares.
pub(crate) fn result_type(function: &Function, id: i16) -> Option<&Type> {
    match id {
        0 => function.returns.as_ref(),
        _ => function.throws.iter().find(|t| t.id == id).map(|t| &t.ty),
    }
}

/// Fields of a struct that is not a definition (arguments), written in id order.
struct Fields<'a, 'v> {
    schema: &'a Schema,
    name: String,
    fields: &'a [Field],
    value: &'v Value,
}

impl Encode for Fields<'_, '_> {
    const TTYPE: TType = TType::Struct;

    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> rift::Result<()> {
        let Value::Struct(value) = self.value else {
            return Err(Error::new(ErrorKind::InvalidValue, "the arguments are a struct of them"));
        };
        let mut order: Vec<&Field> = self.fields.iter().collect();
        order.sort_by_key(|f| f.id);
        w.write_struct_begin(&self.name)?;
        for field in order {
            if let Some(v) = value.get(field.id) {
                write_field(self.schema, &field.name, field.id, &field.ty, v, w).map_err(|e| {
                    let message = format!("in argument `{}`: {}", field.name, e.message());
                    Error::new(e.kind(), message)
                })?;
            }
        }
        w.write_field_stop()?;
        w.write_struct_end()
    }
}

/// A declared exception, thrown by the server.
#[derive(Clone, Debug, PartialEq)]
pub struct Thrown {
    /// The exception's type, as the IDL names it.
    pub type_name: String,
    /// The name of the `throws` entry.
    pub field: String,
    /// Its value.
    pub value: Value,
    /// Its value as JSON.
    pub json: serde_json::Value,
}

impl Thrown {
    fn new(schema: &Schema, field: &Field, value: Value) -> Thrown {
        let type_name = match &schema.resolve(&field.ty).kind {
            TypeKind::Named(id) => schema.definition(*id).name.clone(),
            _ => field.name.clone(),
        };
        let json = to_json(schema, &field.ty, &value);
        Thrown { type_name, field: field.name.clone(), value, json }
    }
}

/// Why a dynamic call failed.
#[derive(Debug)]
pub enum CallError {
    /// One of the method's declared exceptions.
    Exception(Thrown),
    /// An application exception, a message that could not be read, or a transport
    /// failure (see [`ClientError`]'s `is_connect`, `is_timeout`, `is_closed`).
    Client(ClientError),
}

impl From<ClientError> for CallError {
    fn from(e: ClientError) -> CallError {
        CallError::Client(e)
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Exception(t) => write!(f, "the server threw {} {}", t.type_name, t.json),
            CallError::Client(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for CallError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CallError::Exception(_) => None,
            CallError::Client(e) => Some(e),
        }
    }
}

/// Why a method could not be found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoSuchMethod(pub String);

impl fmt::Display for NoSuchMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NoSuchMethod {}

impl Schema {
    /// The method `Service.method` (or `method`, when one service of the file has it),
    /// its service's bases included.
    pub fn method(&self, name: &str) -> Result<Method<'_>, NoSuchMethod> {
        let (service, method) = match name.rsplit_once('.') {
            Some((s, m)) => (Some(s), m),
            None => (None, name),
        };
        let idl = self.idl();
        let root = idl.roots().next().map(|f| f.id);
        let services: Vec<_> = idl
            .definitions()
            .iter()
            .filter(|d| matches!(d.kind, DefinitionKind::Service(_)))
            .filter(|d| match service {
                Some(s) => {
                    d.name == s || root.is_some_and(|r| idl.lookup(r, s).is_some_and(|x| x.id == d.id))
                }
                None => Some(d.file) == root,
            })
            .collect();
        if services.is_empty() {
            let all: Vec<&str> = idl
                .definitions()
                .iter()
                .filter(|d| matches!(d.kind, DefinitionKind::Service(_)))
                .map(|d| d.name.as_str())
                .collect();
            return Err(NoSuchMethod(format!(
                "no service `{}` (services: {})",
                service.unwrap_or_default(),
                all.join(", ")
            )));
        }
        let mut found = Vec::new();
        for def in &services {
            let DefinitionKind::Service(s) = &def.kind else { continue };
            for f in idl.all_functions(s) {
                if f.name == method {
                    found.push(Method { schema: self, service: &def.name, function: f });
                }
            }
        }
        match found.len() {
            1 => Ok(found[0]),
            0 => {
                let names: Vec<String> = services
                    .iter()
                    .flat_map(|d| match &d.kind {
                        DefinitionKind::Service(s) => idl
                            .all_functions(s)
                            .into_iter()
                            .map(|f| format!("{}.{}", d.name, f.name))
                            .collect(),
                        _ => Vec::new(),
                    })
                    .collect();
                Err(NoSuchMethod(format!("no method `{name}` (methods: {})", names.join(", "))))
            }
            _ => Err(NoSuchMethod(format!(
                "`{method}` is a method of several services: name one, `Service.{method}`"
            ))),
        }
    }
}
