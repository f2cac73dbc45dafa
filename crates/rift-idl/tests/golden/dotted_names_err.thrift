struct a.b { 1: i32 x }
struct S { 1: i32 c.d }
service Svc { void e.f() }
