//! The clock: how long from the start of an incident until it was
//! detected, mitigated and resolved (`started` → `detected` → `mitigated`
//! → `resolved`), in minutes, per month and per severity. A postmortem
//! without one of the two times a figure needs is counted as missing for
//! that figure, never as zero; a time before the start is missing too.

use super::stats::{median, p90};
use super::IncidentFacts;
use crate::record::Durations;
use crate::Severity;
use serde::{Deserialize, Serialize};

/// What one postmortem tells the clock.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockFacts<'a> {
    /// The month it happened, `YYYY-MM`.
    pub month: &'a str,
    /// Its severity, if it has one.
    pub severity: Option<Severity>,
    /// Its durations (`Parts::durations`).
    pub durations: Durations,
}

impl<'a> ClockFacts<'a> {
    /// The clock of one postmortem.
    pub fn of(f: &'a IncidentFacts) -> Self {
        let since = |t: Option<i64>| Some((t? - f.started?) / 60);
        ClockFacts {
            month: &f.month,
            severity: f.severity,
            durations: Durations {
                to_detect: since(f.detected),
                to_mitigate: since(f.mitigated),
                to_resolve: since(f.resolved),
            },
        }
    }
}

/// One duration over a set of postmortems.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measure {
    /// Postmortems with both times.
    pub measured: usize,
    /// Postmortems missing one of them.
    pub missing: usize,
    /// Median, minutes.
    pub median: Option<i64>,
    /// 90th percentile, minutes.
    pub p90: Option<i64>,
}

/// The three durations over one set of postmortems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockRow {
    /// The month (`2026-03`), the severity (`SEV2`, `none`) or `all`.
    pub key: String,
    /// Postmortems in the set.
    pub incidents: usize,
    /// Start to detection.
    pub detect: Measure,
    /// Start to mitigation.
    pub mitigate: Measure,
    /// Start to resolution.
    pub resolve: Measure,
}

/// The clock section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// Every postmortem of the period.
    pub overall: ClockRow,
    /// Per month, oldest first, months without incidents left out.
    pub by_month: Vec<ClockRow>,
    /// Per severity, SEV1 first, those without a severity last.
    pub by_severity: Vec<ClockRow>,
}

fn measure(values: impl Iterator<Item = Option<i64>>) -> Measure {
    let mut m = Measure::default();
    let mut seen = Vec::new();
    for v in values {
        match v.filter(|minutes| *minutes >= 0) {
            Some(minutes) => seen.push(minutes),
            None => m.missing += 1,
        }
    }
    m.measured = seen.len();
    m.median = median(&seen);
    m.p90 = p90(&seen);
    m
}

fn row(key: String, facts: &[&ClockFacts<'_>]) -> ClockRow {
    ClockRow {
        key,
        incidents: facts.len(),
        detect: measure(facts.iter().map(|f| f.durations.to_detect)),
        mitigate: measure(facts.iter().map(|f| f.durations.to_mitigate)),
        resolve: measure(facts.iter().map(|f| f.durations.to_resolve)),
    }
}

/// The clock of `facts`, the postmortems of `months` (consecutive, oldest
/// first).
pub fn clock(facts: &[ClockFacts<'_>], months: &[String]) -> Clock {
    let slots = super::Slots::new(months);
    let all: Vec<&ClockFacts> = facts.iter().collect();
    let mut by_month: Vec<Vec<&ClockFacts>> = vec![Vec::new(); months.len()];
    let mut by_severity: Vec<Vec<&ClockFacts>> = vec![Vec::new(); Severity::ALL.len() + 1];
    for f in facts {
        if let Some(at) = slots.of_month(f.month) {
            by_month[at].push(f);
        }
        let slot = f
            .severity
            .and_then(|s| Severity::ALL.iter().position(|x| *x == s))
            .unwrap_or(Severity::ALL.len());
        by_severity[slot].push(f);
    }
    Clock {
        overall: row("all".into(), &all),
        by_month: months
            .iter()
            .zip(&by_month)
            .filter(|(_, of)| !of.is_empty())
            .map(|(m, of)| row(m.clone(), of))
            .collect(),
        by_severity: by_severity
            .iter()
            .enumerate()
            .filter(|(_, of)| !of.is_empty())
            .map(|(slot, of)| {
                let key = Severity::ALL.get(slot).map_or("none", |s| s.as_str());
                row(key.to_string(), of)
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Parts;

    fn facts<'a>(
        month: &'a str,
        severity: Option<Severity>,
        times: [Option<&str>; 4],
    ) -> ClockFacts<'a> {
        let t = |s: Option<&str>| s.map(str::to_string);
        let parts = Parts {
            started_at: t(times[0]),
            detected_at: t(times[1]),
            mitigated_at: t(times[2]),
            resolved_at: t(times[3]),
            ..Default::default()
        };
        ClockFacts {
            month,
            severity,
            durations: parts.durations(),
        }
    }

    #[test]
    fn missing_times_are_counted_as_missing_never_as_zero() {
        let start = Some("2026-03-01 10:00");
        let months = super::super::months("2026-03", "2026-04");
        let c = clock(
            &[
                facts(
                    "2026-03",
                    Some(Severity::Sev2),
                    [
                        start,
                        Some("2026-03-01 10:10"),
                        Some("2026-03-01 10:30"),
                        Some("2026-03-01 12:00"),
                    ],
                ),
                facts(
                    "2026-03",
                    Some(Severity::Sev2),
                    [
                        start,
                        Some("2026-03-01 10:30"),
                        None,
                        Some("2026-03-01 11:00"),
                    ],
                ),
                facts(
                    "2026-04",
                    None,
                    [None, Some("2026-04-02 09:00"), None, None],
                ),
                facts(
                    "2026-04",
                    Some(Severity::Sev1),
                    [
                        start,
                        Some("2026-03-01 09:00"),
                        None,
                        Some("2026-03-01 10:05"),
                    ],
                ),
            ],
            &months,
        );
        let all = &c.overall;
        assert_eq!(all.incidents, 4);
        // Detect: 10 and 30 minutes; no start; detected before the start.
        assert_eq!((all.detect.measured, all.detect.missing), (2, 2));
        assert_eq!((all.detect.median, all.detect.p90), (Some(10), Some(30)));
        assert_eq!((all.mitigate.measured, all.mitigate.missing), (1, 3));
        assert_eq!(all.resolve.measured, 3);
        assert_eq!((all.resolve.median, all.resolve.p90), (Some(60), Some(120)));

        let months: Vec<(&str, usize)> = c
            .by_month
            .iter()
            .map(|r| (r.key.as_str(), r.incidents))
            .collect();
        assert_eq!(months, vec![("2026-03", 2), ("2026-04", 2)]);
        let severities: Vec<&str> = c.by_severity.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(severities, vec!["SEV1", "SEV2", "none"]);
        assert_eq!(c.by_severity[1].detect.median, Some(10));
        assert_eq!(c.by_severity[2].detect.missing, 1);
        assert_eq!(c.by_severity[2].detect.median, None);
    }

    #[test]
    fn a_postmortems_clock_is_its_records_durations() {
        let t = [
            Some("2026-03-01 10:00"),
            Some("2026-03-01 10:12"),
            None,
            Some("2026-03-01T13:35:00Z"),
        ];
        let at = |i: usize| t[i].and_then(crate::insights::seconds);
        let f = IncidentFacts {
            started: at(0),
            detected: at(1),
            mitigated: at(2),
            resolved: at(3),
            ..Default::default()
        };
        let expected = facts("2026-03", None, t).durations;
        assert_eq!(ClockFacts::of(&f).durations, expected);
        assert_eq!(expected.to_resolve, Some(215));
    }
}
