// Recursive and mutually recursive types, and `&` fields.
namespace rs recursion

struct Tree {
  1: i32 value,
  2: list<Tree> children,
  3: optional Tree parent,
  4: Tree sibling,
}

struct A {
  1: optional B b,
  2: i32 depth,
}

struct B {
  1: optional A a,
}

struct Holder {
  1: required Leaf & leaf,
  2: optional Leaf & maybe,
}

struct Leaf {
  1: string name,
}

union Expr {
  1: i64 number,
  2: Expr negate,
  3: list<Expr> sum,
}

exception Chain {
  1: string message,
  2: optional Chain cause,
}
