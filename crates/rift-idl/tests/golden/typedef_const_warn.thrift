// A typedef of a constant, as a code generator's fixtures use one: accepted while unused.
include "inc/base.thrift"

typedef base.ANSWER Answer
