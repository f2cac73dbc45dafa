include "inc/shared.thrift"
include "inc/base.thrift"

struct UsesShared {
  1: shared.Shared value
  2: base.Color color = base.Color.GREEN
}

service Derived extends base.BaseService {
  void extra()
}
