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
pub use incidents::{seconds, IncidentFacts, IncidentMonth, Incidents};
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

/// `2026-03` → months since year 0 (`2026 × 12 + 2`), without allocating.
fn month_number(m: &str) -> Option<i64> {
    let b = m.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<i64> {
        b.get(r)?.iter().try_fold(0i64, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
        })
    };
    if b.len() != 7 || b[4] != b'-' {
        return None;
    }
    let (y, mo) = (digits(0..4)?, digits(5..7)?);
    (1..=12).contains(&mo).then_some(y * 12 + mo - 1)
}

/// The months of a period (consecutive, oldest first, as [`months`] gives
/// them) as slots `0..len`, found from a `YYYY-MM` or a time in seconds
/// without allocating: every section counts into a slot per month.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slots {
    first: i64,
    len: usize,
}

impl Slots {
    pub(crate) fn new(months: &[String]) -> Self {
        let first = months.first().and_then(|m| month_number(m)).unwrap_or(0);
        debug_assert!(months
            .iter()
            .enumerate()
            .all(|(i, m)| month_number(m) == Some(first + i as i64)));
        Slots {
            first,
            len: months.len(),
        }
    }

    fn slot(&self, number: i64) -> Option<usize> {
        let at = usize::try_from(number - self.first).ok()?;
        (at < self.len).then_some(at)
    }

    /// The slot of a `YYYY-MM`.
    pub(crate) fn of_month(&self, m: &str) -> Option<usize> {
        self.slot(month_number(m)?)
    }

    /// The slot of the month a time (seconds since 1970) falls in.
    pub(crate) fn of_time(&self, t: i64) -> Option<usize> {
        let (y, m, _) = crate::calendar::civil_from_days(t.div_euclid(86_400));
        self.slot(y * 12 + m - 1)
    }
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

/// Everything one postmortem tells the insights: itself, its action
/// items and the "seen before?" suggestions made to it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PostmortemFacts {
    /// The postmortem.
    pub incident: IncidentFacts,
    /// Its action items.
    pub items: Vec<ItemFacts>,
    /// The suggestions made to it.
    pub suggestions: Vec<SuggestionFacts>,
}

/// The postmortems a reader may see, ordered by id, to look up what links
/// and suggestions point at: anything else is as if it did not exist.
struct Visible<'a>(Vec<&'a PostmortemFacts>);

impl<'a> Visible<'a> {
    fn new(facts: &[&'a PostmortemFacts]) -> Self {
        let mut v = facts.to_vec();
        if !v.is_sorted_by_key(|p| p.incident.id) {
            v.sort_by_key(|p| p.incident.id);
        }
        Visible(v)
    }

    fn get(&self, id: i64) -> Option<&'a PostmortemFacts> {
        let at = self.0.binary_search_by_key(&id, |p| p.incident.id).ok()?;
        Some(self.0[at])
    }
}

/// Every figure for the postmortems of `visible` that `filters` admit and
/// that happened in `months`, with their action items and suggestions.
/// `visible` holds every postmortem the reader may see, and only those:
/// links and suggestions pointing at any other count as absent, so a
/// postmortem left out changes no figure. `today` is `YYYY-MM-DD`.
///
/// One pass per section over what the period and filters admit, so a
/// hundred thousand postmortems take milliseconds.
pub fn compute(
    visible: &[&PostmortemFacts],
    months: &[String],
    filters: &Filters,
    today: &str,
) -> Insights {
    let visible = Visible::new(visible);
    let slots = Slots::new(months);
    let admitted: Vec<&PostmortemFacts> = visible
        .0
        .iter()
        .copied()
        .filter(|p| filters.admit(&p.incident))
        .collect();
    let period: Vec<&PostmortemFacts> = admitted
        .iter()
        .copied()
        .filter(|p| slots.of_month(&p.incident.month).is_some())
        .collect();
    let period_incidents: Vec<&IncidentFacts> = period.iter().map(|p| &p.incident).collect();
    let clock_facts: Vec<ClockFacts> = period_incidents.iter().map(|f| ClockFacts::of(f)).collect();
    let every_item: Vec<&ItemFacts> = admitted.iter().flat_map(|p| &p.items).collect();
    Insights {
        months: months.to_vec(),
        incidents: incidents::incidents(&period_incidents, months),
        clock: clock::clock(&clock_facts, months),
        recurrence: recurrence::recurrence(&period, &|id| visible.get(id)),
        action_items: items::items(&every_item, &period, months, today),
        calibration: calibration::calibration(
            period_incidents
                .iter()
                .flat_map(|f| f.forecasts.iter())
                .collect(),
        ),
        learning: learning::learning(&period, &|s| visible.get(s.target_id).is_some(), months),
    }
}
