//! `rift serve`: a mock server of any service, from its IDL alone. Every method answers
//! with the JSON given for it, or its return type's zero value; every call is shown on
//! standard error as JSON. For testing clients in other languages.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use rift_dynamic::json::{from_json, to_json};
use rift_dynamic::serve::zero;
use rift_dynamic::{Answer, DynamicProcessor, Schema, Value};

use crate::{Failure, failed, load_schema, usage};
use rift_idl::model::{DefinitionKind, Function};

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// The IDL file that defines the service
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// The service to serve (default: the file's only service)
    #[arg(long, value_name = "NAME")]
    service: Option<String>,

    /// Serves every service of the file under the multiplexed protocol (`Service:method`);
    /// calls without a prefix go to --service, or the first service
    #[arg(long)]
    multiplexed: bool,

    /// The address to listen on
    #[arg(long, default_value = "127.0.0.1")]
    host: String,

    /// The port to listen on (0: any free port, printed when listening)
    #[arg(long, default_value_t = 9090)]
    port: u16,

    /// What METHOD (or Service.method) returns, as JSON: `--reply 'getTemperature="25°C"'` (repeatable)
    #[arg(long, value_name = "METHOD=JSON")]
    reply: Vec<String>,

    /// What METHOD throws, as JSON by its `throws` entry: `--throw 'echo={"err": {"message": "busy"}}'`
    #[arg(long, value_name = "METHOD=JSON")]
    throw: Vec<String>,

    /// Directory to search for included files (repeatable)
    #[arg(short = 'I', long = "include-dir", value_name = "DIR")]
    include_dirs: Vec<PathBuf>,
}

/// Exit codes: 2 for a bad IDL, service, or answer; 1 when the server cannot listen.
pub(crate) fn run(args: &ServeArgs) -> Result<ExitCode, Failure> {
    let schema = Arc::new(load_schema(&args.file, &args.include_dirs)?);
    let services: Vec<String> = schema
        .idl()
        .roots()
        .flat_map(|f| f.definitions.iter())
        .map(|&id| schema.idl().definition(id))
        .filter(|d| matches!(d.kind, DefinitionKind::Service(_)))
        .map(|d| d.name.clone())
        .collect();
    let service = match (&args.service, services.as_slice()) {
        (Some(name), _) => name.clone(),
        (None, [first, ..]) if args.multiplexed => first.clone(),
        (None, [only]) => only.clone(),
        (None, []) => return Err(usage(format!("{} defines no service", args.file.display()))),
        (None, _) => {
            return Err(usage(format!(
                "{} defines several services ({}): choose one with --service, or serve all with --multiplexed",
                args.file.display(),
                services.join(", ")
            )));
        }
    };
    if !services.contains(&service) {
        return Err(usage(format!("no service `{service}` (services: {})", services.join(", "))));
    }
    let served: Vec<String> = if args.multiplexed { services.clone() } else { vec![service.clone()] };
    let answers = Arc::new(answers(&schema, &service, &served, args).map_err(usage)?);
    let processor = |name: &str| {
        let (schema_for, answers, served_name) = (schema.clone(), answers.clone(), name.to_owned());
        let handler = move |function: &Function, call: &rift_dynamic::Struct| {
            let shown: serde_json::Map<String, serde_json::Value> = function
                .params
                .iter()
                .filter_map(|p| call.get(p.id).map(|v| (p.name.clone(), to_json(&schema_for, &p.ty, v))))
                .collect();
            eprintln!("{served_name}.{} {}", function.name, serde_json::Value::Object(shown));
            match answers.get(&(served_name.clone(), function.name.clone())) {
                Some(answer) => answer.clone(),
                None => Answer::Return(function.returns.as_ref().map(|ty| zero(&schema_for, ty))),
            }
        };
        DynamicProcessor::new(schema.clone(), name, handler).expect("a service of the file")
    };
    // Calls without a `Service:` prefix go to the default service, so one service
    // alone is served this way too.
    let mut all = rift::multiplex::BlockingMultiplexed::new();
    for name in &served {
        all = if *name == service {
            all.with_default(name.clone(), processor(name))
        } else {
            all.with(name.clone(), processor(name))
        };
    }
    let address = format!("{}:{}", args.host, args.port);
    let bound = rift::blocking::Server::new(all)
        .threads(16)
        .bind(address.as_str())
        .map_err(|e| failed(format!("cannot listen on {address}: {e}")))?;
    let shown = bound.local_addr().map_or(address.clone(), |a| a.to_string());
    let what =
        if args.multiplexed { format!("{} (multiplexed)", served.join(", ")) } else { service.clone() };
    outln!("rift serve: {what} of {} on {shown} (every protocol and transport)", args.file.display());
    bound.run().map_err(failed)?;
    Ok(ExitCode::SUCCESS)
}

/// The answers given with --reply and --throw, checked against the schema, by service
/// and method. A method without a service prefix is one of `default`.
fn answers(
    schema: &Schema,
    default: &str,
    served: &[String],
    args: &ServeArgs,
) -> Result<HashMap<(String, String), Answer>, String> {
    let mut out = HashMap::new();
    for (spec, throw) in args.reply.iter().map(|r| (r, false)).chain(args.throw.iter().map(|t| (t, true))) {
        let Some((method, json)) = spec.split_once('=') else {
            return Err(format!("`{spec}`: write METHOD=JSON"));
        };
        let qualified = if method.contains('.') { method.to_owned() } else { format!("{default}.{method}") };
        let method = schema.method(&qualified).map_err(|e| e.to_string())?;
        if !served.iter().any(|s| s == method.service()) {
            return Err(format!(
                "`{spec}`: `{}` is not served (add --multiplexed to serve it)",
                method.service()
            ));
        }
        let json: serde_json::Value =
            serde_json::from_str(json).map_err(|e| format!("`{spec}`: the answer is not JSON: {e}"))?;
        let function = method.function();
        let answer = if throw {
            let object = json.as_object().filter(|o| o.len() == 1).ok_or_else(|| {
                format!("`{spec}`: an exception is written {{\"<throws entry>\": {{...}}}}")
            })?;
            let (name, value) = object.iter().next().expect("one entry");
            let field = function.throws.iter().find(|t| &t.name == name).ok_or_else(|| {
                let names: Vec<&str> = function.throws.iter().map(|t| t.name.as_str()).collect();
                format!("`{}` throws no `{name}` (it throws: {})", function.name, names.join(", "))
            })?;
            let value = from_json(schema, &field.ty, value).map_err(|e| format!("`{spec}`: {e}"))?;
            Answer::Throw(name.clone(), value)
        } else {
            match &function.returns {
                Some(ty) => {
                    Answer::Return(Some(from_json(schema, ty, &json).map_err(|e| format!("`{spec}`: {e}"))?))
                }
                None => Answer::Return(None::<Value>),
            }
        };
        out.insert((method.service().to_owned(), function.name.clone()), answer);
    }
    Ok(out)
}
