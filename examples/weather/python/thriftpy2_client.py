"""A thriftpy2 client of the weather service: the IDL loaded at run time, no code
generated. Prints what the seed's client prints."""
import argparse

import thriftpy2
from thriftpy2.protocol import TBinaryProtocolFactory, TCompactProtocolFactory, TJSONProtocolFactory
from thriftpy2.rpc import make_client
from thriftpy2.transport import TBufferedTransportFactory, TFramedTransportFactory


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("idl")
    parser.add_argument("--host", default="localhost")
    parser.add_argument("--port", type=int, default=9090)
    parser.add_argument("--transport", default="buffered")
    parser.add_argument("--protocol", default="binary")
    args = parser.parse_args()

    weather = thriftpy2.load(args.idl, module_name="weather_thrift")
    client = make_client(
        weather.WeatherService,
        args.host,
        args.port,
        proto_factory={
            "binary": TBinaryProtocolFactory,
            "compact": TCompactProtocolFactory,
            "json": TJSONProtocolFactory,
        }[args.protocol](),
        trans_factory={"buffered": TBufferedTransportFactory, "framed": TFramedTransportFactory}[args.transport](),
        timeout=10_000,
    )
    if client.ping():
        temperature = client.getTemperature(weather.Location(city="New York", country="USA"))
        print(f"The temperature in New York is {temperature}")
    client.close()


if __name__ == "__main__":
    main()
