//! Action items: the one list whose rows keep their identity across edits.
//!
//! Owns the `action_item` table. A save matches incoming items to stored
//! ones by id instead of replacing the list, so an item's id (and, later,
//! its history and anything pointing at it) survives edits that reorder,
//! change or remove its neighbours.

use crate::parts::{grouped, of_page, positions, take};
use crate::Result;
use kb_domain::record::ActionItem;
use kb_domain::Incident;
use sqlx::SqliteConnection;
use std::collections::HashSet;

/// Writes the action items of postmortem `id` in the given order and
/// returns each one's id, in the same order.
///
/// An item whose `id` names a stored item of this postmortem updates that
/// row (the first such item, if two name the same id); stored items no
/// longer named are deleted; the rest (no id, another postmortem's id, an
/// unknown one) are inserted with new ids.
pub(crate) async fn write(
    conn: &mut SqliteConnection,
    id: i64,
    items: &[ActionItem],
) -> Result<Vec<i64>> {
    let stored: HashSet<i64> =
        sqlx::query_scalar("select action_item_id from action_item where postmortem_id = ?")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect();
    let mut kept = HashSet::new();
    let matched: Vec<Option<i64>> = items
        .iter()
        .map(|item| item.id.filter(|i| stored.contains(i) && kept.insert(*i)))
        .collect();

    for gone in stored.difference(&kept) {
        sqlx::query("delete from action_item where action_item_id = ?")
            .bind(gone)
            .execute(&mut *conn)
            .await?;
    }
    // Move the kept rows to negative positions first, so giving them their
    // new places one by one never collides with a row not yet moved
    // (unique (postmortem_id, position)).
    sqlx::query("update action_item set position = -1 - position where postmortem_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;

    let mut ids = Vec::with_capacity(items.len());
    for ((pos, item), matched) in positions(items).zip(matched) {
        let item_id = match matched {
            Some(item_id) => {
                sqlx::query(
                    "update action_item
                        set position = ?, title = ?, owner = ?, due = ?, priority = ?,
                            status = ?, kind = ?, tracker = ?, expected_effect = ?
                      where action_item_id = ?",
                )
                .bind(pos)
                .bind(&item.title)
                .bind(&item.owner)
                .bind(&item.due)
                .bind(&item.priority)
                .bind(&item.status)
                .bind(&item.kind)
                .bind(&item.tracker)
                .bind(&item.expected_effect)
                .bind(item_id)
                .execute(&mut *conn)
                .await?;
                item_id
            }
            None => {
                sqlx::query_scalar(
                    "insert into action_item (postmortem_id, position, title, owner, due,
                                              priority, status, kind, tracker, expected_effect)
                     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                     returning action_item_id",
                )
                .bind(id)
                .bind(pos)
                .bind(&item.title)
                .bind(&item.owner)
                .bind(&item.due)
                .bind(&item.priority)
                .bind(&item.status)
                .bind(&item.kind)
                .bind(&item.tracker)
                .bind(&item.expected_effect)
                .fetch_one(&mut *conn)
                .await?
            }
        };
        ids.push(item_id);
    }
    Ok(ids)
}

/// Fills the action items, with their ids, of every incident in the page
/// (`ids`: their ids as a JSON array).
pub(crate) async fn read(
    conn: &mut SqliteConnection,
    ids: &str,
    incidents: &mut [Incident],
) -> Result<()> {
    let mut items = grouped(
        conn,
        of_page!(
            "select postmortem_id, action_item_id, title, owner, due, priority, status, kind,
                    tracker, expected_effect
               from action_item"
        ),
        ids,
        |r| {
            use sqlx::Row;
            Ok(ActionItem {
                id: Some(r.try_get("action_item_id")?),
                title: r.try_get("title")?,
                owner: r.try_get("owner")?,
                due: r.try_get("due")?,
                priority: r.try_get("priority")?,
                status: r.try_get("status")?,
                kind: r.try_get("kind")?,
                tracker: r.try_get("tracker")?,
                expected_effect: r.try_get("expected_effect")?,
            })
        },
    )
    .await?;
    for inc in incidents {
        inc.parts.action_items = take(&mut items, inc.id);
    }
    Ok(())
}
