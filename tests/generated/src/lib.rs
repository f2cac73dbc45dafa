//! The code rift-build generates for the IDL in `idl/`, compiled with warnings denied.

#![deny(warnings)]

/// Everything generated.
pub mod idl {
    rift::include_generated!();
}
