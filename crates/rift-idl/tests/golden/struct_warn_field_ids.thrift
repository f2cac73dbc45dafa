struct Implicit {
  i32 first
  string second
  0: i32 zero
  -3: i32 negative
  40000: i32 huge
}
