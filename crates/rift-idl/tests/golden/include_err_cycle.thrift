include "inc/cycle_a.thrift"

struct S { 1: i32 x }
