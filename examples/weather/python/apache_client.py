"""The seed's client, with the transport and protocol chosen as in Apache's cross test.

Uses Apache Thrift's Python library and the code `thrift -r --gen py` generates from the
seed's IDL (on PYTHONPATH). Prints what the seed's client prints.
"""
import argparse

from thrift.protocol import TBinaryProtocol, TCompactProtocol, THeaderProtocol, TJSONProtocol
from thrift.transport import THeaderTransport, THttpClient, TSocket, TTransport, TZlibTransport

from example.weather import WeatherService


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="localhost")
    parser.add_argument("--port", type=int, default=9090)
    parser.add_argument("--transport", default="buffered")
    parser.add_argument("--protocol", default="binary")
    args = parser.parse_args()

    if args.transport == "http":
        transport = THttpClient.THttpClient(f"http://{args.host}:{args.port}/")
    else:
        socket = TSocket.TSocket(args.host, args.port)
        socket.setTimeout(10_000)
        if args.transport == "framed":
            transport = TTransport.TFramedTransport(socket)
        elif args.transport == "zlib":
            transport = TZlibTransport.TZlibTransport(socket)
        else:
            transport = TTransport.TBufferedTransport(socket)
    if args.protocol == "header":
        protocol = THeaderProtocol.THeaderProtocol(transport, [THeaderTransport.THeaderClientType.HEADERS])
    else:
        protocol = {
            "binary": TBinaryProtocol.TBinaryProtocol,
            "compact": TCompactProtocol.TCompactProtocol,
            "json": TJSONProtocol.TJSONProtocol,
        }[args.protocol](transport)

    client = WeatherService.Client(protocol)
    transport.open()
    if client.ping():
        location = WeatherService.Location(city="New York", country="USA")
        temperature = client.getTemperature(location)
        print(f"The temperature in New York is {temperature}")
    transport.close()


if __name__ == "__main__":
    main()
