enum Implicit { A, B, C }
enum Explicit {
  NEGATIVE = -5,
  NEXT,
  HEX = 0x10,
  /** Documented. */
  ALIAS = 16 (deprecated = "use HEX"),
  LAST = 2147483647;
}
enum Empty {}
enum Annotated { X } (cpp.enum_type = "uint8_t")
