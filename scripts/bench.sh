#!/usr/bin/env bash
# The synthetic search benchmark: builds the release binaries, runs
# `hindsight-bench bench` on 10k and 100k generated postmortems (in process:
# import rate, rebuild rate, index size, memory, search latency), then serves
# the 100k data folder and load-tests GET /api/v1/search with wrk, rotating
# through 100 pasted alert blocks. Installs wrk (Debian package) if missing.
#
# Settings (environment): BENCH_SMALL (10000), BENCH_LARGE (100000),
# BENCH_QUERIES (200), BENCH_SEED (1), WRK_THREADS (2), WRK_CONNECTIONS (64),
# WRK_DURATION (30s), BENCH_KEEP=1 keeps the scratch folder,
# BENCH_REUSE=DIR skips the small run and measures the large one on the data
# folder an earlier run kept there (`hindsight-bench bench --reuse`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

small="${BENCH_SMALL:-10000}"
large="${BENCH_LARGE:-100000}"
queries="${BENCH_QUERIES:-200}"
seed="${BENCH_SEED:-1}"
wrk_threads="${WRK_THREADS:-2}"
wrk_connections="${WRK_CONNECTIONS:-64}"
wrk_duration="${WRK_DURATION:-30s}"

step() { printf '\n\033[1m== %s ==\033[0m\n' "$*" >&2; }

# The same build folder as serve.sh and test.sh.
source scripts/env.sh

echo "## Machine"
echo
echo "- CPUs: $(nproc)"
echo "- CPU: $(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n1)"
echo "- memory: $(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}')"
echo "- OS: $(. /etc/os-release && echo "$PRETTY_NAME"), $(uname -r)"
echo "- load before start: $(cut -d' ' -f1-3 /proc/loadavg)"

step "cargo build --release -p hindsight -p hindsight-bench"
cargo build --release -p hindsight -p hindsight-bench

if ! command -v wrk >/dev/null; then
  step "installing Debian wrk"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq wrk >/dev/null
fi

scratch="$(mktemp -d "${TMPDIR:-/tmp}/hindsight-bench.XXXXXX")"
# Copies of the binaries, so a build started meanwhile in the same target
# folder cannot swap them under the benchmark.
bin="$scratch/hindsight"
bench="$scratch/hindsight-bench"
cp "$CARGO_TARGET_DIR/release/hindsight" "$bin"
cp "$CARGO_TARGET_DIR/release/hindsight-bench" "$bench"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then
    echo "kept $scratch" >&2
  else
    rm -rf "$scratch"
  fi
}
trap cleanup EXIT

echo
echo "## In process"
if [ -z "${BENCH_REUSE:-}" ]; then
  step "hindsight-bench bench --docs $small"
  echo
  "$bench" bench --docs "$small" --queries "$queries" --seed "$seed"
fi

if [ -n "${BENCH_REUSE:-}" ]; then
  data="$BENCH_REUSE"
  step "hindsight-bench bench --docs $large --keep $data --reuse"
  echo
  "$bench" bench --docs "$large" --queries "$queries" --seed "$seed" --keep "$data" --reuse
else
  data="$scratch/data"
  step "hindsight-bench bench --docs $large --keep $data"
  echo
  "$bench" bench --docs "$large" --queries "$queries" --seed "$seed" --keep "$data"
fi

# --- HTTP: the kept data folder behind the real server --------------------
step "serving $data"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
addr="127.0.0.1:$port"
HINDSIGHT_DATA_DIR="$data" HINDSIGHT_ADDR="$addr" LEPTOS_SITE_ADDR="$addr" \
  LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_OUTPUT_NAME=hindsight \
  RUST_LOG="${RUST_LOG:-warn}" \
  "$bin" serve >"$scratch/server.log" 2>&1 &
server_pid=$!
started=$SECONDS
until curl -fsS "http://$addr/healthz" >/dev/null 2>&1; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "the server exited; its log:" >&2
    cat "$scratch/server.log" >&2
    exit 1
  fi
  if [ $((SECONDS - started)) -gt 600 ]; then
    echo "the server did not answer /healthz within 600 s" >&2
    exit 1
  fi
  sleep 0.5
done
echo
echo "## HTTP: GET /api/v1/search (100 alert blocks, rotating)"
echo
echo "Server on $addr with ${large} postmortems, healthy after $((SECONDS - started)) s."

queries_file="$data/bench-alert-queries.txt"
first="$(head -n1 "$queries_file")"
curl -fsS "http://$addr$first" | python3 -c 'import json, sys
r = json.load(sys.stdin)
print("Sample request: %d hits, %d patterns, took_ms %.1f on the server."
      % (len(r["incidents"]), len(r["patterns"]), r["took_ms"]))'

lua="$scratch/rotate.lua"
cat >"$lua" <<EOF
-- Rotates through the URL paths in $queries_file, each thread from its own
-- offset. With unique = 1 every request adds a word of its own to the text,
-- so no answer can come from the server's cache of recent results.
local unique = tonumber(os.getenv("WRK_UNIQUE") or "0")
local paths = {}
for line in io.lines("$queries_file") do
  if #line > 0 then paths[#paths + 1] = line end
end
local threads = 0
function setup(thread)
  thread:set("offset", threads * 37)
  thread:set("id", threads)
  threads = threads + 1
end
local i = 0
local sent = 0
function init(args)
  i = offset or 0
end
function request()
  i = i % #paths + 1
  sent = sent + 1
  local path = paths[i]
  if unique == 1 then
    path = path:gsub("&limit=", "%%20req" .. (id or 0) .. "n" .. sent .. "&limit=", 1)
  end
  return wrk.format("GET", path)
end
function done(summary, latency, requests)
  local s = summary.duration / 1e6
  io.write(string.format(
    "| %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %d |\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    summary.requests / s,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000,
    #paths))
end
EOF

for unique in 1 0; do
  if [ "$unique" = 1 ]; then
    echo "### Every request a new text (no answer from the cache)"
  else
    echo "### The same 100 alert blocks again and again (answers from the cache)"
  fi
  echo
  echo "\`WRK_UNIQUE=$unique wrk -t$wrk_threads -c$wrk_connections -d$wrk_duration --latency -s rotate.lua http://$addr\`"
  echo
  echo '```'
  wrk_out="$scratch/wrk-$unique.out"
  WRK_UNIQUE=$unique wrk -t"$wrk_threads" -c"$wrk_connections" -d"$wrk_duration" --timeout 30s --latency -s "$lua" "http://$addr" | tee "$wrk_out" | grep -v '^| '
  echo '```'
  echo
  echo "| requests | errors | requests/s | p50 ms | p90 ms | p99 ms | max ms | mean ms | distinct queries |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  grep '^| ' "$wrk_out"
  echo
done
echo "Server memory after the load test: $(grep -E '^Vm(RSS|HWM)' "/proc/$server_pid/status" | tr -s ' \t' ' ' | paste -sd, -)"
