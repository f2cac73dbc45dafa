namespace rs constants

enum Mode {
  OFF,
  ON,
}

struct Limits {
  1: i32 low,
  2: i32 high = 100,
}

const bool ENABLED = true
const i8 SMALL = -8
const i16 SHORT = 300
const i32 NUMBER = 0x7fffffff
const i64 BIG = -9223372036854775808
const double RATIO = 0.5
const double WHOLE = 3
const string NAME = "rift \"quoted\"\n"
const binary MAGIC = "magic\tbytes"
const uuid ID = "00112233-4455-6677-8899-aabbccddeeff"
const Mode MODE = Mode.ON
const Mode OTHER_MODE = 1
const list<i32> PRIMES = [2, 3, 5, 7]
const set<string> WORDS = ["a", "b"]
const map<string, list<i32>> TABLE = {"odd": [1, 3], "even": [2]}
const Limits DEFAULT_LIMITS = {"low": 1}
const list<Limits> ALL_LIMITS = [{"low": 0, "high": 1}, {"high": 2}]
const map<Mode, Limits> BY_MODE = {Mode.OFF: {}, 1: {"low": 5}}
const i32 ALIAS = NUMBER
