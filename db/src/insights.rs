//! The facts the insights page computes its figures from
//! (`kb_domain::insights`), read for one reader: postmortems hidden from
//! them, and everything pointing at one, are left out, so no figure gives
//! away that one exists.

use crate::access::Hidden;
use crate::{sql, Result, Store};
use kb_domain::insights::{Forecast, IncidentFacts, ItemFacts, SuggestionFacts};
use kb_domain::record::{HypothesisOutcome, LearningKind};
use kb_domain::Severity;
use sqlx::Row;
use std::collections::HashMap;

/// Everything the insights page needs, as one reader may see it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InsightFacts {
    /// Every postmortem they may see.
    pub incidents: Vec<IncidentFacts>,
    /// Those postmortems' action items.
    pub items: Vec<ItemFacts>,
    /// "Seen before?" suggestions between postmortems they may see.
    pub suggestions: Vec<SuggestionFacts>,
}

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
    /// The insights facts of every postmortem not in `hidden`. One read
    /// transaction, a query per table.
    pub async fn insight_facts(&self, hidden: &Hidden) -> Result<InsightFacts> {
        let mut tx = self.pool.begin().await?;
        let seen = |id: i64| !hidden.contains(id);
        let rows = sql::query(
            "select postmortem_id, severity, incident_date, created_at, started_at,
                    detected_at, mitigated_at, resolved_at, published_at
               from postmortem order by postmortem_id",
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut incidents = Vec::with_capacity(rows.len());
        let mut at: HashMap<i64, usize> = HashMap::new();
        for r in &rows {
            let id: i64 = r.try_get("postmortem_id")?;
            if !seen(id) {
                continue;
            }
            let started: Option<String> = r.try_get("started_at")?;
            let date: Option<String> = r.try_get("incident_date")?;
            let created: String = r.try_get("created_at")?;
            at.insert(id, incidents.len());
            incidents.push(IncidentFacts {
                id,
                month: month_of(started.as_deref(), date.as_deref(), &created),
                severity: r
                    .try_get::<Option<String>, _>("severity")?
                    .and_then(|s| s.parse::<Severity>().ok()),
                started_at: started,
                detected_at: r.try_get("detected_at")?,
                mitigated_at: r.try_get("mitigated_at")?,
                resolved_at: r.try_get("resolved_at")?,
                published_at: r.try_get("published_at")?,
                ..Default::default()
            });
        }
        let of = |id: i64| at.get(&id).copied();
        for (table, teams) in [("postmortem_team", true), ("postmortem_service", false)] {
            let rows = sql::query(format!(
                "select postmortem_id, name from {table} order by postmortem_id, position"
            ))
            .fetch_all(&mut *tx)
            .await?;
            for r in &rows {
                if let Some(i) = of(r.try_get("postmortem_id")?) {
                    let list = if teams {
                        &mut incidents[i].teams
                    } else {
                        &mut incidents[i].services
                    };
                    list.push(r.try_get("name")?);
                }
            }
        }
        let rows = sql::query(
            "select postmortem_id, to_postmortem_id from postmortem_link
              where kind = 'earlier_occurrence' order by postmortem_id, position",
        )
        .fetch_all(&mut *tx)
        .await?;
        for r in &rows {
            let to: i64 = r.try_get("to_postmortem_id")?;
            if let (Some(i), true) = (of(r.try_get("postmortem_id")?), seen(to)) {
                incidents[i].earlier.push(to);
            }
        }
        let rows = sql::query(
            "select postmortem_id, kind, title from learning order by postmortem_id, position",
        )
        .fetch_all(&mut *tx)
        .await?;
        for r in &rows {
            if let Some(i) = of(r.try_get("postmortem_id")?) {
                let kind: String = r.try_get("kind")?;
                if LearningKind::parse(&kind) == Some(LearningKind::Pattern) {
                    incidents[i].patterns.push(r.try_get("title")?);
                } else {
                    incidents[i].lessons += 1;
                }
            }
        }
        let rows = sql::query(
            "select h.postmortem_id, h.hypothesis_id, h.statement, h.outcome, c.value, c.stated_by
               from hypothesis h join hypothesis_confidence c on c.hypothesis_id = h.hypothesis_id
              where h.outcome in ('confirmed', 'refuted')
              order by h.postmortem_id, h.position, c.position",
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut previous = None;
        let mut step = 0;
        for r in &rows {
            let id: i64 = r.try_get("postmortem_id")?;
            let Some(i) = of(id) else { continue };
            let hypothesis: i64 = r.try_get("hypothesis_id")?;
            step = if previous == Some(hypothesis) {
                step + 1
            } else {
                1
            };
            previous = Some(hypothesis);
            let statement: String = r.try_get("statement")?;
            let by: String = r.try_get("stated_by")?;
            incidents[i].forecasts.push(Forecast {
                postmortem_id: id,
                statement,
                step,
                stated: r.try_get::<i64, _>("value")?.clamp(0, 100),
                by: (!by.is_empty()).then_some(by),
                confirmed: HypothesisOutcome::parse(&r.try_get::<String, _>("outcome")?)
                    == Some(HypothesisOutcome::Confirmed),
            });
        }
        let rows = sql::query(
            "select action_item_id, postmortem_id, title, kind, priority, status,
                    created_at, closed_at, due
               from action_item order by action_item_id",
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut items = Vec::with_capacity(rows.len());
        for r in &rows {
            let postmortem_id: i64 = r.try_get("postmortem_id")?;
            let Some(i) = of(postmortem_id) else { continue };
            items.push(ItemFacts {
                id: r.try_get("action_item_id")?,
                postmortem_id,
                title: r.try_get("title")?,
                kind: r.try_get("kind")?,
                priority: r.try_get("priority")?,
                status: r.try_get("status")?,
                created_at: r.try_get("created_at")?,
                closed_at: r.try_get("closed_at")?,
                due: r.try_get("due")?,
                teams: incidents[i].teams.clone(),
                services: incidents[i].services.clone(),
            });
        }
        let rows = sql::query("select postmortem_id, target_id, state from suggestion")
            .fetch_all(&mut *tx)
            .await?;
        let mut suggestions = Vec::new();
        for r in &rows {
            let id: i64 = r.try_get("postmortem_id")?;
            let target: i64 = r.try_get("target_id")?;
            if let (Some(i), true) = (of(id), seen(target)) {
                suggestions.push(SuggestionFacts {
                    postmortem_id: id,
                    month: incidents[i].month.clone(),
                    accepted: r.try_get::<String, _>("state")? == "accepted",
                });
            }
        }
        tx.commit().await?;
        Ok(InsightFacts {
            incidents,
            items,
            suggestions,
        })
    }
}
