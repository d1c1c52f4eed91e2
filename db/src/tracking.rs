//! Action-item tracking across postmortems: the filtered list with its
//! counts per status, changes to items (one or many, each checked against
//! the item's version and recorded field by field), an item's history, the
//! numbers per team and service, and an earlier incident's items seen from
//! its recurrence.
//!
//! One query builder ([`Conditions`]) serves the page, the API and the CSV
//! export, so their filters cannot drift. The first page is read from an
//! index in the order asked for (migrations 0004 and 0005), then only that
//! page's rows are joined with their postmortems. Counts and the summary
//! come from totals kept by triggers and from `action_item_group`, the
//! items by team and service (migration 0005), never from every item.

use crate::access::Hidden;
use crate::action_items::{item_columns, item_of, record_changes, set_closed_at, Tracked};
use crate::postmortem::{self, log_change, record_revision, split, Filter};
use crate::{ChangeOp, DbError, Result};
use kb_domain::actions::{
    add_days, is_closed, median, recurrence_mark, ActionChange, ActionFilters, ActionItemRow,
    ActionPatch, ActionSort, ActionStats, ActionSummary, DueFilter, EarlierItems, GroupStats,
    StatusCount,
};
use kb_domain::record::ActionStatus;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};
use std::collections::{BTreeMap, BTreeSet};

/// Above this many matching items, a team or service filter is checked
/// item by item while the page is read in order from an index, which stops
/// after one page; at or below it, the team's items are looked up one by
/// one and sorted, which for a few items is cheaper than walking the index
/// far to find them.
pub(crate) const WALK_ABOVE: i64 = 1000;

/// Leaves out the items of the postmortems a caller may not see (bind:
/// [`Hidden::json`]).
const NOT_HIDDEN: &str = "a.postmortem_id not in (select value from json_each(?))";

/// The items of the hidden postmortems (bind: [`Hidden::json`]), to take
/// their share out of totals kept by triggers.
const HIDDEN_ITEMS: &str =
    "select a.action_item_id from action_item a where a.postmortem_id in (select value from json_each(?))";

/// The `where` clause of a filtered list and its binds, in order.
pub(crate) struct Conditions {
    sql: String,
    binds: Vec<String>,
}

impl Conditions {
    /// The conditions of `f` (validated), as of day `today`; the status
    /// filter only when `with_status` (the counts per status leave it out).
    /// `walk`: many items match (more than [`WALK_ABOVE`]), so a team or
    /// service is checked per item read in order rather than used to look
    /// the items up.
    /// Items of the `hidden` postmortems are left out.
    pub(crate) fn of(
        f: &ActionFilters,
        today: &str,
        with_status: bool,
        walk: bool,
        hidden: &Hidden,
    ) -> Conditions {
        let mut parts: Vec<&str> = Vec::new();
        let mut binds = Vec::new();
        if !hidden.is_empty() {
            parts.push(NOT_HIDDEN);
            binds.push(hidden.json());
        }
        let mut eq = |cond: &'static str, value: &Option<String>| {
            if let Some(v) = value {
                parts.push(cond);
                binds.push(v.clone());
            }
        };
        if with_status {
            eq("a.status = ?", &f.status);
        }
        eq("a.owner = ?", &f.owner);
        // The unary `+` keeps SQLite from driving the query by the team's
        // postmortems, so it reads the sort's index in order and checks
        // each item's postmortem (carried by that index) against the team's.
        let (team, service) = if walk {
            (
                "+a.postmortem_id in (select t.postmortem_id from postmortem_team t where t.name = ?)",
                "+a.postmortem_id in (select s.postmortem_id from postmortem_service s where s.name = ?)",
            )
        } else {
            (
                "a.postmortem_id in (select t.postmortem_id from postmortem_team t where t.name = ?)",
                "a.postmortem_id in (select s.postmortem_id from postmortem_service s where s.name = ?)",
            )
        };
        eq(team, &f.team);
        eq(service, &f.service);
        eq("a.kind = ?", &f.kind);
        eq("a.priority = ?", &f.priority);
        eq("a.postmortem_id = cast(? as integer)", &f.postmortem);
        match f.due.as_deref().and_then(DueFilter::parse) {
            Some(DueFilter::Overdue) => {
                // Written as the partial index action_item_open_due reads.
                parts.push(
                    "a.status in ('open', 'in_progress') and coalesce(a.due, '9999-12-31') < ?",
                );
                binds.push(today.to_string());
            }
            Some(DueFilter::Week) => {
                parts.push("a.due >= ? and a.due <= ?");
                binds.push(today.to_string());
                binds.push(add_days(today, 6).unwrap_or_else(|| today.to_string()));
            }
            Some(DueFilter::None) => parts.push("a.due is null"),
            None => {}
        }
        if f.recurred {
            // Closed, and a later incident that names this item's incident
            // as an earlier occurrence started after it was closed. A
            // later incident the caller may not see does not count: that
            // an item recurred would say that it exists.
            parts.push(
                "a.closed_at is not null and exists (
                    select 1 from postmortem_link l
                      join postmortem r on r.postmortem_id = l.postmortem_id
                     where l.to_postmortem_id = a.postmortem_id
                       and l.kind = 'earlier_occurrence'
                       and substr(coalesce(r.started_at, r.incident_date || 'T00:00:00Z', r.created_at), 1, 19)
                           > substr(a.closed_at, 1, 19)
                       and r.postmortem_id not in (select value from json_each(?)))",
            );
            binds.push(hidden.json());
        }
        let sql = if parts.is_empty() {
            "1".to_string()
        } else {
            parts.join(" and ")
        };
        Conditions { sql, binds }
    }
}

/// The `order by` of a sort: the same expressions as the indexes of
/// migration 0004, so the first page is read in order.
fn order_by(sort: ActionSort) -> &'static str {
    match sort {
        ActionSort::Due => "coalesce(a.due, '9999-12-31'), a.action_item_id",
        ActionSort::Priority => {
            "(case a.priority when 'high' then 0 when 'medium' then 1 else 2 end),
             coalesce(a.due, '9999-12-31'), a.action_item_id"
        }
        ActionSort::Age => "a.created_at, a.action_item_id",
    }
}

/// An [`ActionItemRow`]'s columns over `action_item a` joined with
/// `postmortem p`, completed by `$tail` (a literal, so the SQL stays static).
macro_rules! select_rows {
    ($tail:literal) => {
        concat!(
            "select ",
            item_columns!(),
            ", a.postmortem_id, p.title as postmortem_title, a.version, a.created_at, a.closed_at,
                    (select group_concat(t.name, char(31) order by t.position)
                       from postmortem_team t where t.postmortem_id = a.postmortem_id) as teams,
                    (select group_concat(s.name, char(31) order by s.position)
                       from postmortem_service s where s.postmortem_id = a.postmortem_id) as services
               from action_item a join postmortem p on p.postmortem_id = a.postmortem_id ",
            $tail
        )
    };
}

fn row(r: &SqliteRow) -> Result<ActionItemRow> {
    Ok(ActionItemRow {
        item: item_of(r)?,
        postmortem_id: r.try_get("postmortem_id")?,
        postmortem_title: r.try_get("postmortem_title")?,
        version: r.try_get("version")?,
        created_at: r
            .try_get::<Option<String>, _>("created_at")?
            .unwrap_or_default(),
        closed_at: r.try_get("closed_at")?,
        teams: split(r.try_get("teams")?),
        services: split(r.try_get("services")?),
        tracker_link: None,
    })
}

/// A page of the items matching `f` (validated) in its order; `matching`
/// is how many match in all (see [`Conditions::of`]).
pub(crate) async fn list(
    conn: &mut SqliteConnection,
    f: &ActionFilters,
    today: &str,
    limit: i64,
    offset: i64,
    matching: i64,
    hidden: &Hidden,
) -> Result<Vec<ActionItemRow>> {
    let c = Conditions::of(f, today, true, matching > WALK_ABOVE, hidden);
    let order = order_by(f.sort_order());
    // The page's ids first, read in index order; only those rows are then
    // joined with their postmortem, teams and services.
    let sql = format!(
        concat!(
            select_rows!(""),
            "where a.action_item_id in (
                select a.action_item_id from action_item a where {cond}
                 order by {order} limit ? offset ?)
              order by {order}"
        ),
        cond = c.sql,
        order = order
    );
    // Audited: only fixed fragments of this module are pasted in; every
    // value is bound.
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for b in &c.binds {
        q = q.bind(b);
    }
    let rows = q.bind(limit).bind(offset).fetch_all(&mut *conn).await?;
    rows.iter().map(row).collect()
}

/// Items per status under `f` without its status filter, every status
/// listed (zeros too), leaving out the items of `hidden` postmortems.
pub(crate) async fn counts(
    conn: &mut SqliteConnection,
    f: &ActionFilters,
    today: &str,
    hidden: &Hidden,
) -> Result<Vec<StatusCount>> {
    // One team or one service and nothing else (the summary's links), or
    // nothing at all: totals kept by triggers.
    let only = ActionFilters {
        status: None,
        team: None,
        service: None,
        sort: None,
        page: 1,
        ..f.clone()
    } == ActionFilters::default().on_page(1);
    let group = match (&f.team, &f.service) {
        (Some(team), None) if only => Some(("team", team)),
        (None, Some(service)) if only => Some(("service", service)),
        _ => None,
    };
    if let Some((kind, name)) = group {
        let rows = sqlx::query(
            "select status, n from action_item_group_count where kind = ? and name = ?",
        )
        .bind(kind)
        .bind(name)
        .fetch_all(&mut *conn)
        .await?;
        let mut counts = per_status(&rows)?;
        if !hidden.is_empty() {
            let sql = format!(
                "select g.status, count(*) as n from action_item_group g
                  where g.kind = ? and g.name = ? and g.action_item_id in ({HIDDEN_ITEMS})
                  group by g.status"
            );
            // Audited: fixed fragments only; every value is bound.
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(kind)
                .bind(name)
                .bind(hidden.json())
                .fetch_all(&mut *conn)
                .await?;
            subtract(&mut counts, &per_status(&rows)?);
        }
        return Ok(counts);
    }
    let c = Conditions::of(f, today, false, false, &Hidden::none());
    if c.binds.is_empty() && c.sql == "1" {
        let rows = sqlx::query("select status, n from action_item_status_count")
            .fetch_all(&mut *conn)
            .await?;
        let mut counts = per_status(&rows)?;
        if !hidden.is_empty() {
            subtract(&mut counts, &hidden_per_status(conn, hidden).await?);
        }
        return Ok(counts);
    }
    let c = Conditions::of(f, today, false, false, hidden);
    let sql = format!(
        "select a.status, count(*) as n from action_item a where {} group by a.status",
        c.sql
    );
    // Audited: fixed fragments only; every value is bound.
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for b in &c.binds {
        q = q.bind(b);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    per_status(&rows)
}

/// Takes `less` from `counts` (both in [`ActionStatus::ALL`] order).
fn subtract(counts: &mut [StatusCount], less: &[StatusCount]) {
    for (c, l) in counts.iter_mut().zip(less) {
        c.count -= l.count;
    }
}

/// The items of the `hidden` postmortems per status.
async fn hidden_per_status(
    conn: &mut SqliteConnection,
    hidden: &Hidden,
) -> Result<Vec<StatusCount>> {
    let rows = sqlx::query(
        "select a.status, count(*) as n from action_item a
          where a.postmortem_id in (select value from json_each(?)) group by a.status",
    )
    .bind(hidden.json())
    .fetch_all(&mut *conn)
    .await?;
    per_status(&rows)
}

/// `(status, n)` rows as a count for every status, in
/// [`ActionStatus::ALL`] order (zeros too).
fn per_status(rows: &[SqliteRow]) -> Result<Vec<StatusCount>> {
    let mut by: BTreeMap<String, i64> = BTreeMap::new();
    for r in rows {
        by.insert(r.try_get("status")?, r.try_get("n")?);
    }
    Ok(ActionStatus::ALL
        .iter()
        .map(|s| StatusCount {
            status: s.as_str().to_string(),
            count: by.get(s.as_str()).copied().unwrap_or(0),
        })
        .collect())
}

/// One item, or [`DbError::NotFound`].
pub(crate) async fn one(conn: &mut SqliteConnection, id: i64) -> Result<ActionItemRow> {
    let r = sqlx::query(select_rows!("where a.action_item_id = ?"))
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    row(&r)
}

/// Applies `changes` (validated patches, each naming the item's version it
/// was made on) as `author`, all or nothing: a missing item is
/// [`DbError::NotFound`], a stale one [`DbError::StaleItem`], and then
/// nothing is written. Each changed field is recorded in the item's
/// history; closing stamps `closed_at`, reopening clears it. Every
/// postmortem whose items changed gets a new version, revision and
/// change-log entry, so an editor open on the old version cannot save the
/// old item back over the change. Returns the items as they now are.
pub(crate) async fn change(
    conn: &mut SqliteConnection,
    changes: &[(i64, ActionPatch)],
    author: &str,
) -> Result<Vec<ActionItemRow>> {
    let mut touched = BTreeSet::new();
    let mut ids = Vec::with_capacity(changes.len());
    for (id, patch) in changes {
        let r = sqlx::query(concat!(
            "select a.postmortem_id, a.version, ",
            item_columns!(),
            " from action_item a where a.action_item_id = ?"
        ))
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
        let current: i64 = r.try_get("version")?;
        if current != patch.version {
            return Err(DbError::StaleItem {
                item: *id,
                expected: patch.version,
                current,
            });
        }
        let before = item_of(&r)?;
        let after = patch.apply(&before);
        let diffs = Tracked::of_item(&before).changes_to(&Tracked::of_item(&after));
        ids.push(*id);
        if diffs.is_empty() {
            continue;
        }
        sqlx::query(concat!(
            "update action_item set status = ?, owner = ?, due = ?, version = version + 1, ",
            set_closed_at!(),
            " where action_item_id = ?"
        ))
        .bind(&after.status)
        .bind(&after.owner)
        .bind(&after.due)
        .bind(i64::from(is_closed(&after.status)))
        .bind(id)
        .execute(&mut *conn)
        .await?;
        record_changes(conn, *id, author, &diffs).await?;
        touched.insert(r.try_get::<i64, _>("postmortem_id")?);
    }
    for pm in touched {
        let version: i64 = sqlx::query_scalar(
            "update postmortem
                set version = version + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
              where postmortem_id = ? returning version",
        )
        .bind(pm)
        .fetch_one(&mut *conn)
        .await?;
        let stored = postmortem::load(conn, Filter::Id(pm))
            .await?
            .pop()
            .ok_or(DbError::NotFound)?;
        record_revision(conn, pm, version, author, &stored.content()).await?;
        log_change(conn, pm, ChangeOp::Upsert).await?;
    }
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(one(conn, id).await?);
    }
    Ok(out)
}

/// Every recorded change of item `id`, oldest first.
pub(crate) async fn history(conn: &mut SqliteConnection, id: i64) -> Result<Vec<ActionChange>> {
    let rows = sqlx::query(
        "select changed_by, changed_at, field, from_value, to_value from action_item_change
          where action_item_id = ? order by action_item_change_id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ActionChange {
                changed_by: r.try_get("changed_by")?,
                changed_at: r.try_get("changed_at")?,
                field: r.try_get("field")?,
                from: r.try_get("from_value")?,
                to: r.try_get("to_value")?,
            })
        })
        .collect()
}

/// Open and overdue counts, completion rate and median days to close, over
/// everything and per team and service, as of `today`, leaving out the
/// items of `hidden` postmortems.
pub(crate) async fn summary(
    conn: &mut SqliteConnection,
    today: &str,
    hidden: &Hidden,
) -> Result<ActionSummary> {
    // Totals kept by triggers and ranges of indexes (migration 0005):
    // reading every item to group it in memory took half a second at
    // 50,000 items. A median is read at the middle of an index of days to
    // close, whose length is the closed items' count: an item is closed
    // exactly when it has a closing stamp (migration 0004 and every write
    // keep it so). Hidden items are few: their counts are taken out of
    // the totals, and the index walks skip them.
    let json = hidden.json();
    let (not_hidden, not_hidden_group) = if hidden.is_empty() {
        (String::new(), String::new())
    } else {
        (
            format!(" and {NOT_HIDDEN}"),
            format!(" and g.action_item_id not in ({HIDDEN_ITEMS})"),
        )
    };
    // Binds `json` when something is hidden; the fragments above need it.
    macro_rules! bind_hidden {
        ($q:expr) => {
            if hidden.is_empty() {
                $q
            } else {
                $q.bind(&json)
            }
        };
    }

    let mut all = ActionStats::default();
    let mut per: Vec<StatusCount> = per_status(
        &sqlx::query("select status, n from action_item_status_count")
            .fetch_all(&mut *conn)
            .await?,
    )?;
    if !hidden.is_empty() {
        subtract(&mut per, &hidden_per_status(conn, hidden).await?);
    }
    for c in &per {
        add(&mut all, &c.status, c.count);
    }
    // Audited (every format! below): fixed fragments only; values bound.
    all.overdue = bind_hidden!(sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "select count(*) from action_item a
          where a.status in ('open', 'in_progress') and coalesce(a.due, '9999-12-31') < ?{not_hidden}"
    )))
    .bind(today))
    .fetch_one(&mut *conn)
    .await?;
    let (take, skip) = middle(&all);
    let mut days: Vec<f64> = bind_hidden!(sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "select julianday(closed_at) - julianday(created_at) from action_item a
          where closed_at is not null{not_hidden}
          order by julianday(closed_at) - julianday(created_at) limit ? offset ?"
    ))))
    .bind(take)
    .bind(skip)
    .fetch_all(&mut *conn)
    .await?;
    all.median_days_to_close = median(&mut days);
    finish(&mut all);

    let mut groups: BTreeMap<(String, String), ActionStats> = BTreeMap::new();
    for r in sqlx::query("select kind, name, status, n from action_item_group_count where n > 0")
        .fetch_all(&mut *conn)
        .await?
    {
        let key = (r.try_get("kind")?, r.try_get("name")?);
        add(
            groups.entry(key).or_default(),
            &r.try_get::<String, _>("status")?,
            r.try_get("n")?,
        );
    }
    if !hidden.is_empty() {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "select g.kind, g.name, g.status, count(*) as n from action_item_group g
              where g.action_item_id in ({HIDDEN_ITEMS}) group by g.kind, g.name, g.status"
        )))
        .bind(&json)
        .fetch_all(&mut *conn)
        .await?;
        for r in rows {
            let key = (r.try_get("kind")?, r.try_get("name")?);
            if let Some(stats) = groups.get_mut(&key) {
                add(
                    stats,
                    &r.try_get::<String, _>("status")?,
                    -r.try_get::<i64, _>("n")?,
                );
            }
        }
        // A team whose every item is hidden is not there at all.
        groups.retain(|_, stats| stats.total > 0);
    }
    let overdue = bind_hidden!(sqlx::query(sqlx::AssertSqlSafe(format!(
        "select c.kind, c.name,
                (select count(*) from action_item_group g
                  where g.kind = c.kind and g.name = c.name
                    and g.status in ('open', 'in_progress') and g.due < ?{not_hidden_group}) as overdue
           from (select distinct kind, name from action_item_group_count where n > 0) c"
    )))
    .bind(today))
    .fetch_all(&mut *conn)
    .await?;
    for r in overdue {
        let key: (String, String) = (r.try_get("kind")?, r.try_get("name")?);
        if let Some(stats) = groups.get_mut(&key) {
            stats.overdue = r.try_get("overdue")?;
        }
    }
    let median_sql = format!(
        "select closed_days from action_item_group g
          where g.kind = ? and g.name = ? and g.closed_days is not null{not_hidden_group}
          order by g.closed_days limit ? offset ?"
    );
    let mut teams = Vec::new();
    let mut services = Vec::new();
    for ((kind, name), mut stats) in groups {
        let (take, skip) = middle(&stats);
        let mut days: Vec<f64> =
            bind_hidden!(sqlx::query_scalar(sqlx::AssertSqlSafe(median_sql.clone()))
                .bind(&kind)
                .bind(&name))
            .bind(take)
            .bind(skip)
            .fetch_all(&mut *conn)
            .await?;
        stats.median_days_to_close = median(&mut days);
        finish(&mut stats);
        let group = GroupStats { name, stats };
        if kind == "team" {
            teams.push(group);
        } else {
            services.push(group);
        }
    }
    for v in [&mut teams, &mut services] {
        v.sort_by(|a, b| {
            (b.stats.open, b.stats.overdue)
                .cmp(&(a.stats.open, a.stats.overdue))
                .then_with(|| a.name.cmp(&b.name))
        });
    }
    Ok(ActionSummary {
        all,
        teams,
        services,
        today: today.to_string(),
    })
}

/// Counts `n` items of `status` into `s`.
fn add(s: &mut ActionStats, status: &str, n: i64) {
    s.total += n;
    match status {
        "done" => s.done += n,
        "wont_do" => s.wont_do += n,
        _ => s.open += n,
    }
}

/// How many closed items to read (one or two) and after how many, to find
/// the median of the closed items counted in `s`.
fn middle(s: &ActionStats) -> (i64, i64) {
    let closed = s.done + s.wont_do;
    (2 - closed % 2, (closed - 1).max(0) / 2)
}

/// The completion rate: done out of the items meant to be done (all but
/// won't do).
fn finish(s: &mut ActionStats) {
    let meant = s.total - s.wont_do;
    s.completion_rate = (meant > 0).then(|| s.done as f64 / meant as f64);
}

/// The action items of every earlier occurrence postmortem `id` links to,
/// each marked against when `id` started (its clock's start, else its
/// date, else when it was written down).
pub(crate) async fn earlier_items(
    conn: &mut SqliteConnection,
    id: i64,
) -> Result<Vec<EarlierItems>> {
    let started: Option<String> = sqlx::query_scalar(
        "select coalesce(started_at, incident_date || 'T00:00:00Z', created_at)
           from postmortem where postmortem_id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(started) = started else {
        return Ok(Vec::new());
    };
    let earlier = sqlx::query(
        "select l.to_postmortem_id, p.title from postmortem_link l
           join postmortem p on p.postmortem_id = l.to_postmortem_id
          where l.postmortem_id = ? and l.kind = 'earlier_occurrence'
          order by l.position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(earlier.len());
    for e in &earlier {
        let earlier_id: i64 = e.try_get("to_postmortem_id")?;
        let rows = sqlx::query(select_rows!(
            "where a.postmortem_id = ? order by a.position"
        ))
        .bind(earlier_id)
        .fetch_all(&mut *conn)
        .await?;
        let items = rows
            .iter()
            .map(|r| {
                let item = row(r)?;
                let mark = recurrence_mark(item.closed_at.as_deref(), &started);
                Ok((item, mark))
            })
            .collect::<Result<Vec<_>>>()?;
        out.push(EarlierItems {
            postmortem_id: earlier_id,
            title: e.try_get("title")?,
            items,
        });
    }
    Ok(out)
}
