//! A `.thrift` file loaded at run time, and values built, encoded, decoded and shown as
//! JSON by its schema, with no code generated: what ThriftPy2's `load` gives Python.
//!
//! ```no_run
//! use rift_dynamic::{Schema, json};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let schema = Schema::load("weather.thrift", &[] as &[&str])?;
//! let location = schema.type_named("Location").expect("defined");
//! let value = json::from_json(&schema, &location, &serde_json::json!({"city": "New York"}))?;
//! let bytes = rift_dynamic::to_vec(&schema, &location, &value, rift::Protocol::Compact)?;
//! let back = rift_dynamic::from_slice(&schema, &location, &bytes, rift::Protocol::Compact)?;
//! assert_eq!(back, value);
//! # Ok(())
//! # }
//! ```
//!
//! A [`Value`] holds what is on the wire (a struct's fields by id, an enum's number);
//! the [`Schema`] gives it names and types. [`codec`] reads and writes values with any
//! `rift` protocol, in the same bytes as generated code; [`json`] maps them to JSON and
//! back, with errors that name the field path.

#![forbid(unsafe_code)]

pub mod call;
pub mod codec;
pub mod json;
pub mod message;
mod schema;
pub mod serve;
mod value;

pub use call::{CallError, Method, NoSuchMethod, Thrown};
pub use codec::{DynamicStruct, decode, encode, from_slice, to_vec};
pub use schema::{LoadError, Schema, TypeRef};
pub use serve::{Answer, DynamicProcessor};
pub use value::{Struct, Value};
