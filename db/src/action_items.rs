//! Action items: the one list whose rows keep their identity across edits.
//!
//! Owns the `action_item` table. A save matches incoming items to stored
//! ones by id instead of replacing the list, so an item's id (and, later,
//! its history and anything pointing at it) survives edits that reorder,
//! change or remove its neighbours. Changes to a kept item are recorded in
//! its history (`action_item_change`), the same history the tracking pages'
//! inline changes write (see [`crate::tracking`]).

use crate::parts::{of_page, positions, take, Page};
use crate::sql;
use crate::Result;
use kb_domain::record::ActionItem;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::{HashMap, HashSet};

/// The columns [`item_of`] reads, over `action_item a`: every query that
/// reads an item lists them through this macro, so none can miss one.
macro_rules! item_columns {
    () => {
        "a.action_item_id, a.title, a.owner, a.due, a.priority, a.status, a.kind, a.tracker,
         a.expected_effect"
    };
}
pub(crate) use item_columns;

/// The `closed_at` assignment of an update that sets the status; its one
/// bind is 1 when the new status closes the item, else 0. Closing stamps
/// it, staying closed keeps the first stamp, reopening clears it.
macro_rules! set_closed_at {
    () => {
        "closed_at = case when ? = 0 then null
                          when closed_at is null then strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                          else closed_at end"
    };
}
pub(crate) use set_closed_at;

/// The item of a row holding the [`item_columns!`].
pub(crate) fn item_of(r: &AnyRow) -> Result<ActionItem> {
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
}

/// Writes the action items of postmortem `id` in the given order and
/// returns each one's id, in the same order.
///
/// An item whose `id` names a stored item of this postmortem updates that
/// row (the first such item, if two name the same id); stored items no
/// longer named are deleted; the rest (no id, another postmortem's id, an
/// unknown one) are inserted with new ids. Every changed tracked field of a
/// kept item is recorded in its history as `author`'s change and bumps the
/// item's version; a new item's history starts with `created`.
pub(crate) async fn write(
    conn: &mut AnyConnection,
    id: i64,
    items: &[ActionItem],
    author: &str,
) -> Result<Vec<i64>> {
    let rows = sql::query(concat!(
        "select ",
        item_columns!(),
        " from action_item a where a.postmortem_id = ?"
    ))
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut stored: HashMap<i64, Tracked> = HashMap::new();
    for r in &rows {
        stored.insert(r.try_get("action_item_id")?, Tracked::of_item(&item_of(r)?));
    }
    let mut kept = HashSet::new();
    let matched: Vec<Option<i64>> = items
        .iter()
        .map(|item| {
            item.id
                .filter(|i| stored.contains_key(i) && kept.insert(*i))
        })
        .collect();

    for gone in stored.keys().filter(|k| !kept.contains(k)) {
        sql::query("delete from action_item where action_item_id = ?")
            .bind(gone)
            .execute(&mut *conn)
            .await?;
    }
    // Move the kept rows to negative positions first, so giving them their
    // new places one by one never collides with a row not yet moved
    // (unique (postmortem_id, position)).
    sql::query("update action_item set position = -1 - position where postmortem_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;

    let mut ids = Vec::with_capacity(items.len());
    for ((pos, item), matched) in positions(items).zip(matched) {
        let item_id = match matched {
            Some(item_id) => {
                let changes = stored[&item_id].changes_to(&Tracked::of_item(item));
                let update = sql::query(concat!(
                    "update action_item
                        set position = ?, title = ?, owner = ?, due = ?, priority = ?,
                            status = ?, kind = ?, tracker = ?, expected_effect = ?,
                            version = version + ?, ",
                    set_closed_at!(),
                    " where action_item_id = ?"
                ));
                let update = bind_item(update, pos, item);
                update
                    .bind(i64::from(!changes.is_empty()))
                    .bind(i64::from(kb_domain::actions::is_closed(&item.status)))
                    .bind(item_id)
                    .execute(&mut *conn)
                    .await?;
                record_changes(conn, item_id, author, &changes).await?;
                item_id
            }
            None => {
                let insert = sql::query(
                    "insert into action_item (postmortem_id, position, title, owner, due,
                                              priority, status, kind, tracker, expected_effect,
                                              created_at, closed_at)
                     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                             strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                             case when ? <> 0 then strftime('%Y-%m-%dT%H:%M:%fZ', 'now') end)
                     returning action_item_id",
                )
                .bind(id);
                let item_id: i64 = bind_item(insert, pos, item)
                    .bind(i64::from(kb_domain::actions::is_closed(&item.status)))
                    .fetch_one(&mut *conn)
                    .await?
                    .get(0);
                record_changes(
                    conn,
                    item_id,
                    author,
                    &[("created", String::new(), item.status.clone())],
                )
                .await?;
                item_id
            }
        };
        ids.push(item_id);
    }
    Ok(ids)
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// Binds an item's position and fields, in the column order the insert
/// and the update of [`write`] both list.
fn bind_item<'q>(query: Query<'q>, pos: i64, item: &'q ActionItem) -> Query<'q> {
    query
        .bind(pos)
        .bind(&item.title)
        .bind(&item.owner)
        .bind(&item.due)
        .bind(&item.priority)
        .bind(&item.status)
        .bind(&item.kind)
        .bind(&item.tracker)
        .bind(&item.expected_effect)
}

/// The fields whose changes an item's history records, as stored text
/// (no due date is the empty string).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tracked {
    pub(crate) fields: [(&'static str, String); 7],
}

impl Tracked {
    pub(crate) fn of_item(i: &ActionItem) -> Tracked {
        Tracked {
            fields: [
                ("status", i.status.clone()),
                ("owner", i.owner.clone()),
                ("due", i.due.clone().unwrap_or_default()),
                ("title", i.title.clone()),
                ("priority", i.priority.clone()),
                ("kind", i.kind.clone()),
                ("tracker", i.tracker.clone()),
            ],
        }
    }

    /// `(field, from, to)` for every field that differs in `after`.
    pub(crate) fn changes_to(&self, after: &Tracked) -> Vec<(&'static str, String, String)> {
        self.fields
            .iter()
            .zip(&after.fields)
            .filter(|((_, a), (_, b))| a != b)
            .map(|((f, a), (_, b))| (*f, a.clone(), b.clone()))
            .collect()
    }
}

/// Appends one history row per change of item `item_id`.
pub(crate) async fn record_changes(
    conn: &mut AnyConnection,
    item_id: i64,
    author: &str,
    changes: &[(&str, String, String)],
) -> Result<()> {
    for (field, from, to) in changes {
        sql::query(
            "insert into action_item_change (action_item_id, changed_by, field, from_value, to_value)
             values (?, ?, ?, ?, ?)",
        )
        .bind(item_id)
        .bind(author)
        .bind(field)
        .bind(from)
        .bind(to)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Fills the action items, with their ids, of every incident in the page
/// (`ids`: their ids as a JSON array).
pub(crate) async fn read(conn: &mut AnyConnection, page: &mut Page<'_>) -> Result<()> {
    let mut items = page
        .grouped(
            conn,
            of_page!(concat!(
                "select a.postmortem_id, ",
                item_columns!(),
                " from action_item a"
            )),
            item_of,
        )
        .await?;
    for inc in page.postmortems.iter_mut() {
        inc.parts.action_items = take(&mut items, inc.id);
    }
    Ok(())
}
