include "deep/middle.thrift"
include "deep/base.thrift"

namespace rs services

exception Overloaded {
  1: string message,
  2: i32 retry_after_ms,
}

exception NotFound {
  1: string key,
}

struct Request {
  1: required i32 seq,
  2: string user,
  3: optional bool flag,
  4: list<middle.Wrapper> items,
}

service Top extends middle.Middle {
  /** Echoes the request back. */
  Request echo(1: Request req) throws (1: Overloaded overloaded, 2: NotFound missing),
  void ping(),
  oneway void fire(1: Request req),
  i32 add(1: i32 a, 2: optional i32 b),
  string lookup(1: string key) throws (1: NotFound missing),
  /** Declares the same exceptions as `lookup`: the two share one enum. */
  void forget(1: string key) throws (1: NotFound missing),
  base.Info describe(1: base.Info info) throws (1: base.BaseError error),
}
