#!/usr/bin/env bash
# Every benchmark of the standard workload, one after another on a quiet machine: the
# codec against the peers, RPC against the ceiling, memory per idle connection.
# Usage: benchmarks/scripts/all.sh [ROUNDS]      (default 3)
set -euo pipefail
cd "$(dirname "$0")"
ROUNDS="${1:-3}"
echo "== codec (medians of $ROUNDS rounds)"
./codec.sh "$ROUNDS"
echo
echo "== RPC: framed binary over 127.0.0.1 (medians of $ROUNDS interleaved rounds)"
./rpc.sh "$ROUNDS" 10
echo
echo "== memory"
./idle.sh 10000
