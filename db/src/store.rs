//! [`Store`]: every read and write of postmortems, by intent, each in one
//! transaction.
//!
//! Owns the public API and its transaction boundaries: which saves take the
//! write lock, the stale-edit check, the import's "unchanged" decision.
//! What a postmortem's rows look like is in [`crate::postmortem`] and the
//! modules it calls.

use crate::access::Hidden;
use crate::postmortem::{self, log_change, record_revision, split, Filter};
use crate::sql;
use crate::sql::Engine;
use crate::tracking;
use crate::{DbError, Result};
use kb_domain::actions::{
    ActionChange, ActionFilters, ActionItemRow, ActionPatch, ActionSummary, EarlierItems,
    StatusCount,
};
use kb_domain::postmortem::NewPostmortem;
use kb_domain::{Postmortem, PostmortemRow, Revision};
use sqlx::{AnyPool, Row};

/// What a change-log entry says happened to a postmortem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeOp {
    /// Created or changed: (re)index the current row.
    Upsert,
    /// Removed: drop it from the index.
    Delete,
}

/// One line of the change log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeEntry {
    /// Position in the log; strictly increasing, never reused.
    pub seq: i64,
    /// The postmortem concerned.
    pub postmortem_id: i64,
    /// What happened to it.
    pub op: ChangeOp,
}

/// What importing one incident did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    /// A new postmortem was created.
    Added,
    /// A postmortem with the same external id was changed.
    Updated,
    /// A postmortem with the same external id already had exactly this content.
    Unchanged,
}

/// The database of postmortems. Cheap to clone: it is a pool handle.
#[derive(Debug, Clone)]
pub struct Store {
    /// One pool for the process, created at start-up. On SQLite, one
    /// writer at a time, and WAL lets readers proceed beside it.
    pub(crate) pool: AnyPool,
    /// Which database it is.
    pub(crate) engine: Engine,
}

impl Store {
    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<()> {
        sql::query("select 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Creates a postmortem as `author`; returns its id and the change-log
    /// sequence number of the write.
    ///
    /// Every save (this, [`Store::import`], [`Store::update`]) stores all
    /// parts, matches action items by id (new ones get ids, which the
    /// revision records), stamps `published_by`/`published_at` when the
    /// status becomes published (cleared when it leaves), and refuses a
    /// link to a missing postmortem or to itself with [`DbError::Invalid`],
    /// writing nothing.
    pub async fn create(&self, new: &NewPostmortem, author: &str) -> Result<(i64, i64)> {
        let mut tx = self.write().await?;
        let (id, stored) = postmortem::insert(&mut tx, new, author).await?;
        record_revision(&mut tx, id, 1, author, &stored).await?;
        let seq = log_change(&mut tx, id, ChangeOp::Upsert).await?;
        tx.commit().await?;
        Ok((id, seq))
    }

    /// Creates or updates by external id (a new one if `new` has none).
    /// Returns the id, what happened, and the change-log sequence number if
    /// anything was written.
    pub async fn import(
        &self,
        new: &NewPostmortem,
        author: &str,
    ) -> Result<(i64, ImportOutcome, Option<i64>)> {
        // IMMEDIATE takes the write lock up front: a deferred transaction
        // that reads and then writes can fail outright when another process
        // wrote in between, instead of waiting for the busy timeout.
        let mut tx = self.write().await?;
        let existing = match &new.external_id {
            Some(ext) => postmortem::load(&mut tx, Filter::ExternalId(ext))
                .await?
                .pop(),
            None => None,
        };
        let (id, outcome) = match existing {
            None => {
                let (id, stored) = postmortem::insert(&mut tx, new, author).await?;
                record_revision(&mut tx, id, 1, author, &stored).await?;
                (id, ImportOutcome::Added)
            }
            Some(current) => {
                if postmortem::same_content(&current, new) {
                    tx.rollback().await?;
                    return Ok((current.id, ImportOutcome::Unchanged, None));
                }
                let stored = postmortem::update(&mut tx, current.id, new, author).await?;
                record_revision(&mut tx, current.id, current.version + 1, author, &stored).await?;
                (current.id, ImportOutcome::Updated)
            }
        };
        let seq = log_change(&mut tx, id, ChangeOp::Upsert).await?;
        tx.commit().await?;
        Ok((id, outcome, Some(seq)))
    }

    /// Saves an edit made on top of `expected_version`, as `author`. Refused
    /// with [`DbError::Conflict`] (writing nothing) when another save landed
    /// in between. Returns the new version and the change-log sequence number.
    pub async fn update(
        &self,
        id: i64,
        expected_version: i64,
        new: &NewPostmortem,
        author: &str,
    ) -> Result<(i64, i64)> {
        // IMMEDIATE: the version check and the write must see the same row;
        // holding the write lock from the start makes them one step.
        let mut tx = self.write().await?;
        let current: i64 =
            sql::query_scalar("select version from postmortem where postmortem_id = ?")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        if current != expected_version {
            return Err(DbError::Conflict {
                expected: expected_version,
                current,
            });
        }
        let stored = postmortem::update(&mut tx, id, new, author).await?;
        let version = current + 1;
        record_revision(&mut tx, id, version, author, &stored).await?;
        let seq = log_change(&mut tx, id, ChangeOp::Upsert).await?;
        tx.commit().await?;
        Ok((version, seq))
    }

    /// Every saved revision of a postmortem, newest first (metadata only).
    pub async fn revisions(&self, id: i64) -> Result<Vec<Revision>> {
        let rows = sql::query(
            "select version, author, created_at from postmortem_revision
              where postmortem_id = ? order by version desc",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Revision {
                    version: r.try_get("version")?,
                    author: r.try_get("author")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// The content of one revision, as it was saved.
    pub async fn revision_content(&self, id: i64, version: i64) -> Result<NewPostmortem> {
        let snapshot: String = sql::query_scalar(
            "select snapshot from postmortem_revision where postmortem_id = ? and version = ?",
        )
        .bind(id)
        .bind(version)
        .fetch_one(&self.pool)
        .await?;
        Ok(serde_json::from_str(&snapshot)?)
    }

    /// Deletes a postmortem; returns the change-log sequence number.
    pub async fn delete(&self, id: i64) -> Result<i64> {
        let mut tx = self.write().await?;
        let gone = sql::query("delete from postmortem where postmortem_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if gone.rows_affected() == 0 {
            return Err(DbError::NotFound);
        }
        let seq = log_change(&mut tx, id, ChangeOp::Delete).await?;
        tx.commit().await?;
        Ok(seq)
    }

    /// One postmortem with all its parts, or [`DbError::NotFound`].
    pub async fn get(&self, id: i64) -> Result<Postmortem> {
        self.load(Filter::Id(id))
            .await?
            .pop()
            .ok_or(DbError::NotFound)
    }

    /// Postmortems with an id above `after_id`, in id order: the way to walk
    /// the whole table in pages (rebuilding the index) without OFFSET. A
    /// page costs a fixed number of queries, whatever `limit` is.
    pub async fn incidents_after(&self, after_id: i64, limit: i64) -> Result<Vec<Postmortem>> {
        self.load(Filter::After {
            after: after_id,
            limit,
        })
        .await
    }

    /// The given postmortems, those that still exist, in id order.
    pub async fn incidents_by_ids(&self, ids: &[i64]) -> Result<Vec<Postmortem>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.load(Filter::Ids(ids)).await
    }

    /// Whether postmortem `id` exists and is not among `hidden`. One query
    /// either way, so a hidden postmortem and a missing one cost the same
    /// to refuse and cannot be told apart by the time the answer takes.
    pub async fn exists_visible(&self, id: i64, hidden: &Hidden) -> Result<bool> {
        let found: Option<i64> = sql::query_scalar(
            "select 1 from postmortem where postmortem_id = ? \
             and postmortem_id not in (select cast(value as bigint) from json_each(?))",
        )
        .bind(id)
        .bind(hidden.json())
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }

    /// Hindsight's id of the postmortem imported under `external_id`.
    pub async fn id_by_external_id(&self, external_id: &str) -> Result<Option<i64>> {
        Ok(
            sql::query_scalar("select postmortem_id from postmortem where external_id = ?")
                .bind(external_id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Reads whole postmortems in one read transaction, so the row and its
    /// child tables come from the same moment even while another
    /// connection writes.
    async fn load(&self, filter: Filter<'_>) -> Result<Vec<Postmortem>> {
        let mut tx = self.pool.begin().await?;
        let incidents = postmortem::load(&mut tx, filter).await?;
        tx.commit().await?;
        Ok(incidents)
    }

    /// The newest postmortems first, a page at a time, without the
    /// `hidden` ones.
    pub async fn list_recent(
        &self,
        limit: i64,
        offset: i64,
        hidden: &Hidden,
    ) -> Result<Vec<PostmortemRow>> {
        let rows = sql::query(
            "select p.postmortem_id, p.title, p.severity, p.incident_date, p.created_at, p.status,
                    p.restricted,
                    (select string_agg(s.name, '\u{1f}' order by s.position)
                       from postmortem_service s where s.postmortem_id = p.postmortem_id) as services
               from postmortem p
              where p.postmortem_id not in (select cast(value as bigint) from json_each(?))
              order by p.created_at desc, p.postmortem_id desc
              limit ? offset ?",
        )
        .bind(hidden.json())
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PostmortemRow {
                    id: r.try_get("postmortem_id")?,
                    title: r.try_get("title")?,
                    severity: postmortem::severity(r.try_get("severity")?),
                    date: r.try_get("incident_date")?,
                    services: split(r.try_get("services")?),
                    created_at: r.try_get("created_at")?,
                    status: r.try_get("status")?,
                    private: r.try_get::<i64, _>("restricted")? != 0,
                })
            })
            .collect()
    }

    /// How many postmortems there are, without the `hidden` ones.
    pub async fn count(&self, hidden: &Hidden) -> Result<i64> {
        Ok(sql::query_scalar(
            // Two counts, so the whole table's is SQLite's fast count.
            "select (select count(*) from postmortem)
                  - (select count(*) from postmortem
                      where postmortem_id in (select cast(value as bigint) from json_each(?)))",
        )
        .bind(hidden.json())
        .fetch_one(&self.pool)
        .await?)
    }

    /// Change-log entries after `seq`, oldest first, at most `limit`.
    pub async fn changes_since(&self, seq: i64, limit: i64) -> Result<Vec<ChangeEntry>> {
        let rows = sql::query(
            "select seq, postmortem_id, op from change_log where seq > ? order by seq limit ?",
        )
        .bind(seq)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let op: String = r.try_get("op")?;
                Ok(ChangeEntry {
                    seq: r.try_get("seq")?,
                    postmortem_id: r.try_get("postmortem_id")?,
                    op: if op == "delete" {
                        ChangeOp::Delete
                    } else {
                        ChangeOp::Upsert
                    },
                })
            })
            .collect()
    }

    /// The sequence number of the latest write, 0 for an empty log.
    pub async fn last_seq(&self) -> Result<i64> {
        Ok(
            sql::query_scalar::<Option<i64>>("select max(seq) from change_log")
                .fetch_one(&self.pool)
                .await?
                .unwrap_or(0),
        )
    }

    /// A page of the action items matching `filters` (validated), as of day
    /// `today` (`YYYY-MM-DD`, for overdue and this week), with the counts
    /// per status under the other filters; read in one transaction so the
    /// page and its counts agree. Items of `hidden` postmortems are left
    /// out of both.
    pub async fn action_items(
        &self,
        filters: &ActionFilters,
        today: &str,
        limit: i64,
        offset: i64,
        hidden: &Hidden,
    ) -> Result<(Vec<ActionItemRow>, Vec<StatusCount>)> {
        let mut tx = self.pool.begin().await?;
        // The counts first: how many items match decides how the page is
        // best read.
        let counts = tracking::counts(&mut tx, filters, today, hidden).await?;
        let matching = counts
            .iter()
            .filter(|c| filters.status.as_deref().is_none_or(|s| s == c.status))
            .map(|c| c.count)
            .sum();
        let rows = tracking::list(&mut tx, filters, today, limit, offset, matching, hidden).await?;
        tx.commit().await?;
        Ok((rows, counts))
    }

    /// One action item, or [`DbError::NotFound`].
    pub async fn action_item(&self, id: i64) -> Result<ActionItemRow> {
        let mut conn = self.pool.acquire().await?;
        tracking::one(&mut conn, id).await
    }

    /// Changes items (id, validated patch naming the version it was made
    /// on) as `author`, all or nothing: a stale item is refused with
    /// [`DbError::StaleItem`], a missing one with [`DbError::NotFound`], and
    /// nothing is written. Every changed field goes into the item's
    /// history; each postmortem concerned gets a new version, revision and
    /// change-log entry in the same transaction. Returns the items as they
    /// now are, in the order given.
    pub async fn change_action_items(
        &self,
        changes: &[(i64, ActionPatch)],
        author: &str,
    ) -> Result<Vec<ActionItemRow>> {
        // IMMEDIATE: the version checks and the writes see the same rows.
        let mut tx = self.write().await?;
        let items = tracking::change(&mut tx, changes, author).await?;
        tx.commit().await?;
        Ok(items)
    }

    /// Every recorded change of action item `id`, oldest first.
    pub async fn action_item_history(&self, id: i64) -> Result<Vec<ActionChange>> {
        let mut conn = self.pool.acquire().await?;
        tracking::history(&mut conn, id).await
    }

    /// Where all action items stand, overall and per team and service,
    /// without the items of `hidden` postmortems.
    pub async fn action_summary(&self, today: &str, hidden: &Hidden) -> Result<ActionSummary> {
        let mut tx = self.pool.begin().await?;
        let summary = tracking::summary(&mut tx, today, hidden).await?;
        tx.commit().await?;
        Ok(summary)
    }

    /// The action items of the earlier occurrences postmortem `id` links
    /// to, marked closed before it started or still open.
    pub async fn earlier_action_items(&self, id: i64) -> Result<Vec<EarlierItems>> {
        let mut tx = self.pool.begin().await?;
        let items = tracking::earlier_items(&mut tx, id).await?;
        tx.commit().await?;
        Ok(items)
    }
}
