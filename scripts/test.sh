#!/usr/bin/env bash
# Every build and test layer of the playground, in order; stops at the first
# failure with a non-zero exit. Prints the time of each layer and a summary.
#
#   bash scripts/test.sh          # from any directory; CI runs it via .ci/run
#
#   1 setup    toolchain + chromium + redis-server (scripts/setup.sh)
#   2 native   cargo test of the app crate and playground-core on the host,
#              including the differential tests against a real redis-server
#              that the test starts on a free loopback port and stops by PID
#   3 lints    clippy on both libraries, native and wasm: outside tests nothing
#              may unwrap, expect, index or panic (the libraries deny it; a
#              panic in wasm kills the page)
#   4 browser  wasm-bindgen-test component tests in headless Chromium
#   5 release  trunk build --release (wasm-bindgen + wasm-opt -Oz) -> dist/
#   6 bundle   per-file raw/gzip sizes of dist/, fails over budget
#   7 serve    the release dist/ on a free loopback port
#   8 e2e      fantoccini click-through at desktop and phone sizes;
#              screenshots in target/e2e-screenshots/
#
# Environment: TOOLS_DIR (default $HOME/.cache/rpp-tools), E2E_PORT (default
# 18080; a busy port is refused, never reused), E2E_SERVER (trunk | python,
# default trunk), BUNDLE_BUDGET_GZ (default 250000).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export TOOLS_DIR="${TOOLS_DIR:-$HOME/.cache/rpp-tools}"
E2E_PORT="${E2E_PORT:-18080}"
E2E_SERVER="${E2E_SERVER:-trunk}"

now_ms() { local t=${EPOCHREALTIME//[.,]/}; echo $(( t / 1000 )); }
secs() { printf '%d.%d' $(( $1 / 1000 )) $(( $1 % 1000 / 100 )); }

STARTED=$(now_ms)
SUMMARY=()
FAILED=""
SERVE_PID=""

# layer NAME CMD...: runs CMD, prints its time, stops everything on failure.
layer() {
  local name=$1; shift
  local start; start=$(now_ms)
  printf '\n[test] ==> %s: %s\n' "$name" "$*"
  local rc=0
  "$@" || rc=$?
  local took=$(( $(now_ms) - start ))
  if [ "$rc" -ne 0 ]; then
    SUMMARY+=("$(printf '%-8s FAILED after %s s (exit %s)' "$name" "$(secs "$took")" "$rc")")
    FAILED=$name
    printf '[test] <== %s FAILED after %s s (exit %s)\n' "$name" "$(secs "$took")" "$rc" >&2
    exit "$rc"
  fi
  SUMMARY+=("$(printf '%-8s %7s s' "$name" "$(secs "$took")")")
  printf '[test] <== %s ok in %s s\n' "$name" "$(secs "$took")"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

stop_server() {
  [ -n "$SERVE_PID" ] || return 0
  if kill -0 "$SERVE_PID" 2>/dev/null; then
    kill "$SERVE_PID" 2>/dev/null || true
    # trunk takes 1-4 s to exit on SIGTERM.
    for _ in $(seq 1 100); do kill -0 "$SERVE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SERVE_PID" 2>/dev/null && kill -9 "$SERVE_PID" 2>/dev/null
  fi
  wait "$SERVE_PID" 2>/dev/null || true
  SERVE_PID=""
}

finish() {
  local rc=$?
  stop_server
  local total; total=$(secs $(( $(now_ms) - STARTED )))
  printf '\n[test] summary\n'
  for line in "${SUMMARY[@]}"; do printf '[test]   %s\n' "$line"; done
  if [ "$rc" -eq 0 ]; then
    printf '[test] ALL LAYERS PASSED in %s s total\n' "$total"
  else
    printf '[test] FAILED%s (exit %s) after %s s total\n' "${FAILED:+ in layer $FAILED}" "$rc" "$total" >&2
  fi
}
trap finish EXIT

# Serves dist/ in the background and waits until it answers with our page.
# Called through `layer`, i.e. in a condition where `set -e` does not apply:
# every step checks its own result.
serve_dist() {
  local port=$E2E_PORT
  local url="http://127.0.0.1:$port/"
  local log=target/e2e-serve.log
  if port_busy "$port"; then
    echo "[test] port $port is already in use: refusing to test someone else's server (set E2E_PORT)" >&2
    return 1
  fi
  mkdir -p target || return 1
  case "$E2E_SERVER" in
    trunk)  trunk serve --release --offline --no-autoreload --address 127.0.0.1 --port "$port" >"$log" 2>&1 & ;;
    python) python3 -m http.server --bind 127.0.0.1 --directory dist "$port" >"$log" 2>&1 & ;;
    *) echo "[test] E2E_SERVER must be trunk or python, not '$E2E_SERVER'" >&2; return 1 ;;
  esac
  SERVE_PID=$!
  local deadline=$(( $(now_ms) + 180000 ))
  while :; do
    if ! kill -0 "$SERVE_PID" 2>/dev/null; then
      echo "[test] the $E2E_SERVER server exited early; its log:" >&2; cat "$log" >&2
      return 1
    fi
    # Ready = it serves an index.html that loads a wasm bundle.
    if curl -sf -o target/e2e-index.html "$url" && grep -q '_bg.wasm' target/e2e-index.html; then
      break
    fi
    if [ "$(now_ms)" -gt "$deadline" ]; then
      echo "[test] $url did not serve the app within 180 s; server log:" >&2; cat "$log" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "[test] $E2E_SERVER (pid $SERVE_PID) serves dist/ at $url"
}

layer setup   env WITH_BROWSER=1 WITH_REDIS=1 bash scripts/setup.sh
# shellcheck source=/dev/null
source "$TOOLS_DIR/env.sh"
layer native  cargo test -p redis-playground -p playground-core
layer lints   cargo clippy -q -p playground-core -p redis-playground --lib
layer lints-wasm cargo clippy -q -p redis-playground --lib --target wasm32-unknown-unknown
# No -q here: cargo would pass --quiet on to wasm-bindgen-test-runner, which rejects it.
layer browser cargo test -p redis-playground --target wasm32-unknown-unknown
layer release trunk build --release --offline
layer bundle  bash scripts/bundle-report.sh dist
# Compiled before the server starts: thousands of files written under target/
# while `trunk serve` watches can overflow inotify, and trunk 0.21's watcher
# (notify-debouncer-full 0.5) panics on the path-less rescan event that follows.
layer e2e-build cargo test -p playground-e2e --no-run
layer serve   serve_dist
layer e2e     env E2E_URL="http://127.0.0.1:$E2E_PORT/" cargo test -p playground-e2e -- --nocapture
