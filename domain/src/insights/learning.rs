//! Learning: patterns and lessons added per month, and how often the
//! "seen before?" suggestions shown during an incident led responders to
//! a past postmortem (a suggestion accepted as an earlier occurrence).

use super::PostmortemFacts;
use serde::{Deserialize, Serialize};

/// A "seen before?" suggestion made to an ongoing incident.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SuggestionFacts {
    /// The past postmortem it pointed at.
    pub target_id: i64,
    /// Whether the responders took it as an earlier occurrence.
    pub accepted: bool,
}

/// One month's learning.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearningMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Patterns named by that month's postmortems.
    pub patterns: usize,
    /// Other lessons.
    pub lessons: usize,
    /// Suggestions shown to that month's incidents.
    pub suggested: usize,
    /// Of those, taken as an earlier occurrence.
    pub opened: usize,
    /// Incidents shown at least one suggestion.
    pub incidents_suggested: usize,
    /// Of those, incidents that took one: their search during the
    /// incident led to a past postmortem.
    pub incidents_helped: usize,
}

/// The learning section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Learning {
    /// Oldest first, every month of the period.
    pub months: Vec<LearningMonth>,
    /// `opened` as a percent of `suggested` over the period.
    pub opened_share: Option<f64>,
    /// `incidents_helped` as a percent of `incidents_suggested` over the
    /// period: how often an incident's "seen before?" search led its
    /// responders to a past postmortem.
    pub helped_share: Option<f64>,
}

/// The learning of the postmortems of `period` over `months`, counting
/// only suggestions whose past postmortem `shown` admits (one the reader
/// may see).
pub fn learning(
    period: &[&PostmortemFacts],
    shown: &dyn Fn(&SuggestionFacts) -> bool,
    months: &[String],
) -> Learning {
    let slots = super::Slots::new(months);
    let mut months: Vec<LearningMonth> = months
        .iter()
        .map(|m| LearningMonth {
            month: m.clone(),
            ..Default::default()
        })
        .collect();
    for p in period {
        let Some(m) = slots.of_month(&p.incident.month).map(|at| &mut months[at]) else {
            continue;
        };
        m.patterns += p.incident.patterns.len();
        m.lessons += p.incident.lessons;
        let (mut suggested, mut opened) = (0, 0);
        for s in p.suggestions.iter().filter(|s| shown(s)) {
            suggested += 1;
            opened += usize::from(s.accepted);
        }
        m.suggested += suggested;
        m.opened += opened;
        m.incidents_suggested += usize::from(suggested > 0);
        m.incidents_helped += usize::from(opened > 0);
    }
    let share = |part: fn(&LearningMonth) -> usize, whole: fn(&LearningMonth) -> usize| {
        let (p, w): (usize, usize) = (
            months.iter().map(part).sum(),
            months.iter().map(whole).sum(),
        );
        (w > 0).then(|| p as f64 * 100.0 / w as f64)
    };
    Learning {
        opened_share: share(|m| m.opened, |m| m.suggested),
        helped_share: share(|m| m.incidents_helped, |m| m.incidents_suggested),
        months,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insights::IncidentFacts;

    #[test]
    fn patterns_lessons_and_suggestions_taken_per_month_and_incident() {
        let taken = |target_id, accepted| SuggestionFacts {
            target_id,
            accepted,
        };
        let f = |month: &str, patterns: usize, lessons, suggestions| PostmortemFacts {
            incident: IncidentFacts {
                month: month.into(),
                patterns: vec!["p".into(); patterns],
                lessons,
                ..Default::default()
            },
            suggestions,
            ..Default::default()
        };
        let facts = [
            f("2026-01", 2, 1, vec![taken(9, true), taken(8, false)]),
            f("2026-01", 0, 3, vec![]),
            f("2026-02", 1, 0, vec![taken(9, false), taken(7, false)]),
            // Its only taken suggestion points at 6, hidden below.
            f("2026-02", 0, 0, vec![taken(6, true)]),
        ];
        let refs: Vec<&PostmortemFacts> = facts.iter().collect();
        let months: Vec<String> = ["2026-01", "2026-02"].map(String::from).to_vec();
        let l = learning(&refs, &|s| s.target_id != 6, &months);
        let got: Vec<[usize; 6]> = l
            .months
            .iter()
            .map(|m| {
                [
                    m.patterns,
                    m.lessons,
                    m.suggested,
                    m.opened,
                    m.incidents_suggested,
                    m.incidents_helped,
                ]
            })
            .collect();
        assert_eq!(got, vec![[2, 4, 2, 1, 1, 1], [1, 0, 2, 0, 1, 0]]);
        assert_eq!(l.opened_share, Some(25.0));
        assert_eq!(l.helped_share, Some(50.0));
        let none = learning(&refs, &|_| false, &months);
        assert_eq!((none.opened_share, none.helped_share), (None, None));
    }
}
