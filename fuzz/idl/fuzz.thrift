// The types and service the fuzz targets decode and serve: every base type, nested
// containers, maps with struct values, a union, an exception, optional, required and
// default fields, a recursive struct, and a service with plain, throwing and oneway
// functions behind a processor.

namespace rs fuzz

enum Color {
  RED = 1,
  GREEN = 2,
  BLUE = 3,
}

typedef i64 Id

struct Leaf {
  1: bool flag
  2: byte tiny
  3: i16 small
  4: i32 medium
  5: i64 large
  6: double real
  7: string text
  8: binary blob
  9: uuid key
  10: Color color
}

union Choice {
  1: string text
  2: i64 number
  3: Leaf leaf
  4: list<double> reals
}

struct Everything {
  1: required string name
  2: optional Id id = 7
  3: list<Leaf> leaves
  4: map<string, list<set<i32>>> nested
  5: set<string> tags
  6: map<i64, Choice> choices
  7: list<map<binary, double>> tables
  8: optional Everything child
  9: map<Color, Leaf> by_color
  10: list<list<list<byte>>> deep
  11: set<uuid> keys
  12: Choice choice
  13: optional string motto = "hello"
}

exception Oops {
  1: string why
  2: i32 code
}

service Fuzz {
  void ping()
  Everything echo(1: Everything everything) throws (1: Oops oops)
  string concat(1: string text, 2: binary blob, 3: i32 times)
  oneway void fire(1: Leaf leaf)
  map<string, Leaf> index(1: list<Leaf> leaves) throws (1: Oops oops)
}

service FuzzMore extends Fuzz {
  i64 count(1: set<Id> ids)
}
