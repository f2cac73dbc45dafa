#!/usr/bin/env bash
# Installs what the tests need beyond Rust: the reference Python libraries (Apache
# Thrift's `thrift`, with its C extension, and `thriftpy2`) and Debian's
# `thrift-compiler` (Apache's code generator, for the interop tests and the peer
# benchmarks). Safe to run again: it does nothing when they are present.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${RIFT_PYTHON:-python3}"
if ! "$PYTHON" -c 'import thrift, thriftpy2, thrift.protocol.fastbinary' 2>/dev/null; then
  echo "==> installing Python packages (scripts/requirements.txt)"
  "$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -r scripts/requirements.txt
fi

if ! command -v thrift >/dev/null 2>&1; then
  echo "==> installing Debian's thrift-compiler"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y -q thrift-compiler >/dev/null 2>&1 || {
    $SUDO apt-get update -q >/dev/null 2>&1
    $SUDO apt-get install -y -q thrift-compiler >/dev/null
  }
fi
