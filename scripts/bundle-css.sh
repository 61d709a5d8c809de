#!/usr/bin/env bash
# Joins the stylesheets into one file, in the order style/playground.css
# imports them: target/style/playground.css, which index.html builds into
# the page and dist/ ships as playground.css (the one link an article needs
# for <div data-playground> mounts).
#
# Why one file: sixteen small stylesheets cost sixteen requests before the
# first render and gzip each alone; joined they gzip to about half (one
# dictionary for the shared pg- names and tokens). The sources stay one
# file per widget. Trunk runs this as a pre_build hook (Trunk.toml), so
# `trunk build` and `trunk serve` always ship the current styles.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

list=style/playground.css
out=target/style/playground.css
mkdir -p "$(dirname "$out")"
tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
{
  echo "/* Redis Patterns Playground: every stylesheet of style/, joined by scripts/bundle-css.sh. */"
  n=0
  while IFS= read -r line; do
    # Only the import lines: @import url("name.css");
    [[ "$line" =~ ^@import\ url\(\"([a-z_]+\.css)\"\)\;$ ]] || continue
    name=${BASH_REMATCH[1]}
    [ -f "style/$name" ] || { echo "[bundle-css] $list imports $name, which style/ lacks" >&2; exit 1; }
    printf '\n/* --- %s --- */\n' "$name"
    cat "style/$name"
    n=$((n + 1))
  done < "$list"
  [ "$n" -gt 0 ] || { echo "[bundle-css] no @import lines in $list" >&2; exit 1; }
} > "$tmp"
mv "$tmp" "$out"
