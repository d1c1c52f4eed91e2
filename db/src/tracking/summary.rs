//! The numbers of the action items: open and overdue counts, completion
//! rate and median days to close, over everything and per team and service.
//! Everything is read from totals kept by triggers and from ranges of
//! indexes (migration 0005), never by walking every item.

use super::conditions::{HIDDEN_ITEMS, NOT_HIDDEN};
use super::listing::{hidden_per_status, per_status, subtract};
use crate::access::Hidden;
use crate::sql;
use crate::Result;
use kb_domain::actions::{median, ActionStats, ActionSummary, GroupStats, StatusCount};
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

/// Open and overdue counts, completion rate and median days to close, over
/// everything and per team and service, as of `today`, leaving out the
/// items of `hidden` postmortems.
pub(crate) async fn summary(
    conn: &mut AnyConnection,
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
        &sql::query("select status, n from action_item_status_count")
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
    all.overdue = bind_hidden!(sql::query_scalar(format!(
        "select count(*) from action_item a
          where a.status in ('open', 'in_progress') and coalesce(a.due, '9999-12-31') < ?{not_hidden}"
    ))
    .bind(today))
    .fetch_one(&mut *conn)
    .await?;
    let (take, skip) = middle(&all);
    let mut days: Vec<f64> = bind_hidden!(sql::query_scalar(format!(
        "select julianday(closed_at) - julianday(created_at) from action_item a
          where closed_at is not null{not_hidden}
          order by julianday(closed_at) - julianday(created_at) limit ? offset ?"
    )))
    .bind(take)
    .bind(skip)
    .fetch_all(&mut *conn)
    .await?;
    all.median_days_to_close = median(&mut days);
    finish(&mut all);

    let mut groups: BTreeMap<(String, String), ActionStats> = BTreeMap::new();
    for r in sql::query("select kind, name, status, n from action_item_group_count where n > 0")
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
        let rows = sql::query(format!(
            "select g.kind, g.name, g.status, count(*) as n from action_item_group g
              where g.action_item_id in ({HIDDEN_ITEMS}) group by g.kind, g.name, g.status"
        ))
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
    let overdue = bind_hidden!(sql::query(format!(
        "select c.kind, c.name,
                (select count(*) from action_item_group g
                  where g.kind = c.kind and g.name = c.name
                    and g.status in ('open', 'in_progress') and g.due < ?{not_hidden_group}) as overdue
           from (select distinct kind, name from action_item_group_count where n > 0) c"
    ))
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
        let mut days: Vec<f64> = bind_hidden!(sql::query_scalar(median_sql.clone())
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
