// Two versions of the same types, for forward compatibility tests.
namespace rs unknown

enum Status {
  OK = 0,
  DOWN = 1,
}

struct Old {
  1: i32 id,
  2: Status status,
}

struct New {
  1: i32 id,
  2: Status status,
  3: string added,
  4: list<map<string, double>> complex,
  5: uuid token,
}

union OldChoice {
  1: i32 number,
}

union NewChoice {
  1: i32 number,
  2: string text,
}
