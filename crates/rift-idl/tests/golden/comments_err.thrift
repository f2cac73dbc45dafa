struct S { 1: i32 x }
/* never closed
struct T { 1: i32 y }
