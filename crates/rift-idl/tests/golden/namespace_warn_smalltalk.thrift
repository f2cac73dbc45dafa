namespace smalltalk Foo
struct S { 1: i32 x }
