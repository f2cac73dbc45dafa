"""A thriftpy2 server of the weather service: the IDL loaded at run time, no code
generated. Prints a line when it listens."""
import argparse
import sys

import thriftpy2
from thriftpy2.protocol import TBinaryProtocolFactory, TCompactProtocolFactory
from thriftpy2.rpc import make_server
from thriftpy2.transport import TBufferedTransportFactory, TFramedTransportFactory


class Weather:
    def ping(self):
        return True

    def getTemperature(self, location):
        return "19°C in %s" % location.city


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("idl")
    parser.add_argument("--port", type=int, default=9090)
    parser.add_argument("--transport", default="buffered")
    parser.add_argument("--protocol", default="binary")
    args = parser.parse_args()

    weather = thriftpy2.load(args.idl, module_name="weather_thrift")
    server = make_server(
        weather.WeatherService,
        Weather(),
        "127.0.0.1",
        args.port,
        proto_factory={"binary": TBinaryProtocolFactory, "compact": TCompactProtocolFactory}[args.protocol](),
        trans_factory={"buffered": TBufferedTransportFactory, "framed": TFramedTransportFactory}[args.transport](),
    )
    server.trans.listen()
    # serve() would listen again: keep the socket the caller was told of.
    server.trans.listen = lambda: None
    print("listening", flush=True)
    sys.stdout.flush()
    server.serve()


if __name__ == "__main__":
    main()
