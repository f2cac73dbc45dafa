//! `rift call`: call a method of any Thrift service from the shell, arguments and result
//! in JSON, with no code generated (in the manner of grpcurl).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, ValueEnum};
use rift::Endpoint;
use rift::service::ClientError;
use rift::transport::{Framing, WireFormat};
use rift_dynamic::CallError;

use crate::{Failure, failed, load_schema, usage};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Transport {
    /// Unframed, as Apache's TBufferedTransport
    Buffered,
    /// Length-prefixed frames, as TFramedTransport
    Framed,
    /// A zlib stream, as TZlibTransport
    Zlib,
    /// HTTP POST, as THttpClient (see --http)
    Http,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ProtocolName {
    /// TBinaryProtocol
    Binary,
    /// TCompactProtocol
    Compact,
    /// TJSONProtocol
    Json,
    /// THeaderProtocol (binary inside header frames)
    Header,
}

#[derive(Debug, Args)]
pub(crate) struct CallArgs {
    /// Lists the services and methods of FILE (no server needed): `rift call --list FILE`
    #[arg(long)]
    list: bool,

    /// Shows a method, its types and a JSON template of its arguments (no server
    /// needed): `rift call --describe FILE Service.method`
    #[arg(long)]
    describe: bool,

    /// The server, HOST:PORT (or the IDL file, with --list)
    #[arg(value_name = "HOST:PORT")]
    address: Option<String>,

    /// The IDL file that defines the service
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,

    /// The method, `Service.method` (or `method` when one service has it)
    #[arg(value_name = "METHOD")]
    method: Option<String>,

    /// The arguments, a JSON object by argument name (`-d @` reads them from stdin)
    #[arg(value_name = "JSON")]
    json: Option<String>,

    /// The arguments, as with JSON; `@` reads them from standard input
    #[arg(short = 'd', long = "data", value_name = "JSON")]
    data: Option<String>,

    /// Directory to search for included files (repeatable)
    #[arg(short = 'I', long = "include-dir", value_name = "DIR")]
    include_dirs: Vec<PathBuf>,

    /// The protocol
    #[arg(long, value_enum, default_value = "binary")]
    protocol: ProtocolName,

    /// The transport
    #[arg(long, value_enum, default_value = "buffered")]
    transport: Transport,

    /// Call through a Unix domain socket instead of HOST:PORT
    #[arg(long, value_name = "PATH")]
    unix: Option<PathBuf>,

    /// The service name for the multiplexed protocol
    #[arg(long, value_name = "NAME")]
    multiplexed: Option<String>,

    /// Calls over HTTP, each a POST to this path (or a whole URL, http://HOST:PORT/PATH,
    /// in place of HOST:PORT)
    #[arg(long, value_name = "PATH|URL")]
    http: Option<String>,

    /// Calls over TLS, checking the server's certificate against the CAs in --ca
    #[arg(long)]
    tls: bool,

    /// PEM file of the CAs to trust (with --tls)
    #[arg(long, value_name = "FILE")]
    ca: Option<PathBuf>,

    /// PEM file of a client certificate chain to present (with --tls and --key)
    #[arg(long, value_name = "FILE")]
    cert: Option<PathBuf>,

    /// PEM file of the client certificate's key
    #[arg(long, value_name = "FILE")]
    key: Option<PathBuf>,

    /// The name to check the server's certificate against (default: the host)
    #[arg(long, value_name = "NAME")]
    server_name: Option<String>,

    /// Seconds to wait for connecting and for the reply
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    timeout: f64,
}

/// Exit codes: 0 the result; 1 the server threw or the call failed; 2 bad usage, IDL,
/// method or JSON.
pub(crate) fn run(args: &CallArgs) -> Result<ExitCode, Failure> {
    if args.list {
        let Some(file) = args.file.clone().or_else(|| args.address.as_ref().map(PathBuf::from)) else {
            return Err(usage("`rift call --list` needs the IDL file"));
        };
        return list(&file, &args.include_dirs);
    }
    if args.describe {
        // `--describe FILE METHOD`: the positionals shift left.
        let (Some(file), Some(method)) = (&args.address, &args.file) else {
            return Err(usage("usage: rift call --describe FILE Service.method"));
        };
        return describe_method(&PathBuf::from(file), &method.to_string_lossy(), &args.include_dirs);
    }
    let (Some(address), Some(file), Some(method)) = (&args.address, &args.file, &args.method) else {
        return Err(usage("usage: rift call [OPTIONS] HOST:PORT FILE Service.method [JSON]"));
    };
    let schema = load_schema(file, &args.include_dirs)?;
    let method = schema.method(method).map_err(usage)?;
    let text = read_arguments(args).map_err(usage)?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| usage(format!("the arguments are not JSON: {e}")))?;
    let values = method.args_from_json(&json).map_err(|e| {
        usage(format!("the arguments do not fit `{}.{}`: {e}", method.service(), method.name()))
    })?;
    let protocol = match args.protocol {
        ProtocolName::Binary | ProtocolName::Header => rift::Protocol::Binary,
        ProtocolName::Compact => rift::Protocol::Compact,
        ProtocolName::Json => rift::Protocol::Json,
    };
    let framing = match (args.protocol, args.transport) {
        (ProtocolName::Header, _) => Framing::Header,
        (_, Transport::Framed) => Framing::Framed,
        (_, Transport::Buffered | Transport::Zlib | Transport::Http) => Framing::Unframed,
    };
    let mut format = WireFormat::new(framing, protocol);
    if args.transport == Transport::Zlib {
        format = format.with_zlib();
    }
    // `http://host:port/path` in place of HOST:PORT, or --http with a path or a URL.
    let url = args
        .http
        .as_deref()
        .filter(|h| h.starts_with("http://"))
        .or(address.starts_with("http://").then_some(address.as_str()));
    let (address, http_path) = match url {
        Some(url) => {
            let rest = &url["http://".len()..];
            let (host, path) =
                rest.split_once('/').map_or((rest, "/".to_owned()), |(h, p)| (h, format!("/{p}")));
            (host.to_owned(), Some(path))
        }
        None => (
            address.clone(),
            args.http.clone().or((args.transport == Transport::Http).then(|| "/".to_owned())),
        ),
    };
    let address = &address;
    let endpoint = match &args.unix {
        Some(path) => Endpoint::unix(path),
        None => Endpoint::tcp(address.as_str()),
    };
    let timeout = Some(Duration::from_secs_f64(args.timeout.max(0.001)));
    let mut builder = rift::blocking::Client::builder(endpoint)
        .format(format)
        .connect_timeout(timeout)
        .read_timeout(timeout)
        .write_timeout(timeout);
    if let Some(name) = &args.multiplexed {
        builder = builder.multiplexed(name.clone());
    }
    if let Some(path) = http_path {
        builder = builder.http(path);
    }
    if args.tls {
        builder = with_tls(args, builder).map_err(usage)?;
    }
    let client = builder.build();
    match method.call_blocking(&client, &values) {
        Ok(result) => {
            let shown = method.result_to_json(result.as_ref());
            outln!("{}", serde_json::to_string_pretty(&shown).unwrap_or_default());
            Ok(ExitCode::SUCCESS)
        }
        Err(CallError::Exception(thrown)) => {
            let shown = serde_json::json!({ "exception": thrown.type_name, "value": thrown.json });
            outln!("{}", serde_json::to_string_pretty(&shown).unwrap_or_default());
            Ok(ExitCode::from(1))
        }
        Err(CallError::Client(e)) => Err(failed(describe(&e, address))),
    }
}

/// A failed call, said for a person at a shell.
fn describe(e: &ClientError, address: &str) -> String {
    if e.is_connect() {
        format!("{e} (is a server listening on {address}?)")
    } else if e.is_timeout() {
        format!("{e} (the server did not answer in time; --timeout sets how long to wait)")
    } else if e.is_closed() {
        format!("{e} (the server closed the connection: does it speak this --protocol and --transport?)")
    } else if e.is_unreadable() {
        format!("{e} (the reply could not be read: does the server speak this --protocol and --transport?)")
    } else {
        e.to_string()
    }
}

/// `builder` with the TLS the options ask for.
fn with_tls(
    args: &CallArgs,
    builder: rift::blocking::ClientBuilder,
) -> Result<rift::blocking::ClientBuilder, String> {
    let read =
        |path: &PathBuf| std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()));
    let Some(ca) = &args.ca else {
        return Err("--tls needs --ca FILE, the CAs to check the server's certificate against".to_owned());
    };
    let cas = read(ca)?;
    let identity = match (&args.cert, &args.key) {
        (Some(cert), Some(key)) => Some((read(cert)?, read(key)?)),
        (None, None) => None,
        _ => return Err("--cert and --key go together".to_owned()),
    };
    let config = rift::tls::client_config(&cas, identity.as_ref().map(|(c, k)| (c.as_slice(), k.as_slice())))
        .map_err(|e| e.to_string())?;
    Ok(builder.tls(config, args.server_name.clone()))
}

fn read_arguments(args: &CallArgs) -> std::io::Result<String> {
    match (args.data.as_deref(), args.json.as_deref()) {
        (Some("@"), _) => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text)?;
            Ok(text)
        }
        (Some(text), _) | (None, Some(text)) => Ok(text.to_owned()),
        (None, None) => Ok("{}".to_owned()),
    }
}

fn list(file: &Path, include_dirs: &[PathBuf]) -> Result<ExitCode, Failure> {
    let schema = load_schema(file, include_dirs)?;
    let idl = schema.idl();
    for def in idl.definitions() {
        let rift_idl::model::DefinitionKind::Service(s) = &def.kind else { continue };
        for f in idl.all_functions(s) {
            let params: Vec<String> = f.params.iter().map(|p| p.name.clone()).collect();
            let oneway = if f.oneway { "oneway " } else { "" };
            outln!("{oneway}{}.{}({})", def.name, f.name, params.join(", "));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn describe_method(file: &Path, name: &str, include_dirs: &[PathBuf]) -> Result<ExitCode, Failure> {
    let schema = load_schema(file, include_dirs)?;
    let method = schema.method(name).map_err(usage)?;
    let function = method.function();
    let idl = |ty: &rift_idl::model::Type| rift_dynamic::codec::type_name(&schema, ty);
    let params: Vec<String> =
        function.params.iter().map(|p| format!("{}: {} {}", p.id, idl(&p.ty), p.name)).collect();
    let returns = function.returns.as_ref().map_or_else(|| "void".to_owned(), idl);
    let oneway = if function.oneway { "oneway " } else { "" };
    outln!("{oneway}{returns} {}.{}({})", method.service(), function.name, params.join(", "));
    if !function.throws.is_empty() {
        let throws: Vec<String> =
            function.throws.iter().map(|t| format!("{}: {} {}", t.id, idl(&t.ty), t.name)).collect();
        outln!("  throws ({})", throws.join(", "));
    }
    if let Some(doc) = &function.doc {
        for line in doc.lines() {
            outln!("  // {}", line.trim());
        }
    }
    let template: serde_json::Map<String, serde_json::Value> = function
        .params
        .iter()
        .map(|p| (p.name.clone(), rift_dynamic::json::template(&schema, &p.ty)))
        .collect();
    outln!("{}", serde_json::to_string_pretty(&serde_json::Value::Object(template)).unwrap_or_default());
    Ok(ExitCode::SUCCESS)
}
