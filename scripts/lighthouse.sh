#!/usr/bin/env bash
# Lighthouse 12 (mobile settings: a mid-range phone on a slow 4G link,
# simulated) on the main pages of the release build, with the demo
# postmortems loaded, in Debian's Chromium. Each page is measured RUNS
# times (default 3: one run moves by several points on a busy machine);
# prints per page the median run's figures and the range of the scores.
# The reports land in target/lighthouse/. Not part of scripts/test.sh
# (a few minutes); BENCHMARKS.md has its figures.
#
# Usage: [RUNS=3] [PAGES="/ /new"] scripts/lighthouse.sh [--no-build]
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
runs="${RUNS:-3}"
printf '%-52s %5s %9s %5s %5s %7s %7s %7s\n' page perf "(range)" a11y best "FCP ms" "LCP ms" "TBT ms"
for path in ${PAGES:-/ /search?q=payment%20timeouts%20connection%20pool /incidents/1 /action-items /new}; do
  name="$(echo "$path" | tr -c 'a-z0-9\n' '_' | sed 's/^_*$/home/')"
  for run in $(seq 1 "$runs"); do
    .tools/node_modules/.bin/lighthouse "http://$addr$path" --quiet \
      --only-categories=performance,accessibility,best-practices \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync" \
      --output=json --output-path="$out/$name.$run.json" >/dev/null
  done
  node -e '
    const [dir, name, path, runs] = process.argv.slice(1);
    const reports = Array.from({ length: +runs }, (_, i) => require(`${dir}/${name}.${i + 1}.json`));
    const score = (r, c) => Math.round(r.categories[c].score * 100);
    reports.sort((a, b) => score(a, "performance") - score(b, "performance"));
    const r = reports[Math.floor(reports.length / 2)];
    const ms = (k) => String(Math.round(r.audits[k].numericValue)).padStart(7);
    const perf = reports.map((x) => score(x, "performance"));
    console.log([path.padEnd(52), String(score(r, "performance")).padStart(5),
      `(${perf[0]}-${perf[perf.length - 1]})`.padStart(9),
      String(score(r, "accessibility")).padStart(5), String(score(r, "best-practices")).padStart(5),
      ms("first-contentful-paint"), ms("largest-contentful-paint"), ms("total-blocking-time")].join(" "));
  ' "$PWD/$out" "$name" "$path" "$runs"
done
