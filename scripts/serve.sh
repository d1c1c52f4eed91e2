#!/usr/bin/env bash
# Builds the release app and serves it on http://127.0.0.1:3000 with its
# data (SQLite database and search index) in ./data. Installs missing build
# tools first. Settings: see README.md (HINDSIGHT_ADDR, HINDSIGHT_DATA_DIR).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# Builds into the folder test.sh uses (env.sh): running both compiles once.
source scripts/env.sh
./scripts/install-tools.sh --build-only
# Precompressed (brotli and gzip) static files are served to browsers that
# accept them (server/src/http/caching.rs); --split gives each page its own
# wasm chunk (app/src/routes.rs), which the wasm cannot run without.
exec cargo leptos serve --release --precompress --split "$@"
