//! rift's client and server inside `tower` stacks: timeouts and retries come from tower.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rift::tower::{BoxError, ProcessorService, RawCall, ServiceChannel, ServiceProcessor};
use rift::{ApplicationExceptionKind, ClientError, Endpoint, Protocol};
use rift_rpc_tests::{Calc, CalculatorClient, CalculatorProcessor};
use tower::{Service, ServiceBuilder, ServiceExt};

/// Retries calls that failed in transport, up to `left` more times.
#[derive(Clone, Debug)]
struct RetryTransport {
    left: usize,
}

impl<Res> tower::retry::Policy<RawCall, Res, BoxError> for RetryTransport {
    type Future = std::future::Ready<()>;

    fn retry(&mut self, _: &mut RawCall, result: &mut Result<Res, BoxError>) -> Option<Self::Future> {
        if result.is_err() && self.left > 0 {
            self.left -= 1;
            Some(std::future::ready(()))
        } else {
            None
        }
    }

    fn clone_request(&mut self, call: &RawCall) -> Option<RawCall> {
        Some(call.clone())
    }
}

/// Counts the attempts that reach it; fails while `failures` lasts.
fn counting<S>(
    inner: S,
    failures: Arc<AtomicUsize>,
    attempts: Arc<AtomicUsize>,
) -> impl Service<RawCall, Response = Option<bytes::Bytes>, Error = BoxError, Future: Send> + Clone + Send + Sync
where
    S: Service<RawCall, Response = Option<bytes::Bytes>, Error = BoxError, Future: Send + 'static>
        + Clone
        + Send
        + Sync
        + 'static,
{
    tower::service_fn(move |call: RawCall| {
        attempts.fetch_add(1, Ordering::SeqCst);
        let fail = failures.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok();
        let inner = inner.clone();
        async move {
            if fail {
                return Err::<Option<bytes::Bytes>, BoxError>("a flaky network".into());
            }
            inner.oneshot(call).await
        }
    })
}

async fn server(processor: impl rift::Processor) -> (Endpoint, rift::server::ServerHandle) {
    let bound = rift::server::Server::new(processor).bind("127.0.0.1:0").await.unwrap();
    let rift::server::LocalAddr::Tcp(addr) = bound.local_addr().unwrap() else { unreachable!() };
    let handle = bound.handle();
    tokio::spawn(bound.run());
    (Endpoint::tcp(addr.to_string()), handle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_stack_with_timeout_and_retry() {
    let (endpoint, handle) = server(CalculatorProcessor::new(Calc::default())).await;
    let client = rift::client::Client::builder(endpoint).build();

    // Two failures, then through: the retry layer hides them.
    let attempts = Arc::new(AtomicUsize::new(0));
    let stack = ServiceBuilder::new()
        .retry(RetryTransport { left: 3 })
        .timeout(Duration::from_millis(200))
        .service(counting(client.clone(), Arc::new(AtomicUsize::new(2)), attempts.clone()));
    let calc = CalculatorClient::new(ServiceChannel::new(stack, Protocol::Binary));
    assert_eq!(calc.add(20, 22).await.unwrap(), 42);
    assert_eq!(attempts.load(Ordering::SeqCst), 3, "two failures and the call that went through");

    // A slow call: each attempt times out, and the retries give up after three more.
    attempts.store(0, Ordering::SeqCst);
    let start = Instant::now();
    let e = calc.sleep(5_000).await.unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(3), "{:?}", start.elapsed());
    let ClientError::Transport(e) = e else { panic!("expected the timeout, got {e:?}") };
    assert!(e.is::<tower::timeout::error::Elapsed>(), "{e}");
    assert_eq!(attempts.load(Ordering::SeqCst), 4, "the call and three retries");

    // Declared exceptions are replies, not failures: no retry.
    attempts.store(0, Ordering::SeqCst);
    assert!(matches!(calc.divide(1, 0).await, Err(ClientError::Exception(_))));
    assert_eq!(attempts.load(Ordering::SeqCst), 1);
    handle.shutdown(Duration::from_secs(1)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_stack_with_a_timeout() {
    let service = ServiceBuilder::new()
        .timeout(Duration::from_millis(100))
        .service(ProcessorService::new(CalculatorProcessor::new(Calc::default())));
    let (endpoint, handle) = server(ServiceProcessor::new(service)).await;
    let calc = CalculatorClient::new(rift::client::Client::builder(endpoint).build());
    assert_eq!(calc.add(1, 2).await.unwrap(), 3);
    let e = calc.sleep(1_000).await.unwrap_err();
    assert!(
        matches!(&e, ClientError::Application(a) if a.kind == ApplicationExceptionKind::InternalError),
        "{e:?}"
    );
    assert_eq!(calc.add(2, 3).await.unwrap(), 5, "the connection lives on");
    handle.shutdown(Duration::from_secs(1)).await;
}
