#!/usr/bin/env python3
"""The two engines' schemas, compared (scripts/pg-schema-check.sh runs this).

  pg-schema-check.py apply-sqlite DB DIR      applies DIR/*.sql to a new SQLite
                                              file DB, as sqlx would
  pg-schema-check.py compare DB URL PSQL      compares DB's schema with the
                                              PostgreSQL database at URL
  pg-schema-check.py triggers DB URL PSQL     runs the same writes on both and
                                              compares what the triggers kept

`compare` looks at every table (but sqlx's and SQLite's own): its columns
(name, type under the mapping in migrations/README.md, not null, default,
identity), primary key, foreign keys (columns, target, on delete and on
update), unique constraints and unique indexes (as sets of columns or
expressions; a `collate nocase` column in SQLite is `lower(col)` in
PostgreSQL), CHECK constraints (how many, the values each `in (...)` allows,
and the whole expression, normalized), the other indexes by name (keys,
order, predicate) and the triggers by name. Expressions are compared as
token lists after normalizing what the engines write differently (case,
casts, parentheses, `= any (array[...])` for `in (...)`, `between`, a glob
as a regular expression): dropping parentheses could equate two different
expressions, which is acceptable for a check of hand-written twins.

Exits 1 and prints every difference, or prints one summary line.
"""
import collections
import glob
import json
import os
import re
import sqlite3
import subprocess
import sys

IGNORED_TABLES = {"_sqlx_migrations", "sqlite_sequence"}

# SQLite's declared type -> PostgreSQL's, as migrations/README.md maps them.
TYPE_MAP = {"integer": "bigint", "real": "double precision", "text": "text", "blob": "bytea"}

PG_ACTIONS = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}

# ---------------------------------------------------------------------------
# Expressions


TOKEN = re.compile(
    r"""
      (?P<str>'(?:[^']|'')*')
    | (?P<qid>"(?:[^"]|"")*"|`[^`]*`)
    | (?P<num>\d+(?:\.\d+)?)
    | (?P<word>[A-Za-z_][A-Za-z0-9_$]*)
    | (?P<op>::|<>|!=|>=|<=|!~\*?|~\*|\|\||==|[-+*/%<>=~(),\[\].;])
    | (?P<space>\s+)
    """,
    re.VERBOSE,
)

CAST_TYPES = {
    "text", "bigint", "integer", "int", "int4", "int8", "smallint", "double", "precision",
    "real", "numeric", "character", "varying", "json", "jsonb", "boolean", "bytea",
}


def tokens(expr):
    out = []
    pos = 0
    while pos < len(expr):
        m = TOKEN.match(expr, pos)
        if not m:
            raise ValueError(f"cannot read expression at {expr[pos:]!r}")
        pos = m.end()
        kind = m.lastgroup
        text = m.group()
        if kind == "space":
            continue
        if kind == "qid":
            out.append(text[1:-1].replace('""', '"').lower())
        elif kind == "str":
            out.append(text)
        elif text == "!=" or text == "==":
            out.append("<>" if text == "!=" else "=")
        else:
            out.append(text.lower())
    return out


def glob_to_regex(pattern):
    """A SQLite GLOB pattern (quoted) as the equivalent POSIX regex (quoted)."""
    body = pattern[1:-1].replace("''", "'")
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == "*":
            out.append(".*")
        elif c == "?":
            out.append(".")
        elif c == "[":
            j = body.index("]", i + 2 if body[i + 1 : i + 2] in ("^", "]") else i + 1)
            out.append(body[i : j + 1])
            i = j
        else:
            out.append(re.escape(c))
        i += 1
    regex = "^" + "".join(out) + "$"
    # Unanchor what the pattern left open: ^.*X.*$ is X found anywhere.
    if regex.startswith("^.*"):
        regex = regex[3:]
    if regex.endswith(".*$"):
        regex = regex[:-3]
    return "'" + regex.replace("'", "''") + "'"


def operand_start(toks, end):
    """Where the operand ending just before `end` starts: a name, a literal,
    or a (possibly called) parenthesized group."""
    i = end - 1
    if toks[i] == ")":
        depth = 0
        while True:
            if toks[i] == ")":
                depth += 1
            elif toks[i] == "(":
                depth -= 1
                if depth == 0:
                    break
            i -= 1
        if i > 0 and re.match(r"[a-z_]", toks[i - 1]) and toks[i - 1] not in ("and", "or", "not", "in"):
            i -= 1
    return i


def normalize(expr):
    """An expression as a canonical token string (see the module's doc)."""
    toks = tokens(expr)
    # Casts: ::text, ::double precision, ::text[].
    out = []
    i = 0
    while i < len(toks):
        if toks[i] == "::":
            i += 1
            while i < len(toks) and toks[i] in CAST_TYPES:
                i += 1
            if toks[i : i + 2] == ["[", "]"]:
                i += 2
            continue
        out.append(toks[i])
        i += 1
    toks = out
    # x between a and b -> x >= a and x <= b.
    while "between" in toks:
        b = toks.index("between")
        start = operand_start(toks, b)
        operand = toks[start:b]
        low, hi_at = toks[b + 1], b + 3
        if toks[b + 2] != "and":
            raise ValueError(f"cannot read between in {expr!r}")
        high = toks[hi_at]
        toks = toks[:start] + operand + [">=", low, "and"] + operand + ["<=", high] + toks[hi_at + 1 :]
    # x [not] glob 'p' -> x !~ 'regex' (x ~ 'regex').
    out = []
    i = 0
    while i < len(toks):
        if toks[i] == "not" and toks[i + 1 : i + 2] == ["glob"]:
            out += ["!~", glob_to_regex(toks[i + 2])]
            i += 3
        elif toks[i] == "glob":
            out += ["~", glob_to_regex(toks[i + 1])]
            i += 2
        else:
            out.append(toks[i])
            i += 1
    toks = out
    # Parentheses go; x = any array [ a , b ] -> x in a , b.
    toks = [t for t in toks if t not in ("(", ")")]
    out = []
    i = 0
    while i < len(toks):
        if toks[i : i + 4] == ["=", "any", "array", "["]:
            out.append("in")
            i += 4
            continue
        if toks[i] == "]":
            i += 1
            continue
        out.append(toks[i])
        i += 1
    return " ".join(out)


def value_sets(normalized):
    """Every `col in v1 , v2` of a normalized expression, as (col, values)."""
    toks = normalized.split(" ")
    sets = []
    for i, t in enumerate(toks):
        if t == "in" and i > 0:
            values = []
            j = i + 1
            while j < len(toks):
                values.append(toks[j])
                if toks[j + 1 : j + 2] != [","]:
                    break
                j += 2
            sets.append((toks[i - 1], tuple(sorted(values))))
    return sets


NOW_SQLITE = normalize("strftime('%Y-%m-%dT%H:%M:%fZ', 'now')")
NOW_PG = normalize(
    """to_char((clock_timestamp() AT TIME ZONE 'utc'::text), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'::text)"""
)


def normalize_default(expr):
    if expr is None:
        return None
    n = normalize(expr)
    return "<now as RFC 3339 text>" if n in (NOW_SQLITE, NOW_PG) else n


# ---------------------------------------------------------------------------
# SQL text


def quoted_end(sql, i):
    """The index of the quote closing the string or name opened at `i`
    (a doubled quote inside is part of it)."""
    c, j = sql[i], i + 1
    while True:
        j = sql.index(c, j)
        if sql[j + 1 : j + 2] != c:
            return j
        j += 2


def strip_comments(sql):
    """SQL with its comments blanked out, strings and quoted names kept."""
    out, i = [], 0
    while i < len(sql):
        c = sql[i]
        if c in "'\"`":
            j = quoted_end(sql, i)
            out.append(sql[i : j + 1])
            i = j + 1
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            j = len(sql) if j < 0 else j
            out.append(" ")
            i = j
        elif sql.startswith("/*", i):
            j = sql.index("*/", i + 2)
            out.append(" ")
            i = j + 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def balanced(sql, open_at):
    """The text inside the parenthesis opening at open_at."""
    depth, i = 0, open_at
    while True:
        c = sql[i]
        if c in "'\"`":
            j = quoted_end(sql, i)
            i = j
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return sql[open_at + 1 : i]
        i += 1


def split_top(text):
    """text split at its top-level commas."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        c = text[i]
        if c in "'\"`":
            i = text.index(c, i + 1)
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


CHECK = re.compile(r"check\s*\(", re.I)


def sqlite_checks(create_sql):
    """The expressions of every CHECK in a CREATE TABLE statement."""
    sql = strip_comments(create_sql)
    checks, i = [], 0
    while i < len(sql):
        c = sql[i]
        if c in "'\"`":
            j = quoted_end(sql, i)
            i = j + 1
            continue
        m = CHECK.match(sql, i)
        if m and (i == 0 or not re.match(r"[A-Za-z0-9_]", sql[i - 1])):
            open_at = m.end() - 1
            body = balanced(sql, open_at)
            checks.append(body)
            i = open_at + len(body) + 2
            continue
        i += 1
    return checks


# ---------------------------------------------------------------------------
# The schemas, read into one shape
#
# {table: {"columns": {name: (type, notnull, default, identity)},
#          "pk": [cols], "fks": [(cols, table, cols, on_delete, on_update)],
#          "uniques": [(frozenset(keys), predicate)],
#          "checks": [normalized expression],
#          "indexes": {name: (keys, descs, predicate)}, "triggers": {names}}}


def read_sqlite(path):
    db = sqlite3.connect(path)
    schema = {}
    tables = db.execute(
        "select name, sql from sqlite_master where type = 'table' order by name"
    ).fetchall()
    for table, create_sql in tables:
        if table in IGNORED_TABLES or table.startswith("sqlite_"):
            continue
        without_rowid = re.search(r"\)\s*without\s+rowid\s*$", strip_comments(create_sql).strip(), re.I)
        info = db.execute(f'pragma table_info("{table}")').fetchall()
        pk = [name for _, name, _, _, _, k in sorted(info, key=lambda r: r[5]) if k]
        rowid_alias = (
            not without_rowid and len(pk) == 1
            and next(r[2] for r in info if r[1] == pk[0]).lower() == "integer"
        )
        columns = {}
        for _, name, decl, notnull, default, k in info:
            # A primary key column is never null in PostgreSQL. In SQLite
            # the rowid alias and a WITHOUT ROWID table's key are not null
            # either; any other key column of a rowid table takes a null
            # unless declared not null (a legacy quirk), which no code
            # means to use: counted as not null here.
            columns[name] = (
                TYPE_MAP.get(decl.lower(), f"? {decl}"),
                bool(notnull or k),
                normalize_default(default),
                "identity" if (rowid_alias and name == pk[0]) else "",
            )
        fks = collections.defaultdict(list)
        for fid, seq, target, src, dst, on_update, on_delete, _ in db.execute(
            f'pragma foreign_key_list("{table}")'
        ):
            fks[fid].append((seq, src, target, dst, on_delete, on_update))
        fk_list = []
        for rows in fks.values():
            rows.sort()
            target = rows[0][2]
            dst = [r[3] for r in rows]
            if any(d is None for d in dst):
                dst = [
                    n for _, n, _, _, _, k in sorted(db.execute(f'pragma table_info("{target}")'), key=lambda r: r[5]) if k
                ]
            fk_list.append((tuple(r[1] for r in rows), target, tuple(dst), rows[0][4], rows[0][5]))
        uniques, indexes = [], {}
        for _, index, unique, origin, partial in db.execute(f'pragma index_list("{table}")'):
            if origin == "pk":
                continue
            index_sql = db.execute("select sql from sqlite_master where name = ?", (index,)).fetchone()[0]
            elements = None
            predicate = None
            if index_sql:
                clean = strip_comments(index_sql)
                on = re.search(r"\bon\s+\S+\s*\(", clean, re.I)
                body = balanced(clean, on.end() - 1)
                elements = split_top(body)
                rest = clean[on.end() - 1 + len(body) + 2 :]
                where = re.search(r"\bwhere\b(.*)$", rest, re.I | re.S)
                predicate = normalize(where.group(1)) if where else None
            keys, descs = [], []
            for seqno, cid, name, desc, coll, key in db.execute(f'pragma index_xinfo("{index}")'):
                if not key:
                    continue
                if cid == -2:
                    element = re.sub(r"\s+(asc|desc)\s*$", "", elements[seqno], flags=re.I)
                    keys.append(normalize(element))
                elif coll and coll.lower() == "nocase":
                    keys.append(normalize(f"lower({name})"))
                else:
                    keys.append(normalize(name))
                descs.append(bool(desc))
            if unique:
                uniques.append((frozenset(keys), predicate))
            else:
                indexes[index] = (tuple(keys), tuple(descs), predicate)
        triggers = {
            name for (name,) in db.execute(
                "select name from sqlite_master where type = 'trigger' and tbl_name = ?", (table,)
            )
        }
        schema[table] = {
            "columns": columns,
            "pk": pk,
            "fks": sorted(fk_list),
            "uniques": sorted(uniques, key=repr),
            "checks": sorted(normalize(c) for c in sqlite_checks(create_sql)),
            "indexes": indexes,
            "triggers": triggers,
        }
    return schema


PG_CATALOG = r"""
with tab as (
    select c.oid, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p')
)
select json_build_object(
  'tables', (select coalesce(json_agg(relname), '[]') from tab),
  'columns', (select coalesce(json_agg(json_build_object(
        'table', t.relname, 'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
        'notnull', a.attnotnull, 'default', pg_get_expr(d.adbin, d.adrelid),
        'identity', a.attidentity)), '[]')
      from tab t join pg_attribute a on a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped
      left join pg_attrdef d on d.adrelid = t.oid and d.adnum = a.attnum),
  'constraints', (select coalesce(json_agg(json_build_object(
        'table', t.relname, 'name', k.conname, 'type', k.contype,
        'cols', (select json_agg(a.attname order by u.ord) from unnest(k.conkey) with ordinality u(n, ord)
                   join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n),
        'ftable', (select relname from pg_class where oid = k.confrelid),
        'fcols', (select json_agg(a.attname order by u.ord) from unnest(k.confkey) with ordinality u(n, ord)
                    join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.n),
        'on_delete', k.confdeltype, 'on_update', k.confupdtype,
        'def', pg_get_constraintdef(k.oid),
        'expr', pg_get_expr(k.conbin, k.conrelid))), '[]')
      from tab t join pg_constraint k on k.conrelid = t.oid),
  'indexes', (select coalesce(json_agg(json_build_object(
        'table', t.relname, 'name', i.relname, 'unique', x.indisunique, 'primary', x.indisprimary,
        'keys', (select json_agg(pg_get_indexdef(x.indexrelid, k, true) order by k)
                   from generate_series(1, x.indnkeyatts) k),
        'descs', (select json_agg((x.indoption[k - 1] & 1) = 1 order by k)
                    from generate_series(1, x.indnkeyatts) k),
        'predicate', pg_get_expr(x.indpred, x.indrelid))), '[]')
      from tab t join pg_index x on x.indrelid = t.oid join pg_class i on i.oid = x.indexrelid),
  'triggers', (select coalesce(json_agg(json_build_object('table', t.relname, 'name', g.tgname)), '[]')
      from tab t join pg_trigger g on g.tgrelid = t.oid and not g.tgisinternal)
)
"""


def psql(psql_bin, url, sql):
    result = subprocess.run(
        [psql_bin, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url],
        input=sql, capture_output=True, text=True,
    )
    if result.returncode != 0:
        sys.exit(f"psql failed:\n{result.stderr}")
    return result.stdout


def read_pg(psql_bin, url):
    cat = json.loads(psql(psql_bin, url, PG_CATALOG + ";"))
    schema = {
        t: {"columns": {}, "pk": [], "fks": [], "uniques": [], "checks": [], "indexes": {}, "triggers": set()}
        for t in cat["tables"] if t not in IGNORED_TABLES
    }
    for c in cat["columns"]:
        if c["table"] in schema:
            schema[c["table"]]["columns"][c["name"]] = (
                c["type"], c["notnull"], normalize_default(c["default"]),
                # By default, not always: a copy must be able to insert ids.
                {"": "", "d": "identity", "a": "identity always"}[c["identity"]],
            )
    for k in cat["constraints"]:
        t = schema.get(k["table"])
        if t is None:
            continue
        if k["type"] == "p":
            t["pk"] = k["cols"]
        elif k["type"] == "f":
            t["fks"].append((
                tuple(k["cols"]), k["ftable"], tuple(k["fcols"]),
                PG_ACTIONS[k["on_delete"]], PG_ACTIONS[k["on_update"]],
            ))
        elif k["type"] == "c":
            t["checks"].append(normalize(k["expr"]))
        elif k["type"] == "u":
            pass  # its index is among the unique indexes below
        else:
            t.setdefault("other", []).append(k["def"])
    for x in cat["indexes"]:
        t = schema.get(x["table"])
        if t is None or x["primary"]:
            continue
        keys = [normalize(k) for k in x["keys"]]
        predicate = normalize(x["predicate"]) if x["predicate"] else None
        if x["unique"]:
            t["uniques"].append((frozenset(keys), predicate))
        else:
            t["indexes"][x["name"]] = (tuple(keys), tuple(x["descs"]), predicate)
    for g in cat["triggers"]:
        if g["table"] in schema:
            schema[g["table"]]["triggers"].add(g["name"])
    for t in schema.values():
        t["fks"].sort()
        t["uniques"].sort(key=repr)
        t["checks"].sort()
    return schema


# ---------------------------------------------------------------------------
# The comparison


def show_unique(u):
    keys, predicate = u
    text = "(" + ", ".join(sorted(keys)) + ")"
    return text + (f" where {predicate}" if predicate else "")


def show_fk(fk):
    cols, table, fcols, on_delete, on_update = fk
    return f"({', '.join(cols)}) -> {table} ({', '.join(fcols)}) on delete {on_delete} on update {on_update}"


def multiset_diff(a, b):
    ca, cb = collections.Counter(a), collections.Counter(b)
    return list((ca - cb).elements()), list((cb - ca).elements())


def compare(lite, pg):
    diffs = []

    def diff(table, what):
        diffs.append(f"{table}: {what}")

    for t in sorted(set(lite) - set(pg)):
        diff(t, "table only in SQLite")
    for t in sorted(set(pg) - set(lite)):
        diff(t, "table only in PostgreSQL")
    columns = checks = 0
    for name in sorted(set(lite) & set(pg)):
        s, p = lite[name], pg[name]
        columns += len(s["columns"])
        checks += len(s["checks"])
        for c in sorted(set(s["columns"]) | set(p["columns"])):
            if c not in p["columns"]:
                diff(name, f"column {c} only in SQLite")
            elif c not in s["columns"]:
                diff(name, f"column {c} only in PostgreSQL")
            else:
                (st, sn, sd, si), (pt, pn, pd, pi) = s["columns"][c], p["columns"][c]
                if st != pt:
                    diff(name, f"column {c}: {st} in SQLite (as mapped), {pt} in PostgreSQL")
                if sn != pn:
                    diff(name, f"column {c}: {'not ' if sn else ''}null in SQLite, {'not ' if pn else ''}null in PostgreSQL")
                if sd != pd:
                    diff(name, f"column {c}: default {sd!r} in SQLite, {pd!r} in PostgreSQL")
                if si != pi:
                    diff(name, f"column {c}: {si or 'no identity'} in SQLite (integer primary key), {pi or 'no identity'} in PostgreSQL")
        if s["pk"] != p["pk"]:
            diff(name, f"primary key ({', '.join(s['pk'])}) in SQLite, ({', '.join(p['pk'])}) in PostgreSQL")
        only_s, only_p = multiset_diff(s["fks"], p["fks"])
        for fk in only_s:
            diff(name, f"foreign key only in SQLite: {show_fk(fk)}")
        for fk in only_p:
            diff(name, f"foreign key only in PostgreSQL: {show_fk(fk)}")
        only_s, only_p = multiset_diff(s["uniques"], p["uniques"])
        for u in only_s:
            diff(name, f"unique only in SQLite: {show_unique(u)}")
        for u in only_p:
            diff(name, f"unique only in PostgreSQL: {show_unique(u)}")
        if len(s["checks"]) != len(p["checks"]):
            diff(name, f"{len(s['checks'])} checks in SQLite, {len(p['checks'])} in PostgreSQL")
        sets_s = [v for c in s["checks"] for v in value_sets(c)]
        sets_p = [v for c in p["checks"] for v in value_sets(c)]
        only_s, only_p = multiset_diff(sets_s, sets_p)
        for col, values in only_s:
            diff(name, f"check allows {col} in ({', '.join(values)}) only in SQLite")
        for col, values in only_p:
            diff(name, f"check allows {col} in ({', '.join(values)}) only in PostgreSQL")
        reported = set(only_s) | set(only_p)
        only_s, only_p = multiset_diff(s["checks"], p["checks"])
        for c in only_s:
            if not reported & set(value_sets(c)):
                diff(name, f"check only in SQLite: {c}")
        for c in only_p:
            if not reported & set(value_sets(c)):
                diff(name, f"check only in PostgreSQL: {c}")
        for other in p.get("other", []):
            diff(name, f"constraint with no SQLite counterpart: {other}")
        for i in sorted(set(s["indexes"]) | set(p["indexes"])):
            if i not in p["indexes"]:
                diff(name, f"index {i} only in SQLite")
            elif i not in s["indexes"]:
                diff(name, f"index {i} only in PostgreSQL")
            elif s["indexes"][i] != p["indexes"][i]:
                diff(name, f"index {i}: {s['indexes'][i]} in SQLite, {p['indexes'][i]} in PostgreSQL")
        for g in sorted(s["triggers"] ^ p["triggers"]):
            diff(name, f"trigger {g} only in {'SQLite' if g in s['triggers'] else 'PostgreSQL'}")
    return diffs, len(set(lite) & set(pg)), columns, checks


# ---------------------------------------------------------------------------
# The triggers at work: the same writes on both engines, in a transaction
# that is rolled back, and what the trigger-kept tables hold afterwards.

SCENARIO = """
insert into postmortem (postmortem_id, title, created_at, updated_at) values
    (1, 'one', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'),
    (2, 'two', '2024-01-02T00:00:00.000Z', '2024-01-02T00:00:00.000Z');
insert into postmortem_team (postmortem_id, position, name) values
    (1, 0, 'core'), (1, 1, 'edge'), (1, 2, 'core'), (2, 0, 'core');
insert into postmortem_service (postmortem_id, position, name) values
    (1, 0, 'api'), (2, 0, 'api'), (2, 1, 'db');
insert into action_item (action_item_id, postmortem_id, position, title, priority, status, kind,
                         created_at, closed_at) values
    (1, 1, 0, 'a', 'high', 'open', 'prevent', '2024-01-01T00:00:00.000Z', null),
    (2, 1, 1, 'b', 'low', 'done', 'detect', '2024-01-01T00:00:00.000Z', '2024-01-03T12:00:00.000Z'),
    (3, 2, 0, 'c', 'medium', 'in_progress', 'process', '2024-01-02T00:00:00.000Z', null);
update action_item set status = 'done', closed_at = '2024-01-02T06:00:00Z' where action_item_id = 1;
update action_item set due = '2024-02-01' where action_item_id = 3;
update action_item set title = 'c2' where action_item_id = 3;
insert into postmortem_team (postmortem_id, position, name) values (2, 1, 'edge');
delete from postmortem_team where postmortem_id = 1 and position = 2;
delete from postmortem_team where postmortem_id = 1 and position = 1;
delete from postmortem_service where postmortem_id = 2;
update action_item set status = 'wont_do', closed_at = '2024-01-05T00:00:00.000Z' where action_item_id = 3;
insert into action_item (action_item_id, postmortem_id, position, title, priority, status, kind,
                         created_at) values
    (4, 2, 1, 'd', 'high', 'open', 'mitigate', '2024-01-04T00:00:00.000Z');
delete from postmortem where postmortem_id = 1;
"""

# table: (columns, order)
RESULTS = {
    "action_item_status_count": ("status, n", "status"),
    "action_item_group": ("action_item_id, kind, name, status, due, closed_days", "action_item_id, kind, name"),
    "action_item_group_count": ("kind, name, status, n", "kind, name, status"),
}


def rounded(rows):
    return [[round(v, 6) if isinstance(v, float) else v for v in row] for row in rows]


def triggers(db_path, url, psql_bin):
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("pragma foreign_keys = on")
    db.execute("begin")
    for statement in SCENARIO.split(";"):
        if statement.strip():
            db.execute(statement)
    lite = {
        table: rounded(db.execute(f"select {cols} from {table} order by {order}").fetchall())
        for table, (cols, order) in RESULTS.items()
    }
    db.execute("rollback")
    selects = ", ".join(
        f"'{table}', (select coalesce(json_agg(json_build_array({cols}) order by {order}), '[]') from {table})"
        for table, (cols, order) in RESULTS.items()
    )
    out = psql(psql_bin, url, f"begin;\n{SCENARIO}\nselect json_build_object({selects});\nrollback;\n")
    pg = {name: rounded(rows) for name, rows in json.loads(out.strip()).items()}
    diffs = []
    for name in RESULTS:
        if lite[name] != pg[name]:
            diffs.append(f"{name} after the same writes:\n  SQLite:     {lite[name]}\n  PostgreSQL: {pg[name]}")
    if not lite["action_item_group"]:
        diffs.append("the scenario left action_item_group empty: it proves nothing")
    return diffs


# ---------------------------------------------------------------------------


def apply_sqlite(db_path, directory):
    if os.path.exists(db_path):
        os.remove(db_path)
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("pragma foreign_keys = on")
    files = sorted(glob.glob(os.path.join(directory, "*.sql")))
    if not files:
        sys.exit(f"no migrations in {directory}")
    for path in files:
        with open(path, encoding="utf-8") as f:
            sql = f.read()
        try:
            # As sqlx does: each file in a transaction of its own, unless
            # it starts with `-- no-transaction` and manages its own.
            if sql.startswith("-- no-transaction"):
                db.executescript(sql)
            else:
                db.executescript("begin;\n" + sql + "\ncommit;")
        except sqlite3.Error as e:
            sys.exit(f"{path}: {e}")
    if db.execute("pragma foreign_keys").fetchone()[0] != 1:
        sys.exit("foreign keys are off after the SQLite migrations")
    broken = db.execute("pragma foreign_key_check").fetchall()
    if broken:
        sys.exit(f"foreign key check failed: {broken}")
    db.close()


def main(argv):
    if len(argv) == 3 and argv[0] == "apply-sqlite":
        apply_sqlite(argv[1], argv[2])
    elif len(argv) == 4 and argv[0] == "compare":
        diffs, tables, columns, checks = compare(read_sqlite(argv[1]), read_pg(argv[3], argv[2]))
        for d in diffs:
            print(d)
        if diffs:
            print(f"{len(diffs)} differences between migrations/sqlite and migrations/postgres", file=sys.stderr)
            return 1
        print(f"{tables} tables, {columns} columns, {checks} checks: same")
    elif len(argv) == 4 and argv[0] == "triggers":
        diffs = triggers(argv[1], argv[2], argv[3])
        for d in diffs:
            print(d)
        if diffs:
            return 1
        print(f"triggers: {', '.join(RESULTS)} the same after the same writes")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
