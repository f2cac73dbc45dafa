// Names that map to the same Rust name, and generated names taken by the IDL.
namespace rs clashes

struct my_struct {
  1: i32 fooBar,
  2: i32 foo_bar,
  3: i32 FooBar,
}

struct MyStruct {
  1: string value,
}

struct WeatherClient {
  1: i32 taken,
}

service Weather {
  void getTemperature(),
  void get_temperature(1: i32 x),
}

const i32 maxItems = 1
const i32 MAX_ITEMS = 2

union Variants {
  1: i32 unknown,
  2: string Unknown,
  3: i32 success,
}
