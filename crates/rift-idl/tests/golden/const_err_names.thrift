enum Color { RED = 1, GREEN = 2 }
struct Point { 1: i32 x }
const Point ORIGIN = {"x": 0}
const Point COPY = ORIGIN

const Color UNQUALIFIED = RED
const Color NO_SUCH_VALUE = Color.PURPLE
const Color NO_SUCH_NUMBER = 7
const i32 UNKNOWN = NOT_DEFINED
const i32 EARLY = LATER
const i32 LATER = 1
const string WRONG_KIND = LATER
