#!/usr/bin/env bash
# The long versions of what CI runs briefly: every fuzz target for ten minutes (two at
# a time), then the soak for ten minutes. Prints the fuzzing table and the soak's
# memory curve and verdict.
# Usage: scripts/long.sh [fuzz seconds per target] [soak seconds]   (defaults: 600 600)
set -euo pipefail
cd "$(dirname "$0")/.."
fuzz_seconds="${1:-600}"
soak_seconds="${2:-600}"

echo "==> fuzz/run --seconds $fuzz_seconds --jobs 2"
fuzz/run --seconds "$fuzz_seconds" --jobs 2

echo "==> soak for $soak_seconds s (release build)"
cargo build --release --locked -p rift-rpc-tests --bins
target/release/soak --seconds "$soak_seconds"
