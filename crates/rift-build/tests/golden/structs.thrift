namespace rs structs

/**
 * Every requiredness, with and without defaults.
 */
struct Fields {
  /** Always sent. */
  1: required i32 id,
  2: optional string note,
  3: i64 count = 10,
  4: string name = "anonymous",
  5: optional list<i16> small = [1, 2],
  6: binary blob,
  7: uuid key,
  8: set<double> weights,
  9: map<double, string> labels,
  10: bool flag = true,
}

/** Nothing at all. */
struct Empty {}

/** Refers to itself: boxed. */
struct Tree {
  1: optional Tree left,
  2: optional Tree right,
  3: list<Tree> children,
  4: i32 value,
}

struct Pointer {
  1: Fields & target,
}

exception Failure {
  1: string message,
  2: i32 code = 500,
}

/** Used as a map key: derives Eq, Hash, PartialOrd and Ord, whatever else changes. */
struct Key {
  1: string name,
  2: Inner inner,
}

/** Inside a key: derives them too. */
struct Inner {
  1: i32 n,
}

/** A key that cannot be hashed (a double inside): the map is a MapVec. */
struct Approx {
  1: double x,
}

exception NoMessage {
  1: i32 code,
}

exception Named {
  1: i32 code,
  2: optional string msg,
}

struct Index {
  1: map<Key, string> by_key,
  2: set<Approx> approx,
}
