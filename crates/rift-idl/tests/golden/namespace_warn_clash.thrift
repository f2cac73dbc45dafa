include "inc/clash.thrift"
namespace java com.example
namespace py example.main

struct Shared { 1: i32 x }
