#!/usr/bin/env python3
"""Golden vectors for rift's codec, from the reference Python libraries.

    vectors.py generate OUT.json   encode every case with every implementation
    vectors.py check IN.json       decode rift's encodings with every implementation

Implementations: Apache Thrift's Python library (`pip install thrift`), pure Python and
C-accelerated, and thriftpy2. The values are defined once here (CASES); the Rust test
(crates/rift/tests/interop_vectors.rs) has the same cases by name.
"""

import json
import math
import os
import sys
import uuid
import zlib

import thriftpy2
import thriftpy2.protocol as tp2
from thriftpy2.transport import TMemoryBuffer as Tp2Buffer
from thriftpy2.thrift import TApplicationException as Tp2AppException, TType as Tp2TType

from thrift.Thrift import TApplicationException, TMessageType, TType
from thrift.protocol import TBase
from thrift.protocol.TBinaryProtocol import TBinaryProtocol, TBinaryProtocolAccelerated
from thrift.protocol.TCompactProtocol import TCompactProtocol, TCompactProtocolAccelerated
from thrift.protocol.TJSONProtocol import TJSONProtocol, TSimpleJSONProtocol
from thrift.transport.THeaderTransport import THeaderTransport, THeaderClientType, THeaderSubprotocolID, THeaderTransformID
from thrift.transport.TTransport import TMemoryBuffer

HERE = os.path.dirname(os.path.abspath(__file__))
TP2 = thriftpy2.load(os.path.join(HERE, "codec.thrift"), module_name="codec_thrift")


# --- Apache classes from the thriftpy2 module -------------------------------------------

class ApacheModule:
    pass


APACHE = ApacheModule()


def make_apache_class(name, fields, exception=False):
    """fields: list of (fid, name, apache_ttype, apache_args)."""
    slots = [f[1] for f in fields]

    def __init__(self, **kwargs):
        for slot in slots:
            setattr(self, slot, kwargs.get(slot))

    base = (TBase.TExceptionBase,) if exception else (TBase.TBase,)
    cls = type(name, base, {"__slots__": slots, "__init__": __init__})
    size = max([f[0] for f in fields] + [0]) + 1
    spec = [None] * size
    for fid, fname, ttype, args in fields:
        spec[fid] = (fid, ttype, fname, args, None)
    cls.thrift_spec = tuple(spec)
    cls.__hash__ = None
    return cls


def apache_type(tp):
    """A thriftpy2 type descriptor as Apache (ttype, args)."""
    if isinstance(tp, int):
        if tp == Tp2TType.BINARY:
            return TType.STRING, "BINARY"
        if tp == Tp2TType.STRING:
            return TType.STRING, "UTF8"
        return tp, None
    ttype, arg = tp
    if ttype == Tp2TType.STRUCT:
        cls = getattr(APACHE, arg.__name__)
        return TType.STRUCT, [cls, cls.thrift_spec]
    if ttype in (Tp2TType.LIST, Tp2TType.SET):
        et, ea = apache_type(arg)
        return ttype, (et, ea, False)
    if ttype == Tp2TType.MAP:
        kt, ka = apache_type(arg[0])
        vt, va = apache_type(arg[1])
        return TType.MAP, (kt, ka, vt, va, False)
    return ttype, None  # enums


def apache_fields(tp2_class):
    out = []
    for fid, spec in sorted(tp2_class.thrift_spec.items()):
        if len(spec) == 3:
            ttype, name, _required = spec
            out.append((fid, name) + apache_type(ttype))
        else:
            ttype, name, arg, _required = spec
            if ttype == Tp2TType.I32:  # an enum
                out.append((fid, name, TType.I32, None))
            else:
                out.append((fid, name) + apache_type((ttype, arg)))
    return out


# Classes in dependency order; NegativeIds has no Apache form (its spec tuple cannot
# hold negative ids).
for _name in ["Point", "Scalars", "Containers", "Ids", "Everything", "Nothing", "OnlyBinary", "Failure",
              "Choice", "Args"]:
    _cls = getattr(TP2, _name)
    setattr(APACHE, _name, make_apache_class(_name, apache_fields(_cls), exception=_name == "Failure"))

APACHE.Color = TP2.Color
APACHE.Result = make_apache_class("Result", [
    (0, "success", TType.STRUCT, [APACHE.Point, APACHE.Point.thrift_spec]),
    (1, "failure", TType.STRUCT, [APACHE.Failure, APACHE.Failure.thrift_spec]),
])
APACHE.WithUuid = make_apache_class("WithUuid", [
    (1, "id", TType.UUID, None),
    (2, "ids", TType.LIST, (TType.UUID, None, False)),
    (3, "names", TType.MAP, (TType.UUID, None, TType.STRING, "UTF8", False)),
])


class Tp2Result(thriftpy2.thrift.TPayload):
    thrift_spec = {0: (TType.STRUCT, "success", TP2.Point, False), 1: (TType.STRUCT, "failure", TP2.Failure, False)}
    default_spec = [("success", None), ("failure", None)]


TP2.Result = Tp2Result

# --- The cases -----------------------------------------------------------------------

UNICODE = "h\u00e9llo w\u00f6rld \u2713 \U0001F600 \u65e5\u672c\u8a9e"
CONTROL = "\x00\x01\x1f\b\f\n\r\t\"\\/"
UUID_A = uuid.UUID("00112233-4455-6677-8899-aabbccddeeff")
UUID_B = uuid.UUID("ffffffff-0000-0000-0000-000000000001")


def scalars(M, **kw):
    value = dict(b=False, by=0, s=0, i=0, l=0, d=0.0, text="", bin=b"", color=1)
    value.update(kw)
    return M.Scalars(**value)


def containers(M, **kw):
    value = dict(ints=[], names=set(), weights={}, flags=[], nested={}, matrix=[], blobs=[], doubles=[], bool_map={},
                 bytes=[], bool_set=set(), deep={})
    value.update(kw)
    return M.Containers(**value)


def full_containers(M):
    return containers(
        M,
        ints=[1, -1, 2147483647, -2147483648, 0],
        names={"alpha", "beta", ""},
        weights={"a": 1, "b": -2, "c": 3000000000},
        flags=[True, False, True, True],
        nested={-5: [M.Point(x=1.5, y=-2.25)], 3: [], 7: [M.Point(x=0.0, y=1e100), M.Point(x=-0.0, y=5e-324)]},
        matrix=[["a", "b"], [], ["c"]],
        blobs=[b"", b"\x00\xff", bytes(range(16))],
        doubles=[0.1, -1e-300, 1.7976931348623157e308, 2.5],
        bool_map={False: True, True: False},
        bytes=[-128, 0, 127],
        bool_set={True, False},
        deep={"outer": {"a": 1, "b": 2}, "z": {}},
    )


CASES = [
    # name, struct, builder(M), implementations ("apache", "thriftpy2" or both)
    ("scalars_zero", "Scalars", lambda M: scalars(M), "both"),
    ("scalars_max", "Scalars", lambda M: scalars(M, b=True, by=127, s=32767, i=2147483647, l=9223372036854775807,
                                                 d=1.7976931348623157e308, text="max", bin=b"\xff", color=3), "both"),
    ("scalars_min", "Scalars", lambda M: scalars(M, by=-128, s=-32768, i=-2147483648, l=-9223372036854775808,
                                                 d=-5e-324, color=2), "both"),
    ("scalars_negative_zero", "Scalars", lambda M: scalars(M, d=-0.0), "both"),
    ("scalars_nan", "Scalars", lambda M: scalars(M, d=float("nan")), "both"),
    ("scalars_infinity", "Scalars", lambda M: scalars(M, d=float("inf")), "both"),
    ("scalars_negative_infinity", "Scalars", lambda M: scalars(M, d=float("-inf")), "both"),
    ("scalars_fraction", "Scalars", lambda M: scalars(M, d=0.1, l=-34359738368, i=-1), "both"),
    ("scalars_unicode", "Scalars", lambda M: scalars(M, text=UNICODE), "both"),
    ("scalars_control", "Scalars", lambda M: scalars(M, text=CONTROL), "both"),
    ("scalars_all_bytes", "Scalars", lambda M: scalars(M, bin=bytes(range(256))), "both"),
    ("scalars_unknown_enum", "Scalars", lambda M: scalars(M, color=99), "both"),
    ("containers_empty", "Containers", lambda M: containers(M), "both"),
    ("containers_full", "Containers", full_containers, "both"),
    ("containers_long", "Containers", lambda M: containers(M, ints=list(range(-50, 50)), flags=[i % 3 == 0 for i in range(20)]), "both"),
    ("ids_all", "Ids", lambda M: M.Ids(one=1, fifteen=15, sixteen=16, thirty_one=31, flag=True, other_flag=False,
                                       hundred=100, max=32767), "both"),
    ("ids_sparse", "Ids", lambda M: M.Ids(sixteen=-16, other_flag=True, max=0), "both"),
    ("ids_none", "Ids", lambda M: M.Ids(), "both"),
    ("ids_negative", "NegativeIds", lambda M: M.NegativeIds(min=-1, neg=2, one=3), "thriftpy2"),
    ("everything", "Everything", lambda M: M.Everything(scalars=scalars(M, text="nested", i=42), containers=full_containers(M),
                                                        ids=M.Ids(one=1, max=7), point=M.Point(x=3.0, y=4.0)), "both"),
    ("everything_minimal", "Everything", lambda M: M.Everything(scalars=scalars(M)), "both"),
    ("choice_number", "Choice", lambda M: M.Choice(number=7), "both"),
    ("choice_text", "Choice", lambda M: M.Choice(text="seven"), "both"),
    ("choice_point", "Choice", lambda M: M.Choice(point=M.Point(x=7.0, y=-7.0)), "both"),
    ("failure", "Failure", lambda M: M.Failure(message="it broke", code=500), "both"),
    ("uuid", "WithUuid", lambda M: M.WithUuid(id=UUID_A, ids=[UUID_A, UUID_B], names={UUID_B: "b"}), "apache"),
    # Decoded by rift as `Nothing`: every field unknown, skipped.
    ("unknown_fields", "Everything", lambda M: M.Everything(scalars=scalars(M, text="skip me"), containers=full_containers(M),
                                                            ids=M.Ids(one=1, flag=True, max=2), point=M.Point(x=1.0, y=2.0)), "both"),
    # Decoded by rift as `Scalars`, whose field 7 is a string: must fail as invalid UTF-8.
    ("invalid_utf8", "OnlyBinary", lambda M: M.OnlyBinary(text=b"ok \xff\xfe\xc3("), "both"),
]

# Messages: (name, method, message type, seq, struct, builder)
MESSAGES = [
    ("message_call", "echo", TMessageType.CALL, 1, "Args", lambda M: M.Args(p=M.Point(x=1.0, y=2.0))),
    ("message_reply", "echo", TMessageType.REPLY, -5, "Result", lambda M: M.Result(success=M.Point(x=-1.0, y=0.5))),
    ("message_reply_exception", "echo", TMessageType.REPLY, 7, "Result",
     lambda M: M.Result(failure=M.Failure(message="no", code=1))),
    ("message_oneway", "fire", TMessageType.ONEWAY, 2147483647, "Args", lambda M: M.Args(p=M.Point(x=0.0, y=0.0))),
    ("message_multiplexed", "Weather:echo", TMessageType.CALL, -2147483648, "Args",
     lambda M: M.Args(p=M.Point(x=9.0, y=9.0))),
]
APP_EXCEPTION_TYPES = list(range(11))


# --- Encoding ------------------------------------------------------------------------

def apache_protocols():
    return {
        "binary": lambda t: TBinaryProtocol(t),
        "compact": lambda t: TCompactProtocol(t),
        "json": lambda t: TJSONProtocol(t),
        "simplejson": lambda t: TSimpleJSONProtocol(t),
    }


def accel_protocols():
    return {"binary": lambda t: TBinaryProtocolAccelerated(t), "compact": lambda t: TCompactProtocolAccelerated(t)}


def tp2_protocols():
    return {
        "binary": lambda t: tp2.TBinaryProtocol(t),
        "cybinary": lambda t: tp2.TCyBinaryProtocol(t),
        "compact": lambda t: tp2.TCompactProtocol(t),
        "json": lambda t: tp2.TApacheJSONProtocol(t),
    }


def implementations():
    return [("apache", APACHE, apache_protocols()), ("apache-accel", APACHE, accel_protocols()), ("thriftpy2", TP2, tp2_protocols())]


def wanted(impl, which):
    return which == "both" or impl.startswith(which)


def message_supported(impl, proto_name, seq):
    # thriftpy2's compact writer loops forever on a negative sequence id.
    return not (impl == "thriftpy2" and proto_name == "compact" and seq < 0)


def struct_supported(impl, proto_name):
    # thriftpy2's Apache JSON protocol writes whole messages only.
    return not (impl == "thriftpy2" and proto_name == "json")


def encode_struct(impl, make_proto, value):
    if impl == "thriftpy2":
        buf = Tp2Buffer()
        proto = make_proto(buf)
        proto.write_struct(value)
        return buf.getvalue()
    buf = TMemoryBuffer()
    value.write(make_proto(buf))
    return buf.getvalue()


def encode_message(impl, make_proto, name, mtype, seq, value):
    if impl == "thriftpy2":
        buf = Tp2Buffer()
        proto = make_proto(buf)
        proto.write_message_begin(name, mtype, seq)
        proto.write_struct(value)
        proto.write_message_end()
        return buf.getvalue()
    buf = TMemoryBuffer()
    proto = make_proto(buf)
    proto.writeMessageBegin(name, mtype, seq)
    value.write(proto)
    proto.writeMessageEnd()
    return buf.getvalue()


def app_exception(impl, code):
    message = "application exception %d: \u00fcnicode" % code
    if impl == "thriftpy2":
        return Tp2AppException(type=code, message=message)
    return TApplicationException(type=code, message=message)


def header_frames():
    """THeader frames written by Apache's THeaderTransport."""
    out = []
    variants = [
        ("header_binary", THeaderSubprotocolID.BINARY, {}, []),
        ("header_compact", THeaderSubprotocolID.COMPACT, {}, []),
        ("header_info", THeaderSubprotocolID.BINARY, {b"client": b"rift-test", b"trace": b"\x00\xff"}, []),
        ("header_zlib", THeaderSubprotocolID.COMPACT, {b"k": b"v"}, [THeaderTransformID.ZLIB]),
    ]
    for name, protocol_id, headers, transforms in variants:
        buf = TMemoryBuffer()
        trans = THeaderTransport(buf, [THeaderClientType.HEADERS], default_protocol=protocol_id)
        for key, value in headers.items():
            trans.set_header(key, value)
        for t in transforms:
            trans.add_transform(t)
        trans.sequence_id = 42  # what THeaderProtocol sets from the message
        proto = TCompactProtocol(trans) if protocol_id == THeaderSubprotocolID.COMPACT else TBinaryProtocol(trans)
        proto.writeMessageBegin("echo", TMessageType.CALL, 42)
        APACHE.Args(p=APACHE.Point(x=1.0, y=2.0)).write(proto)
        proto.writeMessageEnd()
        trans.flush()
        out.append({"case": name, "impl": "apache", "protocol": "header", "hex": buf.getvalue().hex()})
    return out


def generate(path):
    vectors = []
    for impl, M, protocols in implementations():
        for proto_name, make_proto in protocols.items():
            for name, struct, build, which in CASES:
                if not wanted(impl, which) or not struct_supported(impl, proto_name):
                    continue
                data = encode_struct(impl, make_proto, build(M))
                vectors.append({"case": name, "struct": struct, "impl": impl, "protocol": proto_name, "hex": data.hex()})
            if proto_name == "simplejson":
                continue
            for name, method, mtype, seq, _struct, build in MESSAGES:
                if not message_supported(impl, proto_name, seq):
                    continue
                data = encode_message(impl, make_proto, method, mtype, seq, build(M))
                vectors.append({"case": name, "impl": impl, "protocol": proto_name, "hex": data.hex()})
            for code in APP_EXCEPTION_TYPES:
                data = encode_message(impl, make_proto, "echo", TMessageType.EXCEPTION, code, app_exception(impl, code))
                vectors.append({"case": "app_exception_%d" % code, "impl": impl, "protocol": proto_name, "hex": data.hex()})
    vectors.extend(header_frames())
    with open(path, "w") as f:
        json.dump({"vectors": vectors}, f, indent=0)
    print("wrote %d vectors" % len(vectors))


# --- Checking rift's encodings -------------------------------------------------------

def same(a, b):
    """Deep equality with NaN equal to NaN and -0.0 distinct from 0.0."""
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, (set, frozenset)) or isinstance(b, (set, frozenset)):
        # thriftpy2 reads sets as lists.
        return set(a) == set(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if hasattr(a, "__slots__") and hasattr(b, "__slots__") and type(a) is type(b):
        return all(same(getattr(a, s), getattr(b, s)) for s in a.__slots__)
    if hasattr(a, "__dict__") and hasattr(b, "__dict__") and type(a) is type(b):
        return same(vars(a), vars(b))
    if isinstance(a, bytes) and isinstance(b, str):
        return a == b.encode()
    return a == b


def decode_struct(impl, make_proto, M, struct, data):
    cls = getattr(M, struct)
    if impl == "thriftpy2":
        buf = Tp2Buffer(data)
        obj = cls()
        make_proto(buf).read_struct(obj)
        return obj
    buf = TMemoryBuffer(data)
    obj = cls()
    obj.read(make_proto(buf))
    return obj


def decode_message(impl, make_proto, M, struct, data):
    if impl == "thriftpy2":
        buf = Tp2Buffer(data)
        proto = make_proto(buf)
        name, mtype, seq = proto.read_message_begin()
        obj = Tp2AppException() if mtype == TMessageType.EXCEPTION else getattr(M, struct)()
        proto.read_struct(obj)
        proto.read_message_end()
        return name, mtype, seq, obj
    buf = TMemoryBuffer(data)
    proto = make_proto(buf)
    name, mtype, seq = proto.readMessageBegin()
    obj = TApplicationException() if mtype == TMessageType.EXCEPTION else getattr(M, struct)()
    obj.read(proto)
    proto.readMessageEnd()
    return name, mtype, seq, obj


def check(path):
    """Decodes rift's encodings (`{case, protocol, hex}`) with every implementation and
    compares with the cases' values. Prints a JSON report."""
    with open(path) as f:
        encodings = json.load(f)["encodings"]
    cases = {name: (struct, build, which) for name, struct, build, which in CASES}
    messages = {m[0]: m for m in MESSAGES}
    checked, failures = 0, []
    for enc in encodings:
        data = bytes.fromhex(enc["hex"])
        for impl, M, protocols in implementations():
            make_proto = protocols.get(enc["protocol"])
            if make_proto is None or enc["protocol"] == "simplejson":
                continue
            name = enc["case"]
            try:
                if name in cases:
                    struct, build, which = cases[name]
                    if (not wanted(impl, which) or not struct_supported(impl, enc["protocol"])
                            or name in ("unknown_fields", "invalid_utf8")):
                        continue
                    got = decode_struct(impl, make_proto, M, struct, data)
                    ok = same(got, build(M))
                elif name in messages:
                    _, method, mtype, seq, struct, build = messages[name]
                    got = decode_message(impl, make_proto, M, struct, data)
                    # thriftpy2's compact reader returns the sequence id unsigned.
                    ok = (got[0], got[1], got[2] & 0xffffffff) == (method, mtype, seq & 0xffffffff) and same(got[3], build(M))
                elif name.startswith("app_exception_"):
                    code = int(name.rsplit("_", 1)[1])
                    got = decode_message(impl, make_proto, M, None, data)
                    want = app_exception(impl, code)
                    ok = got[1] == TMessageType.EXCEPTION and got[3].type == code and got[3].message == want.message
                elif name.startswith("header_"):
                    continue
                else:
                    failures.append("%s: unknown case" % name)
                    continue
            except Exception as e:  # noqa: BLE001 - report, do not stop
                ok = False
                got = "%s: %s" % (type(e).__name__, e)
            checked += 1
            if not ok:
                failures.append("%s decoded by %s %s: got %r" % (name, impl, enc["protocol"], got))
    for enc in encodings:
        if enc["protocol"] == "header":
            failures.extend(check_header(enc))
            checked += 1
    print(json.dumps({"checked": checked, "failures": failures}))


def check_header(enc):
    buf = TMemoryBuffer(bytes.fromhex(enc["hex"]))
    trans = THeaderTransport(buf, [THeaderClientType.HEADERS])
    try:
        trans.readFrame(0)
        protocol_id = trans.protocol_id
        proto = TCompactProtocol(trans) if protocol_id == THeaderSubprotocolID.COMPACT else TBinaryProtocol(trans)
        name, mtype, seq = proto.readMessageBegin()
        args = APACHE.Args()
        args.read(proto)
        ok = (name, mtype, seq) == ("echo", TMessageType.CALL, 42) and args.p.x == 1.0 and args.p.y == 2.0
        want_headers = {b"client": b"rift-test", b"trace": b"\x00\xff"} if "info" in enc["case"] else None
        if want_headers is not None and trans.get_headers() != want_headers:
            ok = False
        if not ok:
            return ["%s: apache THeaderTransport read %r %r" % (enc["case"], (name, mtype, seq), trans.get_headers())]
    except Exception as e:  # noqa: BLE001
        return ["%s: apache THeaderTransport failed: %s: %s" % (enc["case"], type(e).__name__, e)]
    return []


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("generate", "check"):
        sys.exit(__doc__)
    {"generate": generate, "check": check}[sys.argv[1]](sys.argv[2])
