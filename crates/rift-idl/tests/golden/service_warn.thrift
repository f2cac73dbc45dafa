exception Oops {}
service Warnings {
  void optionalArgument(1: optional i32 x)
  void requiredException() throws (1: required Oops oops)
  oneway i32 onewayReturns()
}
