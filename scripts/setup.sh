#!/usr/bin/env bash
# Installs the build and test toolchain of the Redis Patterns Playground, each
# piece only when it is missing or at the wrong version (a re-run with
# everything present takes about a second). Needs only crates.io, the npm
# registry and Debian apt: no GitHub release downloads.
#
#   bash scripts/setup.sh                # from any directory
#   source "${TOOLS_DIR:-$HOME/.cache/rpp-tools}/env.sh"   # then: trunk, wasm-bindgen, wasm-opt on PATH
#
# Environment:
#   TOOLS_DIR     where tools go (default $HOME/.cache/rpp-tools); env.sh is written there
#   WITH_BROWSER  1 = also apt-install chromium + chromium-driver (tests need them); default 0
#   WITH_REDIS    1 = also apt-install redis-server (the differential tests' oracle); default 0
#
# What and why:
#   - rustup target wasm32-unknown-unknown
#   - trunk =0.21.14: 0.22.x needs rustc >= 1.96.1 (cargo install --locked, ~6 min on 2 cores)
#   - wasm-bindgen-cli equal to the wasm-bindgen crate in Cargo.lock: trunk and
#     wasm-bindgen-test-runner refuse any other version (~2 min)
#   - wasm-opt from npm binaryen@132: Debian bookworm's binaryen 108 silently
#     breaks wasm-bindgen's externref table, so it must never be the one on PATH
#   - chromium + chromium-driver from Debian (WITH_BROWSER=1)
#   - axe-core@4.14.1 from npm (WITH_BROWSER=1): the e2e accessibility checks
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

TOOLS_DIR="${TOOLS_DIR:-$HOME/.cache/rpp-tools}"
TRUNK_VERSION="${TRUNK_VERSION:-0.21.14}"
BINARYEN_NPM_VERSION="${BINARYEN_NPM_VERSION:-132.0.0}"
AXE_CORE_VERSION="${AXE_CORE_VERSION:-4.14.1}"
WITH_BROWSER="${WITH_BROWSER:-0}"
WITH_REDIS="${WITH_REDIS:-0}"

log() { printf '[setup] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else die "need root (or sudo) for: $*"
  fi
}

now_ms() { local t=${EPOCHREALTIME//[.,]/}; echo $(( t / 1000 )); }
started=$(now_ms)
mkdir -p "$TOOLS_DIR/bin"
export PATH="$TOOLS_DIR/bin:$PATH"
command -v cargo >/dev/null || die "cargo not found: install Rust (rustup) first"

# --- 1. wasm target ---------------------------------------------------------------
# Looking at the sysroot is instant; `rustup target list` is not.
if [ ! -d "$(rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown" ]; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# clippy: the test command's panic lints (a minimal rustup profile lacks it).
if ! cargo clippy --version >/dev/null 2>&1; then
  log "rustup component add clippy"
  rustup component add clippy
fi

# --- 2. browser + driver (Debian) ----------------------------------------------------
if [ "$WITH_BROWSER" = 1 ]; then
  if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    log "apt-get install chromium chromium-driver"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    as_root apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
  fi
fi

# --- 2b. a real Redis, the oracle of the differential tests (Debian) ----------------
if [ "$WITH_REDIS" = 1 ] && ! command -v redis-server >/dev/null 2>&1; then
  log "apt-get install redis-server"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends redis-server redis-tools >/dev/null
fi

# --- 3. trunk ---------------------------------------------------------------------------
if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  log "cargo install trunk $TRUNK_VERSION (takes ~6 min on 2 cores)"
  cargo install --locked trunk --version "=$TRUNK_VERSION" --root "$TOOLS_DIR"
fi

# --- 4. wasm-bindgen-cli == wasm-bindgen in Cargo.lock -------------------------------------
[ -f Cargo.lock ] || cargo generate-lockfile
WASM_BINDGEN_VERSION="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
[ -n "$WASM_BINDGEN_VERSION" ] || die "no wasm-bindgen package in Cargo.lock"
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ] ||
   [ "$(wasm-bindgen-test-runner --version 2>/dev/null || true)" != "wasm-bindgen-test-runner $WASM_BINDGEN_VERSION" ]; then
  log "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes ~2 min)"
  # --locked can fail when the registry lacks a locked dependency version
  # (seen: webpki-roots 1.0.11 for 0.2.130); then resolve afresh.
  cargo install --locked wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --root "$TOOLS_DIR" ||
    { log "locked install failed; retrying without --locked";
      cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --root "$TOOLS_DIR"; }
fi

# --- 5. wasm-opt from npm binaryen --------------------------------------------------------
BINARYEN_MAJOR="${BINARYEN_NPM_VERSION%%.*}"
WANT_WASM_OPT="wasm-opt version $BINARYEN_MAJOR (version_$BINARYEN_MAJOR)"
if [ "$("$TOOLS_DIR/bin/wasm-opt" --version 2>/dev/null || true)" != "$WANT_WASM_OPT" ]; then
  command -v npm >/dev/null || die "npm not found (needed for binaryen's wasm-opt): apt-get install nodejs npm"
  log "npm install binaryen@$BINARYEN_NPM_VERSION"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR/npm" "binaryen@$BINARYEN_NPM_VERSION"
  ln -sf "$TOOLS_DIR/npm/node_modules/binaryen/bin/wasm-opt" "$TOOLS_DIR/bin/wasm-opt"
  [ "$("$TOOLS_DIR/bin/wasm-opt" --version)" = "$WANT_WASM_OPT" ] || die "wasm-opt is not $WANT_WASM_OPT after install"
fi

# --- 6. axe-core from npm (WITH_BROWSER=1) ---------------------------------------------
# The e2e test loads it into the page to check WCAG 2.1 A/AA rules.
if [ "$WITH_BROWSER" = 1 ]; then
  AXE_JS="$TOOLS_DIR/npm/node_modules/axe-core/axe.min.js"
  if ! head -c 40 "$AXE_JS" 2>/dev/null | grep -q "axe v$AXE_CORE_VERSION\b"; then
    command -v npm >/dev/null || die "npm not found (needed for axe-core): apt-get install nodejs npm"
    log "npm install axe-core@$AXE_CORE_VERSION"
    npm install --silent --no-audit --no-fund --save-exact --prefix "$TOOLS_DIR/npm" "axe-core@$AXE_CORE_VERSION"
    head -c 40 "$AXE_JS" | grep -q "axe v$AXE_CORE_VERSION\b" || die "axe-core is not $AXE_CORE_VERSION after install"
  fi
fi

# --- env.sh ------------------------------------------------------------------------------
# TRUNK_OFFLINE: never let trunk fall back to downloading tools from GitHub.
cat > "$TOOLS_DIR/env.sh.tmp" <<ENV
# Written by scripts/setup.sh. Usage: source $TOOLS_DIR/env.sh
export PATH="$TOOLS_DIR/bin:\$PATH"
export TRUNK_OFFLINE=true
export CHROMEDRIVER="\${CHROMEDRIVER:-/usr/bin/chromedriver}"
ENV
mv "$TOOLS_DIR/env.sh.tmp" "$TOOLS_DIR/env.sh"

log "$(trunk --version); $(wasm-bindgen --version); $(wasm-opt --version)"
if [ "$WITH_BROWSER" = 1 ]; then
  log "$(chromium --version 2>/dev/null); $(chromedriver --version | cut -d' ' -f1-2)"
fi
if [ "$WITH_REDIS" = 1 ]; then
  log "$(redis-server --version | cut -d' ' -f1-3)"
fi
elapsed=$(( $(now_ms) - started ))
log "ready in $(( elapsed / 1000 )).$(( elapsed % 1000 / 100 )) s; now: source $TOOLS_DIR/env.sh"
