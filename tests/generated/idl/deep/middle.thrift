include "base.thrift"

namespace rs deep.middle

struct Wrapper {
  1: base.Info info,
  2: list<base.Info> history,
}

service Middle extends base.Base {
  Wrapper wrap(1: base.Info info),
}
