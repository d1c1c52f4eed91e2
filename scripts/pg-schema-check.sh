#!/usr/bin/env bash
# Proves migrations/postgres builds the schema migrations/sqlite builds:
#
#   scripts/pg-schema-check.sh
#
# Applies each directory's migrations in order, the PostgreSQL ones to a
# throwaway cluster (scripts/postgres.sh) with psql, one transaction per
# file as sqlx runs them, the SQLite ones to a new file with Python's
# sqlite3 (foreign keys on, `-- no-transaction` honoured). Then
# scripts/pg-schema-check.py compares the two schemas (tables, columns,
# keys, uniques, CHECKs, indexes, triggers) and runs the same writes on
# both to compare what the triggers keep; last, inserts that break a
# CHECK, a unique index and a foreign key must be refused by PostgreSQL.
# Prints every difference and exits non-zero on any.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The newest psql, 15 or later, as postgres.sh finds the server.
psql=""
for candidate in /usr/lib/postgresql/*/bin; do
  version=$(basename "$(dirname "$candidate")")
  if [ -x "$candidate/psql" ] && [ "$version" -ge 15 ] 2>/dev/null; then
    psql=$candidate/psql
  fi
done
[ -n "$psql" ] || { echo "psql 15 or later is not installed; run scripts/install-tools.sh" >&2; exit 1; }

# Every migration has its twin, by number and name.
if ! diff <(cd migrations/sqlite && ls -- *.sql) <(cd migrations/postgres && ls -- *.sql) >/dev/null; then
  echo "migrations/sqlite and migrations/postgres do not hold the same files:" >&2
  diff <(cd migrations/sqlite && ls -- *.sql) <(cd migrations/postgres && ls -- *.sql) | sed 's/^</  only in sqlite:/; s/^>/  only in postgres:/' | grep only >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/pg-schema-check.XXXXXX")
# The cluster's owner (nobody, under root) must reach its folder inside.
chmod 755 "$work"
cleanup() {
  scripts/postgres.sh stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

url=$(scripts/postgres.sh start "$work/pg")

export PGOPTIONS="-c client_min_messages=warning"
for file in migrations/postgres/*.sql; do
  "$psql" -X -q -v ON_ERROR_STOP=1 --single-transaction -d "$url" -f "$file" >/dev/null \
    || { echo "$file failed on PostgreSQL" >&2; exit 1; }
done

python3 scripts/pg-schema-check.py apply-sqlite "$work/schema.sqlite" migrations/sqlite
python3 scripts/pg-schema-check.py compare "$work/schema.sqlite" "$url" "$psql"
python3 scripts/pg-schema-check.py triggers "$work/schema.sqlite" "$url" "$psql"

# The constraints hold in PostgreSQL. Each attempt runs in a transaction
# rolled back, and must fail with the expected constraint's error: a typo
# failing for another reason proves nothing.
failed=0
attempt() {
  "$psql" -X -q -v ON_ERROR_STOP=1 -d "$url" 2>&1 <<<"begin;
$1
rollback;"
}
must_pass() {
  local what=$1 sql=$2 out
  if ! out=$(attempt "$sql"); then
    echo "PostgreSQL refused $what, which must be accepted:" >&2
    echo "$out" >&2
    failed=1
  fi
}
must_fail() {
  local what=$1 expected=$2 sql=$3 out
  if out=$(attempt "$sql"); then
    echo "PostgreSQL accepted $what" >&2
    failed=1
  elif ! grep -qF -- "$expected" <<<"$out"; then
    echo "PostgreSQL refused $what, but not with: $expected" >&2
    echo "$out" >&2
    failed=1
  fi
}

valid="insert into postmortem (postmortem_id, title, severity) values (1, 'ok', 'SEV2');
insert into postmortem_service (postmortem_id, position, name) values (1, 0, 'api');
insert into account (name, password_hash, role) values ('Ada', 'x', 'viewer');
insert into integration (kind, name, secret_hash, settings, created_by)
    values ('slack', 'ops-alerts_2', 'h', '{\"a\": [1]}', 'me');"
must_pass "valid rows" "$valid"
must_fail "a severity outside its CHECK" 'violates check constraint "postmortem_severity_check"' \
  "insert into postmortem (title, severity) values ('bad', 'SEV9');"
must_fail "an account name differing only in case" \
  'duplicate key value violates unique constraint "account_name_key"' \
  "$valid
insert into account (name, password_hash, role) values ('ada', 'y', 'editor');"
must_fail "a service of a missing postmortem" \
  'violates foreign key constraint "postmortem_service_postmortem_id_fkey"' \
  "insert into postmortem_service (postmortem_id, position, name) values (999999, 0, 'api');"
must_fail "an integration name with a space" 'violates check constraint "integration_name_check"' \
  "insert into integration (kind, name, secret_hash, created_by) values ('generic', 'a b', 'h', 'me');"
must_fail "integration settings that are not JSON" 'violates check constraint "integration_settings_check"' \
  "insert into integration (kind, name, secret_hash, settings, created_by) values ('generic', 'ab', 'h', '{', 'me');"
[ "$failed" -eq 0 ] || exit 1
echo "constraints hold: a bad enum value, a duplicate name, a missing parent, a bad name, bad JSON refused"
