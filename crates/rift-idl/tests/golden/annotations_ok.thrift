typedef i32 (a = "1") T (b = "2")
enum E { X (c = "3") } (d = "4")
struct S {
  1: i32 f (e = "5"; g, h = 'single')
} (i = "6")
exception X {} (j)
service Svc {
  void f(1: i32 p (k = "7")) throws (1: X x (l = "8")) (m = "9")
} (n = "10")
