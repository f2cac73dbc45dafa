// Rust keywords and awkward names everywhere.
namespace rs keywords

enum match {
  fn,
  LOOP = 5,
  self,
  VALUES,
}

struct type {
  1: i32 type,
  2: string self,
  3: bool async,
  4: list<i32> fn,
  5: map<string, string> struct,
  6: match match_,
  7: i64 super,
  8: string crate,
  9: double Self,
  10: binary _,

}

struct Self {
  1: i32 where,
}

exception move {
  1: string ref,
}

service impl {
  type mod(1: i32 self, 2: string super, 3: Self dyn) throws (1: move use),
  void trait(),
  oneway void extern(1: i32 in),
}
