service Svc {}
const i32 CONSTANT = 1

struct S {
  1: Svc svc
  2: CONSTANT c
  3: Strng name
  4: slist old
  5: void nothing
}
