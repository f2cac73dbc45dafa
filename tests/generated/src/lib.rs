//! The code rift-build generates for the IDL in `idl/`, compiled with warnings denied.

#![deny(warnings)]

/// Everything generated.
pub mod idl {
    rift::include_generated!();
}

/// The same IDL generated with serde derives (`Builder::serde`).
pub mod with_serde {
    rift::include_generated!("with_serde");
}
