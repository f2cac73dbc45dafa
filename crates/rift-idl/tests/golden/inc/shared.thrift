namespace py shared

struct Shared {
  1: i32 key
  2: string value
}
