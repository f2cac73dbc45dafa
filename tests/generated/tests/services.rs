//! Generated services: processors and clients, async and blocking, talking through
//! in-memory channels in every protocol. Typed exceptions, application exceptions,
//! unknown methods, oneway calls, undecodable arguments and `extends` across files.

use std::future::Future;
use std::pin::pin;
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use rift::service::{BlockingLoopback, CallCodec};
use rift::{
    ApplicationException, ApplicationExceptionKind, BlockingProcessor, ClientError, FastStr, Limits,
    Loopback, Processor, Protocol, ServerError,
};
use rift_generated_tests::idl::deep::middle::{self, Middle, MiddleBlocking, Wrapper};
use rift_generated_tests::idl::deep::nested::base::{self, Base, BaseBlocking, BaseError, Info};
use rift_generated_tests::idl::services::{
    self, NotFound, Overloaded, Top, TopBlocking, TopBlockingClient, TopClient, TopProcessor, top,
};

const PROTOCOLS: [Protocol; 3] = [Protocol::Binary, Protocol::Compact, Protocol::Json];

/// Runs a future that never waits: the loopback channels complete at once.
fn now<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("a loopback call waited"),
    }
}

/// One handler for the whole `Top` → `Middle` → `Base` chain, async and blocking.
#[derive(Debug, Default)]
struct Handler {
    fired: Mutex<Vec<services::Request>>,
}

impl Handler {
    fn echo(&self, req: services::Request) -> Result<services::Request, ServerError<top::EchoException>> {
        match &*req.user {
            "busy" => Err(Overloaded { message: "try later".into(), retry_after_ms: 250 }.into()),
            "nobody" => Err(NotFound { key: req.user }.into()),
            "bug" => {
                Err(ApplicationException::new(ApplicationExceptionKind::InternalError, "handler bug").into())
            }
            _ => Ok(req),
        }
    }

    fn lookup(&self, key: FastStr) -> Result<FastStr, ServerError<top::LookupException>> {
        match &*key {
            "answer" => Ok("42".into()),
            _ => Err(NotFound { key }.into()),
        }
    }

    fn forget(&self, key: FastStr) -> Result<(), ServerError<top::ForgetException>> {
        match &*key {
            "answer" => Ok(()),
            _ => Err(NotFound { key }.into()),
        }
    }

    fn describe(&self, info: Info) -> Result<Info, ServerError<top::DescribeException>> {
        if info.name.is_empty() {
            return Err(BaseError { why: "no name".into() }.into());
        }
        Ok(Info { name: format!("described {}", info.name).into() })
    }

    fn fire(&self, req: services::Request) {
        self.fired.lock().unwrap().push(req);
    }

    fn wrap(&self, info: Info) -> Wrapper {
        Wrapper { history: vec![info.clone(), info.clone()], info }
    }
}

impl Base for Handler {
    async fn info(&self) -> Result<Info, ApplicationException> {
        Ok(Info { name: "top".into() })
    }

    async fn fail(&self) -> Result<(), ServerError<base::base_service::FailException>> {
        Err(BaseError { why: "always".into() }.into())
    }
}

impl Middle for Handler {
    async fn wrap(&self, info: Info) -> Result<Wrapper, ApplicationException> {
        Ok(Handler::wrap(self, info))
    }
}

impl Top for Handler {
    async fn echo(
        &self,
        req: services::Request,
    ) -> Result<services::Request, ServerError<top::EchoException>> {
        Handler::echo(self, req)
    }

    async fn ping(&self) -> Result<(), ApplicationException> {
        Ok(())
    }

    async fn fire(&self, req: services::Request) -> Result<(), ApplicationException> {
        Handler::fire(self, req);
        Ok(())
    }

    async fn add(&self, a: i32, b: i32) -> Result<i32, ApplicationException> {
        a.checked_add(b)
            .ok_or_else(|| ApplicationException::new(ApplicationExceptionKind::Unknown, "overflow"))
    }

    async fn lookup(&self, key: FastStr) -> Result<FastStr, ServerError<top::LookupException>> {
        Handler::lookup(self, key)
    }

    async fn forget(&self, key: FastStr) -> Result<(), ServerError<top::ForgetException>> {
        Handler::forget(self, key)
    }

    async fn describe(&self, info: Info) -> Result<Info, ServerError<top::DescribeException>> {
        Handler::describe(self, info)
    }
}

impl BaseBlocking for Handler {
    fn info(&self) -> Result<Info, ApplicationException> {
        Ok(Info { name: "top".into() })
    }

    fn fail(&self) -> Result<(), ServerError<base::base_service::FailException>> {
        Err(BaseError { why: "always".into() }.into())
    }
}

impl MiddleBlocking for Handler {
    fn wrap(&self, info: Info) -> Result<Wrapper, ApplicationException> {
        Ok(Handler::wrap(self, info))
    }
}

impl TopBlocking for Handler {
    fn echo(&self, req: services::Request) -> Result<services::Request, ServerError<top::EchoException>> {
        Handler::echo(self, req)
    }

    fn ping(&self) -> Result<(), ApplicationException> {
        Ok(())
    }

    fn fire(&self, req: services::Request) -> Result<(), ApplicationException> {
        Handler::fire(self, req);
        Ok(())
    }

    fn add(&self, a: i32, b: i32) -> Result<i32, ApplicationException> {
        a.checked_add(b)
            .ok_or_else(|| ApplicationException::new(ApplicationExceptionKind::Unknown, "overflow"))
    }

    fn lookup(&self, key: FastStr) -> Result<FastStr, ServerError<top::LookupException>> {
        Handler::lookup(self, key)
    }

    fn forget(&self, key: FastStr) -> Result<(), ServerError<top::ForgetException>> {
        Handler::forget(self, key)
    }

    fn describe(&self, info: Info) -> Result<Info, ServerError<top::DescribeException>> {
        Handler::describe(self, info)
    }
}

fn request(user: &str) -> services::Request {
    services::Request {
        seq: 9,
        user: FastStr::new(user),
        flag: Some(false),
        items: vec![Wrapper { info: Info { name: "i".into() }, history: vec![] }],
    }
}

fn application_kind<E: std::fmt::Debug>(
    result: Result<impl std::fmt::Debug, ClientError<E>>,
) -> ApplicationExceptionKind {
    match result {
        Err(ClientError::Application(e)) => e.kind,
        other => panic!("expected an application exception, got {other:?}"),
    }
}

#[test]
fn async_calls_in_every_protocol() {
    for protocol in PROTOCOLS {
        let client = TopClient::new(Loopback::new(TopProcessor::new(Handler::default()), protocol));
        now(async {
            assert_eq!(client.echo(request("ann")).await.unwrap(), request("ann"), "{protocol:?}");
            match client.echo(request("busy")).await {
                Err(ClientError::Exception(top::EchoException::Overloaded(e))) => {
                    assert_eq!((&*e.message, e.retry_after_ms), ("try later", 250));
                }
                other => panic!("{protocol:?}: {other:?}"),
            }
            match client.echo(request("nobody")).await {
                Err(ClientError::Exception(top::EchoException::Missing(e))) => assert_eq!(e.key, "nobody"),
                other => panic!("{protocol:?}: {other:?}"),
            }
            match client.echo(request("bug")).await {
                Err(ClientError::Application(e)) => {
                    assert_eq!(e.kind, ApplicationExceptionKind::InternalError);
                    assert_eq!(e.message, "handler bug");
                }
                other => panic!("{protocol:?}: {other:?}"),
            }
            client.ping().await.unwrap();
            assert_eq!(client.add(2, 40).await.unwrap(), 42);
            assert_eq!(application_kind(client.add(i32::MAX, 1).await), ApplicationExceptionKind::Unknown);
            assert_eq!(client.lookup("answer".into()).await.unwrap(), "42");
            assert!(matches!(
                client.lookup("question".into()).await,
                Err(ClientError::Exception(top::LookupException::Missing(NotFound { key }))) if key == "question"
            ));
            // `forget` declares what `lookup` declares: its exception type is the same enum.
            client.forget("answer".into()).await.unwrap();
            let forgotten: Result<(), ClientError<top::LookupException>> = client.forget("x".into()).await;
            assert!(matches!(
                forgotten,
                Err(ClientError::Exception(top::ForgetException::Missing(NotFound { key }))) if key == "x"
            ));
            // Exceptions declared in another file, and methods inherited across files.
            assert_eq!(client.describe(Info { name: "x".into() }).await.unwrap().name, "described x");
            assert!(matches!(
                client.describe(Info::default()).await,
                Err(ClientError::Exception(top::DescribeException::Error(BaseError { .. })))
            ));
            assert_eq!(client.info().await.unwrap().name, "top");
            assert!(matches!(
                client.fail().await,
                Err(ClientError::Exception(base::base_service::FailException::Error(e))) if e.why == "always"
            ));
            let wrapped = client.wrap(Info { name: "w".into() }).await.unwrap();
            assert_eq!(wrapped.history.len(), 2);
            client.fire(request("oneway")).await.unwrap();
        });
        let fired = client.channel().processor().handler().fired.lock().unwrap().clone();
        assert_eq!(fired, [request("oneway")], "{protocol:?}");
    }
}

#[test]
fn blocking_calls_in_every_protocol() {
    for protocol in PROTOCOLS {
        let client = TopBlockingClient::new(BlockingLoopback::new(
            services::TopBlockingProcessor::new(Handler::default()),
            protocol,
        ));
        assert_eq!(client.echo(request("bo")).unwrap(), request("bo"));
        assert!(matches!(
            client.echo(request("busy")),
            Err(ClientError::Exception(top::EchoException::Overloaded(_)))
        ));
        assert_eq!(application_kind(client.echo(request("bug"))), ApplicationExceptionKind::InternalError);
        assert_eq!(client.add(-3, 3).unwrap(), 0);
        assert_eq!(client.lookup("answer".into()).unwrap(), "42");
        assert_eq!(client.info().unwrap().name, "top");
        assert!(matches!(client.fail(), Err(ClientError::Exception(_))));
        assert_eq!(client.wrap(Info { name: "b".into() }).unwrap().info.name, "b");
        client.fire(request("later")).unwrap();
        client.ping().unwrap();
        let fired = client.channel().processor().handler().fired.lock().unwrap().clone();
        assert_eq!(fired, [request("later")], "{protocol:?}");
    }
}

/// A `Top` client calling a server that only implements `Base`: the methods `Base`
/// lacks get `UNKNOWN_METHOD`, and the server keeps answering afterwards.
#[test]
fn unknown_methods_are_answered() {
    for protocol in PROTOCOLS {
        let client = TopClient::new(Loopback::new(base::BaseProcessor::new(Handler::default()), protocol));
        now(async {
            let err = client.echo(request("ann")).await.unwrap_err();
            match err {
                ClientError::Application(e) => {
                    assert_eq!(e.kind, ApplicationExceptionKind::UnknownMethod);
                    assert!(e.message.contains("echo"), "{e}");
                }
                other => panic!("{protocol:?}: {other:?}"),
            }
            assert_eq!(
                application_kind(client.wrap(Info::default()).await),
                ApplicationExceptionKind::UnknownMethod
            );
            assert_eq!(client.info().await.unwrap().name, "top");
        });
    }
}

/// Arguments that do not decode (here a required field is missing) get a
/// `PROTOCOL_ERROR` reply rather than a call of the handler.
#[test]
fn undecodable_arguments_are_a_protocol_error() {
    for protocol in PROTOCOLS {
        let processor = TopProcessor::new(Handler::default());
        let codec = CallCodec::new(protocol, None, Limits::default());
        let mut message = Vec::new();
        // `wrap`'s arguments hold an `Info` in field 1, where `echo` expects a `Request`
        // whose required field 1 is an i32: decoding `echo`'s arguments fails.
        let seq = codec
            .encode_call(
                "echo",
                false,
                &middle::middle_service::WrapArgs { info: Info { name: "n".into() } },
                &mut message,
            )
            .unwrap();
        let request = rift::Request::new(protocol, Bytes::from(message), Limits::default()).unwrap();
        let reply = now(processor.process(request)).unwrap().into_message().expect("a reply");
        let result = codec.decode_reply::<services::Request, top::EchoException>("echo", seq, &reply);
        match result {
            Err(ClientError::Application(e)) => {
                assert_eq!(e.kind, ApplicationExceptionKind::ProtocolError, "{protocol:?}");
                assert!(e.message.contains("seq"), "{e}");
            }
            other => panic!("{protocol:?}: {other:?}"),
        }
    }
}

/// A oneway call gets no reply, even when its handler fails.
#[test]
fn oneway_calls_get_no_reply() {
    let processor = services::TopBlockingProcessor::new(Handler::default());
    let codec = CallCodec::new(Protocol::Binary, None, Limits::default());
    let mut message = Vec::new();
    codec.encode_call("fire", true, &top::FireArgs { req: request("x") }, &mut message).unwrap();
    let request = rift::Request::new(Protocol::Binary, Bytes::from(message), Limits::default()).unwrap();
    assert!(request.is_oneway());
    assert!(BlockingProcessor::process(&processor, request).unwrap().is_none());
}

/// A reply whose result struct holds neither a value nor a declared exception is
/// `MISSING_RESULT`, as Apache's clients report it; for a `void` function it is success.
#[test]
fn empty_results() {
    for protocol in PROTOCOLS {
        let codec = CallCodec::new(protocol, None, Limits::default());
        let mut call = Vec::new();
        let seq =
            codec.encode_call("lookup", false, &top::LookupArgs { key: "k".into() }, &mut call).unwrap();
        let mut reply = Vec::new();
        rift::service::write_message(
            protocol,
            None,
            ("lookup", rift::MessageType::Reply, seq),
            &rift_generated_tests::idl::empty::Nothing {},
            &mut reply,
        )
        .unwrap();
        let reply = Bytes::from(reply);
        let result = codec.decode_reply::<String, top::LookupException>("lookup", seq, &reply);
        assert_eq!(application_kind(result), ApplicationExceptionKind::MissingResult, "{protocol:?}");
        let void = codec.decode_reply::<(), rift::NoException>("lookup", seq, &reply);
        assert!(void.is_ok(), "{protocol:?}: {void:?}");
    }
}
