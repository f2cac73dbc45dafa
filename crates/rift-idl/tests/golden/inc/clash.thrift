namespace java com.example
namespace py example.other

struct Shared { 1: string y }
