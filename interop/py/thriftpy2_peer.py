"""The cross-test server and client on thriftpy2, which loads the IDL at run time:
the peer of rift's test_client and test_server. Written for rift's cross test.

    python thriftpy2_peer.py server|client --idl FILE [--host H] [--port N |
        --domain-socket PATH] [--ssl] [--transport buffered|framed|http]
        [--protocol binary|accel|compact|json|multi|multia|multic|multij] [--keys DIR]

thriftpy2 has no uuid: FILE is the cross-test IDL without it. `accel` is thriftpy2's
Cython binary protocol and transports.
"""

import argparse
import itertools
import os
import ssl
import sys

import thriftpy2
from thriftpy2.http import THttpClient, THttpServer
from thriftpy2.protocol import TCompactProtocolFactory, TMultiplexedProtocol
from thriftpy2.protocol.binary import TBinaryProtocolFactory
from thriftpy2.protocol.apache_json import TApacheJSONProtocolFactory
from thriftpy2.protocol.cybin import TCyBinaryProtocolFactory
from thriftpy2.server import TThreadedServer
from thriftpy2.thrift import TApplicationException, TClient, TMultiplexedProcessor, TProcessor
from thriftpy2.transport.buffered import TBufferedTransportFactory as PureBuffered
from thriftpy2.transport.framed import TFramedTransportFactory as PureFramed
from thriftpy2.transport import (
    TCyBufferedTransportFactory,
    TCyFramedTransportFactory,
    TServerSocket,
    TSocket,
    TSSLServerSocket,
    TSSLSocket,
)

import cases

PROTOCOLS = ["binary", "accel", "compact", "json", "multi", "multia", "multic", "multij"]


def parse():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("role", choices=["server", "client"])
    p.add_argument("--idl", required=True)
    cases.connection_options(p, ["buffered", "framed", "http"], PROTOCOLS)
    p.add_argument("-v", "--verbose", action="store_true")
    return p.parse_args()


args = parse()
t = thriftpy2.load(args.idl, module_name="ThriftTest_thrift")
t.TApplicationException = TApplicationException
KEYS = os.path.abspath(args.keys)
BASE = args.protocol[len("multi"):] if args.protocol.startswith("multi") else args.protocol
ACCEL = BASE in ("accel", "a")


def protocol_factory():
    return {
        "": TBinaryProtocolFactory, "binary": TBinaryProtocolFactory,
        "accel": TCyBinaryProtocolFactory, "a": TCyBinaryProtocolFactory,
        "compact": TCompactProtocolFactory, "c": TCompactProtocolFactory,
        "json": TApacheJSONProtocolFactory, "j": TApacheJSONProtocolFactory,
    }[BASE]()


def transport_factory():
    # The Cython protocol takes only the Cython transports, the others only the pure ones.
    if args.transport == "framed":
        return TCyFramedTransportFactory() if ACCEL else PureFramed()
    return TCyBufferedTransportFactory() if ACCEL else PureBuffered()


class Handler:
    def testVoid(self):
        pass

    def testString(self, thing):
        return thing

    testBool = testByte = testI32 = testI64 = testDouble = testBinary = testString
    testStruct = testNest = testMap = testStringMap = testSet = testList = testString
    testEnum = testTypedef = testString

    def testMapMap(self, hello):
        return {-4: {-i: -i for i in range(1, 5)}, 4: {i: i for i in range(1, 5)}}

    def testInsanity(self, argument):
        return {1: {t.Numberz.TWO: argument, t.Numberz.THREE: argument}, 2: {t.Numberz.SIX: t.Insanity()}}

    def testMulti(self, arg0, arg1, arg2, arg3, arg4, arg5):
        return t.Xtruct(string_thing="Hello2", byte_thing=arg0, i32_thing=arg1, i64_thing=arg2)

    def testException(self, arg):
        if arg == "Xception":
            raise t.Xception(errorCode=1001, message=arg)
        if arg == "TException":
            # Not declared: it reaches the client as a TApplicationException.
            raise TApplicationException(TApplicationException.INTERNAL_ERROR, "This is a TException")

    def testMultiException(self, arg0, arg1):
        if arg0 == "Xception":
            raise t.Xception(errorCode=1001, message="This is an Xception")
        if arg0 == "Xception2":
            raise t.Xception2(errorCode=2002, struct_thing=t.Xtruct(string_thing="This is an Xception2"))
        return t.Xtruct(string_thing=arg1)

    def testOneway(self, seconds):
        pass


class Second:
    def secondtestString(self, thing):
        return 'testString("%s")' % thing


def serve():
    processor = TProcessor(t.ThriftTest, Handler())
    if args.protocol.startswith("multi"):
        mux = TMultiplexedProcessor()
        mux.register_processor("ThriftTest", processor)
        mux.register_processor("SecondService", TProcessor(t.SecondService, Second()))
        processor = mux
    if args.transport == "http":
        server = THttpServer(processor, ("", args.port), PureBuffered(), protocol_factory())
        server.serve()
        return
    if args.ssl:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(os.path.join(KEYS, "server.crt"), os.path.join(KEYS, "server.key"))
        context.load_verify_locations(os.path.join(KEYS, "ca.crt"))
        context.verify_mode = ssl.CERT_REQUIRED
        sock = TSSLServerSocket(host="127.0.0.1", port=args.port, ssl_context=context)
    elif args.domain_socket:
        sock = TServerSocket(unix_socket=args.domain_socket)
    else:
        sock = TServerSocket(host="127.0.0.1", port=args.port)
    server = TThreadedServer(processor, sock, iprot_factory=protocol_factory(), itrans_factory=transport_factory())
    server.daemon = True
    server.serve()


class SeqChecked:
    """Wraps a protocol: each call goes out with a new sequence id, and its reply must
    carry it (the library's clients send 0 every time, which would prove nothing)."""

    def __init__(self, protocol):
        self._protocol = protocol
        self._ids = itertools.count(1)
        self._sent = None

    def write_message_begin(self, name, kind, seqid):
        self._sent = next(self._ids)
        self._protocol.write_message_begin(name, kind, self._sent)

    def read_message_begin(self):
        name, kind, seqid = self._protocol.read_message_begin()
        if seqid != self._sent:
            raise AssertionError("reply to %s has sequence id %d, the call %d" % (name, seqid, self._sent))
        return name, kind, seqid

    def __getattr__(self, name):
        return getattr(self._protocol, name)


def client():
    if args.transport == "http":
        context = None
        if args.ssl:
            def context():
                ctx = ssl.create_default_context(cafile=os.path.join(KEYS, "ca.crt"))
                ctx.load_cert_chain(os.path.join(KEYS, "client.crt"), os.path.join(KEYS, "client.key"))
                return ctx
        scheme = "https" if args.ssl else "http"
        transport = THttpClient("%s://%s:%d/" % (scheme, args.host, args.port), timeout=10000,
                                ssl_context_factory=context)
    else:
        if args.ssl:
            context = ssl.create_default_context(cafile=os.path.join(KEYS, "ca.crt"))
            context.load_cert_chain(os.path.join(KEYS, "client.crt"), os.path.join(KEYS, "client.key"))
            sock = TSSLSocket(args.host, args.port, ssl_context=context, socket_timeout=10000)
        elif args.domain_socket:
            sock = TSocket(unix_socket=args.domain_socket, socket_timeout=10000)
        else:
            sock = TSocket(args.host, args.port, socket_timeout=10000)
        transport = transport_factory().get_transport(sock)
    transport.open()
    protocol = SeqChecked(protocol_factory().get_protocol(transport))
    if args.protocol.startswith("multi"):
        test = TClient(t.ThriftTest, TMultiplexedProtocol(protocol, "ThriftTest"))
        second = TClient(t.SecondService, TMultiplexedProtocol(protocol, "SecondService"))
    else:
        test, second = TClient(t.ThriftTest, protocol), None
    failed, checks = cases.run(t, test, second, verbose=args.verbose)
    transport.close()
    if failed == 0:
        print("thriftpy2 client: %d checks passed" % checks)
    else:
        print("thriftpy2 client: failures (flags %d)" % failed)
    return failed


if __name__ == "__main__":
    if args.role == "server":
        serve()
    else:
        sys.exit(client())
