#!/usr/bin/env bash
# Memory per idle connection of rift's async server: its resident memory before, and
# while N connections (each used for one call, then left idle) are held open.
# Usage: benchmarks/scripts/idle.sh [N]      (default 10000)
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-10000}"
PORT="${PORT:-19400}"
ulimit -n $((N + 1024)) 2>/dev/null || ulimit -n "$(ulimit -Hn)"
cargo build --release --quiet -p rift-benchmarks --bins
env ${SERVER_ENV:-} target/release/bench-server --port "$PORT" 2>/dev/null &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
sleep 0.5
rss() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER/status"; }
# Warm the server with a short load first, so its runtime and allocator are as they
# are in use.
target/release/bench-load --addr "127.0.0.1:$PORT" --call echo --connections 8 --warmup 0 --duration 1 >/dev/null
BEFORE=$(rss)
target/release/bench-load --addr "127.0.0.1:$PORT" --hold "$N" --duration 4 >/dev/null &
LOAD=$!
# Wait until every connection is open and idle past the server's shrink delay.
sleep 3
DURING=$(rss)
wait "$LOAD"
echo "async server: $BEFORE KiB before, $DURING KiB with $N idle connections:" \
  "$(( (DURING - BEFORE) * 1024 / N )) bytes per idle connection"
