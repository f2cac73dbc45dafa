//! The services of the RPC integration suite (`idl/calc.thrift`) and their handlers.

use std::sync::atomic::{AtomicI32, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rift::{ApplicationException, FastStr, ServerError};

/// The generated code.
pub mod idl {
    rift::include_generated!();
}

pub use idl::calc::*;

/// The calculator: arithmetic, echoes, and events recorded by a oneway call.
#[derive(Clone, Debug, Default)]
pub struct Calc {
    events: Arc<Mutex<Vec<FastStr>>>,
    sleeping: Arc<AtomicI32>,
    ticks: Arc<AtomicI64>,
}

/// Counts a call of `sleep` while it is served, until it returns or is dropped.
struct Sleeping(Arc<AtomicI32>);

impl Sleeping {
    fn new(count: &Arc<AtomicI32>) -> Sleeping {
        count.fetch_add(1, Ordering::SeqCst);
        Sleeping(count.clone())
    }
}

impl Drop for Sleeping {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn divide(a: i32, b: i32) -> Result<i32, ServerError<calculator::DivideException>> {
    if b == 0 {
        return Err(ServerError::Exception(calculator::DivideException::Oops(DivideByZero {
            message: format!("{a} / 0").into(),
        })));
    }
    Ok(a / b)
}

impl Calc {
    fn record(&self, event: FastStr) {
        self.events.lock().unwrap_or_else(|e| e.into_inner()).push(event);
    }

    fn events(&self) -> Vec<FastStr> {
        self.events.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Calculator for Calc {
    async fn add(&self, a: i32, b: i32) -> Result<i32, ApplicationException> {
        Ok(a.wrapping_add(b))
    }

    async fn divide(&self, a: i32, b: i32) -> Result<i32, ServerError<calculator::DivideException>> {
        divide(a, b)
    }

    async fn echo(&self, text: FastStr) -> Result<FastStr, ApplicationException> {
        Ok(text)
    }

    async fn blob(&self, size: i32) -> Result<rift::codegen::Bytes, ApplicationException> {
        Ok(vec![7u8; size.max(0) as usize].into())
    }

    async fn record(&self, event: FastStr) -> Result<(), ApplicationException> {
        Calc::record(self, event);
        Ok(())
    }

    async fn events(&self) -> Result<Vec<FastStr>, ApplicationException> {
        Ok(Calc::events(self))
    }

    async fn sleep(&self, millis: i32) -> Result<(), ApplicationException> {
        let _counted = Sleeping::new(&self.sleeping);
        tokio::time::sleep(Duration::from_millis(millis.max(0) as u64)).await;
        Ok(())
    }

    async fn crash(&self) -> Result<i32, ApplicationException> {
        panic!("the calculator crashed on purpose");
    }

    async fn sleeping(&self) -> Result<i32, ApplicationException> {
        Ok(self.sleeping.load(Ordering::SeqCst))
    }

    async fn tick(&self) -> Result<(), ApplicationException> {
        self.ticks.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    async fn ticks(&self) -> Result<i64, ApplicationException> {
        Ok(self.ticks.load(Ordering::SeqCst))
    }
}

impl CalculatorBlocking for Calc {
    fn add(&self, a: i32, b: i32) -> Result<i32, ApplicationException> {
        Ok(a.wrapping_add(b))
    }

    fn divide(&self, a: i32, b: i32) -> Result<i32, ServerError<calculator::DivideException>> {
        divide(a, b)
    }

    fn echo(&self, text: FastStr) -> Result<FastStr, ApplicationException> {
        Ok(text)
    }

    fn blob(&self, size: i32) -> Result<rift::codegen::Bytes, ApplicationException> {
        Ok(vec![7u8; size.max(0) as usize].into())
    }

    fn record(&self, event: FastStr) -> Result<(), ApplicationException> {
        Calc::record(self, event);
        Ok(())
    }

    fn events(&self) -> Result<Vec<FastStr>, ApplicationException> {
        Ok(Calc::events(self))
    }

    fn sleep(&self, millis: i32) -> Result<(), ApplicationException> {
        let _counted = Sleeping::new(&self.sleeping);
        std::thread::sleep(Duration::from_millis(millis.max(0) as u64));
        Ok(())
    }

    fn crash(&self) -> Result<i32, ApplicationException> {
        panic!("the calculator crashed on purpose");
    }

    fn sleeping(&self) -> Result<i32, ApplicationException> {
        Ok(self.sleeping.load(Ordering::SeqCst))
    }

    fn tick(&self) -> Result<(), ApplicationException> {
        self.ticks.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    fn ticks(&self) -> Result<i64, ApplicationException> {
        Ok(self.ticks.load(Ordering::SeqCst))
    }
}

/// The greeter, the second service of the multiplexed tests.
#[derive(Clone, Copy, Debug, Default)]
pub struct Greet;

impl Greeter for Greet {
    async fn greet(&self, name: FastStr) -> Result<FastStr, ApplicationException> {
        Ok(format!("hello, {name}").into())
    }
}

impl GreeterBlocking for Greet {
    fn greet(&self, name: FastStr) -> Result<FastStr, ApplicationException> {
        Ok(format!("hello, {name}").into())
    }
}
