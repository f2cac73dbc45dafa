senum Status { "ok", "failed" }

struct S {
  1: slist names
}
