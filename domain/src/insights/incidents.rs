//! Incidents per month by severity, and how many got a published
//! postmortem (retrospective coverage) and how long after resolution.

use super::stats::median;
use crate::record::epoch_seconds;
use crate::Severity;
use serde::{Deserialize, Serialize};

/// What one postmortem tells the incidents and recurrence sections.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IncidentFacts {
    /// Hindsight's id.
    pub id: i64,
    /// The month it happened, `YYYY-MM`: its start, else its date, else
    /// when it was written.
    pub month: String,
    /// Its severity, if it has one.
    pub severity: Option<Severity>,
    /// Its teams.
    pub teams: Vec<String>,
    /// Its services.
    pub services: Vec<String>,
    /// When it started, in seconds since 1970 ([`seconds`]), if known;
    /// so are the other times, read once when the facts are.
    pub started: Option<i64>,
    /// When it was detected, if known.
    pub detected: Option<i64>,
    /// When it was mitigated, if known.
    pub mitigated: Option<i64>,
    /// When it was resolved, if known.
    pub resolved: Option<i64>,
    /// When its write-up was published, if it is.
    pub published: Option<i64>,
    /// The postmortems it names as earlier occurrences of itself.
    pub earlier: Vec<i64>,
    /// The names of the patterns among its learnings.
    pub patterns: Vec<String>,
    /// How many other lessons it holds.
    pub lessons: usize,
    /// What its hypotheses' confidence steps forecast.
    pub forecasts: Vec<std::sync::Arc<super::Forecast>>,
}

/// One month's incidents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Incidents, all severities.
    pub total: usize,
    /// SEV1 to SEV4, then those without a severity.
    pub by_severity: [usize; 5],
    /// Those whose postmortem is published.
    pub published: usize,
    /// `published` as a percent of `total`.
    pub coverage: f64,
    /// Median hours from resolution to publication, over those with both.
    pub publish_hours_median: Option<i64>,
}

/// The incidents section: the months of the period (those without
/// incidents too) and their sum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incidents {
    /// Oldest first.
    pub months: Vec<IncidentMonth>,
    /// Over the whole period (its `month` is `all`).
    pub total: IncidentMonth,
}

fn severity_slot(s: Option<Severity>) -> usize {
    match s {
        Some(s) => Severity::ALL.iter().position(|x| *x == s).unwrap_or(4),
        None => 4,
    }
}

/// Seconds since 1970 of a time as written by people
/// (`2026-01-05 10:00`) or stamped by the store
/// (`2026-01-07T10:00:00.000Z`: the fraction is dropped).
pub fn seconds(text: &str) -> Option<i64> {
    let whole = text.split('.').next().unwrap_or(text);
    epoch_seconds(whole)
}

/// Whole hours from `from` to `to`, when both are known and in order.
fn hours_between(from: Option<i64>, to: Option<i64>) -> Option<i64> {
    let (a, b) = (from?, to?);
    (b >= a).then_some((b - a) / 3600)
}

fn month_of(key: &str, facts: &[&IncidentFacts]) -> IncidentMonth {
    let mut by_severity = [0; 5];
    for f in facts {
        by_severity[severity_slot(f.severity)] += 1;
    }
    let published = facts.iter().filter(|f| f.published.is_some()).count();
    let delays: Vec<i64> = facts
        .iter()
        .filter_map(|f| hours_between(f.resolved, f.published))
        .collect();
    IncidentMonth {
        month: key.to_string(),
        total: facts.len(),
        by_severity,
        published,
        coverage: if facts.is_empty() {
            0.0
        } else {
            published as f64 * 100.0 / facts.len() as f64
        },
        publish_hours_median: median(&delays),
    }
}

/// The incidents of `facts` over `months` (`YYYY-MM`, consecutive, oldest
/// first).
pub fn incidents(facts: &[&IncidentFacts], months: &[String]) -> Incidents {
    let slots = super::Slots::new(months);
    let mut by_month: Vec<Vec<&IncidentFacts>> = vec![Vec::new(); months.len()];
    for f in facts {
        if let Some(at) = slots.of_month(&f.month) {
            by_month[at].push(f);
        }
    }
    let in_period: Vec<&IncidentFacts> = by_month.iter().flatten().copied().collect();
    Incidents {
        months: months
            .iter()
            .zip(&by_month)
            .map(|(m, of)| month_of(m, of))
            .collect(),
        total: month_of("all", &in_period),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_count_by_severity_and_coverage_with_time_to_publish() {
        let f = |id, month: &str, severity, resolved: Option<&str>, published: Option<&str>| {
            IncidentFacts {
                id,
                month: month.into(),
                severity,
                resolved: resolved.and_then(seconds),
                published: published.and_then(seconds),
                ..Default::default()
            }
        };
        let facts = [
            f(
                1,
                "2026-01",
                Some(Severity::Sev1),
                Some("2026-01-05 10:00"),
                Some("2026-01-07T10:00:00.000Z"),
            ),
            f(
                2,
                "2026-01",
                Some(Severity::Sev3),
                Some("2026-01-09 08:00"),
                Some("2026-01-09T20:30:00.000Z"),
            ),
            f(3, "2026-01", None, None, None),
            f(
                4,
                "2026-03",
                Some(Severity::Sev3),
                Some("2026-03-02 00:00"),
                None,
            ),
            f(5, "2025-12", Some(Severity::Sev2), None, None),
        ];
        let months: Vec<String> = ["2026-01", "2026-02", "2026-03"].map(String::from).to_vec();
        let refs: Vec<&IncidentFacts> = facts.iter().collect();
        let s = incidents(&refs, &months);
        assert_eq!(s.months.len(), 3);
        let jan = &s.months[0];
        assert_eq!((jan.total, jan.by_severity), (3, [1, 0, 1, 0, 1]));
        assert_eq!(jan.published, 2);
        assert!((jan.coverage - 200.0 / 3.0).abs() < 1e-9);
        // 48 h and 12 h: the median by nearest rank is the lower.
        assert_eq!(jan.publish_hours_median, Some(12));
        assert_eq!((s.months[1].total, s.months[1].coverage), (0, 0.0));
        assert_eq!(s.months[2].publish_hours_median, None);
        // December is outside the period.
        assert_eq!((s.total.total, s.total.by_severity), (4, [1, 0, 2, 0, 1]));
        assert_eq!(s.total.coverage, 50.0);
    }
}
