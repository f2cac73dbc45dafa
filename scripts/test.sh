#!/usr/bin/env bash
# Runs every check CI runs: formatting, clippy with warnings as errors, all tests, the
# cross test (interop/run) and every fuzz target for a few seconds (fuzz/run).
# Usage: scripts/test.sh   (from anywhere in the repository)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

echo "==> cargo fmt --check"
cargo fmt --all -- --check

echo "==> cargo clippy --workspace --all-targets --all-features -- -D warnings"
cargo clippy --workspace --all-targets --all-features --locked -- -D warnings

echo "==> the fuzz crate (outside the workspace): fmt and clippy"
(cd fuzz && cargo fmt -- --check && cargo clippy --all-targets --locked --target-dir ../target -- -D warnings)

echo "==> cargo test --workspace --all-features"
cargo test --workspace --all-features --locked

echo "==> interop/run (Apache's cross test: rift against itself, Apache's Python library, thriftpy2, C++)"
interop/run

echo "==> fuzz/run (every fuzz target for 10 s, two at a time)"
fuzz/run --seconds 10 --jobs 2
