struct S { 1: i32 a };
enum E { X },
service Svc {};
