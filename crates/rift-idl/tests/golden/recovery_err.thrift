struct A {
  1: i32
  2: string name
}

struct B {
  1: list<i32 x
  2: i32 y
}

enum C { D = }

service E {
  void f(1: i32)
  void g()
}

const i32 F = [
struct G { 1: i32 ok }
