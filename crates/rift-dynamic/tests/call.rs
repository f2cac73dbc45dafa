//! Calls by name against a server of generated code (the workload's `Bench` service),
//! through the blocking and the async client: results, declared exceptions, unknown
//! methods, and JSON arguments.

use std::path::Path;

use rift::service::ClientError;
use rift::{ApplicationException, ApplicationExceptionKind, ServerError};
use rift_benchmarks::generated::{
    self, BenchBlocking, BenchBlockingProcessor, Overloaded, Request, bench_service,
};
use rift_dynamic::json::to_json;
use rift_dynamic::{CallError, Schema, Value};
use serde_json::json;

/// Echoes, but throws `Overloaded` for a negative `seq`, and answers `ping` with an
/// application exception when asked to.
struct Handler;

impl BenchBlocking for Handler {
    fn ping(&self) -> Result<(), ApplicationException> {
        Ok(())
    }

    fn echo(&self, req: Request) -> Result<Request, ServerError<bench_service::EchoException>> {
        if req.seq < 0 {
            return Err(ServerError::Exception(bench_service::EchoException::Err(Overloaded {
                message: format!("seq {} is overloaded", req.seq).into(),
            })));
        }
        if req.seq == 13 {
            return Err(ServerError::Application(ApplicationException::new(
                ApplicationExceptionKind::InternalError,
                "unlucky",
            )));
        }
        Ok(req)
    }

    fn fire(&self, _: Request) -> Result<(), ApplicationException> {
        Ok(())
    }
}

fn schema() -> Schema {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../benchmarks/idl/bench.thrift");
    Schema::load(path, &[] as &[&str]).unwrap()
}

/// A blocking server of `Handler` on a free port, run on a thread of its own.
fn serve() -> (rift::Endpoint, rift::blocking::ServerHandle) {
    let bound = rift::blocking::Server::new(BenchBlockingProcessor::new(Handler))
        .threads(4)
        .bind("127.0.0.1:0")
        .unwrap();
    let addr = bound.local_addr().unwrap();
    let handle = bound.handle().unwrap();
    std::thread::spawn(move || bound.run());
    (rift::Endpoint::tcp(addr.to_string()), handle)
}

#[test]
fn blocking_calls_by_name() {
    let schema = schema();
    let (endpoint, handle) = serve();
    let client = rift::blocking::Client::builder(endpoint).build();

    let ping = schema.method("Bench.ping").unwrap();
    assert_eq!(ping.call_blocking(&client, &Value::Struct(Default::default())).unwrap(), None);

    // The standard message, from JSON as a person writes it, echoed back whole.
    let echo = schema.method("echo").unwrap();
    let ty = schema.type_named("Request").unwrap();
    let bytes = rift::to_vec(&generated::standard(), rift::Protocol::Binary).unwrap();
    let standard = rift_dynamic::from_slice(&schema, &ty, &bytes, rift::Protocol::Binary).unwrap();
    let args = echo.args_from_json(&json!({ "req": to_json(&schema, &ty, &standard) })).unwrap();
    let result = echo.call_blocking(&client, &args).unwrap().expect("echo returns a value");
    // The same message (the server's sets and maps come back in another order).
    let bytes = rift_dynamic::to_vec(&schema, &ty, &result, rift::Protocol::Compact).unwrap();
    let back: Request = rift::from_slice(&bytes, rift::Protocol::Compact, rift::Limits::default()).unwrap();
    assert_eq!(back, generated::standard());
    assert_eq!(echo.result_to_json(Some(&result))["items"], to_json(&schema, &ty, &standard)["items"]);

    // A declared exception comes back typed, with its value.
    let args = echo.args_from_json(&json!({"req": {"seq": -1, "user": "u", "timestamp": 0}})).unwrap();
    match echo.call_blocking(&client, &args) {
        Err(CallError::Exception(thrown)) => {
            assert_eq!(thrown.type_name, "Overloaded");
            assert_eq!(thrown.field, "err");
            assert_eq!(thrown.json, json!({"message": "seq -1 is overloaded"}));
        }
        other => panic!("expected Overloaded, got {other:?}"),
    }

    // Anything else as the TApplicationException it is.
    let args = echo.args_from_json(&json!({"req": {"seq": 13, "user": "u", "timestamp": 0}})).unwrap();
    match echo.call_blocking(&client, &args) {
        Err(CallError::Client(ClientError::Application(e))) => assert_eq!(e.message, "unlucky"),
        other => panic!("expected an application exception, got {other:?}"),
    }

    // A oneway call returns at once.
    let fire = schema.method("Bench.fire").unwrap();
    let args = fire.args_from_json(&json!({"req": {"seq": 1, "user": "u", "timestamp": 0}})).unwrap();
    assert_eq!(fire.call_blocking(&client, &args).unwrap(), None);
    handle.shutdown();
}

#[cfg(feature = "tokio")]
#[test]
fn async_calls_by_name() {
    let schema = schema();
    let (endpoint, handle) = serve();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let client =
            rift::client::Client::builder(endpoint).format(rift::transport::WireFormat::default()).build();
        let echo = schema.method("Bench.echo").unwrap();
        let args = echo
            .args_from_json(&json!({"req": {"seq": 7, "user": "ü", "timestamp": "9007199254740993"}}))
            .unwrap();
        let result = echo.call(&client, &args).await.unwrap();
        let shown = echo.result_to_json(result.as_ref());
        assert_eq!(shown["seq"], json!(7));
        assert_eq!(shown["user"], json!("ü"));
        assert_eq!(shown["timestamp"], json!(9_007_199_254_740_993_i64));
    });
    handle.shutdown();
}

#[test]
fn names_and_arguments_that_do_not_exist_say_what_does() {
    let schema = schema();
    let e = schema.method("Bench.nothing").unwrap_err();
    assert!(
        e.to_string().contains("no method `Bench.nothing` (methods: Bench.ping, Bench.echo, Bench.fire)"),
        "{e}"
    );
    let e = schema.method("Nobody.ping").unwrap_err();
    assert!(e.to_string().contains("no service `Nobody` (services: Bench)"), "{e}");
    let echo = schema.method("echo").unwrap();
    let e = echo.args_from_json(&json!({"request": {}})).unwrap_err();
    assert!(e.to_string().contains("`echo` takes no argument `request` (its arguments: req)"), "{e}");
    let e = echo.args_from_json(&json!({"req": {"seq": "x", "user": "u", "timestamp": 0}})).unwrap_err();
    assert_eq!(e.path(), "req.seq");
}

/// A dynamic server, on the async server and multiplexed, answering a generated client.
#[cfg(feature = "tokio")]
#[test]
fn dynamic_processor_multiplexed_on_the_async_server() {
    use rift_benchmarks::generated::BenchBlockingClient;
    use rift_dynamic::{Answer, DynamicProcessor};
    use std::sync::Arc;

    let schema = Arc::new(schema());
    let echo_schema = schema.clone();
    let processor = DynamicProcessor::new(schema.clone(), "Bench", move |function, args| {
        match function.name.as_str() {
            // Echo the request, with its seq doubled.
            "echo" => {
                let Some(Value::Struct(req)) = args.get(1) else { return Answer::Return(None) };
                let mut req = req.clone();
                if let Some(Value::I32(seq)) = req.get(1).cloned() {
                    req.set(1, Value::I32(seq * 2));
                }
                let _ = &echo_schema;
                Answer::Return(Some(Value::Struct(req)))
            }
            "ping" => Answer::Return(None),
            _ => Answer::Fail(ApplicationException::new(ApplicationExceptionKind::InternalError, "no")),
        }
    })
    .expect("Bench is a service of bench.thrift");
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let (addr, handle) = runtime.block_on(async {
        let multiplexed = rift::multiplex::Multiplexed::new().with("Bench", processor);
        let bound = rift::server::Server::new(multiplexed).bind("127.0.0.1:0").await.unwrap();
        let addr = match bound.local_addr().unwrap() {
            rift::server::LocalAddr::Tcp(addr) => addr,
            other => panic!("{other:?}"),
        };
        let handle = bound.handle();
        tokio::spawn(bound.run());
        (addr, handle)
    });
    let client = BenchBlockingClient::new(
        rift::blocking::Client::builder(rift::Endpoint::tcp(addr.to_string())).multiplexed("Bench").build(),
    );
    client.ping().unwrap();
    let mut request = generated::standard();
    let back = client.echo(request.clone()).unwrap();
    request.seq *= 2;
    assert_eq!(back, request);
    runtime.block_on(handle.shutdown(std::time::Duration::from_secs(1)));
}
