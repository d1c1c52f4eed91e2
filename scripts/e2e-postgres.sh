#!/usr/bin/env bash
# Browser journeys against the release build on PostgreSQL: a subset of
# end2end/ (writing, editing with a conflict, action items, search, then
# accounts and private postmortems) on a throwaway cluster, chosen so the
# whole test command stays well within CI's time. Run after a release
# build (`scripts/test.sh` runs it after the journeys on SQLite):
#
#   scripts/e2e-postgres.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/env.sh

work=$(mktemp -d "${TMPDIR:-/tmp}/hindsight-e2e-pg.XXXXXX")
# The cluster's owner (nobody, under root) must reach its folder inside.
chmod 755 "$work"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  scripts/postgres.sh stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

url=$(scripts/postgres.sh start "$work/pg" | tail -1)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LEPTOS_SITE_ROOT=target/site HINDSIGHT_DATA_DIR="$work/data" DATABASE_URL="$url" RUST_LOG=warn \
  "$CARGO_TARGET_DIR/release/hindsight" serve --addr "127.0.0.1:$port" &
server=$!
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null

cd end2end
export BASE_URL="http://127.0.0.1:$port" PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
npx playwright test --project=journeys \
  tests/authoring.spec.ts tests/edit.spec.ts tests/action-items.spec.ts tests/search.spec.ts
# Last: it creates the first administrator, which closes the instance.
npx playwright test --project=access --no-deps
