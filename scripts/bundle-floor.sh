#!/usr/bin/env bash
# What the widgets weigh in the bundle. Builds the release bundle twice, as
# shipped and with `--features size-floor` (every widget name then renders
# the "no widget named …" line, so the compiler drops all eleven widget
# views and whatever only they use), and prints both gzipped totals.
#
# Why: the bundle goal of issue 5 is 250,000 B gzipped. The floor is what
# the page takes before a single widget: the shell, the tour, the settings
# drawer, the engine and store, Leptos and Rust's core. If the floor alone
# is near the goal, no trimming of the widgets can meet it.
#
# A third build, `--features size-core`, mounts no app at all: one script
# box and a Run button whose handler reaches the whole core (store, engine,
# API, load generator, scenario scripts). Its wasm, JS and HTML are what
# any page built on this core and Leptos weighs before its first widget,
# tour chapter or stylesheet.
#
# Prints figures, asserts nothing. Assumes the tools of scripts/setup.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source "${TOOLS_DIR:-$HOME/.cache/rpp-tools}/env.sh"

out="${FLOOR_DIR:-target/bundle-floor}"
gz_total() {
  local total=0 f
  while IFS= read -r -d '' f; do
    total=$((total + $(gzip -9 -n -c < "$f" | wc -c)))
  done < <(find "$1" -type f -print0)
  echo "$total"
}

build() {
  local name=$1; shift
  mkdir -p "$out"
  if ! trunk build --release --offline --dist "$out/$name" "$@" >"$out/$name.log" 2>&1; then
    cat "$out/$name.log" >&2
    echo "[floor] the $name build failed" >&2
    exit 1
  fi
}
build full
build floor --features size-floor
build core --features size-core
full=$(gz_total "$out/full")
floor=$(gz_total "$out/floor")
# The stylesheet and the sample article are the app's, copied by index.html
# into every build: left out of the core's figure.
core=0
for f in "$out/core/index.html" "$out/core/redis-playground.js" "$out/core/redis-playground_bg.wasm"; do
  core=$((core + $(gzip -9 -n -c < "$f" | wc -c)))
done
goal=250000
echo "[floor] bundle as shipped:        $full B gzipped ($((full * 100 / goal))% of the $goal B goal)"
echo "[floor] without any widget view:  $floor B gzipped ($((floor * 100 / goal))% of the goal)"
echo "[floor] the eleven widget views:  $((full - floor)) B gzipped ($(( (full - floor) * 100 / full ))% of the bundle)"
echo "[floor] the core behind one script box (wasm, JS, HTML): $core B gzipped ($((core * 100 / goal))% of the goal)"
