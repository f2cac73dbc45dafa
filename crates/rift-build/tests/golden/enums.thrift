namespace rs enums

/** Starts at zero: has a default. */
enum Color {
  RED,
  GREEN = 5,
  /** After an explicit value. */
  BLUE,
}

/** No zero value: no default. */
enum Level {
  LOW = 1,
  HIGH = 2,
}

struct Paint {
  1: Color color = Color.GREEN,
  2: Level level,
  3: list<Color> mix,
}
