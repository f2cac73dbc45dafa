#!/usr/bin/env bash
# The codec benchmark against the peers (Apache's `thrift` crate, pilota, C++ libthrift),
# the standard and large messages of ../shared/bench, ROUNDS runs of the whole set with
# the implementations taking turns, medians, ratios.
# Usage: benchmarks/scripts/codec.sh [ROUNDS]      (default 3)
# Installs what the peers need (setup-peers.sh) and fetches crates; not run by CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-3}"
benchmarks/scripts/setup-peers.sh
export CARGO_TARGET_DIR="$PWD/target"
(cd benchmarks/peers && cargo bench --no-run --quiet)
BIN=$(ls -t target/release/deps/peers-* | grep -v '\.d$' | head -1)
# C++ libthrift: code from Debian's compiler (`cpp:templates`, so calls are resolved at
# compile time) and the project's own benchmark program, built in target/.
CPP="$CARGO_TARGET_DIR/cpp-codec"
mkdir -p "$CPP"
thrift -out "$CPP" --gen cpp:templates ../shared/bench/bench.thrift
g++ -O2 -std=c++17 -I"$CPP" benchmarks/peers/cpp/codec.cpp "$CPP/bench_types.cpp" -lthrift -o "$CPP/codec"
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
for round in $(seq "$ROUNDS"); do
  echo "round $round of $ROUNDS" >&2
  "$BIN" --bench --warm-up-time 1 --measurement-time 3 2>&1 | sed "s/^/round$round /" >>"$OUT"
  "$CPP/codec" | sed "s/^/round$round /" >>"$OUT"
done
python3 - "$OUT" <<'PY'
import re, statistics, collections, sys
runs = collections.defaultdict(list)
name = None
for line in open(sys.argv[1]):
    line = line.split(" ", 1)[1] if line.startswith("round") else line
    c = re.match(r"^(codec/\S+/cpp) (\d+)$", line.strip())
    if c:
        runs[c.group(1)].append(float(c.group(2)))
        continue
    m = re.match(r"^(codec/\S+)", line)
    if m:
        name = m.group(1)
    t = re.search(r"time:\s+\[\S+ \S+ (\S+) (\S+)", line)
    if t and name:
        value, unit = float(t.group(1)), t.group(2)
        runs[name].append(value * {"ns": 1, "µs": 1e3, "ms": 1e6}[unit])
        name = None
print(f"{'message':9s}{'protocol':9s}{'op':7s}{'rift ns':>10s}" + "".join(f"{p + ' ns':>12s}{'ratio':>7s}" for p in ["pilota", "apache", "cpp"]))
for size in ["standard", "large"]:
    for proto in ["binary", "compact"]:
        for op in ["encode", "decode"]:
            def med(who):
                v = runs.get(f"codec/{size}/{proto}/{op}/{who}")
                return statistics.median(v) if v else None
            rift = med("rift")
            row = f"{size:9s}{proto:9s}{op:7s}{rift:10.0f}"
            for who in ["pilota", "apache", "cpp"]:
                v = med(who)
                row += f"{v:12.0f}{v / rift:7.2f}" if v else f"{'panics':>12s}{'':7s}"
            print(row)
print(f"medians of {len(next(iter(runs.values())))} rounds; ratio = peer time / rift time")
PY
