//! Reading action items with their postmortems: a page of a filtered list,
//! one item, the items of an earlier incident seen from its recurrence, and
//! the counts per status (from totals kept by triggers where the filter
//! allows, so no count reads every item).

use super::conditions::{order_by, Conditions, HIDDEN_ITEMS, WALK_ABOVE};
use crate::access::Hidden;
use crate::action_items::{item_columns, item_of};
use crate::postmortem::split;
use crate::sql;
use crate::Result;
use kb_domain::actions::{
    recurrence_mark, ActionFilters, ActionItemRow, EarlierItems, StatusCount,
};
use kb_domain::record::ActionStatus;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

/// An [`ActionItemRow`]'s columns over `action_item a` joined with
/// `postmortem p`, completed by `$tail` (a literal, so the SQL stays static).
macro_rules! select_rows {
    ($tail:literal) => {
        concat!(
            "select ",
            item_columns!(),
            ", a.postmortem_id, p.title as postmortem_title, a.version, a.created_at, a.closed_at,
                    (select string_agg(t.name, '\u{1f}' order by t.position)
                       from postmortem_team t where t.postmortem_id = a.postmortem_id) as teams,
                    (select string_agg(s.name, '\u{1f}' order by s.position)
                       from postmortem_service s where s.postmortem_id = a.postmortem_id) as services
               from action_item a join postmortem p on p.postmortem_id = a.postmortem_id ",
            $tail
        )
    };
}

fn row(r: &AnyRow) -> Result<ActionItemRow> {
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
    conn: &mut AnyConnection,
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
    // Audited: only fixed fragments of this module and `conditions` are
    // pasted in; every value is bound.
    let mut q = sql::query(sql);
    for b in &c.binds {
        q = q.bind(b);
    }
    let rows = q.bind(limit).bind(offset).fetch_all(&mut *conn).await?;
    rows.iter().map(row).collect()
}

/// Items per status under `f` without its status filter, every status
/// listed (zeros too), leaving out the items of `hidden` postmortems.
pub(crate) async fn counts(
    conn: &mut AnyConnection,
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
        let rows =
            sql::query("select status, n from action_item_group_count where kind = ? and name = ?")
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
            let rows = sql::query(sql)
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
    if c.binds.is_empty() && c.sql == "1 = 1" {
        let rows = sql::query("select status, n from action_item_status_count")
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
    let mut q = sql::query(sql);
    for b in &c.binds {
        q = q.bind(b);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    per_status(&rows)
}

/// Takes `less` from `counts` (both in [`ActionStatus::ALL`] order).
pub(super) fn subtract(counts: &mut [StatusCount], less: &[StatusCount]) {
    for (c, l) in counts.iter_mut().zip(less) {
        c.count -= l.count;
    }
}

/// The items of the `hidden` postmortems per status.
pub(super) async fn hidden_per_status(
    conn: &mut AnyConnection,
    hidden: &Hidden,
) -> Result<Vec<StatusCount>> {
    let rows = sql::query(
        "select a.status, count(*) as n from action_item a
          where a.postmortem_id in (select cast(value as bigint) from json_each(?)) group by a.status",
    )
    .bind(hidden.json())
    .fetch_all(&mut *conn)
    .await?;
    per_status(&rows)
}

/// `(status, n)` rows as a count for every status, in
/// [`ActionStatus::ALL`] order (zeros too).
pub(super) fn per_status(rows: &[AnyRow]) -> Result<Vec<StatusCount>> {
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

/// One item, or [`DbError::NotFound`](crate::DbError::NotFound).
pub(crate) async fn one(conn: &mut AnyConnection, id: i64) -> Result<ActionItemRow> {
    let r = sql::query(select_rows!("where a.action_item_id = ?"))
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    row(&r)
}

/// The action items of every earlier occurrence postmortem `id` links to,
/// each marked against when `id` started (its clock's start, else its
/// date, else when it was written down).
pub(crate) async fn earlier_items(conn: &mut AnyConnection, id: i64) -> Result<Vec<EarlierItems>> {
    let started: Option<String> = sql::query_scalar(
        "select coalesce(started_at, incident_date || 'T00:00:00Z', created_at)
           from postmortem where postmortem_id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(started) = started else {
        return Ok(Vec::new());
    };
    let earlier = sql::query(
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
        let rows = sql::query(select_rows!(
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
