// The services of the RPC integration suite.
namespace rs calc

exception DivideByZero {
  1: string message
}

service Calculator {
  i32 add(1: i32 a, 2: i32 b),
  i32 divide(1: i32 a, 2: i32 b) throws (1: DivideByZero oops),
  string echo(1: string text),
  binary blob(1: i32 size),
  // Recorded, for `events` to show that it arrived.
  oneway void record(1: string event),
  list<string> events(),
  // Returns after `millis`.
  void sleep(1: i32 millis),
  // The handler panics.
  i32 crash(),
  // How many calls of `sleep` are being served now (a call dropped is not).
  i32 sleeping(),
  // Counted, for `ticks` to tell exactly how many arrived.
  oneway void tick(),
  i64 ticks(),
}

service Greeter {
  string greet(1: string name),
}
