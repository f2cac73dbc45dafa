//! Serving a service of a schema with handlers over dynamic values: a processor of the
//! runtime, so rift's servers (async and blocking, every format on one port) carry it
//! as they carry generated ones.

use std::sync::Arc;

use rift::protocol::binary::BinaryReader;
use rift::protocol::compact::CompactReader;
use rift::protocol::json::JsonReader;
use rift::{
    ApplicationException, ApplicationExceptionKind, BlockingProcessor, Encode, Processor, Protocol,
    ProtocolReader, ProtocolWriter, Reply, Request, TType,
};
use rift_idl::ast::BaseType;
use rift_idl::model::{DefinitionKind, Field, Function, Type, TypeKind};

use crate::call::param_type;
use crate::codec::{decode_fields, write_field};
use crate::schema::Schema;
use crate::value::{Struct, Value};

/// What a handler answers to a call.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    /// The value returned (`None` for `void`).
    Return(Option<Value>),
    /// One of the function's declared exceptions: the `throws` entry's name, and the
    /// exception's value.
    Throw(String, Value),
    /// A `TApplicationException`.
    Fail(ApplicationException),
}

/// A handler: the method called and its arguments (a struct of them, by id).
pub type Handler = dyn Fn(&Function, &Struct) -> Answer + Send + Sync;

/// Serves the service `service` of a schema with one handler for every method.
pub struct DynamicProcessor {
    schema: Arc<Schema>,
    /// The service's name.
    name: String,
    service: usize,
    handler: Box<Handler>,
}

impl std::fmt::Debug for DynamicProcessor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DynamicProcessor").field("service", &self.name).finish_non_exhaustive()
    }
}

impl DynamicProcessor {
    /// A processor of `service` (as named in the schema's first file), or `None` when
    /// there is no such service.
    pub fn new(
        schema: Arc<Schema>,
        service: &str,
        handler: impl Fn(&Function, &Struct) -> Answer + Send + Sync + 'static,
    ) -> Option<DynamicProcessor> {
        let def = schema.definition_named(service)?;
        if !matches!(def.kind, DefinitionKind::Service(_)) {
            return None;
        }
        let (service, name) = (def.id.index(), def.name.clone());
        Some(DynamicProcessor { schema, name, service, handler: Box::new(handler) })
    }

    fn function(&self, method: &str) -> Option<&Function> {
        let def = &self.schema.idl().definitions()[self.service];
        let DefinitionKind::Service(s) = &def.kind else { return None };
        self.schema.idl().all_functions(s).into_iter().find(|f| f.name == method)
    }

    fn serve(&self, request: Request) -> rift::Result<Reply> {
        let Some(function) = self.function(request.method()) else {
            return request.unknown_method();
        };
        let args = match read_args(&self.schema, function, &request) {
            Ok(args) => args,
            Err(e) => return request.protocol_error(&e),
        };
        let answer = (self.handler)(function, &args);
        if request.is_oneway() {
            return Ok(request.no_reply());
        }
        match answer {
            Answer::Return(value) => {
                if let (Some(ty), None) = (&function.returns, &value) {
                    let missing =
                        format!("the handler returned nothing for `{}`", describe_type(&self.schema, ty));
                    return request.exception(&ApplicationException::new(
                        ApplicationExceptionKind::InternalError,
                        missing,
                    ));
                }
                let result = ResultStruct {
                    schema: &self.schema,
                    function,
                    field: ResultField::Success(value.as_ref()),
                };
                request.reply(&result)
            }
            Answer::Throw(name, value) => match function.throws.iter().find(|t| t.name == name) {
                Some(field) => {
                    let result = ResultStruct {
                        schema: &self.schema,
                        function,
                        field: ResultField::Thrown(field, &value),
                    };
                    request.reply(&result)
                }
                None => request.exception(&ApplicationException::new(
                    ApplicationExceptionKind::InternalError,
                    format!("`{}` declares no exception `{name}`", function.name),
                )),
            },
            Answer::Fail(e) => request.exception(&e),
        }
    }
}

fn describe_type(schema: &Schema, ty: &Type) -> String {
    crate::codec::describe(schema, ty)
}

/// Reads the arguments struct of a request by schema.
fn read_args(schema: &Schema, function: &Function, request: &Request) -> rift::Result<Struct> {
    fn read<R: ProtocolReader>(schema: &Schema, function: &Function, r: &mut R) -> rift::Result<Struct> {
        r.read_message_begin()?;
        let args = decode_fields(schema, r, |id| param_type(function, id))?;
        r.read_message_end()?;
        Ok(args)
    }
    let (bytes, limits) = (request.bytes(), request.limits());
    match request.protocol() {
        Protocol::Binary => read(schema, function, &mut BinaryReader::from_bytes(bytes, limits)),
        Protocol::Compact => read(schema, function, &mut CompactReader::from_bytes(bytes, limits)),
        Protocol::Json => read(schema, function, &mut JsonReader::from_bytes(bytes, limits)),
    }
}

enum ResultField<'a> {
    Success(Option<&'a Value>),
    Thrown(&'a Field, &'a Value),
}

/// The result struct of a function: the value in field 0, or one exception.
struct ResultStruct<'a> {
    schema: &'a Schema,
    function: &'a Function,
    field: ResultField<'a>,
}

impl Encode for ResultStruct<'_> {
    const TTYPE: TType = TType::Struct;

    fn encode<W: ProtocolWriter + ?Sized>(&self, w: &mut W) -> rift::Result<()> {
        w.write_struct_begin(&format!("{}_result", self.function.name))?;
        match (&self.field, &self.function.returns) {
            (ResultField::Success(Some(value)), Some(ty)) => {
                write_field(self.schema, "success", 0, ty, value, w)?;
            }
            (ResultField::Success(_), _) => {}
            (ResultField::Thrown(field, value), _) => {
                write_field(self.schema, &field.name, field.id, &field.ty, value, w)?;
            }
        }
        w.write_field_stop()?;
        w.write_struct_end()
    }
}

impl BlockingProcessor for DynamicProcessor {
    fn service_name(&self) -> &str {
        &self.name
    }

    fn process(&self, request: Request) -> rift::Result<Reply> {
        self.serve(request)
    }
}

impl Processor for DynamicProcessor {
    fn service_name(&self) -> &str {
        &self.name
    }

    async fn process(&self, request: Request) -> rift::Result<Reply> {
        self.serve(request)
    }
}

/// The zero value of a type: `false`, 0, empty, a struct with its required fields zero
/// and its IDL defaults, an enum's first value. What `rift serve` answers by default.
pub fn zero(schema: &Schema, ty: &Type) -> Value {
    let resolved = schema.resolve(ty);
    match &resolved.kind {
        TypeKind::Base(b) => match b {
            BaseType::Bool => Value::Bool(false),
            BaseType::I8 => Value::I8(0),
            BaseType::I16 => Value::I16(0),
            BaseType::I32 => Value::I32(0),
            BaseType::I64 => Value::I64(0),
            BaseType::Double => Value::Double(0.0),
            BaseType::String => Value::String(Default::default()),
            BaseType::Binary => Value::Binary(Default::default()),
            BaseType::Uuid => Value::Uuid([0; 16]),
        },
        TypeKind::List(_) => Value::List(Vec::new()),
        TypeKind::Set(_) => Value::Set(Vec::new()),
        TypeKind::Map(..) => Value::Map(Vec::new()),
        TypeKind::Named(id) => match &schema.definition(*id).kind {
            DefinitionKind::Enum(e) => Value::I32(e.values.first().map_or(0, |v| v.value)),
            DefinitionKind::Struct(s) if s.kind == rift_idl::ast::StructKind::Union => {
                let mut out = Struct::default();
                if let Some(first) = s.fields.first() {
                    out.fields.push((first.id, zero(schema, &first.ty)));
                }
                Value::Struct(out)
            }
            DefinitionKind::Struct(s) => {
                let mut out = Struct::default();
                for f in &s.fields {
                    if let Some(default) = &f.default {
                        out.fields.push((f.id, crate::json::constant(schema, &f.ty, default)));
                    } else if f.requiredness == rift_idl::ast::Requiredness::Required {
                        out.fields.push((f.id, zero(schema, &f.ty)));
                    }
                }
                Value::Struct(out)
            }
            _ => Value::Struct(Struct::default()),
        },
        TypeKind::Unresolved => Value::Struct(Struct::default()),
    }
}
