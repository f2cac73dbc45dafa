# shell comment
// line comment
/* block comment */
/**/
/***/
/*
 * multi-line
 */
/** Documented struct. */
struct Doc {
  /** Documented field. */
  1: i32 x // trailing comment
  # between fields
  2: i32 y /* inline */ = 2
}
