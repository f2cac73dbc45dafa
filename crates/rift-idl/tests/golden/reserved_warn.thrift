// Names that Apache's generators refuse: accepted, with a warning each.
enum Mode { begin, None }
struct Range {
  1: i32 from
  2: i32 self
  3: i32 type
}
service Print {
  void print(1: Range args)
}
