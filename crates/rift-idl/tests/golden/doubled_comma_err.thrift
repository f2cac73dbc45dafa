exception E {}
service S {
  void f(1: i32 a, , 2: i32 b)
  void g(1: i32 a) throws (1: E e,, 2: E f)
}
struct T { 1: i32 a,, 2: i32 b }
const list<i32> L = [1,, 2]
struct U { 1: i32 a } (x = "1",, y = "2")
service V {
  void h(i32 a,, i32 b)
}
