exception Oops {}
struct NotAnException {}

service Early extends Later {}
service Later {}
service NotAService extends NotAnException {}
service Missing extends Nowhere {}

service Functions {
  void twice()
  i32 twice()
  oneway void noThrow() throws (1: Oops o)
  void badThrow() throws (1: NotAnException e)
  void laterThrow() throws (1: LaterException e)
  oneway i32 returnsValue()
}

exception LaterException {}

service Base { void inherited() }
service Derived extends Base { void inherited() }
