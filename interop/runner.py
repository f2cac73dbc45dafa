"""The cross-test runner: every server against every client, over every protocol,
transport and socket both sides support; prints the matrix and ends with a
`N passed, N failed` line. Run by `interop/run`, which builds what it needs first.

Test names are Apache's: `server-client_protocol_transport-socket`, the protocol
written `server:client` when the two sides name it differently (`binary:accel`).
"""

import argparse
import collections
import concurrent.futures
import fnmatch
import os
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# The wire protocols, and the names each peer gives them (Apache's Python library has
# accelerated variants of some).
WIRE = ["binary", "compact", "json", "header", "multi", "multic", "multij", "multih"]
PY_NAMES = {"binary": ["binary", "accel"], "compact": ["compact", "accelc"],
            "multi": ["multi", "multia"], "multic": ["multic", "multiac"]}
TRANSPORTS = ["buffered", "framed", "http", "zlib"]
SOCKETS = ["ip", "ip-ssl", "domain"]


class Peer:
    """A program pair of one implementation: how to start its server and its client,
    and what it cannot do (each with the reason)."""

    def __init__(self, name, server, client, names=None, unsupported=None, no_uuid=False, small=None,
                 name_rule=None, http_oneway_reply=True):
        self.name = name
        # Whether its HTTP server answers a oneway call with an HTTP response, and its
        # client reads one (Apache's Python library does both, C++ libthrift neither).
        self.http_oneway_reply = http_oneway_reply
        # Protocol names (not wire protocols) it cannot use over a transport.
        self.name_rule = name_rule
        # When its server cannot read values over 64 KB: (protocol, transport) -> reason.
        self.small = small or (lambda protocol, transport: None)
        self.server = server
        self.client = client
        self.names = names or {}
        self.unsupported = unsupported or (lambda role, wire, transport, sock: None)
        self.no_uuid = no_uuid

    def protocol_names(self, wire):
        return self.names.get(wire, [wire])

    def name_unsupported(self, name, transport):
        return self.name_rule(name, transport) if self.name_rule else None


def options(protocol, transport, sock, port, path):
    args = ["--protocol=" + protocol, "--transport=" + transport]
    if transport == "zlib":
        args.append("--zlib")
    if sock == "domain":
        args.append("--domain-socket=" + path)
    else:
        args.append("--port=%d" % port)
    if sock == "ip-ssl":
        args.append("--ssl")
    return args


def python_unsupported(role, wire, transport, sock):
    if transport == "http" and sock == "domain":
        return "Apache's Python THttpServer and THttpClient speak HTTP over TCP only"
    if transport == "http" and sock == "ip-ssl" and role == "server":
        return "Apache's Python THttpServer does not ask for the client's certificate"
    return None


def python_small(protocol, transport):
    if protocol in ("accel", "accelc", "multia", "multiac") and transport == "zlib":
        return ("Apache's Python accelerated protocols over TZlibTransport stop reading a message over 64 KB "
                "(its own client times out against it too): the client sends no larger values")
    return None


def stacked_by_nobody(wire, transport):
    """Combinations that no library stacks, whatever the pair."""
    if wire in ("header", "multih") and transport in ("http", "zlib"):
        return ("THeader is a framing of its own, with its own zlib transform: no library carries it in HTTP "
                "or TZlibTransport")
    return None


TP2_NAMES = {"binary": ["binary", "accel"], "multi": ["multi", "multia"]}


def thriftpy2_unsupported(role, wire, transport, sock):
    if wire in ("header", "multih"):
        return "thriftpy2 has no THeader"
    if transport == "zlib":
        return "thriftpy2 has no TZlibTransport"
    if transport == "http" and sock == "domain":
        return "thriftpy2's HTTP server and client speak HTTP over TCP only"
    if transport == "http" and sock == "ip-ssl" and role == "server":
        return "thriftpy2's THttpServer has no TLS"
    return None


def thriftpy2_names_unsupported(name, transport):
    if name in ("accel", "multia") and transport == "http":
        return "thriftpy2's Cython protocol takes only its Cython transports, and THttpClient is not one"
    return None


def peers(args):
    rift_bin = args.rift_bin
    py = args.python
    gen = args.genpydir
    idl = os.path.join(gen, "ThriftTest.thrift")

    return {
        "rift": Peer(
            "rift",
            server=lambda o: [os.path.join(rift_bin, "test_server")] + o,
            client=lambda o, no_uuid, small: [os.path.join(rift_bin, "test_client")] + o
            + (["--no-uuid"] if no_uuid else []) + (["--small"] if small else []),
        ),
        "rift-blocking": Peer(
            "rift-blocking",
            server=lambda o: [os.path.join(rift_bin, "test_server"), "--server-type=thread-pool"] + o,
            client=None,
        ),
        "tp2": Peer(
            "tp2",
            server=lambda o: [py, os.path.join(HERE, "py", "thriftpy2_peer.py"), "server", "--idl=" + idl] + o,
            client=lambda o, no_uuid, small: [py, os.path.join(HERE, "py", "thriftpy2_peer.py"), "client",
                                              "--idl=" + idl] + o,
            names=TP2_NAMES,
            unsupported=thriftpy2_unsupported,
            no_uuid=True,
            name_rule=thriftpy2_names_unsupported,
        ),
        "cpp": Peer(
            "cpp",
            server=lambda o: [os.path.join(args.cpp_bin or "", "test_server")] + o,
            client=lambda o, no_uuid, small: [os.path.join(args.cpp_bin or "", "test_client")] + o,
            no_uuid=True,
            http_oneway_reply=False,
        ),
        "py": Peer(
            "py",
            server=lambda o: [py, os.path.join(HERE, "py", "apache_server.py"), "--genpydir=" + gen] + o,
            client=lambda o, no_uuid, small: [py, os.path.join(HERE, "py", "apache_client.py"), "--genpydir=" + gen] + o,
            names=PY_NAMES,
            unsupported=python_unsupported,
            no_uuid=True,
            small=python_small,
        ),
    }


ONEWAY_HTTP = ("Apache's C++ HTTP transports send and read no HTTP response for a oneway call, where its "
               "Python library and rift send and read one: between the two, testOneway is left out over HTTP")


def oneway_disagree(test):
    server, client, _, _, transport, _ = test[:6]
    return transport == "http" and server.http_oneway_reply != client.http_oneway_reply


def free_port():
    """A TCP port nothing listens on now (the system's choice)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(sock, port, path, proc, timeout=15):
    start = time.time()
    while time.time() - start < timeout:
        if proc.poll() is not None:
            return False
        try:
            if sock == "domain":
                if os.path.exists(path):
                    s = socket.socket(socket.AF_UNIX)
                    s.connect(path)
                    s.close()
                    return True
            else:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


def run_one(test, port, scratch):
    server_peer, client_peer, sproto, cproto, transport, sock = test[:6]
    # A feature test: what the server and the client are told besides.
    server_extra, client_extra = test[7] if len(test) > 6 else ([], [])
    path = os.path.join(scratch, "s%d.sock" % port)
    server_cmd = server_peer.server(options(sproto, transport, sock, port, path) + server_extra)
    small = server_peer.small(sproto, transport)
    client_options = options(cproto, transport, sock, port, path)
    if oneway_disagree(test):
        client_options.append("--skip-oneway")
    client_cmd = client_peer.client(client_options + client_extra, server_peer.no_uuid, small)
    log = []
    # The server's output goes to a file: a pipe nobody reads could fill and stop it.
    server_log = tempfile.TemporaryFile(dir=scratch)
    server = subprocess.Popen(server_cmd, stdout=server_log, stderr=subprocess.STDOUT, cwd=HERE)
    try:
        if not wait_ready(sock, port, path, server):
            return False, "the server did not start: " + " ".join(server_cmd)
        try:
            client = subprocess.run(client_cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=HERE,
                                    timeout=90)
            log.append(client.stdout.decode(errors="replace"))
            ok = client.returncode == 0
            if not ok:
                log.append("client exit code %d: %s" % (client.returncode, " ".join(client_cmd)))
        except subprocess.TimeoutExpired:
            ok = False
            log.append("the client did not finish in 90 s: " + " ".join(client_cmd))
    finally:
        server.kill()
        server.wait()
        server_log.seek(0)
        out = server_log.read()
        server_log.close()
        if os.path.exists(path):
            os.unlink(path)
    if not ok:
        log.append("server output:\n" + out.decode(errors="replace")[-2000:])
    return ok, "\n".join(log)


def name_of(test):
    server, client, sproto, cproto, transport, sock = test[:6]
    proto = sproto if sproto == cproto else "%s:%s" % (sproto, cproto)
    feature = "_" + test[6] if len(test) > 6 else ""
    return "%s-%s%s_%s_%s-%s" % (server.name, client.name, feature, proto, transport, sock)


# Apache's feature tests of limits: the server started with a limit of 50, the client
# sends limit - 1 and limit (which must pass) and limit + 1 (which must be refused).
LIMIT = 50
LIMIT_SERVERS = ["rift", "rift-blocking", "py"]


def limit_tests(all_peers):
    tests = []
    for server_name in LIMIT_SERVERS:
        for kind in ("string", "container"):
            for proto in ("binary", "compact", "multic"):
                extra = (["--%s-limit=%d" % (kind, LIMIT)], ["--limit-test=" + kind, "--limit=%d" % LIMIT])
                tests.append((all_peers[server_name], all_peers["rift"], proto, proto, "buffered", "ip",
                              "limit-" + kind, extra))
    return tests


def read_known(path):
    known = {}
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            name, _, reason = line.partition(" ")
            if not reason.strip():
                sys.exit("runner: %s: `%s` has no reason" % (path, name))
            known[name] = reason.strip()
    return known


def is_known(name, known):
    """The reason `name` is expected to fail, if a line of the file (a name, or a
    pattern with `*`) covers it."""
    for pattern, reason in known.items():
        if fnmatch.fnmatchcase(name, pattern):
            return reason
    return None


def print_matrix(results, known):
    """One table per server-client pair: a row per protocol, a column per transport and
    socket; `ok` passed, `FAIL` failed, `known` failed as known_failures.txt says, `.`
    not run (a combination a side cannot do)."""
    tables = collections.defaultdict(dict)
    for name, ok in results.items():
        pair, rest = name.split("_", 1)
        protocol, place = rest.rsplit("_", 1)
        tables[pair][(protocol, place)] = "ok" if ok else ("known" if is_known(name, known) else "FAIL")
    short = {"buffered": "buf", "framed": "frm", "http": "http", "zlib": "zlib",
             "ip": "ip", "ip-ssl": "tls", "domain": "uds"}
    columns = [("%s-%s" % (t, s), "%s/%s" % (short[t], short[s])) for t in TRANSPORTS for s in SOCKETS]
    print("\nthe matrix (columns: transport/socket; buf buffered, frm framed, tls ip-ssl, uds domain)")
    for pair in sorted(tables):
        cells = tables[pair]
        rows = sorted({p for p, _ in cells}, key=lambda p: (p.startswith("limit"), p))
        width = max(len(r) for r in rows) + 1
        used = [(c, label) for c, label in columns if any((r, c) in cells for r in rows)]
        print("\n%-*s %s" % (width, pair, " ".join("%-8s" % label for _, label in used)))
        for r in rows:
            print("%-*s %s" % (width, r, " ".join("%-8s" % cells.get((r, c), ".") for c, _ in used)))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rift-bin", required=True)
    p.add_argument("--python", default=sys.executable)
    p.add_argument("--genpydir", required=True)
    p.add_argument("--cpp-bin", help="where the C++ peers are (without it, they are left out)")
    p.add_argument("--pairs",
                   default="rift-rift,rift-py,py-rift,rift-tp2,tp2-rift,rift-cpp,cpp-rift,rift-blocking-py,"
                           "rift-blocking-tp2,rift-blocking-cpp,rift-blocking-rift",
                   help="server-client pairs, comma-separated")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--port", type=int, default=0,
                   help="the first port to use, one more for each test [default: free ports the system gives]")
    p.add_argument("--filter", default="", help="run only tests whose name contains this")
    p.add_argument("--no-limits", action="store_true", help="leave out the limit tests")
    p.add_argument("--known", default=os.path.join(HERE, "known_failures.txt"))
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args()
    args.rift_bin = os.path.abspath(args.rift_bin)
    args.genpydir = os.path.abspath(args.genpydir)
    if args.cpp_bin:
        args.cpp_bin = os.path.abspath(args.cpp_bin)
    if os.sep in args.python:
        args.python = os.path.abspath(args.python)

    all_peers = peers(args)
    tests, skipped = [], collections.Counter()
    for pair in args.pairs.split(","):
        server_name, _, client_name = pair.rpartition("-")
        if "cpp" in (server_name, client_name) and not args.cpp_bin:
            print("runner: no --cpp-bin: %s left out" % pair)
            continue
        server, client = all_peers[server_name], all_peers[client_name]
        for wire in WIRE:
            for transport in TRANSPORTS:
                for sock in SOCKETS:
                    reason = (stacked_by_nobody(wire, transport)
                              or server.unsupported("server", wire, transport, sock)
                              or client.unsupported("client", wire, transport, sock))
                    if reason:
                        skipped[reason] += len(server.protocol_names(wire)) * len(client.protocol_names(wire))
                        continue
                    for sproto in server.protocol_names(wire):
                        for cproto in client.protocol_names(wire):
                            reason = server.name_unsupported(sproto, transport) or client.name_unsupported(
                                cproto, transport)
                            if reason:
                                skipped[reason] += 1
                                continue
                            test = (server, client, sproto, cproto, transport, sock)
                            if args.filter in name_of(test):
                                tests.append(test)

    if not args.no_limits:
        tests += [t for t in limit_tests(all_peers) if args.filter in name_of(t)]
    adapted = collections.Counter(t[0].small(t[2], t[4]) for t in tests if t[0].small(t[2], t[4]))
    adapted.update(ONEWAY_HTTP for t in tests if oneway_disagree(t))
    known = read_known(args.known)
    results = {}
    scratch = tempfile.mkdtemp(prefix="rift-interop-")
    start = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {pool.submit(run_one, t, free_port() if not args.port else args.port + i, scratch): t
                   for i, t in enumerate(tests)}
        for future in concurrent.futures.as_completed(futures):
            test = futures[future]
            ok, log = future.result()
            name = name_of(test)
            results[name] = ok
            if not ok and not is_known(name, known):
                print("FAILED %s\n%s" % (name, "\n".join("    " + l for l in log.splitlines()[-30:])))
            elif args.verbose:
                print("%s %s" % ("ok    " if ok else "known ", name))

    by_pair = collections.defaultdict(lambda: [0, 0])
    for name, ok in results.items():
        pair = name.split("_")[0]
        by_pair[pair][0 if ok else 1] += 1
    print_matrix(results, known)
    print("\n%-24s %8s %8s" % ("server-client", "passed", "failed"))
    for pair in sorted(by_pair):
        print("%-24s %8d %8d" % (pair, by_pair[pair][0], by_pair[pair][1]))
    if skipped:
        print("\nnot run (the peer library cannot):")
        for reason, n in sorted(skipped.items()):
            print("  %4d  %s" % (n, reason))
    if adapted:
        print("\nrun with fewer values (the peer library cannot take the rest):")
        for reason, n in sorted(adapted.items()):
            print("  %4d  %s" % (n, reason))
    failed = [n for n, ok in results.items() if not ok]
    unexpected = [n for n in failed if not is_known(n, known)]
    expected = [n for n in failed if is_known(n, known)]
    now_pass = [n for n, ok in results.items() if ok and is_known(n, known)]
    if expected:
        print("\nknown failures (%s):" % os.path.basename(args.known))
        for n in sorted(expected):
            print("  %s: %s" % (n, is_known(n, known)))
    for n in sorted(now_pass):
        print("now passing, remove it from %s: %s" % (os.path.basename(args.known), n))
    passed = len(results) - len(failed)
    print("\n%d passed, %d failed (%d of them known) in %.0f s" % (passed, len(failed), len(expected),
                                                               time.time() - start))
    return 1 if unexpected or now_pass else 0


if __name__ == "__main__":
    sys.exit(main())
