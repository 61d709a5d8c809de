#!/usr/bin/env bash
# Page benchmarks (first render, frame interval under load) of the release
# build in headless Chromium. Prints figures; assumes `bash scripts/test.sh`
# (or setup.sh WITH_BROWSER=1) has installed the tools.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source "${TOOLS_DIR:-$HOME/.cache/rpp-tools}/env.sh"
PORT="${BENCH_PORT:-18090}"
trunk build --release --offline
bash scripts/bundle-report.sh dist || true
python3 -m http.server --bind 127.0.0.1 --directory dist "$PORT" >/dev/null 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 0.2; done
BENCH_URL="http://127.0.0.1:$PORT/" cargo run -q -p playground-e2e --example bench_page
