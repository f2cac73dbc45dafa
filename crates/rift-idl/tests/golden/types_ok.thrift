struct Types {
  1: bool a
  2: i8 b
  3: i8 c
  4: i16 d
  5: i32 e
  6: i64 f
  7: double g
  8: string h
  9: binary i
  10: uuid j
  11: list<i32> k
  12: set<string> l
  13: map<string, list<map<i32, set<i64>>>> m
  14: list cpp_type "std::deque<int>" <i32> n
  16: map cpp_type "std::unordered_map<int,int>" <i32, i32> p
  17: set cpp_type "std::unordered_set<int>" <i32> q
  18: i32 (cpp.type = "int32_t") r
  19: list<string (python.immutable)> (python.immutable = "") s
  20: list<i16> t
}
