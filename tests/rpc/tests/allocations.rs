//! The async server serves a call without allocating: the handler's future lives in
//! room the connection keeps from call to call, the arguments are read from the
//! received frame, and the reply is encoded into the connection's own buffer.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicU64, Ordering};

use rift_rpc_tests::{Calc, CalculatorProcessor};

/// The system allocator, counting the allocations of the whole process.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: each method passes its arguments to the system allocator unchanged and
// returns what it returns; counting touches no allocated memory.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller upholds `alloc`'s contract, which is `System.alloc`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: `ptr` and `layout` come from this allocator, which got them from `System`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as for `realloc`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// `add(20, 22)`, framed binary.
fn add_call() -> Vec<u8> {
    let mut message = vec![0x80, 1, 0, 1, 0, 0, 0, 3];
    message.extend_from_slice(b"add");
    message.extend_from_slice(&1i32.to_be_bytes());
    message.extend_from_slice(&[8, 0, 1, 0, 0, 0, 20, 8, 0, 2, 0, 0, 0, 22, 0]);
    let mut framed = (message.len() as u32).to_be_bytes().to_vec();
    framed.extend_from_slice(&message);
    framed
}

#[test]
fn the_async_server_serves_calls_without_allocating() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let addr = runtime.block_on(async {
        let server = rift::server::Server::new(CalculatorProcessor::new(Calc::default()));
        let bound = server.bind("127.0.0.1:0").await.unwrap();
        let rift::server::LocalAddr::Tcp(addr) = bound.local_addr().unwrap() else { unreachable!() };
        tokio::spawn(bound.run());
        addr
    });
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_nodelay(true).unwrap();
    let call = add_call();
    let mut reply = [0u8; 256];
    let mut exchange = |s: &mut TcpStream| {
        s.write_all(&call).unwrap();
        let mut len = [0u8; 4];
        s.read_exact(&mut len).unwrap();
        let len = u32::from_be_bytes(len) as usize;
        s.read_exact(&mut reply[..len]).unwrap();
        // The sum, the reply struct's field 0, just before its stop byte.
        assert_eq!(reply[len - 5..len - 1], 42i32.to_be_bytes());
    };
    // The first calls find the connection's buffers and room.
    for _ in 0..100 {
        exchange(&mut s);
    }
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    for _ in 0..1000 {
        exchange(&mut s);
    }
    let during = ALLOCATIONS.load(Ordering::SeqCst) - before;
    // One a call would be 1,000; the few left are the runtime's and the test harness's.
    assert!(during < 100, "{during} allocations in the process for 1,000 calls");
}
