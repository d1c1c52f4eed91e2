#!/usr/bin/env bash
# Installs every tool the build and the tests need, skipping what is already
# there at the right version. Safe to run again; CI runs it on every build.
#
# Tools land in cargo's bin folder (~/.cargo/bin) and in .tools/ of the
# checkout (npm packages), so a second run on the same machine costs seconds.
#
# Usage: scripts/install-tools.sh [--build-only]
#   --build-only  only what building and serving needs (no browser, no
#                 Playwright): used by scripts/serve.sh.
set -euo pipefail

build_only=false
[ "${1:-}" = "--build-only" ] && build_only=true

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

CARGO_LEPTOS_VERSION=0.3.11
BINARYEN_VERSION=132.0.0
CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export PATH="$CARGO_HOME/bin:$PATH"

log() { printf '\033[1m[install]\033[0m %s\n' "$*"; }

# --- Rust target for the hydrate build -------------------------------------
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# --- Debian packages: chromium for the browser tests, Alertmanager for the
# --- intake's test against a real one (server/tests/alertmanager.rs),
# --- openssl and the system's CA bundle for late chat answers over https
# --- (server/tests/chat_late_tls.rs makes its certificates with openssl),
# --- PostgreSQL for throwaway clusters (scripts/postgres.sh) --------------
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/prometheus-alertmanager ] || missing+=(prometheus-alertmanager)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
[ -x /usr/bin/openssl ] || missing+=(openssl)
# Health checks of the servers the scripts start (e2e-postgres.sh, lighthouse.sh).
command -v curl >/dev/null || missing+=(curl)
[ -f /etc/ssl/certs/ca-certificates.crt ] || missing+=(ca-certificates)
if ! $build_only && [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  # Where systemd runs, the package also starts its own service on 9093;
  # the test starts another on free loopback ports, so the two never meet.
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- cargo-leptos, built without its download feature ----------------------
# 0.3.11's lockfile pulls cargo-util-schemas 0.14.2, which needs rustc 1.96;
# 0.14.1 builds on 1.95, so the crate is installed from a patched copy of its
# source. Fat LTO is switched off: it costs ~9 min of single-core linking and
# buys nothing for a build orchestrator. Nor is it optimised (opt-level 0;
# no debug info or assertions, as in any release build): on 2 busy cores
# it built in 11 min (623 CPU-s) instead of 29 (1876 CPU-s), and minifying
# our JS went from 0.02 to 0.2 s, with a byte-identical site folder.
# Its wasm splitter (wasm_split_cli_support 0.2.3) is patched
# (scripts/wasm-split-coarse.patch): code shared by a set of pages that
# would make a chunk under 8,000 bytes goes to the main wasm. Unpatched, a
# postmortem page fetched and instantiated 162 chunks, most under 1 KiB,
# which blocked a phone's main thread for longer than hydrating the page;
# patched it fetches 5, and every page's total is smaller. A stamp beside
# the binary names the patch it was built with.
split_patch="scripts/wasm-split-coarse.patch"
leptos_stamp="$CARGO_HOME/bin/.cargo-leptos-$CARGO_LEPTOS_VERSION-$(sha256sum "$split_patch" | cut -c1-16)"
if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION" || [ ! -e "$leptos_stamp" ]; then
  log "building cargo-leptos $CARGO_LEPTOS_VERSION (no_downloads, coarse wasm splitting)"
  src_root="$(mktemp -d)"
  (cd "$src_root" && cargo new --quiet fetcher && cd fetcher &&
    cargo add --quiet "cargo-leptos@=$CARGO_LEPTOS_VERSION" &&
    cargo fetch --quiet)
  registry_srcs=("$CARGO_HOME"/registry/src/*/cargo-leptos-"$CARGO_LEPTOS_VERSION")
  cp -r "${registry_srcs[0]}" "$src_root/cargo-leptos"
  split_srcs=("$CARGO_HOME"/registry/src/*/wasm_split_cli_support-0.2.3)
  cp -r "${split_srcs[0]}" "$src_root/wasm_split_cli_support"
  chmod -R u+w "$src_root/wasm_split_cli_support"
  git apply --directory="$src_root/wasm_split_cli_support" --unsafe-paths "$split_patch"
  # The splitter is the only dependency named by path; the lock keeps
  # every other version.
  sed -i 's|^\[dependencies.wasm_split_cli_support\]$|&\npath = "../wasm_split_cli_support"|' \
    "$src_root/cargo-leptos/Cargo.toml"
  (cd "$src_root/cargo-leptos" && cargo update --quiet -p cargo-util-schemas --precise 0.14.1 &&
    cargo update --quiet -p wasm_split_cli_support)
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_OPT_LEVEL=0 \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 CARGO_PROFILE_RELEASE_STRIP=true \
    cargo install --quiet --force --path "$src_root/cargo-leptos" --locked --features no_downloads
  rm -f "$CARGO_HOME"/bin/.cargo-leptos-*
  touch "$leptos_stamp"
  rm -rf "$src_root"
fi

# --- wasm-bindgen CLI: must equal the wasm-bindgen crate in Cargo.lock ------
wb_version="$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')"
if ! wasm-bindgen --version 2>/dev/null | grep -q "$wb_version"; then
  log "installing wasm-bindgen-cli $wb_version"
  # Not --locked: the mirror lacks some of its locked transitive versions.
  # Unoptimised: on 2 busy cores it built in 2 min (138 CPU-s) instead of 6
  # (336 CPU-s), and takes ~4 s instead of ~1.5 s on our release wasm, with
  # byte-identical output; that build spends ~80 s in wasm-opt anyway.
  CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 \
    CARGO_PROFILE_RELEASE_STRIP=true \
    cargo install --quiet wasm-bindgen-cli --version "$wb_version" --force
fi

# --- npm: wasm-opt (binaryen) and Playwright --------------------------------
# Debian's binaryen 108 silently breaks the release wasm; npm's 132 does not.
if ! .tools/node_modules/.bin/wasm-opt --version 2>/dev/null | grep -q "${BINARYEN_VERSION%%.*}"; then
  log "installing binaryen $BINARYEN_VERSION (wasm-opt) into .tools/"
  mkdir -p .tools
  npm install --silent --no-audit --no-fund --prefix .tools "binaryen@$BINARYEN_VERSION"
fi

# Again whenever package-lock.json has changed since the last install.
if ! $build_only && ! cmp -s end2end/package-lock.json end2end/node_modules/.package-lock.json.installed; then
  log "installing the end2end npm packages (no browser download)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund &&
    cp package-lock.json node_modules/.package-lock.json.installed)
fi

log "tools ready"
