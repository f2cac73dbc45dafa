struct S {
  1: map<i32> a
  2: list<> b
  3: set<i32, i32> c
  4: map<i32, i32 d
  5: i32 e
}
