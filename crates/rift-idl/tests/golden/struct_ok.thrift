/**
 * A struct with every kind of field.
 *
 * Indented text stays indented:
 *     like this
 */
struct Everything {
  /** The id. */
  1: required i64 id,
  2: optional string name;
  3: list<string> tags = [],
  4: i32 count = 10 (min = "0")
  5: Everything & parent
  6: map<string, string> attributes
  7: string type
  8: i32 list
  9: binary namespace
  10: bool service = false
} (final, java.annotation = "@Generated")

struct Empty {}

struct Xsd xsd_all {
  1: i32 a xsd_optional xsd_nillable
  2: i32 b xsd_attrs { 1: string lang }
}
