const i32 A = 1;
const i32 B = 2,
typedef i32 T;
enum E { X; Y, Z }
struct S { 1: i32 a; 2: i32 b, 3: i32 c }
service Svc { void f(1: i32 a; 2: i32 b), void g(); }
