// A small service in the style of the quick start.
namespace rs weather

/** Where to ask about. */
struct Location {
  1: required string city,
  2: optional string country,
}

exception UnknownCity {
  1: string city,
}

/** Answers questions about the weather. */
service WeatherService {
  bool ping(),
  /** The temperature now, in degrees Celsius. */
  double getTemperature(1: Location location) throws (1: UnknownCity unknown),
  oneway void report(1: Location location, 2: double celsius),
}
