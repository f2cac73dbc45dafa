#!/usr/bin/env bash
# The RPC benchmark of the standard workload (../shared/bench/README.md): each server in
# turn, the order rotated every round, measured by bench-load with the same options;
# medians of the rounds, and ratios to rift's async server.
#
# Usage: benchmarks/scripts/rpc.sh [ROUNDS] [SECONDS]      (defaults: 3 rounds, 10 s)
#        SERVERS="rift volo" benchmarks/scripts/rpc.sh     (only these servers)
# Servers: rift (async), rift-blocking, and the decode-nothing ceiling; and the peers:
# volo (volo-thrift, benchmarks/peers), apache-rs (Apache's `thrift` crate 0.17,
# benchmarks/peers) and cpp-nonblocking (C++ libthrift's TNonblockingServer,
# benchmarks/peers/cpp/server.cpp, built here with g++). A peer that does not build is
# left out, with a message. Framed binary on 127.0.0.1, as the workload says. Not run by
# CI: it takes minutes and wants a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-3}"
SECONDS_COUNTED="${2:-10}"
WARMUP="${WARMUP:-2}"
PORT="${PORT:-19090}"
ALL=(rift rift-blocking ceiling volo apache-rs cpp-nonblocking)
read -r -a WANTED <<<"${SERVERS:-${ALL[*]}}"
for name in "${WANTED[@]}"; do
  if [[ " ${ALL[*]} " != *" $name "* ]]; then
    echo "rpc.sh: no server '$name'; the servers are: ${ALL[*]}" >&2
    exit 2
  fi
done
wants() { [[ " ${WANTED[*]} " == *" $1 "* ]]; }

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
BIN="$CARGO_TARGET_DIR/release"
CPP="$CARGO_TARGET_DIR/cpp-server"
declare -A COMMAND=(
  [rift]="$BIN/bench-server --port $PORT"
  [rift-blocking]="$BIN/bench-server --port $PORT --blocking"
  [ceiling]="$BIN/bench-ceiling --port $PORT"
  [volo]="$BIN/volo-bench-server --port $PORT"
  [apache-rs]="$BIN/apache-bench-server --port $PORT"
  [cpp-nonblocking]="$CPP/server --port $PORT"
)

# The load generator and rift's servers; then the peers wanted, each left out if it does
# not build.
cargo build --release --quiet -p rift-benchmarks --bins
NAMES=()
for name in rift rift-blocking ceiling; do
  if wants "$name"; then NAMES+=("$name"); fi
done
if wants volo || wants apache-rs || wants cpp-nonblocking; then
  benchmarks/scripts/setup-peers.sh ||
    echo "rpc.sh: setup-peers.sh failed; the peers that need what it installs will not build" >&2
fi
build_peer() {
  case "$1" in
    volo) cargo build --release --quiet --manifest-path benchmarks/peers/Cargo.toml --bin volo-bench-server ;;
    apache-rs) cargo build --release --quiet --manifest-path benchmarks/peers/Cargo.toml --bin apache-bench-server ;;
    cpp-nonblocking)
      mkdir -p "$CPP" &&
        thrift -out "$CPP" --gen cpp ../shared/bench/bench.thrift &&
        g++ -O2 -std=c++17 -I"$CPP" benchmarks/peers/cpp/server.cpp "$CPP/Bench.cpp" "$CPP/bench_types.cpp" \
          -lthriftnb -lthrift -levent -o "$CPP/server"
      ;;
  esac
}
for name in volo apache-rs cpp-nonblocking; do
  wants "$name" || continue
  if build_peer "$name"; then
    NAMES+=("$name")
  else
    echo "rpc.sh: the $name server did not build; going on without it" >&2
  fi
done
[ ${#NAMES[@]} -gt 0 ] || { echo "rpc.sh: no server to measure" >&2; exit 1; }
echo "servers: ${NAMES[*]}" >&2

LOADS=("echo 64 1" "ping 64 1" "echo 1 1")
RESULTS=$(mktemp)
PID=
trap 'rm -f "$RESULTS"; [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null || true' EXIT

wait_port() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

for round in $(seq "$ROUNDS"); do
  # Rotate the order of the servers every round.
  shift_by=$(( (round - 1) % ${#NAMES[@]} ))
  order=("${NAMES[@]:$shift_by}" "${NAMES[@]:0:$shift_by}")
  for name in "${order[@]}"; do
    ${COMMAND[$name]} 2>/dev/null &
    PID=$!
    if wait_port; then
      for load in "${LOADS[@]}"; do
        read -r call conns inflight <<<"$load"
        if line=$("$BIN/bench-load" --addr "127.0.0.1:$PORT" --call "$call" --connections "$conns" \
          --in-flight "$inflight" --warmup "$WARMUP" --duration "$SECONDS_COUNTED" --machine); then
          echo "$name $call@$conns $line" | tee -a "$RESULTS" >&2
        else
          echo "rpc.sh: $name $call@$conns: bench-load failed; not counted" >&2
        fi
      done
    else
      echo "rpc.sh: the $name server did not start on $PORT; not measured in round $round" >&2
    fi
    kill "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    PID=
  done
done

python3 - "$RESULTS" "${ALL[@]}" <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, load, *pairs = line.split()
    rows[(name, load)].append(dict(p.split("=") for p in pairs))
order = sys.argv[2:]
if not rows:
    sys.exit("no measurement succeeded")
def med(name, load, key):
    vals = [float(v[key]) for v in rows.get((name, load), [])]
    return statistics.median(vals) if vals else float("nan")
def ratio(a, b):
    return f"{a / b:.2f}" if a == a and b == b and b else "-"
loads = ["echo@64", "ping@64", "echo@1"]
names = [n for n in order if any(k[0] == n for k in rows)]
print(f"{'server':17s}" + "".join(f"{l + ' calls/s':>17s}" for l in loads) + f"{'echo@1 p50/p99 µs':>20s}")
for n in names:
    cells = "".join(f"{med(n, l, 'calls_per_s'):17.0f}" for l in loads)
    print(f"{n:17s}{cells}{med(n, 'echo@1', 'p50_us'):13.0f}/{med(n, 'echo@1', 'p99_us'):.0f}")
print()
print("relative to rift async (calls/s: server / rift, so above 1 is faster than rift; p99: server / rift):")
print(f"{'server':17s}" + "".join(f"{l:>10s}" for l in loads) + f"{'echo@1 p99':>12s}")
for n in names:
    if n == "rift":
        continue
    cells = "".join(f"{ratio(med(n, l, 'calls_per_s'), med('rift', l, 'calls_per_s')):>10s}" for l in loads)
    print(f"{n:17s}{cells}{ratio(med(n, 'echo@1', 'p99_us'), med('rift', 'echo@1', 'p99_us')):>12s}")
print()
if "ceiling" in names and "rift" in names:
    for l in ["echo@64", "ping@64"]:
        print(f"{l}: rift async reaches {med('rift', l, 'calls_per_s') / med('ceiling', l, 'calls_per_s'):.0%} of the ceiling")
if "volo" in names and "rift" in names:
    for l in ["echo@64", "ping@64"]:
        print(f"rift vs volo, {l}: rift/volo calls/s = {ratio(med('rift', l, 'calls_per_s'), med('volo', l, 'calls_per_s'))}")
    r, v = med("rift", "echo@1", "p99_us"), med("volo", "echo@1", "p99_us")
    print(f"rift vs volo, echo@1 p99: rift {r:.0f} µs, volo {v:.0f} µs (rift/volo {ratio(r, v)})")
counts = sorted({len(v) for v in rows.values()})
print(f"median of {'/'.join(map(str, counts))} rounds")
PY
