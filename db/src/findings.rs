//! Decisions on a postmortem's Investigate findings: accepted into the
//! record (and where) or dismissed, with who and when. The latest decision
//! on a finding replaces an earlier one.

use crate::sql;
use crate::{Result, Store};
use kb_domain::findings::FindingDecision;
use sqlx::Row;

impl Store {
    /// Records `who`'s decision on the finding (`kind`, `statement`) of
    /// postmortem `id`; `accepted_into` is empty for a dismissal.
    pub async fn decide_finding(
        &self,
        id: i64,
        kind: &str,
        statement: &str,
        accepted_into: Option<&str>,
        who: &str,
    ) -> Result<()> {
        let decision = if accepted_into.is_some() {
            "accepted"
        } else {
            "dismissed"
        };
        sql::query(
            "insert into finding_decision
                    (postmortem_id, kind, statement, decision, accepted_into, who)
             values (?, ?, ?, ?, ?, ?)
             on conflict (postmortem_id, kind, statement) do update
                set decision = excluded.decision, accepted_into = excluded.accepted_into,
                    who = excluded.who,
                    at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
        )
        .bind(id)
        .bind(kind)
        .bind(statement)
        .bind(decision)
        .bind(accepted_into.unwrap_or_default())
        .bind(who)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The decisions taken on postmortem `id`'s findings, oldest first.
    pub async fn finding_decisions(&self, id: i64) -> Result<Vec<FindingDecision>> {
        let rows = sql::query(
            "select kind, statement, decision, accepted_into, who, at
               from finding_decision where postmortem_id = ?
              order by finding_decision_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(FindingDecision {
                    kind: r.try_get("kind")?,
                    statement: r.try_get("statement")?,
                    decision: r.try_get("decision")?,
                    accepted_into: r.try_get("accepted_into")?,
                    who: r.try_get("who")?,
                    at: r.try_get("at")?,
                })
            })
            .collect()
    }
}
