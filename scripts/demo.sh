#!/usr/bin/env bash
# The quick start: the weather service of the founding blog post, in Rust.
# Starts the Rust `weather-server` on a free port, calls it with the Rust
# `weather-client` (async, then blocking), then with a Python client on Apache's
# `thrift` library (examples/weather/python, code from `thrift --gen py`).
# Usage: scripts/demo.sh            (from anywhere in the repository)
#        PORT=9090 scripts/demo.sh  (a port of your choice; the demo stops if it is taken)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
python="${RIFT_PYTHON:-$PWD/.venv/bin/python}"

echo "==> building examples/weather"
cargo build --quiet -p rift-weather
target="$(cargo metadata --format-version 1 --no-deps | "$python" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"

# A port nobody listens on: the one asked for, or one the system gives.
port="${PORT:-$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "demo.sh: port $port is already taken by another program; choose another with PORT=..." >&2
  exit 1
fi

echo "==> weather-server on port $port (answers buffered binary, as in the seed, and every other format)"
RUST_LOG="${RUST_LOG:-warn}" "$target/debug/weather-server" --port "$port" &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  if ! kill -0 "$server" 2>/dev/null; then
    echo "demo.sh: weather-server stopped before it listened on port $port" >&2
    exit 1
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  sleep 0.1
done

echo "==> weather-client (Rust, async)"
"$target/debug/weather-client" --port "$port"
echo "==> weather-client --blocking --transport framed --protocol compact (the same server detects it)"
"$target/debug/weather-client" --port "$port" --blocking --transport framed --protocol compact

echo "==> a Python client on Apache's thrift library (examples/weather/python/apache_client.py)"
generated="$target/weather-py"
mkdir -p "$generated"
thrift -r --gen py -out "$generated" examples/weather/idl/weather_service.thrift
PYTHONPATH="$generated" "$python" examples/weather/python/apache_client.py --port "$port"
