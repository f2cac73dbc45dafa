union Value {
  1: i64 int_value
  2: string string_value = "none"
  3: optional list<Value> list_value
}
