#!/usr/bin/env bash
# Dev server for the playground: installs the toolchain if needed (no browser),
# then `trunk serve` with autoreload on http://127.0.0.1:$PORT/.
#
#   bash scripts/serve.sh                  # PORT=8080 by default
#   PORT=9000 bash scripts/serve.sh --release
#
# Extra arguments go to `trunk serve`. The first build takes about a minute;
# trunk starts listening only after it. `trunk serve` writes dist/ (a debug
# build unless --release), the same folder `trunk build --release` uses.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
TOOLS_DIR="${TOOLS_DIR:-$HOME/.cache/rpp-tools}"
PORT="${PORT:-8080}"
ADDRESS=127.0.0.1

WITH_BROWSER=0 TOOLS_DIR="$TOOLS_DIR" bash scripts/setup.sh
# shellcheck source=/dev/null
source "$TOOLS_DIR/env.sh"

# A second server on a busy port dies while the old one keeps answering, which
# looks like success. Refuse instead.
if (exec 3<>"/dev/tcp/$ADDRESS/$PORT") 2>/dev/null; then
  echo "[serve] port $PORT is already in use on $ADDRESS; pick another: PORT=<n> bash scripts/serve.sh" >&2
  exit 1
fi

url="http://$ADDRESS:$PORT/"
cat <<MSG

  Playground: $url
  Embed:      ${url}?widget=cache-aside
  (first build takes about a minute before the server answers; Ctrl-C stops it)

MSG
exec trunk serve --offline --address "$ADDRESS" --port "$PORT" "$@"
