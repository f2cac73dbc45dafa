cpp_include unordered_map

struct S { 1: i32 x }
