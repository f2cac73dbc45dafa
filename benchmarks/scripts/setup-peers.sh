#!/usr/bin/env bash
# Installs what the peer benchmarks need beyond scripts/setup.sh: C++ libthrift, the
# Boost headers it includes and libevent, which its TNonblockingServer is built on
# (Debian's libthrift-dev, libboost-dev, libevent-dev). Not run by CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/setup.sh
if [ ! -e /usr/include/thrift/Thrift.h ] || [ ! -e /usr/include/boost/numeric/conversion/cast.hpp ] \
  || [ ! -e /usr/include/event.h ]; then
  echo "==> installing Debian's libthrift-dev, libboost-dev and libevent-dev"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y -q libthrift-dev libboost-dev libevent-dev >/dev/null 2>&1 || {
    $SUDO apt-get update -q >/dev/null 2>&1
    $SUDO apt-get install -y -q libthrift-dev libboost-dev libevent-dev >/dev/null
  }
fi
