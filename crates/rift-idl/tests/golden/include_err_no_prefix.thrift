include "inc/shared.thrift"
include "inc/base.thrift"

// Types of included files named without their prefix.
struct Order {
  1: Shared value
  2: Color color
}
