@annotation
struct S { 1: i32 x }
struct T { 1: i32 y $ }
