//! The standard workload on types that `rift-build` generates from `bench.thrift`: the
//! same messages as [`crate::workload`], which writes the types by hand.

#[allow(missing_docs, missing_debug_implementations, unreachable_pub)]
mod idl {
    rift::include_generated!();
}

pub use idl::bench::{Item, Overloaded, Point, Request, Status};

crate::workload::messages!();
