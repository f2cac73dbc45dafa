// The cross-test client on C++ libthrift (Debian's 0.17): the peer that calls rift's
// test_server. It calls every method with the reference client's values, checks each
// answer, and exits with the reference client's error flags (1 base types, 2 structs,
// 4 containers, 8 exceptions, 64 anything else). Written for rift's cross test.

#include <chrono>
#include <cmath>
#include <iostream>
#include <sstream>

#include <thrift/protocol/TMultiplexedProtocol.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/THttpClient.h>
#include <thrift/transport/TSSLSocket.h>
#include <thrift/transport/TSocket.h>
#include <thrift/transport/TZlibTransport.h>

#include "SecondService.h"
#include "ThriftTest.h"
#include "common.h"

using namespace apache::thrift;
using namespace apache::thrift::protocol;
using namespace apache::thrift::transport;
using namespace thrift::test;

enum { BASE_TYPES = 1, STRUCTS = 2, CONTAINERS = 4, EXCEPTIONS = 8, UNKNOWN = 64 };

static int failed = 0;
static int checks = 0;

template <typename T>
static void check(int flag, const std::string& what, const T& got, const T& expected) {
  ++checks;
  if (!(got == expected)) {
    std::cout << "FAIL " << what << std::endl;
    failed |= flag;
  }
}

// Runs `call`; a failure of the call itself is a failure of the check.
template <typename F>
static void attempt(int flag, const std::string& what, F call) {
  try {
    call();
  } catch (std::exception& e) {
    ++checks;
    std::cout << "FAIL " << what << ": " << e.what() << std::endl;
    failed |= flag;
  }
}

static Xtruct xtruct(const std::string& s, int8_t b, int32_t i, int64_t l) {
  Xtruct x;
  x.__set_string_thing(s);
  x.__set_byte_thing(b);
  x.__set_i32_thing(i);
  x.__set_i64_thing(l);
  return x;
}

static void run(ThriftTestClient& c, bool oneway) {
  attempt(BASE_TYPES, "testVoid", [&] { c.testVoid(); ++checks; });
  std::string large(70000, 'x');
  std::string python;
  for (int i = 0; i < 20; ++i) python += "Python";
  for (const std::string& s : {std::string("Test"), std::string(""), python,
                               std::string("\b\t\n/\\\\\r{}:\xe3\x83\x91\xe3\x82\xa4\xe3\x82\xbd\xe3\x83\xb3\"\x01\x1f"),
                               std::string("\xce\x95\xce\xbb\xce\xbb\xce\xb7\xce\xbd\xce\xb9\xce\xba\xce\xac \xf0\x9f\xa6\x80"),
                               large}) {
    attempt(BASE_TYPES, "testString", [&] {
      std::string r;
      c.testString(r, s);
      check(BASE_TYPES, "testString(" + s.substr(0, 20) + ")", r, s);
    });
  }
  for (bool b : {true, false})
    attempt(BASE_TYPES, "testBool", [&] { check(BASE_TYPES, "testBool", c.testBool(b), b); });
  for (int8_t v : {1, 0, -1, 63, -127, 127, -128})
    attempt(BASE_TYPES, "testByte", [&] { check(BASE_TYPES, "testByte " + std::to_string(v), c.testByte(v), v); });
  for (int32_t v : {-1, 0, 1, 190000013, INT32_MAX, INT32_MIN})
    attempt(BASE_TYPES, "testI32", [&] { check(BASE_TYPES, "testI32 " + std::to_string(v), c.testI32(v), v); });
  for (int64_t v : {int64_t(0), int64_t(1), int64_t(-1), int64_t(-34359738368), int64_t(1) << 53,
                    (int64_t(1) << 53) + 1, INT64_MAX, INT64_MIN})
    attempt(BASE_TYPES, "testI64", [&] { check(BASE_TYPES, "testI64 " + std::to_string(v), c.testI64(v), v); });
  for (double v : {0.0, -1.0, -5.235098235, -0.000341012439638598279, 1e300, -1e-300})
    attempt(BASE_TYPES, "testDouble", [&] { check(BASE_TYPES, "testDouble", c.testDouble(v), v); });
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  for (const std::string& b : {bytes, std::string(), std::string(100000, '\xff')}) {
    attempt(BASE_TYPES, "testBinary", [&] {
      std::string r;
      c.testBinary(r, b);
      check(BASE_TYPES, "testBinary " + std::to_string(b.size()), r, b);
    });
  }

  Xtruct x = xtruct("Zero", 1, -3, -5);
  attempt(STRUCTS, "testStruct", [&] {
    Xtruct r;
    c.testStruct(r, x);
    check(STRUCTS, "testStruct", r, x);
  });
  Xtruct2 nest;
  nest.__set_byte_thing(1);
  nest.__set_struct_thing(x);
  nest.__set_i32_thing(5);
  attempt(STRUCTS, "testNest", [&] {
    Xtruct2 r;
    c.testNest(r, nest);
    check(STRUCTS, "testNest", r, nest);
  });

  std::map<int32_t, int32_t> m{{0, -10}, {1, -9}, {2, -8}, {3, -7}, {4, -6}, {-1, -2}};
  attempt(CONTAINERS, "testMap", [&] {
    std::map<int32_t, int32_t> r;
    c.testMap(r, m);
    check(CONTAINERS, "testMap", r, m);
  });
  std::map<std::string, std::string> sm{{"a", "2"}, {"b", "blah"}, {"some", "thing"}, {"", "empty"}};
  attempt(CONTAINERS, "testStringMap", [&] {
    std::map<std::string, std::string> r;
    c.testStringMap(r, sm);
    check(CONTAINERS, "testStringMap", r, sm);
  });
  std::set<int32_t> st{-2, -1, 0, 1, 2, 8, 42, INT32_MIN};
  attempt(CONTAINERS, "testSet", [&] {
    std::set<int32_t> r;
    c.testSet(r, st);
    check(CONTAINERS, "testSet", r, st);
  });
  for (const std::vector<int32_t>& l : {std::vector<int32_t>{-2, -1, 0, 1, 2}, std::vector<int32_t>{}}) {
    attempt(CONTAINERS, "testList", [&] {
      std::vector<int32_t> r;
      c.testList(r, l);
      check(CONTAINERS, "testList", r, l);
    });
  }
  for (Numberz::type e : {Numberz::ONE, Numberz::TWO, Numberz::FIVE, Numberz::EIGHT})
    attempt(CONTAINERS, "testEnum", [&] { check(CONTAINERS, "testEnum", c.testEnum(e), e); });
  attempt(CONTAINERS, "testTypedef",
          [&] { check(CONTAINERS, "testTypedef", c.testTypedef(309858235082523LL), UserId(309858235082523LL)); });
  attempt(CONTAINERS, "testMapMap", [&] {
    std::map<int32_t, std::map<int32_t, int32_t>> r, expected;
    for (int i = 1; i <= 4; ++i) {
      expected[-4][-i] = -i;
      expected[4][i] = i;
    }
    c.testMapMap(r, 1);
    check(CONTAINERS, "testMapMap", r, expected);
  });
  attempt(CONTAINERS, "testInsanity", [&] {
    Insanity argument;
    argument.userMap[Numberz::FIVE] = 5;
    argument.userMap[Numberz::EIGHT] = 8;
    argument.xtructs.push_back(xtruct("Goodbye4", 4, 4, 4));
    argument.xtructs.push_back(xtruct("Hello2", 2, 2, 2));
    argument.__isset.userMap = argument.__isset.xtructs = true;
    std::map<UserId, std::map<Numberz::type, Insanity>> r;
    c.testInsanity(r, argument);
    bool ok = r.size() == 2 && r[1].size() == 2 && r[1][Numberz::TWO] == argument &&
              r[1][Numberz::THREE] == argument && r[2].size() == 1 && r[2][Numberz::SIX].userMap.empty() &&
              r[2][Numberz::SIX].xtructs.empty();
    check(CONTAINERS, "testInsanity", ok, true);
  });
  attempt(STRUCTS, "testMulti", [&] {
    Xtruct r;
    c.testMulti(r, 74, 0xff00ff, 0xffffffffd0d0LL, {{0, "abc"}}, Numberz::FIVE, 0xf0f0f0);
    check(STRUCTS, "testMulti", r, xtruct("Hello2", 74, 0xff00ff, 0xffffffffd0d0LL));
  });

  ++checks;
  try {
    c.testException("Xception");
    std::cout << "FAIL testException(Xception): no exception" << std::endl;
    failed |= EXCEPTIONS;
  } catch (Xception& e) {
    if (e.errorCode != 1001 || e.message != "Xception") failed |= EXCEPTIONS;
  } catch (std::exception& e) {
    std::cout << "FAIL testException(Xception): " << e.what() << std::endl;
    failed |= EXCEPTIONS;
  }
  ++checks;
  try {
    c.testException("TException");
    std::cout << "FAIL testException(TException): no exception" << std::endl;
    failed |= EXCEPTIONS;
  } catch (TApplicationException&) {
  } catch (std::exception& e) {
    std::cout << "FAIL testException(TException): " << e.what() << std::endl;
    failed |= EXCEPTIONS;
  }
  attempt(EXCEPTIONS, "testException(success)", [&] { c.testException("success"); ++checks; });
  ++checks;
  try {
    Xtruct r;
    c.testMultiException(r, "Xception", "test 1");
    failed |= EXCEPTIONS;
  } catch (Xception& e) {
    if (e.errorCode != 1001 || e.message != "This is an Xception") failed |= EXCEPTIONS;
  } catch (std::exception& e) {
    std::cout << "FAIL testMultiException(Xception): " << e.what() << std::endl;
    failed |= EXCEPTIONS;
  }
  ++checks;
  try {
    Xtruct r;
    c.testMultiException(r, "Xception2", "test 2");
    failed |= EXCEPTIONS;
  } catch (Xception2& e) {
    if (e.errorCode != 2002 || e.struct_thing.string_thing != "This is an Xception2") failed |= EXCEPTIONS;
  } catch (std::exception& e) {
    std::cout << "FAIL testMultiException(Xception2): " << e.what() << std::endl;
    failed |= EXCEPTIONS;
  }
  attempt(EXCEPTIONS, "testMultiException(success)", [&] {
    Xtruct r;
    c.testMultiException(r, "success", "test 3");
    check(EXCEPTIONS, "testMultiException(success)", r.string_thing, std::string("test 3"));
  });

  if (!oneway) return;
  auto start = std::chrono::steady_clock::now();
  attempt(UNKNOWN, "testOneway", [&] { c.testOneway(1); });
  check(UNKNOWN, "testOneway returns at once", std::chrono::steady_clock::now() - start < std::chrono::seconds(3), true);
  attempt(UNKNOWN, "testVoid after testOneway", [&] { c.testVoid(); ++checks; });
}

int main(int argc, char** argv) {
  Options o = Options::parse(argc, argv, KEYS);
  try {
    std::shared_ptr<TTransport> socket;
    if (o.ssl) {
      auto factory = std::make_shared<TSSLSocketFactory>();
      factory->loadCertificate(o.key("client.crt").c_str());
      factory->loadPrivateKey(o.key("client.key").c_str());
      factory->loadTrustedCertificates(o.key("ca.crt").c_str());
      factory->authenticate(true);
      socket = factory->createSocket(o.host, o.port);
    } else if (!o.domain_socket.empty()) {
      socket = std::make_shared<TSocket>(o.domain_socket);
    } else {
      socket = std::make_shared<TSocket>(o.host, o.port);
    }
    std::shared_ptr<TTransport> transport;
    if (o.transport == "framed") transport = std::make_shared<TFramedTransport>(socket);
    else if (o.transport == "http") transport = std::make_shared<THttpClient>(socket, o.host, "/");
    else if (o.transport == "zlib") transport = std::make_shared<TZlibTransport>(socket);
    else transport = std::make_shared<TBufferedTransport>(socket);
    std::shared_ptr<TProtocol> protocol = protocol_factory(o)->getProtocol(transport);
    transport->open();
    std::shared_ptr<TProtocol> test = protocol;
    if (o.multiplexed()) test = std::make_shared<TMultiplexedProtocol>(protocol, "ThriftTest");
    ThriftTestClient client(test);
    run(client, !o.skip_oneway);
    if (o.multiplexed()) {
      SecondServiceClient second(std::make_shared<TMultiplexedProtocol>(protocol, "SecondService"));
      attempt(BASE_TYPES, "secondtestString", [&] {
        std::string r;
        second.secondtestString(r, "foobar");
        check(BASE_TYPES, "secondtestString", r, std::string("testString(\"foobar\")"));
      });
    }
    transport->close();
  } catch (std::exception& e) {
    std::cout << "cpp test_client: " << e.what() << std::endl;
    return UNKNOWN;
  }
  if (failed == 0) std::cout << "cpp test_client: " << checks << " checks passed" << std::endl;
  else std::cout << "cpp test_client: failures (flags " << failed << ")" << std::endl;
  return failed;
}
