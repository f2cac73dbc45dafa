include "inc/base.thrift"

exception Oops { 1: string why }

/** A service. */
service Weather extends base.BaseService {
  /** Checks liveness. */
  bool ping(),
  string getTemperature(1: string city, 2: string country) throws (1: Oops oops);
  oneway void fireAndForget(1: i32 x)
  list<map<string, i32>> complex(1: i32 a, 2: i32 b) throws (1: Oops oops, 2: Oops again) (deprecated)
}

service Sub extends Weather {
  void more()
}

service Empty {}
