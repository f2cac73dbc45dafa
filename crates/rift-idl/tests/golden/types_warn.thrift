struct S {
  1: byte old_name
  2: list<i8> bytes
}
