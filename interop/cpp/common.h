// What the C++ cross-test server and client of rift's interop share: their options (as
// Apache's cross-test runner gives them) and the protocol and transport they name.
// Built with Debian's libthrift-dev (0.17) on the code its compiler makes of the
// cross-test IDL without uuid. Written for rift's cross test.

#pragma once

#include <cstdlib>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/protocol/THeaderProtocol.h>
#include <thrift/protocol/TJSONProtocol.h>

struct Options {
  std::string host = "localhost";
  int port = 9090;
  std::string domain_socket;
  bool ssl = false;
  std::string transport = "buffered";
  std::string protocol = "binary";
  std::string keys;
  bool skip_oneway = false;

  // `--name=value` and `--name value` both, as the runner writes the first.
  static Options parse(int argc, char** argv, const std::string& keys) {
    Options o;
    o.keys = keys;
    for (int i = 1; i < argc; ++i) {
      std::string arg = argv[i];
      std::string value;
      auto eq = arg.find('=');
      if (eq != std::string::npos) {
        value = arg.substr(eq + 1);
        arg = arg.substr(0, eq);
      } else if (arg != "--ssl" && arg != "--zlib" && arg != "--skip-oneway" && i + 1 < argc) {
        value = argv[++i];
      }
      if (arg == "--host") o.host = value;
      else if (arg == "--port") o.port = std::atoi(value.c_str());
      else if (arg == "--domain-socket") o.domain_socket = value;
      else if (arg == "--ssl") o.ssl = true;
      else if (arg == "--zlib") o.transport = "zlib";
      else if (arg == "--transport") o.transport = value;
      else if (arg == "--protocol") o.protocol = value;
      else if (arg == "--keys") o.keys = value;
      else if (arg == "--skip-oneway") o.skip_oneway = true;
      else throw std::invalid_argument("unknown option " + arg);
    }
    return o;
  }

  bool multiplexed() const { return protocol.rfind("multi", 0) == 0; }

  // The wire protocol: `multic` is compact, `multi` binary, and so on.
  std::string base() const {
    std::string b = multiplexed() ? protocol.substr(5) : protocol;
    if (b == "" || b == "binary") return "binary";
    if (b == "c" || b == "compact") return "compact";
    if (b == "j" || b == "json") return "json";
    if (b == "h" || b == "header") return "header";
    throw std::invalid_argument("unknown protocol " + protocol);
  }

  std::string key(const std::string& file) const { return keys + "/" + file; }
};

inline std::shared_ptr<apache::thrift::protocol::TProtocolFactory> protocol_factory(const Options& o) {
  using namespace apache::thrift::protocol;
  std::string b = o.base();
  if (b == "binary") return std::make_shared<TBinaryProtocolFactory>();
  if (b == "compact") return std::make_shared<TCompactProtocolFactory>();
  if (b == "json") return std::make_shared<TJSONProtocolFactory>();
  return std::make_shared<THeaderProtocolFactory>();
}
