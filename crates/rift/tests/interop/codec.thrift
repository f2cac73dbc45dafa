// The values of the codec's golden vectors. Loaded at run time by thriftpy2, and turned
// into Apache Thrift Python specs by vectors.py; mirrored by hand-written types in
// crates/rift/tests/interop_vectors.rs. Fields are in id order, as generated code writes.
namespace py codec

enum Color {
  RED = 1,
  GREEN = 2,
  BLUE = 3,
}

struct Point {
  1: double x,
  2: double y,
}

struct Scalars {
  1: bool b,
  2: i8 by,
  3: i16 s,
  4: i32 i,
  5: i64 l,
  6: double d,
  7: string text,
  8: binary bin,
  10: Color color,
}

struct Containers {
  1: list<i32> ints,
  2: set<string> names,
  3: map<string, i64> weights,
  4: list<bool> flags,
  5: map<i32, list<Point>> nested,
  6: list<list<string>> matrix,
  7: list<binary> blobs,
  8: list<double> doubles,
  9: map<bool, bool> bool_map,
  10: list<i8> bytes,
  11: set<bool> bool_set,
  12: map<string, map<string, i32>> deep,
}

struct Ids {
  1: optional i32 one,
  15: optional i32 fifteen,
  16: optional i32 sixteen,
  31: optional i32 thirty_one,
  50: optional bool flag,
  51: optional bool other_flag,
  100: optional i32 hundred,
  32767: optional i32 max,
}

struct NegativeIds {
  -32768: optional i32 min,
  -1: optional i32 neg,
  1: optional i32 one,
}

struct Everything {
  1: Scalars scalars,
  2: optional Containers containers,
  3: optional Ids ids,
  4: optional Point point,
}

struct Nothing {
}

struct OnlyBinary {
  7: binary text,
}

exception Failure {
  1: string message,
  2: i32 code,
}

union Choice {
  1: i32 number,
  2: string text,
  3: Point point,
}

struct Args {
  1: Point p,
}

