#!/usr/bin/env bash
# Installs what the tests and the demo need beyond Rust: the reference Python libraries
# (Apache Thrift's `thrift`, with its C extension, and `thriftpy2`) in a virtual
# environment of the project's own, `.venv/` (git-ignored), Debian's
# `thrift-compiler` (Apache's code generator, for the interop tests and the peer
# benchmarks), and `libthrift-dev` with what it needs (for the C++ peers of the cross
# test), with the Debian packages those need. Safe to run again: it does nothing
# when everything is present.
#
# A virtual environment because the Python of Debian and Ubuntu refuses `pip install`
# outside one (PEP 668). The tests find `.venv/bin/python` by themselves; set
# RIFT_PYTHON to use another interpreter that has the packages instead (then nothing
# is installed for Python), or RIFT_BASE_PYTHON to build `.venv` from another one.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="$PWD/.venv"
BASE="${RIFT_BASE_PYTHON:-python3}"

# Debian packages, installed together when any is missing (on Debian and Ubuntu).
apt_install() {
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup.sh: please install $* (this system has no apt-get)" >&2
    exit 1
  fi
  echo "==> installing Debian packages: $*"
  $sudo apt-get install -y -q "$@" >/dev/null 2>&1 || {
    $sudo apt-get update -q >/dev/null 2>&1
    $sudo apt-get install -y -q "$@" >/dev/null
  }
}

if [ -n "${RIFT_PYTHON:-}" ]; then
  "$RIFT_PYTHON" -c 'import thrift, thriftpy2, thrift.protocol.fastbinary' || {
    echo "setup.sh: RIFT_PYTHON=$RIFT_PYTHON lacks thrift, its C extension or thriftpy2" >&2
    echo "          (unset RIFT_PYTHON to let this script make .venv)" >&2
    exit 1
  }
elif ! "$VENV/bin/python" -c 'import thrift, thriftpy2, thrift.protocol.fastbinary' 2>/dev/null; then
  # What building the environment and Apache's C extension needs.
  missing=()
  "$BASE" -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
  "$BASE" -c 'import os, sysconfig; assert os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h"))' \
    2>/dev/null || missing+=(python3-dev)
  command -v cc >/dev/null 2>&1 || missing+=(gcc)
  if [ "${#missing[@]}" -gt 0 ]; then
    apt_install "${missing[@]}"
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    echo "==> creating the Python environment .venv ($("$BASE" --version 2>&1))"
    rm -rf "$VENV"
    "$BASE" -m venv "$VENV"
  fi
  echo "==> installing Python packages into .venv (scripts/requirements.txt)"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r scripts/requirements.txt
  "$VENV/bin/python" -c 'import thrift, thriftpy2, thrift.protocol.fastbinary' || {
    echo "setup.sh: the packages did not install into .venv (see pip's messages above)" >&2
    exit 1
  }
fi

if ! command -v thrift >/dev/null 2>&1; then
  apt_install thrift-compiler
fi

# The C++ peers of the cross test (interop/run builds them): Debian's libthrift, the
# headers it includes (Boost, OpenSSL, zlib), and a C++ compiler.
cpp_missing=()
for package in libthrift-dev libboost-dev libssl-dev zlib1g-dev; do
  dpkg-query -W -f '${Status}' "$package" 2>/dev/null | grep -q "ok installed" || cpp_missing+=("$package")
done
command -v g++ >/dev/null 2>&1 || cpp_missing+=(g++)
if [ "${#cpp_missing[@]}" -gt 0 ] && command -v dpkg-query >/dev/null 2>&1; then
  apt_install "${cpp_missing[@]}"
fi
