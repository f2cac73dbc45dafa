include "does_not_exist.thrift"

struct S { 1: i32 x }
