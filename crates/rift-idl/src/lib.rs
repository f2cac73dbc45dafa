//! The Thrift IDL front end of rift: lexer, parser, semantic model and diagnostics.
//!
//! ```
//! let schema = rift_idl::Loader::new()
//!     .source("weather.thrift", "struct Location { 1: required string city }")
//!     .load("weather.thrift");
//! assert!(!schema.has_errors());
//! ```

#![forbid(unsafe_code)]

pub mod ast;
mod diagnostic;
mod dump;
pub mod lexer;
mod loader;
pub mod model;
pub mod parser;
mod resolve;
mod span;

pub use diagnostic::{Diagnostic, Label, Location, Note, Severity};
pub use loader::{Loader, Options};
pub use model::Schema;
pub use parser::{Parsed, parse};
pub use span::{FileId, SourceFile, SourceMap, Span};
