//! What alerts leave for people: the "seen before?" suggestions of an
//! incident (read, accepted as an earlier-occurrence link, dismissed) and
//! the ongoing incidents.

use crate::access::Hidden;
use crate::postmortem::{self, log_change, record_revision, Filter};
use crate::sql;
use crate::{ChangeOp, DbError, Result, Store};
use kb_domain::intake::{OngoingIncident, Suggestion};
use kb_domain::record::Link;
use sqlx::Row;

/// Most ongoing incidents the home page lists.
pub const MAX_ONGOING: i64 = 20;

impl Store {
    /// The suggestions stored on postmortem `id`, best first, without
    /// those whose target is `hidden` from the reader.
    pub async fn suggestions(&self, id: i64, hidden: &Hidden) -> Result<Vec<Suggestion>> {
        let rows = sql::query(
            "select s.position, s.target_id, p.title, s.pattern, s.score, s.matched,
                    s.root_cause, s.fix, s.state
               from suggestion s join postmortem p on p.postmortem_id = s.target_id
              where s.postmortem_id = ?
                and s.target_id not in (select cast(value as bigint) from json_each(?))
              order by s.position",
        )
        .bind(id)
        .bind(hidden.json())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Suggestion {
                    position: r.try_get("position")?,
                    target_id: r.try_get("target_id")?,
                    title: r.try_get("title")?,
                    pattern: r.try_get("pattern")?,
                    score: r.try_get("score")?,
                    matched: r.try_get("matched")?,
                    root_cause: r.try_get("root_cause")?,
                    fix: r.try_get("fix")?,
                    state: r.try_get("state")?,
                })
            })
            .collect()
    }

    /// Accepts (an earlier-occurrence link to its target, as a new
    /// revision made on top of `expected_version`) or dismisses suggestion
    /// `position` of postmortem `id`. Returns the postmortem's version
    /// after. A stale version is [`DbError::Conflict`]; a decided
    /// suggestion cannot be decided again ([`DbError::NotFound`]).
    pub async fn decide_suggestion(
        &self,
        id: i64,
        position: i64,
        accept: bool,
        expected_version: i64,
        author: &str,
    ) -> Result<i64> {
        let mut tx = self.write().await?;
        let target: i64 = sql::query_scalar(
            "select target_id from suggestion
              where postmortem_id = ? and position = ? and state = 'open'",
        )
        .bind(id)
        .bind(position)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(DbError::NotFound)?;
        let current = postmortem::load(&mut tx, Filter::Id(id))
            .await?
            .pop()
            .ok_or(DbError::NotFound)?;
        if current.version != expected_version {
            return Err(DbError::Conflict {
                expected: expected_version,
                current: current.version,
            });
        }
        let mut version = current.version;
        let linked = current
            .parts
            .links
            .iter()
            .any(|l| l.target == format!("#{target}") && l.kind == "earlier_occurrence");
        if accept && !linked {
            let mut record = current.content();
            record.parts.links.push(Link {
                target: format!("#{target}"),
                kind: "earlier_occurrence".into(),
                note: "Suggested when the alert opened this incident.".into(),
            });
            postmortem::update(&mut tx, id, &record, author).await?;
            version += 1;
            record_revision(&mut tx, id, version, author, &record).await?;
        }
        sql::query("update suggestion set state = ? where postmortem_id = ? and position = ?")
            .bind(if accept { "accepted" } else { "dismissed" })
            .bind(id)
            .bind(position)
            .execute(&mut *tx)
            .await?;
        // Logged even when only the suggestion changed: whoever keeps
        // figures from the log (the insights) counts suggestions taken.
        log_change(&mut tx, id, ChangeOp::Upsert).await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Incidents whose clock runs (started, not resolved, write-up still a
    /// draft), newest first, at most [`MAX_ONGOING`], without the hidden.
    pub async fn ongoing(&self, hidden: &Hidden) -> Result<Vec<OngoingIncident>> {
        let rows = sql::query(
            "select p.postmortem_id, p.title, p.severity, p.started_at,
                    (select i.kind || ':' || i.name from intake_group g
                       join integration i on i.integration_id = g.integration_id
                      where g.postmortem_id = p.postmortem_id limit 1) as source,
                    b.postmortem_id as best_id, b.title as best_title
               from postmortem p
               left join postmortem b on b.postmortem_id =
                   (select s.target_id from suggestion s
                     where s.postmortem_id = p.postmortem_id and s.state = 'open'
                       and s.target_id not in (select cast(value as bigint) from json_each(?1))
                     order by s.position limit 1)
              where p.resolved_at is null and p.started_at is not null and p.status = 'draft'
                and p.postmortem_id not in (select cast(value as bigint) from json_each(?1))
              order by p.started_at desc
              limit ?2",
        )
        .bind(hidden.json())
        .bind(MAX_ONGOING)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let best_id: Option<i64> = r.try_get("best_id")?;
                let best_title: Option<String> = r.try_get("best_title")?;
                Ok(OngoingIncident {
                    id: r.try_get("postmortem_id")?,
                    title: r.try_get("title")?,
                    severity: postmortem::severity(r.try_get("severity")?),
                    started_at: r.try_get("started_at")?,
                    source: r.try_get("source")?,
                    best_match: best_id.zip(best_title),
                })
            })
            .collect()
    }
}
