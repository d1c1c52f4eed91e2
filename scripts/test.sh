#!/usr/bin/env bash
# Installs whatever is missing, then runs every check: formatting, lints,
# unit and integration tests (real SQLite files and real indexes in temp
# folders), the PostgreSQL schema against SQLite's, the store and router
# tests again on PostgreSQL (real throwaway clusters), and the browser
# journeys against the release build in Debian's headless Chromium. Exits
# non-zero on the first failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Each step says how long the run has taken so far, so a slow cold machine
# shows which step to make cheaper.
started=$SECONDS
step() { printf '\n\033[1m== %s ==\033[0m (at %ds)\n' "$*" $((SECONDS - started)); }

# The build folder (outside the checkout) is set by env.sh.
source scripts/env.sh

step "tools"
./scripts/install-tools.sh

step "prune old build products"
# Every change leaves a new test executable and incremental cache behind in
# the shared target folder; on a long-lived machine they filled the disk
# (65 GB after five sessions, 71 GB after seven). Sessions come a day apart,
# so pruning by age removed nothing: per name, the newest stays, and cargo
# relinks or recompiles any other if it is ever needed again (a test target
# and a binary sharing a name cost a relink). One set of test executables is
# 25 GB, and a checkout elsewhere builds a set of its own, so two kept per
# name filled the disk. Libraries stay: an unchanged dependency's is old and
# still in use.
keep_newest() {
  local dir=$1 keep=$2
  [ -d "$dir" ] || return 0
  find "$dir" -mindepth 1 -maxdepth 1 ! -name '*.*' -printf '%T@ %f\n' \
    | sort -rn \
    | awk -v keep="$keep" '{ name = $2; sub(/-[0-9a-z]+$/, "", name); if (++seen[name] > keep) print $2 }' \
    | while read -r old; do rm -rf "${dir:?}/$old" "$dir/$old".*; done
}
for profile in debug release; do
  keep_newest "$CARGO_TARGET_DIR/$profile/deps" 1
  keep_newest "$CARGO_TARGET_DIR/$profile/incremental" 1
done

step "PostgreSQL migrations build SQLite's schema (a throwaway cluster)"
./scripts/pg-schema-check.sh

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy (server side, all targets)"
cargo clippy --workspace --exclude frontend --all-targets -- -D warnings

step "cargo clippy (browser side, wasm32)"
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

step "cargo test"
cargo test --workspace --exclude frontend --exclude hindsight --no-fail-fast
# Built alone, `app` has neither side's features: its server-side unit
# tests (access rules, throttle, hashing bound) need `ssr` to exist.
cargo test -p app --features ssr --lib --no-fail-fast
# The server's router tests render pages through Leptos, one runtime per
# test; run side by side in one process, about one run in forty hung
# (a page render never woken), never once in eighty run one at a time.
# Until that is found, they take turns.
cargo test -p hindsight --no-fail-fast -- --test-threads=1

step "store and router tests on PostgreSQL (a throwaway cluster)"
# The same store suite and router tests again, each test on a fresh
# database of its own on a real server (db/tests/common,
# server/tests/common: an app's index stays in its own folder).
pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/hindsight-pg.XXXXXX")"
chmod 755 "$pg_dir"
stop_pg() { scripts/postgres.sh stop "$pg_dir/pg" >/dev/null 2>&1 || true; rm -rf "$pg_dir"; }
trap stop_pg EXIT
pg_url=$(scripts/postgres.sh start "$pg_dir/pg" | tail -1)
HINDSIGHT_TEST_DATABASE="$pg_url" cargo test -p kb-db --no-fail-fast
HINDSIGHT_TEST_DATABASE="$pg_url" cargo test -p hindsight --no-fail-fast -- --test-threads=1
stop_pg
trap - EXIT

step "browser journeys (release build, headless Chromium)"
e2e_data="$(mktemp -d)"
trap 'rm -rf "$e2e_data"' EXIT
# A port of its own, so a dev server on 3000 is never the one under test.
export HINDSIGHT_ADDR="127.0.0.1:3917"
export BASE_URL="http://$HINDSIGHT_ADDR"
export HINDSIGHT_DATA_DIR="$e2e_data"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# Server function URLs do not depend on where the checkout is: the app's
# key is fixed in .cargo/config.toml, so a build another checkout (CI's
# fresh clone) left in this target folder calls the same URLs as this one.
# --split: every build of the wasm needs it (app/src/routes.rs).
cargo leptos end-to-end --release --precompress --split

step "browser journeys on PostgreSQL (a subset, same build)"
./scripts/e2e-postgres.sh

step "all checks passed"
