#!/usr/bin/env bash
# The quick start: the weather service of the founding blog post, in Rust.
# Starts the Rust `weather-server` on port 9090, calls it with the Rust `weather-client`
# (async, then blocking), then with the blog post's own Python client, unchanged.
# Usage: scripts/demo.sh   (from anywhere in the repository)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

echo "==> building examples/weather"
cargo build --quiet -p rift-weather
target="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"

echo "==> weather-server on port 9090 (buffered transport, binary protocol, as in the seed)"
RUST_LOG="${RUST_LOG:-warn}" "$target/debug/weather-server" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  if (exec 3<>/dev/tcp/127.0.0.1/9090) 2>/dev/null; then break; fi
  sleep 0.1
done

echo "==> weather-client (Rust, async)"
"$target/debug/weather-client"
echo "==> weather-client --blocking --transport framed --protocol compact (the same server detects it)"
"$target/debug/weather-client" --blocking --transport framed --protocol compact

seed=../shared/seed
if [ -f "$seed/weather_client.py" ]; then
  echo "==> the blog post's Python client ($seed/weather_client.py, code from thrift --gen py)"
  generated="$target/weather-py"
  mkdir -p "$generated"
  thrift -r --gen py -out "$generated" "$seed/weather_service.thrift"
  (cd "$seed" && PYTHONPATH="$generated" "${RIFT_PYTHON:-python3}" weather_client.py)
else
  echo "(../shared/seed is not beside the repository: skipping the Python client)"
fi
