//! The blocking server: handlers are plain functions, called on a pool of threads; no
//! async runtime.
//!
//! The threads take turns (leader/follower): one of them, the leader, waits on the
//! poller (epoll, through mio) for every socket of the server at once, accepts, and
//! queues the connections that have something to do; every thread, the leader too once
//! it has handed the poller back, takes queued connections and drives them: reads what
//! has arrived into their [`ServerConnection`], calls the processor for each request,
//! and writes the reply. Under load one wait hands out many connections and a thread
//! goes from one to the next without sleeping, which is what a thread per connection
//! cannot do. A connection is driven by one thread at a time (its [`Slot`]'s state says
//! which), so its messages are served in order.
//!
//! Deadlines (idle, read and write timeouts) are noted per connection; the leader
//! waits no longer than the earliest and then looks over the connections. A
//! connection found to speak HTTP is handed to a thread of its own, in blocking mode.

#[cfg(feature = "http")]
use std::collections::HashMap;
use std::collections::VecDeque;
use std::fmt;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, ToSocketAddrs};
#[cfg(unix)]
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use mio::{Events, Interest, Poll, Registry, Token, Waker};

use crate::config::ServerConfig;
use crate::connection::{ServerConnection, ServerEvent};
use crate::service::BlockingProcessor;
#[cfg(feature = "http")]
use crate::socket::{Closer, Socket};

/// A blocking server of one processor.
///
/// ```no_run
/// # fn run(processor: impl rift::BlockingProcessor) -> std::io::Result<()> {
/// // Four threads serve every connection, four calls at a time.
/// rift::blocking::Server::new(processor).bind("0.0.0.0:9090")?.run()
/// # }
/// ```
///
/// [`Server::threads`] calls are served at once (four by default), as with Apache's
/// `TThreadPoolServer`; the number of connections is bounded only by
/// [`Server::max_connections`]. A handler that never returns holds its thread for good
/// (a thread cannot be stopped from outside): the others serve on.
#[derive(Debug)]
pub struct Server<P> {
    processor: Arc<P>,
    config: ServerConfig,
}

impl<P: BlockingProcessor> Server<P> {
    crate::config::server_setters!();
    /// A server of `processor`, serving four calls at a time.
    pub fn new(processor: P) -> Server<P> {
        Server { processor: Arc::new(processor), config: ServerConfig::default() }
    }

    /// Serves up to `n` calls at once, on that many threads (a handler that blocks holds
    /// one of them). Default: 4.
    #[must_use]
    pub fn threads(mut self, n: usize) -> Self {
        self.config.threads = n.max(1);
        self
    }

    /// Serves at most `n` connections at once; more wait to be accepted. Default: 10,000.
    #[must_use]
    pub fn max_connections(mut self, n: usize) -> Self {
        self.config.max_connections = n.max(1);
        self
    }

    /// Listens on a TCP address.
    pub fn bind(self, addr: impl ToSocketAddrs) -> io::Result<Bound<P>> {
        let listener = std::net::TcpListener::bind(addr)?;
        self.tcp_listener(listener)
    }

    /// Serves connections from a TCP listener already bound.
    pub fn tcp_listener(self, listener: std::net::TcpListener) -> io::Result<Bound<P>> {
        listener.set_nonblocking(true)?;
        self.bound(Listener::Tcp(mio::net::TcpListener::from_std(listener)))
    }

    /// Listens on a Unix domain socket, replacing a stale socket file at `path`.
    #[cfg(unix)]
    pub fn bind_unix(self, path: impl AsRef<Path>) -> io::Result<Bound<P>> {
        use std::os::unix::fs::FileTypeExt;
        let path = path.as_ref();
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_socket()) {
            std::fs::remove_file(path)?;
        }
        let listener = mio::net::UnixListener::bind(path)?;
        self.bound(Listener::Unix(listener, path.to_path_buf()))
    }

    fn bound(self, mut listener: Listener) -> io::Result<Bound<P>> {
        let poll = Poll::new()?;
        listener.register(poll.registry())?;
        let waker = Waker::new(poll.registry(), WAKER)?;
        let registry = poll.registry().try_clone()?;
        let shared = Arc::new(Shared {
            poll: Mutex::new(poll),
            registry,
            waker,
            work: Mutex::new(Work::default()),
            wake: Condvar::new(),
            stop: AtomicBool::new(false),
            slots: Mutex::new(Slots::default()),
            open: AtomicUsize::new(0),
            epoch: Instant::now(),
            earliest: AtomicU64::new(NEVER),
            accept_again: AtomicBool::new(false),
            #[cfg(feature = "http")]
            http: Mutex::new(HashMap::new()),
            #[cfg(feature = "http")]
            next_http: AtomicU64::new(0),
            failure: Mutex::new(None),
        });
        Ok(Bound { server: self, listener, shared })
    }
}

const LISTENER: Token = Token(usize::MAX - 1);
const WAKER: Token = Token(usize::MAX);
/// No deadline.
const NEVER: u64 = u64::MAX;

#[derive(Debug)]
enum Listener {
    Tcp(mio::net::TcpListener),
    #[cfg(unix)]
    Unix(mio::net::UnixListener, PathBuf),
}

impl Listener {
    fn register(&mut self, registry: &Registry) -> io::Result<()> {
        match self {
            Listener::Tcp(l) => registry.register(l, LISTENER, Interest::READABLE),
            #[cfg(unix)]
            Listener::Unix(l, _) => registry.register(l, LISTENER, Interest::READABLE),
        }
    }

    fn deregister(&mut self, registry: &Registry) {
        let _ = match self {
            Listener::Tcp(l) => registry.deregister(l),
            #[cfg(unix)]
            Listener::Unix(l, _) => registry.deregister(l),
        };
    }

    fn accept(&self) -> io::Result<(Stream, String)> {
        match self {
            Listener::Tcp(l) => {
                let (stream, peer) = l.accept()?;
                let _ = stream.set_nodelay(true);
                Ok((Stream::Tcp(stream), peer.to_string()))
            }
            #[cfg(unix)]
            Listener::Unix(l, path) => {
                let (stream, _) = l.accept()?;
                Ok((Stream::Unix(stream), path.display().to_string()))
            }
        }
    }
}

/// An accepted socket, non-blocking.
#[derive(Debug)]
enum Stream {
    Tcp(mio::net::TcpStream),
    #[cfg(unix)]
    Unix(mio::net::UnixStream),
}

impl Stream {
    fn register(&mut self, registry: &Registry, token: Token) -> io::Result<()> {
        let interest = Interest::READABLE | Interest::WRITABLE;
        match self {
            Stream::Tcp(s) => registry.register(s, token, interest),
            #[cfg(unix)]
            Stream::Unix(s) => registry.register(s, token, interest),
        }
    }

    fn deregister(&mut self, registry: &Registry) {
        let _ = match self {
            Stream::Tcp(s) => registry.deregister(s),
            #[cfg(unix)]
            Stream::Unix(s) => registry.deregister(s),
        };
    }

    fn shutdown(&self) {
        let _ = match self {
            Stream::Tcp(s) => s.shutdown(Shutdown::Both),
            #[cfg(unix)]
            Stream::Unix(s) => s.shutdown(Shutdown::Both),
        };
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Tcp(s) => s.read(buf),
            #[cfg(unix)]
            Stream::Unix(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Tcp(s) => s.write(buf),
            #[cfg(unix)]
            Stream::Unix(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// What the threads share.
struct Shared {
    /// Held by the leader while it waits.
    poll: Mutex<Poll>,
    registry: Registry,
    /// Breaks the leader's wait: for shutdown, and to accept again.
    waker: Waker,
    work: Mutex<Work>,
    /// Followers wait here for work, or for the poller to be free.
    wake: Condvar,
    stop: AtomicBool,
    slots: Mutex<Slots>,
    /// Connections open, those handed to HTTP threads included.
    open: AtomicUsize,
    epoch: Instant,
    /// The earliest deadline noted since the last look, in milliseconds from `epoch`.
    earliest: AtomicU64,
    /// Whether accepting should be tried again (a connection closed while at the cap).
    accept_again: AtomicBool,
    /// The HTTP connections, so that shutdown can end those waiting for a request.
    #[cfg(feature = "http")]
    http: Mutex<HashMap<u64, Arc<Live>>>,
    #[cfg(feature = "http")]
    next_http: AtomicU64,
    /// An error that stops the server (the listener failed).
    failure: Mutex<Option<io::Error>>,
}

#[derive(Default)]
struct Work {
    queue: VecDeque<Arc<Slot>>,
    /// Whether a thread is the leader.
    leading: bool,
    /// Followers waiting on `wake`.
    waiting: usize,
}

/// The connections, by token.
#[derive(Default)]
struct Slots {
    slots: Vec<Option<Arc<Slot>>>,
    free: Vec<usize>,
}

/// A connection's place in the server.
struct Slot {
    token: Token,
    /// `IDLE`, `RUNNING` (a thread drives it) or `NOTIFIED` (and something happened
    /// since it began).
    state: AtomicU8,
    /// Locked only by the thread that has it `RUNNING`; `None` once closed.
    conn: Mutex<Option<Conn>>,
    /// The poller said the peer has closed its side: the socket has an end to read,
    /// even when a read took less than it could (data and the end came together).
    read_closed: AtomicBool,
}

const IDLE: u8 = 0;
const RUNNING: u8 = 1;
const NOTIFIED: u8 = 2;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    fn stopping(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    fn note_deadline(&self, deadline: Option<Instant>) {
        if let Some(d) = deadline {
            let ms = d.saturating_duration_since(self.epoch).as_millis() as u64;
            self.earliest.fetch_min(ms, Ordering::SeqCst);
        }
    }

    /// Claims `slot` for a thread: queues it if idle, or tells the thread driving it
    /// to go round again.
    fn schedule(&self, slot: &Arc<Slot>, work: &mut Work) {
        while !self.claim(slot) {
            // Being driven: the thread driving it goes round again, unless it let go
            // just now, and then it is claimed here.
            match slot.state.compare_exchange(RUNNING, NOTIFIED, Ordering::SeqCst, Ordering::SeqCst) {
                Ok(_) | Err(NOTIFIED) => return,
                Err(_) => {}
            }
        }
        work.queue.push_back(slot.clone());
    }

    /// Claims `slot` if it is idle (for a look at its deadline, or to close it).
    fn claim(&self, slot: &Slot) -> bool {
        slot.state.compare_exchange(IDLE, RUNNING, Ordering::SeqCst, Ordering::SeqCst).is_ok()
    }

    /// Gives up a slot claimed; `false` if something happened meanwhile and it must be
    /// driven again (it stays claimed).
    fn release(&self, slot: &Slot) -> bool {
        if slot.state.compare_exchange(RUNNING, IDLE, Ordering::SeqCst, Ordering::SeqCst).is_ok() {
            return true;
        }
        slot.state.store(RUNNING, Ordering::SeqCst);
        false
    }

    /// Closes the connection of a claimed slot and frees the slot.
    fn close(&self, slot: &Slot) {
        if let Some(mut conn) = lock(&slot.conn).take() {
            conn.io.deregister(&self.registry);
            conn.io.shutdown();
        }
        self.remove(slot);
        self.closed();
    }

    fn remove(&self, slot: &Slot) {
        let mut slots = lock(&self.slots);
        slots.slots[slot.token.0] = None;
        slots.free.push(slot.token.0);
    }

    /// One connection fewer.
    fn closed(&self) {
        let left = self.open.fetch_sub(1, Ordering::SeqCst) - 1;
        if self.stopping() && left == 0 {
            self.finish();
        } else if self.accept_again.swap(false, Ordering::SeqCst) {
            let _ = self.waker.wake();
        }
    }

    /// Wakes every thread, to see that the server has stopped.
    fn finish(&self) {
        let _ = self.waker.wake();
        let _work = lock(&self.work);
        self.wake.notify_all();
    }

    fn finished(&self) -> bool {
        self.stopping() && self.open.load(Ordering::SeqCst) == 0
    }

    fn fail(&self, e: io::Error) {
        lock(&self.failure).get_or_insert(e);
        self.stop.store(true, Ordering::SeqCst);
        self.finish();
    }

    #[cfg(feature = "http")]
    /// Ends the HTTP connections that wait for their next request: their blocked read
    /// returns the end of the stream. Those serving one see `stop` after it.
    fn close_waiting_http(&self) {
        for live in lock(&self.http).values() {
            if live.waiting.load(Ordering::SeqCst) {
                live.closer.shutdown(Shutdown::Read);
            }
        }
    }
}

/// An HTTP connection on a thread of its own, as shutdown sees it.
#[cfg(feature = "http")]
#[derive(Debug)]
pub(crate) struct Live {
    /// Whether it waits for its next request (rather than serving one).
    waiting: AtomicBool,
    /// When the request being received began to arrive: its read timeout counts from
    /// here, however slowly its bytes come.
    started: Mutex<Option<Instant>>,
    closer: Closer,
}

#[cfg(feature = "http")]
impl Live {
    /// Marks the connection as waiting for its next request (`true`) or serving one
    /// (`false`: the request has been read whole).
    pub(crate) fn set_waiting(&self, waiting: bool) {
        self.waiting.store(waiting, Ordering::SeqCst);
        if !waiting {
            *lock(&self.started) = None;
        }
    }

    /// Before a read: sets the socket's timeout to what is left of the wait, `Err` when
    /// nothing is. Between requests the idle timeout bounds a read; within one, the read
    /// timeout from its first bytes.
    pub(crate) fn before_read(&self, config: &ServerConfig) -> io::Result<()> {
        let started = *lock(&self.started);
        let timeout = match (started, config.read_timeout) {
            (Some(started), Some(read)) => {
                let left = (started + read).saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the request took too long to arrive",
                    ));
                }
                Some(left)
            }
            (Some(_), None) => None,
            (None, _) => config.idle_timeout.or(config.read_timeout),
        };
        self.closer.set_read_timeout(timeout.map(|t| t.max(Duration::from_millis(1))))
    }

    /// After a read of `n` bytes: the first bytes of a request start its clock.
    pub(crate) fn after_read(&self, n: usize) {
        if n > 0 && self.waiting.load(Ordering::SeqCst) {
            lock(&self.started).get_or_insert_with(Instant::now);
        }
    }
}

/// A blocking server listening, ready to [`run`](Bound::run).
pub struct Bound<P> {
    server: Server<P>,
    listener: Listener,
    shared: Arc<Shared>,
}

impl<P> fmt::Debug for Bound<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bound").field("listener", &self.listener).finish_non_exhaustive()
    }
}

/// Stops a running blocking server.
#[derive(Clone)]
pub struct ServerHandle {
    shared: Arc<Shared>,
}

impl fmt::Debug for ServerHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerHandle").field("stopping", &self.shared.stopping()).finish()
    }
}

impl ServerHandle {
    /// Stops accepting; connections waiting for their next message end now, and each
    /// other one after the call it is serving. [`Bound::run`] returns when all have
    /// ended.
    pub fn shutdown(&self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        let _ = self.shared.waker.wake();
        #[cfg(feature = "http")]
        self.shared.close_waiting_http();
    }
}

impl<P: BlockingProcessor> Bound<P> {
    /// The TCP address listened on (`None` for a Unix socket).
    pub fn local_addr(&self) -> Option<SocketAddr> {
        match &self.listener {
            Listener::Tcp(l) => l.local_addr().ok(),
            #[cfg(unix)]
            Listener::Unix(..) => None,
        }
    }

    /// A handle to stop the server from another thread.
    pub fn handle(&self) -> io::Result<ServerHandle> {
        Ok(ServerHandle { shared: self.shared.clone() })
    }

    /// Serves until stopped, on this thread and `threads - 1` more.
    pub fn run(self) -> io::Result<()> {
        let Bound { server, mut listener, shared } = self;
        let threads = server.config.threads;
        tracing::info!(threads, "rift blocking server listening");
        std::thread::scope(|scope| {
            let pool = Pool {
                shared: &shared,
                listener: &listener,
                processor: &*server.processor,
                config: &server.config,
                scope,
            };
            let mut handles = Vec::new();
            for _ in 1..threads {
                handles.push(scope.spawn(move || pool.work()));
            }
            pool.work();
            for h in handles {
                if h.join().is_err() {
                    shared.fail(io::Error::other("a server thread panicked"));
                }
            }
        });
        listener.deregister(&shared.registry);
        #[cfg(unix)]
        if let Listener::Unix(_, path) = &listener {
            let _ = std::fs::remove_file(path);
        }
        match lock(&shared.failure).take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// What each thread of the pool works with.
struct Pool<'a, 'scope, 'env, P> {
    shared: &'a Shared,
    listener: &'a Listener,
    processor: &'a P,
    config: &'a ServerConfig,
    #[cfg_attr(not(feature = "http"), allow(dead_code))]
    scope: &'scope std::thread::Scope<'scope, 'env>,
}

impl<P> Clone for Pool<'_, '_, '_, P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P> Copy for Pool<'_, '_, '_, P> {}

impl<'a, 'scope, 'env: 'scope, P: BlockingProcessor> Pool<'a, 'scope, 'env, P>
where
    'a: 'scope,
{
    /// A thread's life: drive queued connections; when none is queued, lead (wait on
    /// the poller) if no one else does, or wait to be woken.
    fn work(self) {
        let shared = self.shared;
        let mut events = Events::with_capacity(256);
        let mut work = lock(&shared.work);
        loop {
            if let Some(slot) = work.queue.pop_front() {
                // Let a follower take the rest, or take over the poller.
                if work.waiting > 0 && (!work.queue.is_empty() || !work.leading) {
                    shared.wake.notify_one();
                }
                drop(work);
                self.drive(&slot);
                work = lock(&shared.work);
                continue;
            }
            if shared.finished() {
                shared.wake.notify_all();
                return;
            }
            if !work.leading {
                work.leading = true;
                drop(work);
                self.lead(&mut events);
                work = lock(&shared.work);
                work.leading = false;
                continue;
            }
            work.waiting += 1;
            work = shared.wake.wait(work).unwrap_or_else(|e| e.into_inner());
            work.waiting -= 1;
        }
    }

    /// Waits on the poller once and queues what it says.
    fn lead(&self, events: &mut Events) {
        let shared = self.shared;
        let timeout = match shared.earliest.load(Ordering::SeqCst) {
            NEVER => None,
            at => Some(Duration::from_millis(at.saturating_sub(shared.now_ms()))),
        };
        let polled = lock(&shared.poll).poll(events, timeout);
        if let Err(e) = polled
            && e.kind() != io::ErrorKind::Interrupted
        {
            shared.fail(e);
            return;
        }
        let mut accept = false;
        {
            let slots = lock(&shared.slots);
            let mut work = lock(&shared.work);
            for event in events.iter() {
                match event.token() {
                    LISTENER => accept = true,
                    WAKER => {}
                    Token(i) => {
                        if let Some(Some(slot)) = slots.slots.get(i) {
                            if event.is_read_closed() {
                                slot.read_closed.store(true, Ordering::SeqCst);
                            }
                            shared.schedule(slot, &mut work);
                        }
                    }
                }
            }
        }
        if shared.stopping() {
            self.stop_idle();
            return;
        }
        if accept || shared.accept_again.swap(false, Ordering::SeqCst) {
            self.accept();
        }
        let earliest = shared.earliest.load(Ordering::SeqCst);
        if earliest != NEVER && earliest <= shared.now_ms() {
            self.expire();
        }
    }

    /// Accepts every connection waiting, up to the cap.
    fn accept(&self) {
        let shared = self.shared;
        loop {
            if shared.open.load(Ordering::SeqCst) >= self.config.max_connections {
                shared.accept_again.store(true, Ordering::SeqCst);
                // A connection may have closed before the flag was up.
                if shared.open.load(Ordering::SeqCst) >= self.config.max_connections {
                    return;
                }
            }
            match self.listener.accept() {
                Ok((stream, peer)) => self.admit(stream, peer),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if super::is_transient(&e) => {
                    tracing::warn!(error = %e, "accept failed; retrying");
                    shared.accept_again.store(true, Ordering::SeqCst);
                    shared.note_deadline(Some(Instant::now() + super::ACCEPT_RETRY));
                    return;
                }
                Err(e) => {
                    tracing::error!(error = %e, "accept failed; the server stops");
                    shared.fail(e);
                    return;
                }
            }
        }
    }

    fn admit(&self, mut stream: Stream, peer: String) {
        let shared = self.shared;
        tracing::debug!(%peer, "connection accepted");
        #[cfg(feature = "tls")]
        let tls = match &self.config.tls {
            Some(config) => match rustls::ServerConnection::new(config.clone()) {
                Ok(mut session) => {
                    // A reply goes out whole: it is in memory already.
                    session.set_buffer_limit(None);
                    Some(Box::new(session))
                }
                Err(e) => {
                    tracing::warn!(%peer, error = %e, "TLS session refused");
                    return;
                }
            },
            None => None,
        };
        let deadline = self.config.idle_timeout.map(|t| Instant::now() + t);
        let mut slots = lock(&shared.slots);
        let index = slots.free.pop().unwrap_or_else(|| {
            slots.slots.push(None);
            slots.slots.len() - 1
        });
        let token = Token(index);
        if let Err(e) = stream.register(&shared.registry, token) {
            tracing::warn!(%peer, error = %e, "cannot serve this socket");
            slots.free.push(index);
            return;
        }
        let conn = Conn {
            io: stream,
            #[cfg(feature = "tls")]
            tls,
            core: ServerConnection::new(self.config.format, self.config.limits),
            out: Vec::new(),
            peer: peer.into(),
            started: None,
            deadline,
        };
        slots.slots[index] = Some(Arc::new(Slot {
            token,
            state: AtomicU8::new(IDLE),
            conn: Mutex::new(Some(conn)),
            read_closed: AtomicBool::new(false),
        }));
        shared.open.fetch_add(1, Ordering::SeqCst);
        shared.note_deadline(deadline);
    }

    /// Closes the connections whose deadline has passed, and notes the others'.
    fn expire(&self) {
        let shared = self.shared;
        shared.earliest.store(NEVER, Ordering::SeqCst);
        let now = Instant::now();
        let slots: Vec<Arc<Slot>> = lock(&shared.slots).slots.iter().flatten().cloned().collect();
        for slot in slots {
            // A connection being driven notes its own deadline when it is done.
            if !shared.claim(&slot) {
                continue;
            }
            let (deadline, expired) = match lock(&slot.conn).as_ref() {
                Some(conn) => {
                    let expired = conn.deadline.is_some_and(|d| d <= now);
                    if expired {
                        tracing::debug!(peer = %conn.peer, "timed out; closing the connection");
                    }
                    (conn.deadline, expired)
                }
                None => (None, false),
            };
            if expired {
                shared.close(&slot);
                continue;
            }
            shared.note_deadline(deadline);
            if !shared.release(&slot) {
                lock(&shared.work).queue.push_back(slot);
            }
        }
        if shared.accept_again.load(Ordering::SeqCst) {
            // After a failure to accept, try again when it is time.
            shared.note_deadline(Some(now + super::ACCEPT_RETRY));
        }
    }

    /// On shutdown: stops accepting and closes the connections not being driven.
    fn stop_idle(&self) {
        let shared = self.shared;
        let slots: Vec<Arc<Slot>> = lock(&shared.slots).slots.iter().flatten().cloned().collect();
        for slot in slots {
            if shared.claim(&slot) {
                shared.close(&slot);
            }
        }
        if shared.finished() {
            shared.finish();
        }
    }

    /// Drives a claimed connection until it has nothing to do, then gives it up (or
    /// closes it, or hands it to an HTTP thread).
    fn drive(&self, slot: &Arc<Slot>) {
        let shared = self.shared;
        loop {
            let next = match lock(&slot.conn).as_mut() {
                Some(conn) => conn.drive(
                    self.processor,
                    self.config,
                    shared.stopping(),
                    slot.read_closed.load(Ordering::SeqCst),
                ),
                None => return,
            };
            match next {
                Next::Wait(deadline) => {
                    shared.note_deadline(deadline);
                    if shared.release(slot) {
                        // Shutdown may have passed this connection by while it was driven.
                        if shared.stopping() && shared.claim(slot) {
                            shared.close(slot);
                        }
                        return;
                    }
                }
                Next::Close => {
                    shared.close(slot);
                    return;
                }
                Next::Http(received) => {
                    self.hand_to_http(slot, received);
                    return;
                }
            }
        }
    }

    /// Serves a connection that speaks HTTP on a thread of its own, in blocking mode.
    #[cfg(feature = "http")]
    fn hand_to_http(&self, slot: &Slot, received: bytes::Bytes) {
        let shared = self.shared;
        let Some(mut conn) = lock(&slot.conn).take() else { return };
        shared.remove(slot);
        conn.io.deregister(&shared.registry);
        let (processor, config) = (self.processor, self.config);
        let peer = conn.peer.clone();
        let spawned =
            std::thread::Builder::new().name("rift-http".into()).spawn_scoped(self.scope, move || {
                let id = shared.next_http.fetch_add(1, Ordering::Relaxed);
                match conn.into_blocking(config) {
                    Ok((socket, closer)) => {
                        let live = Arc::new(Live {
                            waiting: AtomicBool::new(true),
                            started: Mutex::new(None),
                            closer,
                        });
                        lock(&shared.http).insert(id, live.clone());
                        if !shared.stopping() {
                            super::http::serve_blocking(
                                received,
                                socket,
                                processor,
                                config,
                                live.clone(),
                                &peer,
                            );
                        }
                        lock(&shared.http).remove(&id);
                        live.closer.shutdown(Shutdown::Both);
                    }
                    Err(e) => tracing::warn!(%peer, error = %e, "cannot serve this socket"),
                }
                shared.closed();
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "no thread for an HTTP connection");
            shared.closed();
        }
    }

    #[cfg(not(feature = "http"))]
    fn hand_to_http(&self, slot: &Slot, _: bytes::Bytes) {
        self.shared.close(slot);
    }
}

/// What a connection waits for after being driven.
enum Next {
    /// Bytes to read or room to write, until the deadline.
    Wait(Option<Instant>),
    Close,
    /// It speaks HTTP: the bytes received so far.
    Http(bytes::Bytes),
}

/// A connection of the server.
struct Conn {
    io: Stream,
    #[cfg(feature = "tls")]
    tls: Option<Box<rustls::ServerConnection>>,
    core: ServerConnection,
    /// Bytes of replies the socket has not taken yet.
    out: Vec<u8>,
    peer: Arc<str>,
    /// When the message being read began to arrive, or the output began to wait.
    started: Option<Instant>,
    deadline: Option<Instant>,
}

/// What a read gave.
enum Got {
    /// Bytes, and whether the socket may have more.
    Some(bool),
    /// Nothing until the socket is readable again.
    Blocked,
    End,
}

impl Conn {
    /// Serves what has arrived, reading and writing until the socket would block.
    /// `read_closed`: the peer has closed its side, so a read finds the end rather
    /// than blocking.
    fn drive<P: BlockingProcessor>(
        &mut self,
        processor: &P,
        config: &ServerConfig,
        stopping: bool,
        read_closed: bool,
    ) -> Next {
        let peer = self.peer.clone();
        let peer = &*peer;
        let was_pending = !self.out.is_empty() || self.tls_pending();
        match self.flush() {
            Ok(true) => {
                if was_pending {
                    self.started = None;
                }
            }
            Ok(false) => return self.waiting(config),
            Err(e) => {
                tracing::debug!(%peer, error = %e, "write failed");
                return Next::Close;
            }
        }
        // Whether the socket may have bytes not read yet.
        let mut readable = true;
        loop {
            let event = match self.core.next_event() {
                Ok(event) => event,
                Err(e) => {
                    tracing::warn!(%peer, error = %e, "unreadable message; closing the connection");
                    return Next::Close;
                }
            };
            match event {
                ServerEvent::Request(request) => {
                    self.started = None;
                    let outcome =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| processor.process(request)));
                    let bytes = match self.core.finish(outcome, peer) {
                        Ok(bytes) => bytes,
                        Err(e) => {
                            tracing::error!(%peer, error = %e, "the reply could not be framed");
                            return Next::Close;
                        }
                    };
                    #[cfg(feature = "tls")]
                    let sent = send(&mut self.io, self.tls.as_deref_mut(), &mut self.out, bytes);
                    #[cfg(not(feature = "tls"))]
                    let sent = send(&mut self.io, &mut self.out, bytes);
                    match sent {
                        Ok(true) => {}
                        Ok(false) => {
                            // The peer does not take its replies: read nothing more
                            // until it has.
                            self.started = Some(Instant::now());
                            return self.waiting(config);
                        }
                        Err(e) => {
                            tracing::debug!(%peer, error = %e, "write failed");
                            return Next::Close;
                        }
                    }
                    if stopping && self.core.is_between_messages() {
                        return Next::Close;
                    }
                }
                ServerEvent::NeedBytes => {
                    let between = self.core.is_between_messages();
                    if stopping && between {
                        return Next::Close;
                    }
                    if !readable && !read_closed {
                        return self.waiting(config);
                    }
                    match self.read() {
                        Ok(Got::Some(more)) => {
                            readable = more;
                            self.started.get_or_insert_with(Instant::now);
                            if let Err(e) = self.core.received() {
                                tracing::warn!(%peer, error = %e, "unreadable stream; closing the connection");
                                return Next::Close;
                            }
                        }
                        Ok(Got::Blocked) => {
                            readable = false;
                            // Woken with nothing to read (a new connection, room to
                            // write): an idle connection keeps no buffer. A connection
                            // at work reads what woke it and never gets here.
                            if between && self.out.is_empty() {
                                self.core.shrink();
                            }
                        }
                        Ok(Got::End) => {
                            if !between {
                                tracing::warn!(%peer, "the peer closed in the middle of a message");
                            }
                            return Next::Close;
                        }
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => {
                            tracing::debug!(%peer, error = %e, "read failed");
                            return Next::Close;
                        }
                    }
                }
                ServerEvent::Http(received) => return Next::Http(received),
            }
        }
    }

    /// Waits for the socket, with the deadline of what is waited for; closes at once if
    /// it has passed.
    fn waiting(&mut self, config: &ServerConfig) -> Next {
        let pending = !self.out.is_empty() || self.tls_pending();
        // A TLS handshake is bounded by its own timeout, from when the connection came.
        let handshaking = self.tls_handshaking();
        let timeout = if pending {
            config.write_timeout
        } else if handshaking {
            config.handshake_timeout
        } else if self.core.is_between_messages() {
            self.started = None;
            config.idle_timeout
        } else {
            config.read_timeout
        };
        // An idle connection's time counts from now; a message's or a reply's from
        // when it began.
        let now = Instant::now();
        let since = if pending || handshaking || self.started.is_some() {
            *self.started.get_or_insert(now)
        } else {
            now
        };
        self.deadline = timeout.map(|t| since + t);
        if self.deadline.is_some_and(|d| d <= now) {
            tracing::debug!(peer = %self.peer, pending, "timed out; closing the connection");
            return Next::Close;
        }
        Next::Wait(self.deadline)
    }

    #[cfg(feature = "tls")]
    fn tls_pending(&self) -> bool {
        self.tls.as_ref().is_some_and(|t| t.wants_write())
    }

    #[cfg(feature = "tls")]
    fn tls_handshaking(&self) -> bool {
        self.tls.as_ref().is_some_and(|t| t.is_handshaking())
    }

    #[cfg(not(feature = "tls"))]
    fn tls_pending(&self) -> bool {
        false
    }

    #[cfg(not(feature = "tls"))]
    fn tls_handshaking(&self) -> bool {
        false
    }

    /// Reads what the socket has into the connection.
    fn read(&mut self) -> io::Result<Got> {
        #[cfg(feature = "tls")]
        if let Some(tls) = self.tls.as_deref_mut() {
            return read_tls(&mut self.io, tls, &mut self.core);
        }
        let buf = self.core.read_buffer();
        let start = buf.len();
        // Safe reads need initialised memory: zero what this read may fill.
        buf.resize(start + (buf.capacity() - start).clamp(4096, 64 * 1024), 0);
        let room = buf.len() - start;
        let result = self.io.read(&mut buf[start..]);
        buf.truncate(start + *result.as_ref().unwrap_or(&0));
        match result {
            Ok(0) => Ok(Got::End),
            // A read that did not fill the buffer took all there was: the poller tells
            // of anything that arrives after it.
            Ok(n) => Ok(Got::Some(n == room)),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(Got::Blocked),
            Err(e) => Err(e),
        }
    }

    /// Writes what is pending; `true` when nothing is.
    fn flush(&mut self) -> io::Result<bool> {
        #[cfg(feature = "tls")]
        if let Some(tls) = self.tls.as_deref_mut() {
            return flush_tls(&mut self.io, tls);
        }
        let mut written = 0;
        let result = write_some(&mut self.io, &self.out, &mut written);
        self.out.drain(..written);
        result
    }

    /// The socket in blocking mode, for an HTTP thread, with what closes it.
    #[cfg(feature = "http")]
    fn into_blocking(self, config: &ServerConfig) -> io::Result<(Box<dyn Socket>, Closer)> {
        let (socket, closer): (Box<dyn Socket>, Closer) = match self.io {
            Stream::Tcp(s) => {
                let s = std::net::TcpStream::from(s);
                let closer = Closer::Tcp(s.try_clone()?);
                (Box::new(s), closer)
            }
            #[cfg(unix)]
            Stream::Unix(s) => {
                let s = std::os::unix::net::UnixStream::from(s);
                let closer = Closer::Unix(s.try_clone()?);
                (Box::new(s), closer)
            }
        };
        let at_least_1ms = |t: Duration| t.max(Duration::from_millis(1));
        socket.set_nonblocking(false)?;
        socket.set_read_timeout(config.idle_timeout.or(config.read_timeout).map(at_least_1ms))?;
        socket.set_write_timeout(config.write_timeout.map(at_least_1ms))?;
        #[cfg(feature = "tls")]
        if let Some(tls) = self.tls {
            return Ok((Box::new(rustls::StreamOwned::new(*tls, socket)), closer));
        }
        Ok((socket, closer))
    }
}

/// Writes `bytes[*written..]` until done or the socket would block; `true` when done.
fn write_some(io: &mut Stream, bytes: &[u8], written: &mut usize) -> io::Result<bool> {
    while *written < bytes.len() {
        match io.write(&bytes[*written..]) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => *written += n,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(false),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}

/// Sends a reply: what the socket does not take now waits in `out`. `true` when all
/// went.
fn send(
    io: &mut Stream,
    #[cfg(feature = "tls")] tls: Option<&mut rustls::ServerConnection>,
    out: &mut Vec<u8>,
    bytes: &[u8],
) -> io::Result<bool> {
    #[cfg(feature = "tls")]
    if let Some(tls) = tls {
        tls.writer().write_all(bytes)?;
        return flush_tls(io, tls);
    }
    let mut written = 0;
    let done = write_some(io, bytes, &mut written)?;
    out.extend_from_slice(&bytes[written..]);
    Ok(done)
}

/// Reads TLS records until the socket would block, and the plaintext they hold into
/// the connection (record by record: rustls holds only so much plaintext unread).
#[cfg(feature = "tls")]
fn read_tls(
    io: &mut Stream,
    tls: &mut rustls::ServerConnection,
    core: &mut ServerConnection,
) -> io::Result<Got> {
    let mut got = 0;
    let mut end = false;
    // At most this much at a time, so that the connection's limits are checked between.
    while !end && got < 64 * 1024 {
        let blocked = match tls.read_tls(io) {
            Ok(0) => {
                end = true;
                false
            }
            Ok(_) => false,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => true,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if let Err(e) = tls.process_new_packets() {
            // Tell the peer why (the alert), then give up.
            let _ = flush_tls(io, tls);
            return Err(io::Error::new(io::ErrorKind::InvalidData, e));
        }
        // Handshake messages to send.
        flush_tls(io, tls)?;
        loop {
            let buf = core.read_buffer();
            let start = buf.len();
            buf.resize(start + (buf.capacity() - start).clamp(4096, 64 * 1024), 0);
            let result = tls.reader().read(&mut buf[start..]);
            buf.truncate(start + *result.as_ref().unwrap_or(&0));
            match result {
                Ok(0) => {
                    end = true;
                    break;
                }
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                    end = true;
                    break;
                }
                Err(e) => return Err(e),
            }
        }
        if blocked {
            return Ok(if got > 0 { Got::Some(false) } else { Got::Blocked });
        }
    }
    Ok(match got {
        0 if end => Got::End,
        // More to read: what is left, or the end, which is seen once these bytes are
        // served.
        _ => Got::Some(true),
    })
}

/// Writes the TLS records waiting; `true` when none is left.
#[cfg(feature = "tls")]
fn flush_tls(io: &mut Stream, tls: &mut rustls::ServerConnection) -> io::Result<bool> {
    while tls.wants_write() {
        match tls.write_tls(io) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(false),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}
