//! The soak: mixed load against the async and the blocking server (each a `calc_server`
//! process) with faults injected throughout, for a set time; then a verdict.
//!
//! `soak [--seconds N]` (default 20). Load, on each server: blocking clients calling
//! `add` and `echo` in several formats, pipelined async calls, oneway `tick`s; faults:
//! garbage, connections dropped mid-frame, slow clients, panicking handlers, calls whose
//! clients give up, idle connections. Every call must be answered correctly or fail with
//! an error; no answer may be wrong; every oneway sent must be counted once; resident
//! memory must stay flat. Prints the memory of each server over time as a table, and
//! exits non-zero when the verdict is not met.

use std::io::Write;
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rift::transport::{Framing, WireFormat};
use rift::{Endpoint, Protocol};
use rift_rpc_tests::{CalculatorBlockingClient, CalculatorClient};

#[derive(Default)]
struct Counts {
    calls: AtomicU64,
    errors: AtomicU64,
    wrong: AtomicU64,
    oneways_sent: AtomicU64,
    oneways_failed: AtomicU64,
    faults: AtomicU64,
}

struct Server {
    side: &'static str,
    child: Child,
    addr: String,
}

impl Server {
    fn start(side: &'static str) -> Server {
        let exe = std::env::current_exe().expect("its own path");
        let calc = exe.with_file_name(format!("calc_server{}", std::env::consts::EXE_SUFFIX));
        let mut child = Command::new(calc)
            .args([
                side,
                "--read-timeout-ms",
                "2000",
                "--write-timeout-ms",
                "2000",
                "--idle-timeout-ms",
                "10000",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .env_remove("RUST_BACKTRACE")
            .spawn()
            .expect("calc_server starts (build it with the soak: cargo build -p rift-rpc-tests --bins)");
        let mut line = String::new();
        let mut stdout = std::io::BufReader::new(child.stdout.take().expect("piped"));
        std::io::BufRead::read_line(&mut stdout, &mut line).expect("the server says where it listens");
        let addr = line.trim().strip_prefix("listening on ").expect("listening on ADDR").to_owned();
        Server { side, child, addr }
    }

    fn rss_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        status
            .lines()
            .find(|l| l.starts_with("VmRSS:"))
            .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            .unwrap_or(0)
    }

    fn endpoint(&self) -> Endpoint {
        Endpoint::tcp(self.addr.clone())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const FORMATS: [WireFormat; 4] = [
    WireFormat::new(Framing::Framed, Protocol::Binary),
    WireFormat::new(Framing::Unframed, Protocol::Compact),
    WireFormat::new(Framing::Header, Protocol::Json),
    WireFormat::new(Framing::Framed, Protocol::Compact).with_zlib(),
];

fn blocking_client(server: &Server, format: WireFormat) -> CalculatorBlockingClient<rift::blocking::Client> {
    CalculatorBlockingClient::new(
        rift::blocking::Client::builder(server.endpoint())
            .format(format)
            .read_timeout(Some(Duration::from_secs(10)))
            .build(),
    )
}

/// Calls `add` and `echo` until stopped, checking every answer.
fn caller(server: &Server, format: WireFormat, stop: &AtomicBool, counts: &Counts) {
    let client = blocking_client(server, format);
    let mut i: i32 = 0;
    while !stop.load(Ordering::Relaxed) {
        i = i.wrapping_add(1);
        let text = format!("call {i} {}", "·".repeat((i % 50) as usize));
        let ok = match (client.add(i, 7), client.echo(text.clone().into())) {
            (Ok(sum), Ok(echo)) => sum == i.wrapping_add(7) && *echo == *text,
            (Err(_), _) | (_, Err(_)) => {
                counts.errors.fetch_add(1, Ordering::Relaxed);
                true
            }
        };
        if !ok {
            counts.wrong.fetch_add(1, Ordering::Relaxed);
        }
        counts.calls.fetch_add(2, Ordering::Relaxed);
    }
}

/// Pipelined async calls, eight at a time, until stopped.
fn pipeliner(server: &Server, stop: &AtomicBool, counts: &Counts) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        let client = CalculatorClient::new(
            rift::client::Client::builder(server.endpoint())
                .format(WireFormat::new(Framing::Framed, Protocol::Binary))
                .read_timeout(Some(Duration::from_secs(10)))
                .pipelined(true)
                .build(),
        );
        let mut round: i32 = 0;
        while !stop.load(Ordering::Relaxed) {
            round = round.wrapping_add(1);
            let calls = (0..8).map(|k| {
                let client = &client;
                async move { (k, client.add(round, k).await) }
            });
            for (k, result) in futures_join(calls).await {
                match result {
                    Ok(sum) if sum == round.wrapping_add(k) => {}
                    Ok(_) => {
                        counts.wrong.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(_) => {
                        counts.errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
                counts.calls.fetch_add(1, Ordering::Relaxed);
            }
        }
    });
}

/// Runs futures at once on the current task, in order of the results.
async fn futures_join<F: std::future::Future>(futures: impl Iterator<Item = F>) -> Vec<F::Output> {
    let mut set = Vec::new();
    for f in futures {
        set.push(Box::pin(f));
    }
    let mut out: Vec<Option<F::Output>> = set.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (f, slot) in set.iter_mut().zip(out.iter_mut()) {
            if slot.is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => *slot = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending { std::task::Poll::Pending } else { std::task::Poll::Ready(()) }
    })
    .await;
    out.into_iter().map(|v| v.expect("every future finished")).collect()
}

/// Oneway `tick`s until stopped, counting those sent.
fn ticker(server: &Server, stop: &AtomicBool, counts: &Counts) {
    let client = blocking_client(server, WireFormat::new(Framing::Framed, Protocol::Binary));
    while !stop.load(Ordering::Relaxed) {
        match client.tick() {
            Ok(()) => counts.oneways_sent.fetch_add(1, Ordering::Relaxed),
            Err(_) => counts.oneways_failed.fetch_add(1, Ordering::Relaxed),
        };
        if counts.oneways_sent.load(Ordering::Relaxed).is_multiple_of(64) {
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

/// Injects faults until stopped, one after another.
fn saboteur(server: &Server, stop: &AtomicBool, counts: &Counts) {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let impatient = CalculatorBlockingClient::new(
        rift::blocking::Client::builder(server.endpoint())
            .format(WireFormat::new(Framing::Framed, Protocol::Binary))
            .read_timeout(Some(Duration::from_millis(100)))
            .build(),
    );
    let mut idle = Vec::new();
    let mut slow: Option<(TcpStream, usize)> = None;
    while !stop.load(Ordering::Relaxed) {
        match next() % 6 {
            // Garbage.
            0 => {
                if let Ok(mut s) = TcpStream::connect(&server.addr) {
                    let bytes: Vec<u8> = (0..256).map(|_| next() as u8).collect();
                    let _ = s.write_all(&bytes);
                }
            }
            // Dropped mid-frame.
            1 => {
                if let Ok(mut s) = TcpStream::connect(&server.addr) {
                    let _ = s.write_all(&[0, 0, 0, 40, 0x80, 1, 0, 1, 0, 0, 0, 3, b'a', b'd']);
                }
            }
            // A slow client: a byte per round, replaced when done or cut off.
            2 => match &mut slow {
                Some((s, sent)) if *sent < 40 => {
                    if s.write_all(&[0]).is_err() {
                        slow = None;
                    } else {
                        *sent += 1;
                    }
                }
                _ => slow = TcpStream::connect(&server.addr).ok().map(|s| (s, 0)),
            },
            // A handler that panics.
            3 => {
                let _ = impatient.crash();
            }
            // A client that gives up on its call.
            4 => {
                let _ = impatient.sleep(300);
            }
            // Idle connections, opened and let go.
            _ => {
                if idle.len() >= 50 {
                    idle.clear();
                }
                if let Ok(s) = TcpStream::connect(&server.addr) {
                    idle.push(s);
                }
            }
        }
        counts.faults.fetch_add(1, Ordering::Relaxed);
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut seconds = 20u64;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => seconds = args.next().and_then(|v| v.parse().ok()).expect("--seconds N"),
            other => panic!("unknown option {other}; usage: soak [--seconds N]"),
        }
    }
    let servers = [Server::start("async"), Server::start("blocking")];
    let counts: [Counts; 2] = Default::default();
    let stop = AtomicBool::new(false);
    let samples = 12usize;
    let mut table: Vec<(u64, [u64; 2])> = Vec::new();
    let started = Instant::now();
    std::thread::scope(|scope| {
        for (server, counts) in servers.iter().zip(&counts) {
            let stop = &stop;
            for format in FORMATS {
                scope.spawn(move || caller(server, format, stop, counts));
            }
            scope.spawn(move || pipeliner(server, stop, counts));
            scope.spawn(move || ticker(server, stop, counts));
            scope.spawn(move || saboteur(server, stop, counts));
        }
        for sample in 0..=samples {
            let due = Duration::from_secs(seconds) * sample as u32 / samples as u32;
            std::thread::sleep(due.saturating_sub(started.elapsed()));
            table.push((started.elapsed().as_secs(), [servers[0].rss_kb(), servers[1].rss_kb()]));
        }
        stop.store(true, Ordering::SeqCst);
    });

    println!("| t (s) | async server, resident | blocking server, resident |");
    println!("| ---: | ---: | ---: |");
    for (t, [a, b]) in &table {
        println!("| {t} | {:.1} MB | {:.1} MB |", *a as f64 / 1024.0, *b as f64 / 1024.0);
    }
    let mut failed = Vec::new();
    for (server, counts) in servers.iter().zip(&counts) {
        let side = server.side;
        let calls = counts.calls.load(Ordering::SeqCst);
        let errors = counts.errors.load(Ordering::SeqCst);
        let wrong = counts.wrong.load(Ordering::SeqCst);
        let sent = counts.oneways_sent.load(Ordering::SeqCst);
        let unsure = counts.oneways_failed.load(Ordering::SeqCst);
        let ticks = blocking_client(server, WireFormat::new(Framing::Framed, Protocol::Binary))
            .ticks()
            .map(|t| t as u64)
            .unwrap_or(u64::MAX);
        let faults = counts.faults.load(Ordering::SeqCst);
        println!(
            "{side}: {calls} calls ({errors} failed with an error, {wrong} wrong), {sent} oneways sent ({unsure} \
             failed to send), {ticks} counted by the server, {faults} faults injected"
        );
        if calls == 0 || wrong > 0 {
            failed.push(format!("{side}: {calls} calls, {wrong} wrong answers"));
        }
        if errors * 100 > calls {
            failed.push(format!("{side}: {errors} of {calls} calls failed"));
        }
        if ticks < sent || ticks > sent + unsure {
            failed.push(format!("{side}: {sent} oneways sent ({unsure} unsure), {ticks} counted"));
        }
        // Flat: the last third of the samples no higher than the middle third's peak
        // by more than a quarter (and 4 MB of slack for a small server).
        let column: Vec<u64> = table.iter().map(|(_, kb)| kb[usize::from(side == "blocking")]).collect();
        let third = column.len() / 3;
        let middle = column[third..2 * third].iter().max().copied().unwrap_or(0);
        let last = column[2 * third..].iter().max().copied().unwrap_or(0);
        if last > middle + middle / 4 + 4096 {
            failed.push(format!("{side}: resident memory grew from {middle} KB to {last} KB"));
        }
    }
    if failed.is_empty() {
        println!("soak: passed ({seconds} s)");
    } else {
        for f in &failed {
            eprintln!("soak: {f}");
        }
        std::process::exit(1);
    }
}
