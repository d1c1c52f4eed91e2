#!/usr/bin/env bash
# A throwaway PostgreSQL for tests and benchmarks, from Debian's packages
# (scripts/install-tools.sh installs them):
#
#   scripts/postgres.sh start DIR   # a new cluster in DIR on a free loopback
#                                   # port; prints its DATABASE_URL
#   scripts/postgres.sh stop DIR    # stops it (DIR can then be deleted)
#
# The cluster trusts connections from 127.0.0.1 only, keeps its socket in
# DIR, and trades durability for speed (fsync off): it is for tests, whose
# crashes are killed processes, not a lost machine. PostgreSQL refuses to
# run as root, so under root the cluster belongs to `nobody`.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
dir=$(realpath -m "$2")

# The newest installed server, 15 or later.
bin=""
for candidate in /usr/lib/postgresql/*/bin; do
  version=$(basename "$(dirname "$candidate")")
  if [ -x "$candidate/initdb" ] && [ "$version" -ge 15 ] 2>/dev/null; then
    bin=$candidate
  fi
done
[ -n "$bin" ] || { echo "PostgreSQL 15 or later is not installed; run scripts/install-tools.sh" >&2; exit 1; }

# Runs a server program as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u nobody -- "$@"
  else
    "$@"
  fi
}

case $action in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown nobody:nogroup "$dir"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bin/initdb" --pgdata="$dir/data" --username=hindsight --auth=trust \
      --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --silent \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start || { cat "$dir/server.log" >&2; exit 1; }
    as_owner "$bin/createdb" --host=127.0.0.1 --port="$port" --username=hindsight hindsight
    echo "$port" >"$dir/port"
    echo "postgres://hindsight@127.0.0.1:$port/hindsight"
    ;;
  stop)
    [ -d "$dir/data" ] || exit 0
    as_owner "$bin/pg_ctl" --pgdata="$dir/data" --mode=immediate --wait --silent stop || true
    ;;
  *) usage ;;
esac
