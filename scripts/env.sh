# Sourced by the other scripts: where the tools and the build cache live.
# shellcheck shell=bash

# One build folder for serve.sh, test.sh and bench.sh, outside the checkout:
# running one after another compiles once, and a fresh clone on the same
# machine (as CI makes) reuses everything already compiled.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/hindsight/target}"
CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export PATH="$PWD/.tools/node_modules/.bin:$CARGO_HOME/bin:$PATH"
# Debian's binaryen (wasm-opt 108) breaks the release wasm; make sure ours wins.
if command -v wasm-opt >/dev/null && ! wasm-opt --version | grep -q 'version 1[3-9][0-9]'; then
  echo "warning: $(command -v wasm-opt) is not binaryen >= 130; the release wasm may break" >&2
fi
