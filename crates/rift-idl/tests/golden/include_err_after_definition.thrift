struct S { 1: i32 x }

include "inc/shared.thrift"
namespace py late
