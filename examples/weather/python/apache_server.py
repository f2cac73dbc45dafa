"""The seed's server, with the transport and protocol chosen as in Apache's cross test.

Uses Apache Thrift's Python library and the code `thrift -r --gen py` generates from the
seed's IDL (on PYTHONPATH). Prints a line when it listens.
"""
import argparse
import sys

from thrift.protocol import TBinaryProtocol, TCompactProtocol, THeaderProtocol, TJSONProtocol
from thrift.server import THttpServer, TServer
from thrift.transport import TSocket, TTransport, TZlibTransport

from example.weather import WeatherService


class WeatherServiceImpl(WeatherService.Iface):
    def ping(self):
        return True

    def getTemperature(self, location):
        return f"21°C in {location.city}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=9090)
    parser.add_argument("--transport", default="buffered")
    parser.add_argument("--protocol", default="binary")
    args = parser.parse_args()

    processor = WeatherService.Processor(WeatherServiceImpl())
    if args.transport == "http":
        pfactory = {
            "binary": TBinaryProtocol.TBinaryProtocolFactory,
            "compact": TCompactProtocol.TCompactProtocolFactory,
            "json": TJSONProtocol.TJSONProtocolFactory,
        }[args.protocol]()
        server = THttpServer.THttpServer(processor, ("127.0.0.1", args.port), pfactory)
        print("listening", flush=True)
        server.serve()
        return
    socket = TSocket.TServerSocket(host="127.0.0.1", port=args.port)
    if args.protocol == "header":
        tfactory = TTransport.TTransportFactoryBase()
        pfactory = THeaderProtocol.THeaderProtocolFactory()
    else:
        tfactory = {
            "buffered": TTransport.TBufferedTransportFactory,
            "framed": TTransport.TFramedTransportFactory,
            "zlib": TZlibTransport.TZlibTransportFactory,
        }[args.transport]()
        pfactory = {
            "binary": TBinaryProtocol.TBinaryProtocolFactory,
            "compact": TCompactProtocol.TCompactProtocolFactory,
            "json": TJSONProtocol.TJSONProtocolFactory,
        }[args.protocol]()
    server = TServer.TSimpleServer(processor, socket, tfactory, pfactory)
    socket.listen()
    # serve() would listen again, on a new socket: keep the one the caller was told of.
    socket.listen = lambda: None
    print("listening", flush=True)
    sys.stdout.flush()
    server.serve()


if __name__ == "__main__":
    main()
