// Every form of constant, and defaults.
namespace rs constants

enum Color {
  RED = 1,
  GREEN = 2,
  BLUE = 3,
}

typedef i64 Timestamp
typedef list<string> Names

struct Point {
  1: double x = 1.5,
  2: double y,
}

struct Defaults {
  1: i32 count = 10,
  2: string name = "unnamed",
  3: Color color = Color.GREEN,
  4: list<i32> primes = [2, 3, 5],
  5: map<string, i32> weights = {"a": 1, "b": 2},
  6: optional string nickname = "nick",
  7: Point origin = {"x": 0, "y": 0},
  8: set<string> tags = ["x"],
  9: bool enabled = true,
  10: binary magic = "magic",
  11: uuid id = "00112233-4455-6677-8899-aabbccddeeff",
  12: Timestamp created = 1700000000000,
  13: double ratio = 0.25,
  14: required i32 needed,
  15: i8 small = -128,
  16: i16 medium = 32767,
}

const bool YES = true
const i8 TINY = -128
const i16 SHORT = 32767
const i32 INT = -2147483648
const i64 LONG = 9223372036854775807
const double PI = 3.14159
const double NOT_A_NUMBER_AS_INT = 3
const string GREETING = "hello\n\"world\""
const binary BYTES = "abc"
const uuid ID = "{00112233-4455-6677-8899-AABBCCDDEEFF}"
const Color FAVOURITE = Color.BLUE
const Color BY_NUMBER = 2
const Timestamp EPOCH = 0
const list<i32> PRIMES = [2, 3, 5, 7]
const Names NAMES = ["a", "b"]
const set<Color> COLORS = [Color.RED, Color.GREEN]
const map<string, list<Point>> PATHS = {"line": [{"x": 1, "y": 2}, {"y": 3}]}
const map<Color, string> COLOR_NAMES = {Color.RED: "red", Color.BLUE: "blue"}
const Point ORIGIN = {"x": 0.0, "y": 0.0}
const Defaults CUSTOM = {"count": 3, "needed": 1, "color": Color.RED}
const list<i32> MORE = PRIMES
const set<double> DOUBLES = [1.5, 2.5]
const map<double, string> BY_DOUBLE = {1.5: "one and a half"}
