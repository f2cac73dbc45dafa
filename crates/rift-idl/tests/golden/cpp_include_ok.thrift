cpp_include "<unordered_map>"
cpp_include 'folly/FBString.h'

struct S { 1: i32 x }
