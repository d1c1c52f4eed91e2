# Sourced by the other scripts: where the tools and the build cache live.
# shellcheck shell=bash
CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export PATH="$PWD/.tools/node_modules/.bin:$CARGO_HOME/bin:$PATH"
# Debian's binaryen (wasm-opt 108) breaks the release wasm; make sure ours wins.
if command -v wasm-opt >/dev/null && ! wasm-opt --version | grep -q 'version 1[3-9][0-9]'; then
  echo "warning: $(command -v wasm-opt) is not binaryen >= 130; the release wasm may break" >&2
fi
