namespace rs unions

struct Point {
  1: i32 x,
  2: i32 y,
}

/** One shape or another. */
union Shape {
  1: Point point,
  /** A circle's radius. */
  2: double circle,
  3: list<Point> polygon,
}

/** A union that contains itself. */
union Expr {
  1: i64 literal,
  2: list<Expr> sum,
}
