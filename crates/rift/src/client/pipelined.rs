//! One connection that carries several calls at once: each call's bytes are written
//! whole, one call after another, and a reader task hands each reply to the call with
//! its sequence id. For servers that read the next call while answering one (all of
//! Apache's and rift's: they answer in order). At most `max_in_flight` calls are
//! carried at once; a call cancelled while it is written ends the connection (part of
//! it is on the wire), and the calls after it go over a new one.

use std::collections::HashMap;
use std::io;
use std::sync::{Arc, Mutex, Weak};

use bytes::Bytes;
use tokio::io::{AsyncReadExt, AsyncWriteExt, WriteHalf};
use tokio::sync::{Semaphore, oneshot};

use super::Failure;
use super::async_client::{Stream, with_timeout};
use crate::config::ClientConfig;
use crate::connection::ClientConnection;
use crate::service::read_envelope;

pub(super) struct Pipe {
    /// The writing half, with the connection state calls are encoded in.
    writer: tokio::sync::Mutex<(WriteHalf<Box<dyn Stream>>, ClientConnection)>,
    pending: Mutex<PendingCalls>,
    reader: tokio::task::AbortHandle,
    /// A permit for each call that may be carried at once.
    room: Semaphore,
}

#[derive(Default)]
struct PendingCalls {
    calls: HashMap<i32, oneshot::Sender<io::Result<Bytes>>>,
    /// Why the connection ended, once it has: a closed stream (`UnexpectedEof`), an
    /// unreadable one (`InvalidData`), or the error reading it.
    closed: Option<(io::ErrorKind, String)>,
}

impl PendingCalls {
    /// Ends the connection for every call waiting on it.
    fn close(&mut self, kind: io::ErrorKind, why: &str) {
        let (kind, why) = self.closed.get_or_insert_with(|| (kind, why.to_owned())).clone();
        for (_, call) in self.calls.drain() {
            let _ = call.send(Err(io::Error::new(kind, why.clone())));
        }
    }
}

impl Drop for Pipe {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

impl Pipe {
    /// Starts carrying calls over `stream`.
    pub(super) fn open(stream: Box<dyn Stream>, config: &ClientConfig) -> Arc<Pipe> {
        let (read, write) = tokio::io::split(stream);
        let (format, limits) = (config.format, config.limits);
        Arc::new_cyclic(|weak: &Weak<Pipe>| {
            let reader =
                tokio::spawn(read_replies(read, ClientConnection::new(format, limits), weak.clone()));
            Pipe {
                writer: tokio::sync::Mutex::new((write, ClientConnection::new(format, limits))),
                pending: Mutex::default(),
                reader: reader.abort_handle(),
                room: Semaphore::new(config.max_in_flight.clamp(1, Semaphore::MAX_PERMITS)),
            }
        })
    }

    fn pending(&self) -> std::sync::MutexGuard<'_, PendingCalls> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn is_open(&self) -> bool {
        self.pending().closed.is_none()
    }

    /// Ends the connection for every call on it.
    fn close(&self, kind: io::ErrorKind, why: &str) {
        self.pending().close(kind, why);
        self.reader.abort();
    }

    /// Sends the call `encode` makes (its sequence id and bytes) and, unless it is
    /// oneway, waits for its reply.
    pub(super) async fn exchange(
        &self,
        config: &ClientConfig,
        oneway: bool,
        encode: impl FnOnce(&mut ClientConnection) -> crate::Result<(i32, &[u8])>,
    ) -> Result<Option<Bytes>, Failure> {
        let mut waiting = None;
        // The write timeout counts from here: waiting for room, then sending.
        let deadline = config.write_timeout.map(|t| tokio::time::Instant::now() + t);
        // A call that finds no room in time fails alone; the connection goes on.
        let room = async {
            self.room.acquire().await.map_err(|_| {
                Failure::Transport(io::Error::new(
                    io::ErrorKind::BrokenPipe,
                    "the pipelined connection has ended",
                ))
            })
        };
        let permit = match deadline {
            Some(at) => tokio::time::timeout_at(at, room).await.unwrap_or_else(|_| {
                Err(Failure::Transport(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "no room on the pipelined connection within the write timeout: {} calls in flight",
                        config.max_in_flight
                    ),
                )))
            })?,
            None => room.await?,
        };
        let send = async {
            let mut writer = self.writer.lock().await;
            let (write, conn) = &mut *writer;
            let (seq, bytes) = encode(conn)?;
            {
                let mut pending = self.pending();
                if let Some((kind, why)) = &pending.closed {
                    return Err(io::Error::new(*kind, why.clone()).into());
                }
                if !oneway {
                    // Waiting before it is sent: the reply may come before the write returns.
                    let (tx, rx) = oneshot::channel();
                    pending.calls.insert(seq, tx);
                    waiting = Some((seq, rx));
                }
            }
            let unfinished = Unfinished(Some(self));
            let written = async {
                write.write_all(bytes).await?;
                write.flush().await
            }
            .await;
            // A write that failed is dealt with below, with what it failed of.
            unfinished.finished();
            Ok(written?)
        };
        let sent = match (deadline, config.write_timeout) {
            (Some(at), Some(t)) => tokio::time::timeout_at(at, send).await.unwrap_or_else(|_| {
                Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("sending the call timed out after {t:?}"),
                )
                .into())
            }),
            _ => send.await,
        };
        match sent {
            Ok(()) => {}
            Err(Failure::Protocol(e)) => return Err(Failure::Protocol(e)),
            Err(Failure::Transport(e)) => {
                // Part of a call may have gone out: nothing after it can be read right.
                // The calls waiting on this connection fail now, not at their timeouts.
                self.close(e.kind(), &e.to_string());
                return Err(Failure::Transport(e));
            }
        }
        let Some((seq, rx)) = waiting else {
            drop(permit);
            return Ok(None);
        };
        let received = with_timeout(config.read_timeout, "waiting for the reply", async {
            rx.await
                .unwrap_or_else(|_| Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the connection ended")))
        })
        .await;
        if received.is_err() {
            // A call that timed out is forgotten; its late reply will be dropped.
            self.pending().calls.remove(&seq);
        }
        drop(permit);
        Ok(Some(received?))
    }
}

/// Ends the connection when dropped before [`Unfinished::finished`]: a call whose
/// write was cancelled (its caller gave up, or the write timed out) has left part of
/// itself on the wire, and nothing written after it would be read right.
struct Unfinished<'a>(Option<&'a Pipe>);

impl Unfinished<'_> {
    fn finished(mut self) {
        self.0 = None;
    }
}

impl Drop for Unfinished<'_> {
    fn drop(&mut self) {
        if let Some(pipe) = self.0 {
            pipe.close(io::ErrorKind::BrokenPipe, "a call was given up while it was being sent");
        }
    }
}

/// Reads replies and hands each to the call waiting for it, until the connection ends.
async fn read_replies(
    mut read: tokio::io::ReadHalf<Box<dyn Stream>>,
    mut conn: ClientConnection,
    pipe: Weak<Pipe>,
) {
    let (protocol, limits) = (conn.protocol(), *conn.limits());
    let unreadable = |e: crate::Error| (io::ErrorKind::InvalidData, e.to_string());
    let (kind, end) = loop {
        let reply = match conn.next_reply() {
            Ok(Some(reply)) => reply,
            Ok(None) => match read.read_buf(conn.read_buffer()).await {
                Ok(0) => break (io::ErrorKind::UnexpectedEof, "the server closed the connection".to_owned()),
                Ok(_) => match conn.received() {
                    Ok(()) => continue,
                    Err(e) => break unreadable(e),
                },
                Err(e) => break (e.kind(), e.to_string()),
            },
            Err(e) => break unreadable(e),
        };
        let Some(pipe) = pipe.upgrade() else { return };
        let seq = match read_envelope(protocol, &reply, limits) {
            Ok(envelope) => envelope.seq,
            Err(e) => break (io::ErrorKind::InvalidData, format!("unreadable reply: {e}")),
        };
        match pipe.pending().calls.remove(&seq) {
            Some(call) => {
                let _ = call.send(Ok(reply));
            }
            // A call that timed out, or a stray reply: dropped.
            None => tracing::debug!(seq, "a reply nobody waits for"),
        }
    };
    if let Some(pipe) = pipe.upgrade() {
        pipe.pending().close(kind, &end);
    }
}
