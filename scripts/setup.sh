#!/usr/bin/env bash
# Installs what the tests need beyond Rust: the reference Python libraries (Apache
# Thrift's `thrift`, with its C extension, and `thriftpy2`). Safe to run again: it does
# nothing when they are present.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${RIFT_PYTHON:-python3}"
if ! "$PYTHON" -c 'import thrift, thriftpy2, thrift.protocol.fastbinary' 2>/dev/null; then
  echo "==> installing Python packages (scripts/requirements.txt)"
  "$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -r scripts/requirements.txt
fi
