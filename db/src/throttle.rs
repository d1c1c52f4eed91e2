//! What the processes on one database share beyond the record: the
//! sign-in throttle's failures, so every process counts the same attempts,
//! and requests to rebuild the search index, which every replica answers.

use crate::sql;
use crate::{Result, Store};
use sqlx::Row;

/// What counting a sign-in attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptCount {
    /// Counted as failed until checked: the rows to take back
    /// ([`Store::take_back_sign_in_attempts`]) if it turns out not to fail.
    Counted(Vec<i64>),
    /// Refused, nothing written: milliseconds until the oldest failure of
    /// the key over its limit leaves the window.
    Wait(i64),
}

impl Store {
    /// Counts a sign-in attempt at `now_ms` against each key of `limits`
    /// (a key and the failures it may have in the `window_ms` before),
    /// unless a key already has them all: then nothing is written and the
    /// answer says how long to wait. One immediate transaction, so
    /// attempts side by side, from this process or another on the same
    /// database, each see those counted before them. Failures older than
    /// the window are deleted on the way.
    pub async fn count_sign_in_attempt(
        &self,
        limits: &[(&str, usize)],
        window_ms: i64,
        now_ms: i64,
    ) -> Result<AttemptCount> {
        let since = now_ms - window_ms;
        let mut tx = self.write().await?;
        sql::query("delete from sign_in_failure where at_ms <= ?")
            .bind(since)
            .execute(&mut *tx)
            .await?;
        let mut wait = 0i64;
        for &(key, allowed) in limits {
            let row = sql::query(
                "select count(*) as n, min(at_ms) as oldest
                 from (select at_ms from sign_in_failure
                       where key = ? and at_ms > ?
                       order by at_ms desc limit ?) as latest",
            )
            .bind(key)
            .bind(since)
            .bind(allowed as i64)
            .fetch_one(&mut *tx)
            .await?;
            let (count, oldest): (i64, Option<i64>) = (row.try_get("n")?, row.try_get("oldest")?);
            if count >= allowed as i64 {
                // The failure that makes the limit leaves the window first
                // among the latest `allowed`.
                let oldest = oldest.unwrap_or(now_ms);
                wait = wait.max(window_ms - (now_ms - oldest));
            }
        }
        if wait > 0 {
            tx.rollback().await?;
            return Ok(AttemptCount::Wait(wait));
        }
        let mut ids = Vec::with_capacity(limits.len());
        for &(key, _) in limits {
            let id: i64 = sql::query_scalar(
                "insert into sign_in_failure (key, at_ms) values (?, ?)
                 returning sign_in_failure_id",
            )
            .bind(key)
            .bind(now_ms)
            .fetch_one(&mut *tx)
            .await?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok(AttemptCount::Counted(ids))
    }

    /// Takes back attempts counted by [`Store::count_sign_in_attempt`] that
    /// did not fail (the password was right, or nothing was checked).
    pub async fn take_back_sign_in_attempts(&self, ids: &[i64]) -> Result<()> {
        for id in ids {
            sql::query("delete from sign_in_failure where sign_in_failure_id = ?")
                .bind(id)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// Forgets every failure of `key`: its owner signed in.
    pub async fn forget_sign_in_failures(&self, key: &str) -> Result<()> {
        sql::query("delete from sign_in_failure where key = ?")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

impl Store {
    /// Asks every replica to rebuild its search index; the request's id.
    pub async fn request_reindex(&self) -> Result<i64> {
        Ok(sql::query_scalar(
            "insert into reindex_request default values returning reindex_request_id",
        )
        .fetch_one(&self.pool)
        .await?)
    }

    /// The id of the latest request to rebuild the search index (0: none).
    pub async fn latest_reindex_request(&self) -> Result<i64> {
        Ok(
            sql::query_scalar("select coalesce(max(reindex_request_id), 0) from reindex_request")
                .fetch_one(&self.pool)
                .await?,
        )
    }
}
