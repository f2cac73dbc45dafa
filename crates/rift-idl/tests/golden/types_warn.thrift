struct S {
  1: byte old_name
  2: list<i8> bytes
}
struct Deprecated {
  1: list<i32> cpp_type "std::vector<int>" old_position
  2: list cpp_type "std::deque<int>" <i32> cpp_type "std::vector<int>" twice
}
