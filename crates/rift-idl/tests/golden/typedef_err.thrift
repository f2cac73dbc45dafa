typedef i32
typedef Unknown U
typedef A B
typedef B A
typedef i32 a.b
