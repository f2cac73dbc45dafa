include "inc/shared.thrift"

struct S {
  1: sharde.Shared a
  2: shared.Missing b
}
