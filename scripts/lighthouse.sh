#!/usr/bin/env bash
# Lighthouse 12 (mobile settings: a mid-range phone on a slow 4G link,
# simulated) on the main pages of the release build, with the demo
# postmortems loaded, in Debian's Chromium. Prints one line per page;
# the full reports land in target/lighthouse/. Slow (about a minute a
# page), so not part of scripts/test.sh; BENCHMARKS.md has its figures.
#
# Usage: scripts/lighthouse.sh [--no-build]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/env.sh

LIGHTHOUSE_VERSION=12.8.2
if ! .tools/node_modules/.bin/lighthouse --version 2>/dev/null | grep -qx "$LIGHTHOUSE_VERSION"; then
  echo "installing lighthouse $LIGHTHOUSE_VERSION into .tools/"
  npm install --silent --no-audit --no-fund --prefix .tools "lighthouse@$LIGHTHOUSE_VERSION"
fi

if [ "${1:-}" != "--no-build" ]; then
  ./scripts/install-tools.sh --build-only
  cargo leptos build --release --precompress --split
fi

data="$(mktemp -d)"
out="target/lighthouse"
mkdir -p "$out"
addr="127.0.0.1:3919"
bin="$CARGO_TARGET_DIR/release/hindsight"
export HINDSIGHT_DATA_DIR="$data" LEPTOS_SITE_ROOT=target/site
"$bin" demo >/dev/null
"$bin" serve --addr "$addr" >"$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://$addr/healthz" >/dev/null && break
  sleep 0.1
done

export CHROME_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
printf '%-44s %5s %5s %5s %9s %9s %9s\n' page perf a11y best "FCP ms" "LCP ms" "TBT ms"
for path in "/" "/search?q=payment%20timeouts%20connection%20pool" "/incidents/1" "/action-items" "/new"; do
  name="$(echo "$path" | tr -c 'a-z0-9\n' '_' | sed 's/^_*$/home/')"
  .tools/node_modules/.bin/lighthouse "http://$addr$path" --quiet \
    --only-categories=performance,accessibility,best-practices \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync" \
    --output=json --output-path="$out/$name.json" >/dev/null
  node -e '
    const r = require(process.argv[1]);
    const s = (c) => Math.round(r.categories[c].score * 100);
    const a = (k) => Math.round(r.audits[k].numericValue);
    console.log([process.argv[2].padEnd(44), String(s("performance")).padStart(5),
      String(s("accessibility")).padStart(5), String(s("best-practices")).padStart(5),
      String(a("first-contentful-paint")).padStart(9), String(a("largest-contentful-paint")).padStart(9),
      String(a("total-blocking-time")).padStart(9)].join(" "));
    const failed = Object.values(r.audits).filter((x) => x.score !== null && x.score < 1 && x.scoreDisplayMode === "binary").map((x) => x.id);
    if (failed.length) console.log("    failing:", failed.join(", "));
  ' "$PWD/$out/$name.json" "$path"
done
