// The `Bench` service of the standard workload (../shared/bench) served by C++ libthrift's
// TNonblockingServer (Debian's libthrift-dev and libevent, code from `thrift --gen cpp`), a
// peer of rift's server in the RPC benchmark: `server --port 9090 [--io-threads N]`.
// Framed transport (the only one TNonblockingServer speaks), binary protocol, on
// 127.0.0.1. Its handlers run on the IO threads themselves (no thread manager): 2 of them
// by default, one per core of the benchmark machine.
//
// Built by ../../scripts/rpc.sh; not part of the Rust build.

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/server/TNonblockingServer.h>
#include <thrift/transport/TNonblockingServerSocket.h>

#include "Bench.h"

using apache::thrift::protocol::TBinaryProtocolFactory;
using apache::thrift::server::TNonblockingServer;
using apache::thrift::transport::TNonblockingServerSocket;

// `ping` answers, `echo` returns the request, `fire` (oneway) does nothing.
class Handler : public bench::BenchIf {
 public:
  void ping() override {}
  void echo(bench::Request& out, const bench::Request& req) override { out = req; }
  void fire(const bench::Request&) override {}
};

static int usage() {
  std::fprintf(stderr, "usage: server [--port N] [--io-threads N]\n");
  return 2;
}

int main(int argc, char** argv) {
  int port = 9090;
  int io_threads = 2;
  for (int i = 1; i < argc; i++) {
    if (i + 1 < argc && std::strcmp(argv[i], "--port") == 0) {
      port = std::atoi(argv[++i]);
    } else if (i + 1 < argc && std::strcmp(argv[i], "--io-threads") == 0) {
      io_threads = std::atoi(argv[++i]);
    } else {
      return usage();
    }
  }
  if (port <= 0 || port > 65535 || io_threads <= 0) return usage();

  auto processor = std::make_shared<bench::BenchProcessor>(std::make_shared<Handler>());
  auto socket = std::make_shared<TNonblockingServerSocket>("127.0.0.1", port);
  TNonblockingServer server(processor, std::make_shared<TBinaryProtocolFactory>(), socket);
  server.setNumIOThreads(static_cast<size_t>(io_threads));
  std::fprintf(stderr, "cpp-nonblocking: framed binary, %d IO threads, on 127.0.0.1:%d\n", io_threads,
               port);
  try {
    server.serve();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cpp-nonblocking: %s\n", e.what());
    return 1;
  }
  return 0;
}
