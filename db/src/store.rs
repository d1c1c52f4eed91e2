//! [`Store`]: every read and write of postmortems, by intent.

use crate::{DbError, Result};
use kb_domain::incident::NewIncident;
use kb_domain::{Incident, IncidentRow, Revision, Severity};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row, SqliteConnection, SqlitePool};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// Separates names inside one `group_concat` column: a control character no
/// one types into a service name.
const SEP: char = '\u{1f}';

/// The columns of an [`Incident`], services and labels folded into one
/// column each so a page of incidents is one query, not 1 + 2n.
macro_rules! select_incident {
    ($tail:literal) => {
        concat!(
            "select p.postmortem_id, p.external_id, p.title, p.severity, p.incident_date,
                    p.summary_md, p.impact_md, p.root_cause_md, p.mitigation_md, p.source_url,
                    p.version, p.created_at, p.updated_at,
                    (select group_concat(s.name, char(31) order by s.position)
                       from postmortem_service s where s.postmortem_id = p.postmortem_id) as services,
                    (select group_concat(l.name, char(31) order by l.position)
                       from postmortem_label l where l.postmortem_id = p.postmortem_id) as labels
               from postmortem p ",
            $tail
        )
    };
}

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
    /// One pool for the process, created at start-up: SQLite allows one
    /// writer at a time, and WAL lets readers proceed beside it.
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating if needed) the SQLite database file at `path` and
    /// brings its schema up to date.
    pub async fn open_file(path: &Path) -> Result<Store> {
        let options = SqliteConnectOptions::new().filename(path);
        Self::open_with(options, &path.display().to_string()).await
    }

    /// Opens a `sqlite:` URL (as in `DATABASE_URL`) and migrates it.
    pub async fn open_url(url: &str) -> Result<Store> {
        let options = SqliteConnectOptions::from_str(url).map_err(|source| DbError::Open {
            location: url.to_string(),
            source,
        })?;
        Self::open_with(options, url).await
    }

    async fn open_with(options: SqliteConnectOptions, location: &str) -> Result<Store> {
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // With WAL, NORMAL is still crash-safe for the database; only the
            // last commits before a power loss may roll back, never corrupt.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            // A CLI import beside a running server: wait for the other writer
            // rather than failing at once.
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(|source| DbError::Open {
                location: location.to_string(),
                source,
            })?;
        crate::SQLITE_MIGRATOR.run(&pool).await?;
        Ok(Store { pool })
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("select 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Creates a postmortem as `author`; returns its id and the change-log
    /// sequence number of the write.
    pub async fn create(&self, new: &NewIncident, author: &str) -> Result<(i64, i64)> {
        let mut tx = self.pool.begin_with("begin immediate").await?;
        let id = insert(&mut tx, new).await?;
        record_revision(&mut tx, id, 1, author, new).await?;
        let seq = log_change(&mut tx, id, ChangeOp::Upsert).await?;
        tx.commit().await?;
        Ok((id, seq))
    }

    /// Creates or updates by external id (a new one if `new` has none).
    /// Returns the id, what happened, and the change-log sequence number if
    /// anything was written.
    pub async fn import(
        &self,
        new: &NewIncident,
        author: &str,
    ) -> Result<(i64, ImportOutcome, Option<i64>)> {
        // IMMEDIATE takes the write lock up front: a deferred transaction
        // that reads and then writes can fail outright when another process
        // wrote in between, instead of waiting for the busy timeout.
        let mut tx = self.pool.begin_with("begin immediate").await?;
        let existing = match &new.external_id {
            Some(ext) => {
                sqlx::query(select_incident!("where p.external_id = ?"))
                    .bind(ext)
                    .fetch_optional(&mut *tx)
                    .await?
            }
            None => None,
        };
        let (id, outcome) = match existing {
            None => {
                let id = insert(&mut tx, new).await?;
                record_revision(&mut tx, id, 1, author, new).await?;
                (id, ImportOutcome::Added)
            }
            Some(row) => {
                let current = incident_from_row(&row)?;
                if same_content(&current, new) {
                    tx.rollback().await?;
                    return Ok((current.id, ImportOutcome::Unchanged, None));
                }
                update(&mut tx, current.id, new).await?;
                record_revision(&mut tx, current.id, current.version + 1, author, new).await?;
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
        new: &NewIncident,
        author: &str,
    ) -> Result<(i64, i64)> {
        // IMMEDIATE: the version check and the write must see the same row;
        // holding the write lock from the start makes them one step.
        let mut tx = self.pool.begin_with("begin immediate").await?;
        let current: i64 =
            sqlx::query_scalar("select version from postmortem where postmortem_id = ?")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        if current != expected_version {
            return Err(DbError::Conflict {
                expected: expected_version,
                current,
            });
        }
        update(&mut tx, id, new).await?;
        let version = current + 1;
        record_revision(&mut tx, id, version, author, new).await?;
        let seq = log_change(&mut tx, id, ChangeOp::Upsert).await?;
        tx.commit().await?;
        Ok((version, seq))
    }

    /// Every saved revision of a postmortem, newest first (metadata only).
    pub async fn revisions(&self, id: i64) -> Result<Vec<Revision>> {
        let rows = sqlx::query(
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
    pub async fn revision_content(&self, id: i64, version: i64) -> Result<NewIncident> {
        let snapshot: String = sqlx::query_scalar(
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
        let mut tx = self.pool.begin_with("begin immediate").await?;
        let gone = sqlx::query("delete from postmortem where postmortem_id = ?")
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

    /// One postmortem, or [`DbError::NotFound`].
    pub async fn get(&self, id: i64) -> Result<Incident> {
        let row = sqlx::query(select_incident!("where p.postmortem_id = ?"))
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        incident_from_row(&row)
    }

    /// Postmortems with an id above `after_id`, in id order: the way to walk
    /// the whole table in pages (rebuilding the index) without OFFSET.
    pub async fn incidents_after(&self, after_id: i64, limit: i64) -> Result<Vec<Incident>> {
        sqlx::query(select_incident!(
            "where p.postmortem_id > ? order by p.postmortem_id limit ?"
        ))
        .bind(after_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(incident_from_row)
        .collect()
    }

    /// The given postmortems, those that still exist, in no particular order.
    pub async fn incidents_by_ids(&self, ids: &[i64]) -> Result<Vec<Incident>> {
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            match self.get(id).await {
                Ok(i) => out.push(i),
                Err(DbError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// The newest postmortems first, a page at a time.
    pub async fn list_recent(&self, limit: i64, offset: i64) -> Result<Vec<IncidentRow>> {
        let rows = sqlx::query(
            "select p.postmortem_id, p.title, p.severity, p.incident_date, p.created_at,
                    (select group_concat(s.name, char(31) order by s.position)
                       from postmortem_service s where s.postmortem_id = p.postmortem_id) as services
               from postmortem p
              order by p.created_at desc, p.postmortem_id desc
              limit ? offset ?",
        )
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(IncidentRow {
                    id: r.try_get("postmortem_id")?,
                    title: r.try_get("title")?,
                    severity: severity(r.try_get("severity")?),
                    date: r.try_get("incident_date")?,
                    services: split(r.try_get("services")?),
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// How many postmortems there are.
    pub async fn count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("select count(*) from postmortem")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Change-log entries after `seq`, oldest first, at most `limit`.
    pub async fn changes_since(&self, seq: i64, limit: i64) -> Result<Vec<ChangeEntry>> {
        let rows = sqlx::query(
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
            sqlx::query_scalar::<_, Option<i64>>("select max(seq) from change_log")
                .fetch_one(&self.pool)
                .await?
                .unwrap_or(0),
        )
    }
}

async fn insert(conn: &mut SqliteConnection, new: &NewIncident) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "insert into postmortem (external_id, title) values (?, ?) returning postmortem_id",
    )
    .bind(&new.external_id)
    .bind(&new.title)
    .fetch_one(&mut *conn)
    .await?;
    write_content(conn, id, new).await?;
    Ok(id)
}

async fn update(conn: &mut SqliteConnection, id: i64, new: &NewIncident) -> Result<()> {
    sqlx::query(
        "update postmortem
            set version = version + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
          where postmortem_id = ?",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    write_content(conn, id, new).await
}

/// Writes everything but the identity columns: shared by insert and update
/// so the two can never disagree about which fields are stored.
async fn write_content(conn: &mut SqliteConnection, id: i64, new: &NewIncident) -> Result<()> {
    sqlx::query(
        "update postmortem
            set title = ?, severity = ?, incident_date = ?, summary_md = ?, impact_md = ?,
                root_cause_md = ?, mitigation_md = ?, source_url = ?
          where postmortem_id = ?",
    )
    .bind(&new.title)
    .bind(new.severity.map(Severity::as_str))
    .bind(&new.date)
    .bind(&new.summary)
    .bind(&new.impact)
    .bind(&new.root_cause)
    .bind(&new.mitigation)
    .bind(&new.url)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("delete from postmortem_service where postmortem_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("delete from postmortem_label where postmortem_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for (position, name) in new.services.iter().enumerate() {
        sqlx::query(
            "insert into postmortem_service (postmortem_id, position, name) values (?, ?, ?)",
        )
        .bind(id)
        .bind(position as i64)
        .bind(name)
        .execute(&mut *conn)
        .await?;
    }
    for (position, name) in new.labels.iter().enumerate() {
        sqlx::query(
            "insert into postmortem_label (postmortem_id, position, name) values (?, ?, ?)",
        )
        .bind(id)
        .bind(position as i64)
        .bind(name)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn record_revision(
    conn: &mut SqliteConnection,
    id: i64,
    version: i64,
    author: &str,
    new: &NewIncident,
) -> Result<()> {
    sqlx::query(
        "insert into postmortem_revision (postmortem_id, version, author, snapshot) values (?, ?, ?, ?)",
    )
    .bind(id)
    .bind(version)
    .bind(author)
    .bind(serde_json::to_string(new)?)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn log_change(conn: &mut SqliteConnection, id: i64, op: ChangeOp) -> Result<i64> {
    let op = match op {
        ChangeOp::Upsert => "upsert",
        ChangeOp::Delete => "delete",
    };
    Ok(
        sqlx::query_scalar(
            "insert into change_log (postmortem_id, op) values (?, ?) returning seq",
        )
        .bind(id)
        .bind(op)
        .fetch_one(&mut *conn)
        .await?,
    )
}

fn same_content(current: &Incident, new: &NewIncident) -> bool {
    current.title == new.title
        && current.severity == new.severity
        && current.date == new.date
        && current.summary == new.summary
        && current.impact == new.impact
        && current.root_cause == new.root_cause
        && current.mitigation == new.mitigation
        && current.services == new.services
        && current.labels == new.labels
        && current.url == new.url
}

fn severity(raw: Option<String>) -> Option<Severity> {
    // The column's CHECK constraint admits only valid labels.
    raw.and_then(|s| s.parse().ok())
}

fn split(raw: Option<String>) -> Vec<String> {
    raw.map(|s| s.split(SEP).map(str::to_string).collect())
        .unwrap_or_default()
}

fn incident_from_row(r: &SqliteRow) -> Result<Incident> {
    Ok(Incident {
        id: r.try_get("postmortem_id")?,
        external_id: r.try_get("external_id")?,
        title: r.try_get("title")?,
        severity: severity(r.try_get("severity")?),
        date: r.try_get("incident_date")?,
        summary: r.try_get("summary_md")?,
        impact: r.try_get("impact_md")?,
        root_cause: r.try_get("root_cause_md")?,
        mitigation: r.try_get("mitigation_md")?,
        services: split(r.try_get("services")?),
        labels: split(r.try_get("labels")?),
        url: r.try_get("source_url")?,
        parts: Default::default(),
        published_by: None,
        published_at: None,
        related: Vec::new(),
        version: r.try_get("version")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}
