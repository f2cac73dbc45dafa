"""What the Python peers of the cross test share: their connection options, and the
checks of their clients (Apache's library and thriftpy2): every method of ThriftTest
with the reference client's values, each answer compared. `run` takes the library's generated types (or thriftpy2's loaded module) as
`t`, and returns the reference client's error flags (1 base types, 2 structs,
4 containers, 8 exceptions, 64 anything else) and the number of checks.
"""

import os
import time

APACHE_PROTOCOLS = ["binary", "accel", "compact", "accelc", "json", "header",
                    "multi", "multia", "multic", "multiac", "multij", "multih"]


def connection_options(parser, transports, protocols):
    """The options every peer takes as Apache's cross-test runner gives them."""
    parser.add_argument("--host", default="localhost")
    parser.add_argument("--port", type=int, default=9090)
    parser.add_argument("--domain-socket")
    parser.add_argument("--ssl", action="store_true")
    parser.add_argument("--keys", default=os.path.join(os.path.dirname(__file__), "..", "keys"))
    parser.add_argument("--transport", default="buffered", choices=transports)
    parser.add_argument("--zlib", action="store_true")
    parser.add_argument("--protocol", default="binary", choices=protocols)

BASE_TYPES, STRUCTS, CONTAINERS, EXCEPTIONS, UNKNOWN = 1, 2, 4, 8, 64


class Checks:
    def __init__(self, verbose):
        self.verbose = verbose
        self.failed = 0
        self.checks = 0

    def check(self, flag, what, call, expected):
        self.checks += 1
        try:
            got = call()
        except Exception as e:  # noqa: BLE001 - any failure of the call is reported
            print("FAIL %s: %r" % (what, e))
            self.failed |= flag
            return
        if got != expected:
            print("FAIL %s: got %r, expected %r" % (what, got, expected))
            self.failed |= flag
        elif self.verbose:
            print("ok   %s" % what)

    def raises(self, flag, what, call, expected_type, test):
        self.checks += 1
        try:
            call()
        except expected_type as e:
            if test(e):
                if self.verbose:
                    print("ok   %s" % what)
                return
            print("FAIL %s: %r" % (what, e))
        except Exception as e:  # noqa: BLE001
            print("FAIL %s: %r" % (what, e))
        else:
            print("FAIL %s: no exception" % what)
        self.failed |= flag


def run(t, test, second, large=True, verbose=False):
    """Runs every check through `test` (a ThriftTest client) and `second` (a
    SecondService client, or None); `large`: send values over 64 KB."""
    c = Checks(verbose)
    check, raises = c.check, c.raises
    Insanity, Numberz, Xception, Xception2, Xtruct, Xtruct2 = (
        t.Insanity, t.Numberz, t.Xception, t.Xception2, t.Xtruct, t.Xtruct2)
    check(BASE_TYPES, "testVoid", lambda: test.testVoid(), None)
    for s in ["Test", "", "Python" * 20, "\b\t\n/\\\\\r{}:パイソン\"\x01\x1f",
              "Afrikaans Íslenska Ελληνικά Русский العربية עברית हिन्दी 中文 日本語 한국어 ไทย 🦀🎉"] + ["x" * 70000] * large:
        check(BASE_TYPES, "testString(%r)" % s[:20], lambda s=s: test.testString(s), s)
    for b in (True, False):
        check(BASE_TYPES, "testBool(%r)" % b, lambda b=b: test.testBool(b), b)
    for v in (1, 0, -1, 63, -127, 127, -128):
        check(BASE_TYPES, "testByte(%d)" % v, lambda v=v: test.testByte(v), v)
    for v in (-1, 0, 1, 190000013, 2**31 - 1, -2**31):
        check(BASE_TYPES, "testI32(%d)" % v, lambda v=v: test.testI32(v), v)
    for v in (0, 1, -1, -34359738368, 2**53, 2**53 + 1, 2**63 - 1, -2**63):
        check(BASE_TYPES, "testI64(%d)" % v, lambda v=v: test.testI64(v), v)
    for v in (0.0, -1.0, -5.235098235, -0.000341012439638598279, 1e300, -1e-300):
        check(BASE_TYPES, "testDouble(%r)" % v, lambda v=v: test.testDouble(v), v)
    for b in [bytes(range(256)), b""] + [b"\xff" * 100000] * large:
        check(BASE_TYPES, "testBinary(%d bytes)" % len(b), lambda b=b: test.testBinary(b), b)

    xtruct = Xtruct(string_thing="Zero", byte_thing=1, i32_thing=-3, i64_thing=-5)
    check(STRUCTS, "testStruct", lambda: test.testStruct(xtruct), xtruct)
    nest = Xtruct2(byte_thing=1, struct_thing=xtruct, i32_thing=5)
    check(STRUCTS, "testNest", lambda: test.testNest(nest), nest)

    m = {i: i - 10 for i in range(5)}
    m[-1] = -2
    check(CONTAINERS, "testMap", lambda: test.testMap(m), m)
    check(CONTAINERS, "testMap({})", lambda: test.testMap({}), {})
    sm = {"a": "2", "b": "blah", "some": "thing", "": "empty", "ключ": "значение"}
    check(CONTAINERS, "testStringMap", lambda: test.testStringMap(sm), sm)
    st = {-2, -1, 0, 1, 2, 8, 42, -2**31}
    # thriftpy2 reads a set as a list.
    check(CONTAINERS, "testSet", lambda: set(test.testSet(st)), st)
    for lst in ([-2, -1, 0, 1, 2], [1, 4, 9, -42], []):
        check(CONTAINERS, "testList(%r)" % lst, lambda lst=lst: test.testList(lst), lst)
    for e in (Numberz.ONE, Numberz.TWO, Numberz.FIVE, Numberz.EIGHT):
        check(CONTAINERS, "testEnum(%d)" % e, lambda e=e: test.testEnum(e), e)
    for v in (309858235082523, 0xffffffffffffff):
        check(CONTAINERS, "testTypedef(%d)" % v, lambda v=v: test.testTypedef(v), v)
    check(CONTAINERS, "testMapMap(1)", lambda: test.testMapMap(1),
          {-4: {-4: -4, -3: -3, -2: -2, -1: -1}, 4: {1: 1, 2: 2, 3: 3, 4: 4}})
    argument = Insanity(
        userMap={Numberz.FIVE: 5, Numberz.EIGHT: 8},
        xtructs=[Xtruct(string_thing="Goodbye4", byte_thing=4, i32_thing=4, i64_thing=4),
                 Xtruct(string_thing="Hello2", byte_thing=2, i32_thing=2, i64_thing=2)],
    )
    # A server may write the fields of the empty Insanity as empty containers or leave
    # them out: both read back as empty here.
    def insanity():
        return {k: {n: Insanity(userMap=i.userMap or {}, xtructs=i.xtructs or []) for n, i in v.items()}
                for k, v in test.testInsanity(argument).items()}
    check(CONTAINERS, "testInsanity", insanity,
          {1: {Numberz.TWO: argument, Numberz.THREE: argument}, 2: {Numberz.SIX: Insanity(userMap={}, xtructs=[])}})
    check(STRUCTS, "testMulti",
          lambda: test.testMulti(74, 0xff00ff, 0xffffffffd0d0, {0: "abc"}, Numberz.FIVE, 0xf0f0f0),
          Xtruct(string_thing="Hello2", byte_thing=74, i32_thing=0xff00ff, i64_thing=0xffffffffd0d0))

    raises(EXCEPTIONS, "testException(Xception)", lambda: test.testException("Xception"), Xception,
           lambda e: e.errorCode == 1001 and e.message == "Xception")
    raises(EXCEPTIONS, "testException(TException)", lambda: test.testException("TException"),
           t.TApplicationException, lambda e: True)
    check(EXCEPTIONS, "testException(success)", lambda: test.testException("success"), None)
    raises(EXCEPTIONS, "testMultiException(Xception)", lambda: test.testMultiException("Xception", "test 1"),
           Xception, lambda e: e.errorCode == 1001 and e.message == "This is an Xception")
    raises(EXCEPTIONS, "testMultiException(Xception2)", lambda: test.testMultiException("Xception2", "test 2"),
           Xception2, lambda e: e.errorCode == 2002 and e.struct_thing.string_thing == "This is an Xception2")
    # The other fields are unset or zero, as the server writes default fields or not.
    check(EXCEPTIONS, "testMultiException(success)",
          lambda: test.testMultiException("success", "test 3").string_thing, "test 3")

    start = time.time()
    check(UNKNOWN, "testOneway(1)", lambda: test.testOneway(1), None)
    if time.time() - start > 3:
        print("FAIL testOneway(1) took %.1f s" % (time.time() - start))
        c.failed |= UNKNOWN
    check(UNKNOWN, "testVoid after testOneway", lambda: test.testVoid(), None)
    if second is not None:
        check(BASE_TYPES, "secondtestString", lambda: second.secondtestString("foobar"), 'testString("foobar")')
    return c.failed, c.checks
