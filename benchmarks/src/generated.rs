//! The standard workload on types that `rift-build` generates from `bench.thrift`: the
//! same messages as [`crate::workload`], which writes the types by hand. [`btree`] and
//! [`owned`] are the same types generated with `Maps::BTree`, and with `Maps::BTree` and
//! `Strings::Owned` (the defaults before they were measured).

#[allow(missing_docs, missing_debug_implementations, unreachable_pub)]
mod idl {
    rift::include_generated!();
}

pub use idl::bench::{
    Bench, BenchBlocking, BenchBlockingClient, BenchBlockingProcessor, BenchClient, BenchProcessor, Item,
    Overloaded, Point, Request, Status, bench_service,
};

crate::workload::messages!();

/// The workload's types with `BTreeMap`/`BTreeSet` and `FastStr`.
pub mod btree {
    #[allow(missing_docs, missing_debug_implementations, unreachable_pub)]
    mod idl {
        rift::include_generated!("btree");
    }

    pub use idl::bench::{Item, Point, Request, Status};

    crate::workload::messages!();
}

/// The workload's types with `BTreeMap`/`BTreeSet` and `String`.
#[allow(clippy::useless_conversion)]
pub mod owned {
    #[allow(missing_docs, missing_debug_implementations, unreachable_pub)]
    mod idl {
        rift::include_generated!("owned");
    }

    pub use idl::bench::{Item, Point, Request, Status};

    crate::workload::messages!();
}
