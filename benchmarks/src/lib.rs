//! Inputs for rift's benchmarks.

pub mod generated;
pub mod rpc;
pub mod workload;

use std::fmt::Write;

/// Generates a valid `.thrift` file of about `bytes` bytes that looks like real IDL:
/// documented enums, structs with every kind of field and default, constants, and
/// services whose functions use them.
pub fn synthetic_idl(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 4096);
    out.push_str("namespace py bench.synthetic\nnamespace java com.example.bench\n\n");
    let mut n = 0;
    while out.len() < bytes {
        let _ = write!(
            out,
            r#"/** Status of item batch {n}. */
enum Status{n} {{
  UNKNOWN = 0,
  ACTIVE = 1,
  SUSPENDED = 2 (deprecated = "use ACTIVE"),
  DELETED = 0x10
}}

const i32 LIMIT_{n} = {limit}
const list<string> NAMES_{n} = ["alpha", "beta", "gamma"]
const map<string, i64> WEIGHTS_{n} = {{"a": 1, "b": -2, "c": 3000}}

/**
 * An item of batch {n}.
 */
struct Item{n} {{
  1: required i64 id,
  2: optional string name = "unnamed",
  3: list<double> scores,
  4: map<string, list<i32>> tags (python.immutable = ""),
  5: Status{n} status = Status{n}.ACTIVE,
  6: set<binary> blobs,
  7: optional Item{n} parent,
  8: i32 limit = LIMIT_{n}
}}

union Choice{n} {{
  1: Item{n} item
  2: string text
}}

exception NotFound{n} {{
  1: string message
  2: i64 id
}}

service ItemService{n} {{
  Item{n} get(1: i64 id) throws (1: NotFound{n} missing),
  list<Item{n}> search(1: string query, 2: i32 limit = 10),
  oneway void touch(1: i64 id)
}}

"#,
            limit = n * 7 % 1000,
        );
        n += 1;
    }
    out
}
