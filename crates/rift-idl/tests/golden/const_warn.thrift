const i64 BIG = -9223372036854775808
const set<i32> EMPTY_SET = {}
const map<i32, i32> EMPTY_MAP = []
enum Color { RED = 1 }
enum Other { RED = 1 }
const Color WRONG_PREFIX = Other.RED
const i64 EXACT = 10737418240
const i64 INEXACT = 9007199254740993
