typedef i32 MyInt
typedef list<MyInt> (cpp.template = "std::vector") IntList;
typedef Later Forward,
typedef map<string, Forward> ForwardMap (python.immutable = "")

struct Later { 1: MyInt x }
