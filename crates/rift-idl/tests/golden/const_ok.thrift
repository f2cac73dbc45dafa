enum Color { RED = 1, GREEN = 2 }
struct Point { 1: double x, 2: double y, 3: optional string label }
typedef i64 Timestamp

const i8 SMALL = -128
const i16 SHORT = 0x7fff
const i32 INT = 2147483647
const i64 LONG = -2147483648
const Timestamp EPOCH = 0
const bool YES = true
const bool NO = 0
const double PI = 3.14159
const double TEN = 1e1
const double WHOLE = 3
const string GREETING = "hello\tworld\n"
const string SINGLE = 'it\'s'
const binary BYTES = "\\x00"
const uuid ID = "00112233-4455-6677-8899-aabbccddeeff"
const uuid BRACED = "{00112233-4455-6677-8899-AABBCCDDEEFF}"
const Color FAVOURITE = Color.GREEN
const Color BY_NUMBER = 1
const list<i32> PRIMES = [2, 3, 5; 7,]
const set<string> NAMES = ["a", "b"]
const map<string, Color> BY_NAME = {"red": Color.RED, "green": Color.GREEN}
const map<Color, list<i32>> NESTED = {Color.RED: [1, 2], Color.GREEN: []}
const Point ORIGIN = {"x": 0, "y": 0.0}
const list<Point> PATH = [{"x": 1, "y": 2, "label": "a"}, {"x": 3, "y": 4}]
const i64 COPY = INT
const double FROM_INT = INT
const i32 FROM_ENUM = Color.RED
const list<i32> MORE_PRIMES = PRIMES
const set<i32> EMPTY_SET = []
