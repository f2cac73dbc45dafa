"""The cross-test services served by Apache Thrift's Python library: the peer that
rift's test_client talks to. Written for rift's cross test; it answers as the
reference servers do.

    python apache_server.py --genpydir DIR [--port N | --domain-socket PATH] [--ssl]
        [--transport buffered|framed|http|zlib] [--protocol NAME] [--keys DIR]

DIR holds the code `thrift --gen py` made of the cross-test IDL (without uuid).
"""

import argparse
import os
import ssl
import sys

import cases


def parse():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--genpydir", required=True)
    cases.connection_options(p, ["buffered", "framed", "http", "zlib"], cases.APACHE_PROTOCOLS)
    p.add_argument("--string-limit", type=int)
    p.add_argument("--container-limit", type=int)
    p.add_argument("server_type", nargs="?", default="TThreadedServer")
    return p.parse_args()


args = parse()
sys.path.insert(0, args.genpydir)

from thrift.Thrift import TException  # noqa: E402
from thrift.protocol import TBinaryProtocol, TCompactProtocol, THeaderProtocol, TJSONProtocol  # noqa: E402
from thrift.server import THttpServer, TServer  # noqa: E402
from thrift.TMultiplexedProcessor import TMultiplexedProcessor  # noqa: E402
from thrift.transport import TSocket, TSSLSocket, TTransport, TZlibTransport  # noqa: E402
from thrift.transport.THeaderTransport import THeaderClientType  # noqa: E402

from ThriftTest import SecondService, ThriftTest  # noqa: E402
from ThriftTest.ttypes import Insanity, Numberz, Xception, Xception2, Xtruct  # noqa: E402


class Handler:
    def testVoid(self):
        pass

    def testString(self, thing):
        return thing

    def testBool(self, thing):
        return thing

    def testByte(self, thing):
        return thing

    def testI32(self, thing):
        return thing

    def testI64(self, thing):
        return thing

    def testDouble(self, thing):
        return thing

    def testBinary(self, thing):
        return thing

    def testStruct(self, thing):
        return thing

    def testNest(self, thing):
        return thing

    def testMap(self, thing):
        return thing

    def testStringMap(self, thing):
        return thing

    def testSet(self, thing):
        return thing

    def testList(self, thing):
        return thing

    def testEnum(self, thing):
        return thing

    def testTypedef(self, thing):
        return thing

    def testMapMap(self, hello):
        return {-4: {-i: -i for i in range(1, 5)}, 4: {i: i for i in range(1, 5)}}

    def testInsanity(self, argument):
        return {1: {Numberz.TWO: argument, Numberz.THREE: argument}, 2: {Numberz.SIX: Insanity()}}

    def testMulti(self, arg0, arg1, arg2, arg3, arg4, arg5):
        return Xtruct(string_thing="Hello2", byte_thing=arg0, i32_thing=arg1, i64_thing=arg2)

    def testException(self, arg):
        if arg == "Xception":
            raise Xception(errorCode=1001, message=arg)
        if arg == "TException":
            raise TException("This is a TException")

    def testMultiException(self, arg0, arg1):
        if arg0 == "Xception":
            raise Xception(errorCode=1001, message="This is an Xception")
        if arg0 == "Xception2":
            raise Xception2(errorCode=2002, struct_thing=Xtruct(string_thing="This is an Xception2"))
        return Xtruct(string_thing=arg1)

    def testOneway(self, seconds):
        pass


class Second:
    def secondtestString(self, thing):
        return 'testString("%s")' % thing


def protocol_factory(name):
    base = name[len("multi"):] if name.startswith("multi") else name
    header_types = [
        THeaderClientType.HEADERS,
        THeaderClientType.FRAMED_BINARY,
        THeaderClientType.UNFRAMED_BINARY,
        THeaderClientType.FRAMED_COMPACT,
        THeaderClientType.UNFRAMED_COMPACT,
    ]
    limits = {}
    if args.string_limit is not None:
        limits["string_length_limit"] = args.string_limit
    if args.container_limit is not None:
        limits["container_length_limit"] = args.container_limit
    return {
        "": lambda: TBinaryProtocol.TBinaryProtocolFactory(**limits),
        "binary": lambda: TBinaryProtocol.TBinaryProtocolFactory(**limits),
        "accel": lambda: TBinaryProtocol.TBinaryProtocolAcceleratedFactory(**limits),
        "a": lambda: TBinaryProtocol.TBinaryProtocolAcceleratedFactory(**limits),
        "compact": lambda: TCompactProtocol.TCompactProtocolFactory(**limits),
        "c": lambda: TCompactProtocol.TCompactProtocolFactory(**limits),
        "accelc": lambda: TCompactProtocol.TCompactProtocolAcceleratedFactory(**limits),
        "ac": lambda: TCompactProtocol.TCompactProtocolAcceleratedFactory(**limits),
        "json": lambda: TJSONProtocol.TJSONProtocolFactory(),
        "j": lambda: TJSONProtocol.TJSONProtocolFactory(),
        "header": lambda: THeaderProtocol.THeaderProtocolFactory(header_types),
        "h": lambda: THeaderProtocol.THeaderProtocolFactory(header_types),
    }[base]()


def main():
    handler = ThriftTest.Processor(Handler())
    if args.protocol.startswith("multi"):
        processor = TMultiplexedProcessor()
        processor.registerProcessor("ThriftTest", handler)
        processor.registerProcessor("SecondService", SecondService.Processor(Second()))
        processor.registerDefault(handler)
    else:
        processor = handler
    pfactory = protocol_factory(args.protocol)
    keys = os.path.abspath(args.keys)

    if args.transport == "http":
        kwargs = {}
        if args.ssl:
            kwargs = {"cert_file": os.path.join(keys, "server.crt"), "key_file": os.path.join(keys, "server.key")}
        server = THttpServer.THttpServer(processor, ("", args.port), pfactory, **kwargs)
        server.serve()
        return

    if args.ssl:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(os.path.join(keys, "server.crt"), os.path.join(keys, "server.key"))
        context.load_verify_locations(os.path.join(keys, "ca.crt"))
        context.verify_mode = ssl.CERT_REQUIRED
        socket = TSSLSocket.TSSLServerSocket(
            host=None, port=args.port, unix_socket=args.domain_socket, ssl_context=context
        )
    else:
        socket = TSocket.TServerSocket(host=None, port=args.port, unix_socket=args.domain_socket)

    if args.transport == "framed":
        tfactory = TTransport.TFramedTransportFactory()
    elif args.transport == "zlib" or args.zlib:
        tfactory = TZlibTransport.TZlibTransportFactory()
    else:
        tfactory = TTransport.TBufferedTransportFactory()

    server_class = getattr(TServer, args.server_type)
    server = server_class(processor, socket, tfactory, pfactory)
    if hasattr(server, "daemon"):
        server.daemon = True
    server.serve()


if __name__ == "__main__":
    main()
