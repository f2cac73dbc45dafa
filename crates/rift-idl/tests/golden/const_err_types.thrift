enum Color { RED = 1 }
struct Point { 1: double x }

const i8 TOO_BIG = 128
const i16 TOO_SMALL = -32769
const bool MAYBE = 2
const string NOT_A_STRING = 5
const i32 NOT_AN_INT = "5"
const list<i32> NOT_A_LIST = 5
const map<string, i32> BAD_VALUE = {"a": "b"}
const uuid BAD_UUID = "not-a-uuid"
const Point BAD_FIELD = {"z": 1}
const Point NOT_A_STRUCT = [1]
