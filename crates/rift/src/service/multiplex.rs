//! Several services behind one server: Apache's multiplexed protocol. A client of
//! service `Calc` sends `Calc:add` as the method name; the server routes the call to
//! the processor registered as `Calc` and answers with the plain method name, as
//! Apache's `TMultiplexedProcessor` does. Calls without a prefix go to the default
//! service, if there is one, so unmultiplexed clients keep working.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

use crate::error::Result;
use crate::protocol::message::{ApplicationException, ApplicationExceptionKind};
use crate::service::{BlockingProcessor, Processor, Reply, Request};

/// The separator of service and method in a multiplexed method name.
pub const SEPARATOR: char = ':';

type BoxFuture<'a> = Pin<Box<dyn Future<Output = Result<Reply>> + Send + 'a>>;

/// A [`Processor`] behind a pointer, so processors of different types share a map.
trait DynProcessor: Send + Sync + 'static {
    fn process_boxed(&self, request: Request) -> BoxFuture<'_>;
}

impl<P: Processor> DynProcessor for P {
    fn process_boxed(&self, request: Request) -> BoxFuture<'_> {
        Box::pin(self.process(request))
    }
}

/// Routes each call to a service by the prefix of its method name.
#[derive(Default)]
pub struct Multiplexed {
    services: HashMap<String, Box<dyn DynProcessor>>,
    default: Option<Box<dyn DynProcessor>>,
}

impl fmt::Debug for Multiplexed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&String> = self.services.keys().collect();
        names.sort();
        f.debug_struct("Multiplexed")
            .field("services", &names)
            .field("default", &self.default.is_some())
            .finish()
    }
}

impl Multiplexed {
    /// No services yet.
    pub fn new() -> Multiplexed {
        Multiplexed::default()
    }

    /// Serves `processor` as `name` (calls of `name:method`).
    #[must_use]
    pub fn with(mut self, name: impl Into<String>, processor: impl Processor) -> Self {
        self.services.insert(name.into(), Box::new(processor));
        self
    }

    /// Serves `processor` as `name`, and to calls without a service prefix.
    #[must_use]
    pub fn with_default(mut self, name: impl Into<String>, processor: impl Processor + Clone) -> Self {
        self.default = Some(Box::new(processor.clone()));
        self.with(name, processor)
    }
}

/// Splits `Service:method`; `None` without a separator.
fn route(method: &str) -> Option<(&str, usize)> {
    method.find(SEPARATOR).map(|at| (&method[..at], at))
}

fn unknown_service(request: Request, service: &str) -> Result<Reply> {
    let text = format!("unknown service `{service}` (method `{}`)", request.method());
    request.exception(&ApplicationException::new(ApplicationExceptionKind::UnknownMethod, text))
}

impl Processor for Multiplexed {
    fn service_name(&self) -> &'static str {
        "multiplexed"
    }

    async fn process(&self, mut request: Request) -> Result<Reply> {
        match route(request.method()) {
            Some((service, at)) => match self.services.get(service) {
                Some(processor) => {
                    request.strip_service(at);
                    processor.process_boxed(request).await
                }
                None => {
                    let service = service.to_owned();
                    unknown_service(request, &service)
                }
            },
            None => match &self.default {
                Some(processor) => processor.process_boxed(request).await,
                None => unknown_service(request, ""),
            },
        }
    }
}

/// [`Multiplexed`] for blocking processors.
#[derive(Default)]
pub struct BlockingMultiplexed {
    services: HashMap<String, Box<dyn BlockingProcessor>>,
    default: Option<String>,
}

impl fmt::Debug for BlockingMultiplexed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&String> = self.services.keys().collect();
        names.sort();
        f.debug_struct("BlockingMultiplexed")
            .field("services", &names)
            .field("default", &self.default)
            .finish()
    }
}

impl BlockingMultiplexed {
    /// No services yet.
    pub fn new() -> BlockingMultiplexed {
        BlockingMultiplexed::default()
    }

    /// Serves `processor` as `name`.
    #[must_use]
    pub fn with(mut self, name: impl Into<String>, processor: impl BlockingProcessor) -> Self {
        self.services.insert(name.into(), Box::new(processor));
        self
    }

    /// Serves `processor` as `name`, and to calls without a service prefix.
    #[must_use]
    pub fn with_default(mut self, name: impl Into<String>, processor: impl BlockingProcessor) -> Self {
        let name = name.into();
        self.default = Some(name.clone());
        self.with(name, processor)
    }
}

impl BlockingProcessor for BlockingMultiplexed {
    fn service_name(&self) -> &'static str {
        "multiplexed"
    }

    fn process(&self, mut request: Request) -> Result<Reply> {
        match route(request.method()) {
            Some((service, at)) => match self.services.get(service) {
                Some(processor) => {
                    request.strip_service(at);
                    processor.process(request)
                }
                None => {
                    let service = service.to_owned();
                    unknown_service(request, &service)
                }
            },
            None => match self.default.as_ref().and_then(|name| self.services.get(name)) {
                Some(processor) => processor.process(request),
                None => unknown_service(request, ""),
            },
        }
    }
}
