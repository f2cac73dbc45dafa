namespace rs deep.nested.base

exception BaseError {
  1: string why,
}

struct Info {
  1: string name,
}

service Base {
  Info info(),
  void fail() throws (1: BaseError error),
}
