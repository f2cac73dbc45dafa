// The cross-test services served by C++ libthrift (Debian's 0.17): the peer that rift's
// test_client talks to. It answers as the reference servers do. Written for rift's
// cross test.

#include <iostream>

#include <thrift/processor/TMultiplexedProcessor.h>
#include <thrift/server/TThreadedServer.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/THttpServer.h>
#include <thrift/transport/TSSLServerSocket.h>
#include <thrift/transport/TSSLSocket.h>
#include <thrift/transport/TServerSocket.h>
#include <thrift/transport/TZlibTransport.h>

#include "SecondService.h"
#include "ThriftTest.h"
#include "common.h"

using namespace apache::thrift;
using namespace apache::thrift::transport;
using namespace thrift::test;

class Handler : public ThriftTestIf {
 public:
  void testVoid() override {}
  void testString(std::string& r, const std::string& thing) override { r = thing; }
  bool testBool(const bool thing) override { return thing; }
  int8_t testByte(const int8_t thing) override { return thing; }
  int32_t testI32(const int32_t thing) override { return thing; }
  int64_t testI64(const int64_t thing) override { return thing; }
  double testDouble(const double thing) override { return thing; }
  void testBinary(std::string& r, const std::string& thing) override { r = thing; }
  void testStruct(Xtruct& r, const Xtruct& thing) override { r = thing; }
  void testNest(Xtruct2& r, const Xtruct2& thing) override { r = thing; }
  void testMap(std::map<int32_t, int32_t>& r, const std::map<int32_t, int32_t>& thing) override { r = thing; }
  void testStringMap(std::map<std::string, std::string>& r,
                     const std::map<std::string, std::string>& thing) override {
    r = thing;
  }
  void testSet(std::set<int32_t>& r, const std::set<int32_t>& thing) override { r = thing; }
  void testList(std::vector<int32_t>& r, const std::vector<int32_t>& thing) override { r = thing; }
  Numberz::type testEnum(const Numberz::type thing) override { return thing; }
  UserId testTypedef(const UserId thing) override { return thing; }
  void testMapMap(std::map<int32_t, std::map<int32_t, int32_t>>& r, const int32_t) override {
    for (int i = 1; i <= 4; ++i) {
      r[-4][-i] = -i;
      r[4][i] = i;
    }
  }
  void testInsanity(std::map<UserId, std::map<Numberz::type, Insanity>>& r, const Insanity& argument) override {
    r[1][Numberz::TWO] = argument;
    r[1][Numberz::THREE] = argument;
    r[2][Numberz::SIX] = Insanity();
  }
  void testMulti(Xtruct& r, const int8_t arg0, const int32_t arg1, const int64_t arg2,
                 const std::map<int16_t, std::string>&, const Numberz::type, const UserId) override {
    r.__set_string_thing("Hello2");
    r.__set_byte_thing(arg0);
    r.__set_i32_thing(arg1);
    r.__set_i64_thing(arg2);
  }
  void testException(const std::string& arg) override {
    if (arg == "Xception") {
      Xception e;
      e.__set_errorCode(1001);
      e.__set_message(arg);
      throw e;
    }
    if (arg == "TException") throw TException("This is a TException");
  }
  void testMultiException(Xtruct& r, const std::string& arg0, const std::string& arg1) override {
    if (arg0 == "Xception") {
      Xception e;
      e.__set_errorCode(1001);
      e.__set_message("This is an Xception");
      throw e;
    }
    if (arg0 == "Xception2") {
      Xception2 e;
      e.__set_errorCode(2002);
      e.struct_thing.__set_string_thing("This is an Xception2");
      e.__isset.struct_thing = true;
      throw e;
    }
    r.__set_string_thing(arg1);
  }
  void testOneway(const int32_t) override {}
};

class Second : public SecondServiceIf {
 public:
  void secondtestString(std::string& r, const std::string& thing) override {
    r = "testString(\"" + thing + "\")";
  }
};

int main(int argc, char** argv) {
  Options o = Options::parse(argc, argv, KEYS);
  auto handler = std::make_shared<ThriftTestProcessor>(std::make_shared<Handler>());
  std::shared_ptr<TProcessor> processor = handler;
  if (o.multiplexed()) {
    auto mux = std::make_shared<TMultiplexedProcessor>();
    mux->registerProcessor("ThriftTest", handler);
    mux->registerProcessor("SecondService", std::make_shared<SecondServiceProcessor>(std::make_shared<Second>()));
    mux->registerDefault(handler);
    processor = mux;
  }

  std::shared_ptr<TServerSocket> socket;
  if (o.ssl) {
    auto factory = std::make_shared<TSSLSocketFactory>();
    factory->server(true);
    factory->loadCertificate(o.key("server.crt").c_str());
    factory->loadPrivateKey(o.key("server.key").c_str());
    factory->loadTrustedCertificates(o.key("ca.crt").c_str());
    factory->authenticate(true);
    socket = std::make_shared<TSSLServerSocket>("::", o.port, factory);
  } else if (!o.domain_socket.empty()) {
    socket = std::make_shared<TServerSocket>(o.domain_socket);
  } else {
    socket = std::make_shared<TServerSocket>("::", o.port);
  }

  std::shared_ptr<TTransportFactory> transports;
  if (o.transport == "framed") transports = std::make_shared<TFramedTransportFactory>();
  else if (o.transport == "http") transports = std::make_shared<THttpServerTransportFactory>();
  else if (o.transport == "zlib") transports = std::make_shared<TZlibTransportFactory>();
  else transports = std::make_shared<TBufferedTransportFactory>();

  server::TThreadedServer server(processor, socket, transports, protocol_factory(o));
  std::cerr << "cpp test_server: listening" << std::endl;
  server.serve();
  return 0;
}
