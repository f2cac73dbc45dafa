struct S {
  1: i32 f (a = "1"
  2: i32 g (b = 2)
  3: i32 h (struct = "x")
}
