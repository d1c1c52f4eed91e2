//! Action-item tracking across postmortems: the filtered list with its
//! counts per status, changes to items (one or many, each checked against
//! the item's version and recorded field by field), an item's history, the
//! numbers per team and service, and an earlier incident's items seen from
//! its recurrence.
//!
//! One query builder ([`Conditions`](conditions::Conditions)) serves the
//! page, the API and the CSV export, so their filters cannot drift. The
//! first page is read from an index in the order asked for (migrations 0004
//! and 0005), then only that page's rows are joined with their postmortems.
//! Counts and the summary come from totals kept by triggers and from
//! `action_item_group`, the items by team and service (migration 0005),
//! never from every item.
//!
//! # Layout
//! - `conditions`: the query builder and the sort orders.
//! - `listing`: the page, one item, an earlier incident's items, and the
//!   counts per status.
//! - `summary`: the numbers per team and service.
//! - here: changes to items (the only writes) and an item's history.

mod conditions;
mod listing;
mod summary;

pub(crate) use listing::{counts, earlier_items, list, one};
pub(crate) use summary::summary;

use crate::action_items::{item_columns, item_of, record_changes, set_closed_at, Tracked};
use crate::postmortem::{self, log_change, record_revision, Filter};
use crate::sql;
use crate::{ChangeOp, DbError, Result};
use kb_domain::actions::{is_closed, ActionChange, ActionItemRow, ActionPatch};
use sqlx::{AnyConnection, Row};
use std::collections::BTreeSet;

/// Applies `changes` (validated patches, each naming the item's version it
/// was made on) as `author`, all or nothing: a missing item is
/// [`DbError::NotFound`], a stale one [`DbError::StaleItem`], and then
/// nothing is written. Each changed field is recorded in the item's
/// history; closing stamps `closed_at`, reopening clears it. Every
/// postmortem whose items changed gets a new version, revision and
/// change-log entry, so an editor open on the old version cannot save the
/// old item back over the change. Returns the items as they now are.
pub(crate) async fn change(
    conn: &mut AnyConnection,
    changes: &[(i64, ActionPatch)],
    author: &str,
) -> Result<Vec<ActionItemRow>> {
    let mut touched = BTreeSet::new();
    let mut ids = Vec::with_capacity(changes.len());
    for (id, patch) in changes {
        let r = sql::query(concat!(
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
        sql::query(concat!(
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
        let version: i64 = sql::query_scalar(
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
pub(crate) async fn history(conn: &mut AnyConnection, id: i64) -> Result<Vec<ActionChange>> {
    let rows = sql::query(
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
