// A typedef of a constant, used as a type: an error where it is used.
include "inc/base.thrift"

typedef base.ANSWER Answer
typedef Answer Again

struct Uses {
  1: Answer direct
  2: list<Again> indirect
}
