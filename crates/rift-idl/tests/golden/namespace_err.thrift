namespace py
namespace * (a = "b")
namespace go service

struct S { 1: i32 x }
