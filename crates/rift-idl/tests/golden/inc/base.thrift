namespace py base

enum Color { RED, GREEN, BLUE }

const i32 ANSWER = 42

service BaseService {
  i32 answer()
}
