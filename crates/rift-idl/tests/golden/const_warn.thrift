const i64 BIG = -9223372036854775808
const set<i32> EMPTY_SET = {}
const map<i32, i32> EMPTY_MAP = []
enum Color { RED = 1 }
enum Other { RED = 1 }
const Color WRONG_PREFIX = Other.RED
