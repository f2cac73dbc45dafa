struct DupId {
  1: i32 a
  1: i32 b
}

struct DupName {
  1: i32 a
  2: string a
}

struct DupId {}

service DupId {}
