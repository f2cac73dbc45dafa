/** The file's own documentation. */
namespace py example.weather
namespace py.twisted example.weather.twisted
namespace * everything
namespace rs weather
namespace xsd test (uri = 'http://thrift.apache.org/ns/ThriftTest', other)
namespace java com.example.service

struct S { 1: i32 x }
