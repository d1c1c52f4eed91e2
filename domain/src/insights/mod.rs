//! The figures of the insights page ([`compute`]), computed from facts about
//! postmortems: pure functions, so each figure's definition is the code
//! and its tests, whatever store or page asks.
//!
//! - `stats`: the median and 90th percentile every section uses, by
//!   nearest rank (always a value that was observed).
//! - `calibration`: how well stated confidence matched outcomes (Brier
//!   score, a reliability table, per person).
//! - `incidents`: incidents per month by severity, retrospective
//!   coverage and time to publish.
//! - `recurrence`: links to earlier occurrences, repeated patterns, time
//!   between recurrences, and recurrences after a prevention item closed.
//! - `items`: action items opened and closed, completion, overdue, days
//!   to close, per kind, priority, team and service.
//! - `learning`: patterns and lessons per month, suggestions taken.
//! - `clock`: time to detect, mitigate and resolve, per month and severity,
//!   missing times counted as missing.

pub mod calibration;
pub mod clock;
pub mod incidents;
pub mod items;
pub mod learning;
pub mod recurrence;
pub mod stats;
#[cfg(test)]
mod tests;

pub use calibration::{Bin, Calibration, Forecast, PersonScore};
pub use clock::{Clock, ClockFacts, ClockRow, Measure};
pub use incidents::{IncidentFacts, IncidentMonth, Incidents};
pub use items::{Completion, ItemFacts, ItemMonth, ItemsSection};
pub use learning::{Learning, LearningMonth, SuggestionFacts};
pub use recurrence::{RecurredAfterFix, Recurrence, RepeatedPattern};

use crate::Severity;
use serde::{Deserialize, Serialize};

/// Which postmortems the figures are about.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Filters {
    /// Only those naming this service.
    pub service: Option<String>,
    /// Only those of this team.
    pub team: Option<String>,
    /// Only this severity.
    pub severity: Option<Severity>,
}

impl Filters {
    fn admit(&self, f: &IncidentFacts) -> bool {
        self.service.as_ref().is_none_or(|s| f.services.contains(s))
            && self.team.as_ref().is_none_or(|t| f.teams.contains(t))
            && self.severity.is_none_or(|s| f.severity == Some(s))
    }
}

/// Every figure of the page, one object per section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Insights {
    /// The months of the period, `YYYY-MM`, oldest first.
    pub months: Vec<String>,
    /// Incidents per month, coverage.
    pub incidents: Incidents,
    /// Time to detect, mitigate, resolve.
    pub clock: Clock,
    /// Recurrences.
    pub recurrence: Recurrence,
    /// Action items.
    pub action_items: ItemsSection,
    /// Calibration of stated confidence.
    pub calibration: Calibration,
    /// Patterns, lessons, suggestions taken.
    pub learning: Learning,
}

/// The months from `from` to `to` (`YYYY-MM`), oldest first; empty when
/// either is unreadable or `from` is after `to`.
pub fn months(from: &str, to: &str) -> Vec<String> {
    let read = |m: &str| -> Option<i64> {
        let (y, mo) = m.split_once('-')?;
        let (y, mo): (i64, i64) = (y.parse().ok()?, mo.parse().ok()?);
        ((1..=12).contains(&mo) && (1..=9999).contains(&y)).then_some(y * 12 + mo - 1)
    };
    let (Some(a), Some(b)) = (read(from), read(to)) else {
        return Vec::new();
    };
    (a..=b.min(a + 1200))
        .map(|n| format!("{:04}-{:02}", n / 12, n % 12 + 1))
        .collect()
}

/// The twelve months up to and including the month of `today`
/// (`YYYY-MM-DD`): the default period.
pub fn last_twelve_months(today: &str) -> Vec<String> {
    let to = today.get(..7).unwrap_or_default();
    let Some((y, m)) = to.split_once('-') else {
        return Vec::new();
    };
    let (Ok(y), Ok(m)) = (y.parse::<i64>(), m.parse::<i64>()) else {
        return Vec::new();
    };
    let start = y * 12 + m - 1 - 11;
    months(&format!("{:04}-{:02}", start / 12, start % 12 + 1), to)
}

/// Every figure for the postmortems of `all` that `filters` admit and that
/// happened in `months`, their action items (`items`) and "seen before?"
/// suggestions. `all` holds every postmortem the reader may see: earlier
/// occurrences are looked up in it. `today` is `YYYY-MM-DD`.
pub fn compute(
    all: &[IncidentFacts],
    items: &[ItemFacts],
    suggestions: &[SuggestionFacts],
    months: &[String],
    filters: &Filters,
    today: &str,
) -> Insights {
    let admitted: Vec<IncidentFacts> = all.iter().filter(|f| filters.admit(f)).cloned().collect();
    let ids: std::collections::BTreeSet<i64> = admitted.iter().map(|f| f.id).collect();
    let period: Vec<&IncidentFacts> = admitted
        .iter()
        .filter(|f| months.contains(&f.month))
        .collect();
    let period_ids: std::collections::BTreeSet<i64> = period.iter().map(|f| f.id).collect();
    let clock_facts: Vec<ClockFacts> = period
        .iter()
        .map(|f| ClockFacts {
            month: f.month.clone(),
            severity: f.severity,
            durations: crate::record::Parts {
                started_at: f.started_at.clone(),
                detected_at: f.detected_at.clone(),
                mitigated_at: f.mitigated_at.clone(),
                resolved_at: f.resolved_at.clone(),
                ..Default::default()
            }
            .durations(),
        })
        .collect();
    let their_items: Vec<ItemFacts> = items
        .iter()
        .filter(|i| ids.contains(&i.postmortem_id))
        .cloned()
        .collect();
    let period_items: Vec<ItemFacts> = their_items
        .iter()
        .filter(|i| period_ids.contains(&i.postmortem_id))
        .cloned()
        .collect();
    let their_suggestions: Vec<SuggestionFacts> = suggestions
        .iter()
        .filter(|s| period_ids.contains(&s.postmortem_id))
        .cloned()
        .collect();
    Insights {
        months: months.to_vec(),
        incidents: incidents::incidents(&admitted, months),
        clock: clock::clock(&clock_facts),
        recurrence: recurrence::recurrence(&period, all, items),
        action_items: items::items(&their_items, &period_items, months, today),
        calibration: calibration::calibration(
            period
                .iter()
                .flat_map(|f| f.forecasts.iter().cloned())
                .collect(),
        ),
        learning: learning::learning(&period, &their_suggestions, months),
    }
}
