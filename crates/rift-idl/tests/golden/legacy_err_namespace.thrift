java_package com.example
cpp_namespace example

struct S { 1: i32 x }
