//! Learning: patterns and lessons added per month, and how often the
//! "seen before?" suggestions shown during an incident led responders to
//! a past postmortem (a suggestion accepted as an earlier occurrence).

use super::incidents::IncidentFacts;
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
}

/// The learning section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Learning {
    /// Oldest first, every month of the period.
    pub months: Vec<LearningMonth>,
    /// `opened` as a percent of `suggested` over the period.
    pub opened_share: Option<f64>,
}

/// The learning of `facts` and the suggestions `shown` to them (each with
/// the month of the incident it was made to) over `months`.
pub fn learning(
    facts: &[&IncidentFacts],
    shown: &[(&str, &SuggestionFacts)],
    months: &[String],
) -> Learning {
    let slots = super::Slots::new(months);
    let mut months: Vec<LearningMonth> = months
        .iter()
        .map(|m| LearningMonth {
            month: m.clone(),
            patterns: 0,
            lessons: 0,
            suggested: 0,
            opened: 0,
        })
        .collect();
    for f in facts {
        if let Some(at) = slots.of_month(&f.month) {
            months[at].patterns += f.patterns.len();
            months[at].lessons += f.lessons;
        }
    }
    for (month, s) in shown {
        if let Some(at) = slots.of_month(month) {
            months[at].suggested += 1;
            months[at].opened += usize::from(s.accepted);
        }
    }
    let suggested: usize = months.iter().map(|m| m.suggested).sum();
    let opened: usize = months.iter().map(|m| m.opened).sum();
    Learning {
        months,
        opened_share: (suggested > 0).then(|| opened as f64 * 100.0 / suggested as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_lessons_and_suggestions_taken_per_month() {
        let f = |month: &str, patterns: usize, lessons| IncidentFacts {
            month: month.into(),
            patterns: vec!["p".into(); patterns],
            lessons,
            ..Default::default()
        };
        let facts = [f("2026-01", 2, 1), f("2026-01", 0, 3), f("2026-02", 1, 0)];
        let refs: Vec<&IncidentFacts> = facts.iter().collect();
        let (yes, no) = (
            SuggestionFacts {
                target_id: 9,
                accepted: true,
            },
            SuggestionFacts {
                target_id: 9,
                accepted: false,
            },
        );
        let suggestions = [
            ("2026-01", &yes),
            ("2026-01", &no),
            ("2026-02", &no),
            ("2026-02", &no),
        ];
        let months: Vec<String> = ["2026-01", "2026-02"].map(String::from).to_vec();
        let l = learning(&refs, &suggestions, &months);
        let got: Vec<(usize, usize, usize, usize)> = l
            .months
            .iter()
            .map(|m| (m.patterns, m.lessons, m.suggested, m.opened))
            .collect();
        assert_eq!(got, vec![(2, 4, 2, 1), (1, 0, 2, 0)]);
        assert_eq!(l.opened_share, Some(25.0));
        assert_eq!(learning(&refs, &[], &months).opened_share, None);
    }
}
