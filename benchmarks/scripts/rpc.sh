#!/usr/bin/env bash
# The RPC benchmark of the standard workload (../shared/bench/README.md): each server in
# turn, the order rotated every round, measured by bench-load with the same options;
# medians of the rounds, and ratios to rift's async server.
#
# Usage: benchmarks/scripts/rpc.sh [ROUNDS] [SECONDS]      (defaults: 3 rounds, 10 s)
# Servers: rift async, rift blocking, and the decode-nothing ceiling. Framed binary on
# 127.0.0.1, as the workload says. Not run by CI: it takes minutes and wants a quiet
# machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-3}"
SECONDS_COUNTED="${2:-10}"
WARMUP="${WARMUP:-2}"
PORT="${PORT:-19090}"

cargo build --release --quiet -p rift-benchmarks --bins
BIN=target/release

declare -A SERVERS=(
  [rift]="$BIN/bench-server --port $PORT"
  [rift-blocking]="$BIN/bench-server --port $PORT --blocking"
  [ceiling]="$BIN/bench-ceiling --port $PORT"
)
NAMES=(rift rift-blocking ceiling)
LOADS=("echo 64 1" "ping 64 1" "echo 1 1")
RESULTS=$(mktemp)
trap 'rm -f "$RESULTS"; [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null || true' EXIT

wait_port() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "the server did not start on $PORT" >&2
  return 1
}

for round in $(seq "$ROUNDS"); do
  # Rotate the order of the servers every round.
  shift_by=$(( (round - 1) % ${#NAMES[@]} ))
  order=("${NAMES[@]:$shift_by}" "${NAMES[@]:0:$shift_by}")
  for name in "${order[@]}"; do
    ${SERVERS[$name]} 2>/dev/null &
    PID=$!
    wait_port
    for load in "${LOADS[@]}"; do
      read -r call conns inflight <<<"$load"
      line=$("$BIN/bench-load" --addr "127.0.0.1:$PORT" --call "$call" --connections "$conns" \
        --in-flight "$inflight" --warmup "$WARMUP" --duration "$SECONDS_COUNTED" --machine)
      echo "$name $call@$conns $line" | tee -a "$RESULTS" >&2
    done
    kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
  done
done

python3 - "$RESULTS" <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, load, *pairs = line.split()
    values = dict(p.split("=") for p in pairs)
    rows[(name, load)].append(values)
def med(name, load, key):
    vals = [float(v[key]) for v in rows.get((name, load), [])]
    return statistics.median(vals) if vals else float("nan")
loads = ["echo@64", "ping@64", "echo@1"]
names = sorted({n for n, _ in rows}, key=lambda n: ["rift", "rift-blocking", "ceiling"].index(n) if n in ["rift", "rift-blocking", "ceiling"] else 9)
print(f"{'server':15s}" + "".join(f"{l+' calls/s':>18s}" for l in loads) + f"{'echo@1 p50/p99 µs':>20s}")
for n in names:
    cells = "".join(f"{med(n, l, 'calls_per_s'):18.0f}" for l in loads)
    print(f"{n:15s}{cells}{med(n,'echo@1','p50_us'):12.0f}/{med(n,'echo@1','p99_us'):.0f}")
print()
for l in loads:
    base = med("rift", l, "calls_per_s")
    ratios = ", ".join(f"{n} {med(n, l, 'calls_per_s') / base:.2f}" for n in names if n != "rift")
    print(f"{l}: relative to rift async: {ratios}")
for l in ["echo@64", "ping@64"]:
    print(f"{l}: rift async reaches {med('rift', l, 'calls_per_s') / med('ceiling', l, 'calls_per_s'):.0%} of the ceiling")
print(f"median of {len(next(iter(rows.values())))} rounds")
PY
