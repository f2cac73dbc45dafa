//! The standard workload on types that `rift-build` generates from `bench.thrift`: the
//! same messages as [`crate::workload`], which writes the types by hand.

#[allow(missing_docs, missing_debug_implementations, unreachable_pub)]
mod idl {
    rift::include_generated!();
}

pub use idl::bench::{Item, Overloaded, Point, Request, Status};

use crate::workload::payload;

/// The standard message: 3,022 bytes in binary, 1,942 in compact.
pub fn standard() -> Request {
    Request {
        seq: 42,
        user: "user-0000000042".into(),
        timestamp: 1_700_000_000_000,
        flag: Some(true),
        payload: payload(1024).into(),
        items: (0..16)
            .map(|k| Item {
                id: 1000 + k,
                name: format!("item-{k}"),
                location: (k % 2 == 0).then(|| Point { lat: k as f64 * 0.5, lon: -(k as f64) * 0.25 }),
                scores: (k as i32..k as i32 + 10).collect(),
                status: Status((k % 3) as i32),
            })
            .collect(),
        tags: (0..8).map(|j| (format!("key-{j}"), format!("value-{j}"))).collect(),
        ids: (0..32).map(|j| 1_000_000_007 * (j + 1)).collect(),
        ratio: 0.75,
    }
}

/// The large message: 1,048,650 bytes in binary, 1,048,607 in compact.
pub fn large() -> Request {
    Request {
        seq: 7,
        user: "large".into(),
        timestamp: 1,
        flag: None,
        payload: payload(1_048_576).into(),
        ratio: 0.0,
        ..Request::default()
    }
}
