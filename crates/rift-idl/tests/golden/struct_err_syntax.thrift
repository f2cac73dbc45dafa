struct Broken {
  1: i32 a
  2: b
  3: i32
  4 i32 d
  5: i32 e
}

struct AfterBroken {
  1: i32 x
};

struct service { 1: i32 x }
struct NoClose {
  1: i32 x

struct Next { 1: i32 y }
