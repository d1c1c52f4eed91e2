//! The facts the insights page computes its figures from
//! (`kb_domain::insights`), one [`PostmortemFacts`] per postmortem, whoever
//! reads: the caller leaves out what a reader may not see, and the figures
//! treat whatever points at a postmortem left out as absent.

use crate::{sql, Result, Store};
use futures_util::TryStreamExt;
use kb_domain::insights::{
    seconds, Forecast, IncidentFacts, ItemFacts, PostmortemFacts, SuggestionFacts,
};
use kb_domain::record::{ActionKind, ActionStatus, HypothesisOutcome, LearningKind, Priority};
use kb_domain::Severity;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Ids per `in (…)` list when reading some postmortems' facts.
const CHUNK: usize = 500;

/// The month a postmortem happened: its start, else its date, else when
/// it was written.
fn month_of(started: Option<&str>, date: Option<&str>, created: &str) -> String {
    [started, date, Some(created)]
        .into_iter()
        .flatten()
        .find_map(|t| t.get(..7).filter(|m| m.as_bytes().get(4) == Some(&b'-')))
        .unwrap_or_default()
        .to_string()
}

impl Store {
    /// The insights facts of every postmortem, ordered by id, and the
    /// change-log position they are at least as new as: a write after it
    /// may be in them or not, so whoever keeps them reads the writes after
    /// it again.
    pub async fn insight_facts(&self) -> Result<(i64, Vec<PostmortemFacts>)> {
        let mut tx = self.pool.begin().await?;
        let seq: Option<i64> = sql::query_scalar("select max(seq) from change_log")
            .fetch_one(&mut *tx)
            .await?;
        let facts = read(&mut tx, "").await?;
        tx.commit().await?;
        Ok((seq.unwrap_or(0), facts))
    }

    /// The insights facts of the postmortems `ids` that exist, ordered by
    /// id (a deleted one is simply absent).
    pub async fn insight_facts_of(&self, ids: &[i64]) -> Result<Vec<PostmortemFacts>> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let mut tx = self.pool.begin().await?;
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(CHUNK) {
            let list = chunk
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            out.extend(read(&mut tx, &format!("postmortem_id in ({list})")).await?);
        }
        tx.commit().await?;
        Ok(out)
    }
}

/// The facts of the postmortems `scope` chooses (a condition on
/// `postmortem_id`; empty for all): a query per table.
async fn read(conn: &mut AnyConnection, scope: &str) -> Result<Vec<PostmortemFacts>> {
    let only = || -> String {
        if scope.is_empty() {
            String::new()
        } else {
            format!("where {scope}")
        }
    };
    let and = |alias: &str| -> String {
        if scope.is_empty() {
            String::new()
        } else {
            format!("and {alias}.{scope}")
        }
    };
    let mut rows = sql::query(format!(
        "select postmortem_id, severity, incident_date, created_at, started_at,
                detected_at, mitigated_at, resolved_at, published_at
           from postmortem {} order by postmortem_id",
        only()
    ))
    .fetch(&mut *conn);
    let mut facts: BTreeMap<i64, PostmortemFacts> = BTreeMap::new();
    while let Some(r) = rows.try_next().await? {
        let incident = incident(&r)?;
        facts.insert(
            incident.id,
            PostmortemFacts {
                incident,
                ..Default::default()
            },
        );
    }
    drop(rows);
    for (table, teams) in [("postmortem_team", true), ("postmortem_service", false)] {
        let mut rows = sql::query(format!(
            "select postmortem_id, name from {table} {} order by postmortem_id, position",
            only()
        ))
        .fetch(&mut *conn);
        while let Some(r) = rows.try_next().await? {
            if let Some(p) = facts.get_mut(&r.try_get("postmortem_id")?) {
                let list = if teams {
                    &mut p.incident.teams
                } else {
                    &mut p.incident.services
                };
                list.push(r.try_get("name")?);
            }
        }
        drop(rows);
    }
    let mut rows = sql::query(format!(
        "select postmortem_id, to_postmortem_id from postmortem_link
          where kind = 'earlier_occurrence' {} order by postmortem_id, position",
        and("postmortem_link")
    ))
    .fetch(&mut *conn);
    while let Some(r) = rows.try_next().await? {
        if let Some(p) = facts.get_mut(&r.try_get("postmortem_id")?) {
            p.incident.earlier.push(r.try_get("to_postmortem_id")?);
        }
    }
    drop(rows);
    let mut rows = sql::query(format!(
        "select postmortem_id, kind, title from learning {} order by postmortem_id, position",
        only()
    ))
    .fetch(&mut *conn);
    while let Some(r) = rows.try_next().await? {
        if let Some(p) = facts.get_mut(&r.try_get("postmortem_id")?) {
            let kind: String = r.try_get("kind")?;
            if LearningKind::parse(&kind) == Some(LearningKind::Pattern) {
                p.incident.patterns.push(r.try_get("title")?);
            } else {
                p.incident.lessons += 1;
            }
        }
    }
    drop(rows);
    forecasts(conn, &and("h"), &mut facts).await?;
    let mut rows = sql::query(format!(
        "select action_item_id, postmortem_id, title, kind, priority, status,
                created_at, closed_at, due
           from action_item {} order by action_item_id",
        only()
    ))
    .fetch(&mut *conn);
    while let Some(r) = rows.try_next().await? {
        if let Some(p) = facts.get_mut(&r.try_get("postmortem_id")?) {
            let text = |column: &str| -> Result<String> { Ok(r.try_get(column)?) };
            let time = |column: &str| -> Result<Option<i64>> {
                Ok(r.try_get::<Option<String>, _>(column)?
                    .as_deref()
                    .and_then(seconds))
            };
            let item = ItemFacts {
                id: r.try_get("action_item_id")?,
                title: text("title")?,
                kind: ActionKind::parse(&text("kind")?),
                priority: Priority::parse(&text("priority")?),
                status: ActionStatus::parse(&text("status")?),
                created: time("created_at")?,
                closed: time("closed_at")?,
                due: r.try_get("due")?,
            };
            p.items.push(item);
        }
    }
    drop(rows);
    let mut rows = sql::query(format!(
        "select postmortem_id, target_id, state from suggestion {} order by postmortem_id, position",
        only()
    ))
    .fetch(&mut *conn);
    while let Some(r) = rows.try_next().await? {
        if let Some(p) = facts.get_mut(&r.try_get("postmortem_id")?) {
            p.suggestions.push(SuggestionFacts {
                target_id: r.try_get("target_id")?,
                accepted: r.try_get::<String, _>("state")? == "accepted",
            });
        }
    }
    drop(rows);
    Ok(facts.into_values().collect())
}

fn incident(r: &AnyRow) -> Result<IncidentFacts> {
    let started: Option<String> = r.try_get("started_at")?;
    let date: Option<String> = r.try_get("incident_date")?;
    let created: String = r.try_get("created_at")?;
    let time = |column: &str| -> Result<Option<i64>> {
        Ok(r.try_get::<Option<String>, _>(column)?
            .as_deref()
            .and_then(seconds))
    };
    Ok(IncidentFacts {
        id: r.try_get("postmortem_id")?,
        month: month_of(started.as_deref(), date.as_deref(), &created),
        severity: r
            .try_get::<Option<String>, _>("severity")?
            .and_then(|s| s.parse::<Severity>().ok()),
        started: started.as_deref().and_then(seconds),
        detected: time("detected_at")?,
        mitigated: time("mitigated_at")?,
        resolved: time("resolved_at")?,
        published: time("published_at")?,
        ..Default::default()
    })
}

/// Every confidence step of the hypotheses whose outcome is known, each a
/// forecast, onto its postmortem's facts.
async fn forecasts(
    conn: &mut AnyConnection,
    scope: &str,
    facts: &mut BTreeMap<i64, PostmortemFacts>,
) -> Result<()> {
    let mut rows = sql::query(format!(
        "select h.postmortem_id, h.hypothesis_id, h.statement, h.outcome, c.value, c.stated_by
           from hypothesis h join hypothesis_confidence c on c.hypothesis_id = h.hypothesis_id
          where h.outcome in ('confirmed', 'refuted') {scope}
          order by h.postmortem_id, h.position, c.position"
    ))
    .fetch(&mut *conn);
    let mut previous = None;
    let mut step = 0;
    while let Some(r) = rows.try_next().await? {
        let id: i64 = r.try_get("postmortem_id")?;
        let Some(p) = facts.get_mut(&id) else {
            continue;
        };
        let hypothesis: i64 = r.try_get("hypothesis_id")?;
        let statement = match (previous, p.incident.forecasts.last()) {
            // The steps of one hypothesis share its text.
            (Some(h), Some(last)) if h == hypothesis => {
                step += 1;
                last.statement.clone()
            }
            _ => {
                step = 1;
                r.try_get::<String, _>("statement")?.into()
            }
        };
        previous = Some(hypothesis);
        let by: String = r.try_get("stated_by")?;
        p.incident.forecasts.push(Arc::new(Forecast {
            postmortem_id: id,
            statement,
            step,
            stated: r.try_get::<i64, _>("value")?.clamp(0, 100),
            by: (!by.is_empty()).then(|| by.into()),
            confirmed: HypothesisOutcome::parse(&r.try_get::<String, _>("outcome")?)
                == Some(HypothesisOutcome::Confirmed),
        }));
    }
    drop(rows);
    Ok(())
}
