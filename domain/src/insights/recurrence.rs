//! Recurrence: postmortems linked to an earlier occurrence of themselves,
//! patterns seen more than once, the time between a recurrence and what
//! it recurred from, and the incidents that recurred after an action item
//! meant to prevent them was closed ("did it work?" across the knowledge
//! base).

use super::stats::{median, p90};
use super::PostmortemFacts;
use crate::calendar::civil_from_days;
use crate::record::{ActionKind, ActionStatus};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A pattern named in more than one postmortem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepeatedPattern {
    /// Its name as first written.
    pub name: String,
    /// In how many postmortems.
    pub seen: usize,
}

/// An incident that came back after an item meant to prevent it was
/// closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecurredAfterFix {
    /// The later incident.
    pub postmortem_id: i64,
    /// The earlier one, whose item it was.
    pub earlier_id: i64,
    /// The item.
    pub item_id: i64,
    /// What it said it would do.
    pub item_title: String,
    /// The day it was closed, `YYYY-MM-DD`.
    pub closed_on: String,
}

/// The recurrence section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recurrence {
    /// Postmortems of the period.
    pub incidents: usize,
    /// Of those, how many name an earlier occurrence.
    pub linked: usize,
    /// Patterns named in two or more postmortems, most seen first.
    pub patterns: Vec<RepeatedPattern>,
    /// Links whose two starts are known.
    pub intervals: usize,
    /// Median days from the earlier start to the later one.
    pub days_between_median: Option<i64>,
    /// 90th percentile of the same.
    pub days_between_p90: Option<i64>,
    /// Recurrences after a closed prevention item.
    pub after_fix: Vec<RecurredAfterFix>,
}

/// The recurrence of `period` (the postmortems of the period), looking up
/// earlier occurrences with `find`: a link to a postmortem it does not
/// find (one the reader may not see) is no link.
pub fn recurrence<'a>(
    period: &[&'a PostmortemFacts],
    find: &dyn Fn(i64) -> Option<&'a PostmortemFacts>,
) -> Recurrence {
    // By name, whatever its case and spacing: (first spelling, postmortems).
    let mut seen: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for f in period.iter().map(|p| &p.incident) {
        let mut counted = Vec::new();
        for name in &f.patterns {
            let key = name.trim().to_lowercase();
            if key.is_empty() || counted.contains(&key) {
                continue;
            }
            seen.entry(key.clone())
                .or_insert_with(|| (name.trim().to_string(), 0))
                .1 += 1;
            counted.push(key);
        }
    }
    let mut patterns: Vec<RepeatedPattern> = seen
        .into_values()
        .filter(|(_, n)| *n > 1)
        .map(|(name, seen)| RepeatedPattern { name, seen })
        .collect();
    patterns.sort_by(|a, b| b.seen.cmp(&a.seen).then_with(|| a.name.cmp(&b.name)));

    let mut days = Vec::new();
    let mut after_fix = Vec::new();
    let mut linked = 0;
    for later in period.iter().map(|p| &p.incident) {
        let earlier: Vec<&PostmortemFacts> =
            later.earlier.iter().filter_map(|id| find(*id)).collect();
        linked += usize::from(!earlier.is_empty());
        let Some(start) = later.started else { continue };
        for earlier in earlier {
            if let Some(a) = earlier.incident.started.filter(|a| start >= *a) {
                days.push((start - a) / 86_400);
            }
            for item in &earlier.items {
                let prevention = item.kind == Some(ActionKind::Prevent);
                let closed = item.closed.filter(|_| {
                    matches!(item.status, Some(ActionStatus::Done | ActionStatus::WontDo))
                });
                if let (true, Some(closed)) = (prevention, closed) {
                    if closed < start {
                        let (y, m, d) = civil_from_days(closed.div_euclid(86_400));
                        after_fix.push(RecurredAfterFix {
                            postmortem_id: later.id,
                            earlier_id: earlier.incident.id,
                            item_id: item.id,
                            item_title: item.title.clone(),
                            closed_on: format!("{y:04}-{m:02}-{d:02}"),
                        });
                    }
                }
            }
        }
    }
    Recurrence {
        incidents: period.len(),
        linked,
        patterns,
        intervals: days.len(),
        days_between_median: median(&days),
        days_between_p90: p90(&days),
        after_fix,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insights::{seconds, IncidentFacts, ItemFacts};

    fn pm(id: i64, started: &str, earlier: &[i64], patterns: &[&str]) -> IncidentFacts {
        IncidentFacts {
            id,
            month: started[..7].to_string(),
            started: seconds(started),
            earlier: earlier.to_vec(),
            patterns: patterns.iter().map(|p| p.to_string()).collect(),
            ..Default::default()
        }
    }

    fn item(
        id: i64,
        postmortem_id: i64,
        kind: &str,
        status: &str,
        closed: Option<&str>,
    ) -> (i64, ItemFacts) {
        let item = ItemFacts {
            id,
            title: format!("item {id}"),
            kind: ActionKind::parse(kind),
            status: ActionStatus::parse(status),
            closed: closed.and_then(seconds),
            ..Default::default()
        };
        (postmortem_id, item)
    }

    #[test]
    fn links_patterns_intervals_and_fixes_that_did_not_hold() {
        let all = vec![
            pm(1, "2026-01-01 10:00", &[], &["Pool starvation"]),
            pm(
                2,
                "2026-01-11 10:00",
                &[1],
                &["pool starvation ", "DNS flap"],
            ),
            pm(3, "2026-02-10 10:00", &[1, 2], &["Pool Starvation"]),
            pm(4, "2026-02-20 10:00", &[], &["DNS flap"]),
        ];
        let items = [
            // Closed before 3 started, meant to prevent: it did not hold.
            item(10, 1, "prevent", "done", Some("2026-01-20T00:00:00.000Z")),
            // Closed after 2 started: not "after the fix" for 2, but for 3.
            item(11, 2, "prevent", "done", Some("2026-02-01T00:00:00.000Z")),
            // Not a prevention item, or not closed.
            item(12, 1, "detect", "done", Some("2026-01-02T00:00:00.000Z")),
            item(13, 1, "prevent", "open", None),
        ];
        let facts: Vec<PostmortemFacts> = all
            .into_iter()
            .map(|incident| PostmortemFacts {
                items: items
                    .iter()
                    .filter(|(of, _)| *of == incident.id)
                    .map(|(_, i)| i.clone())
                    .collect(),
                incident,
                ..Default::default()
            })
            .collect();
        let period: Vec<&PostmortemFacts> = facts.iter().collect();
        let find = |id: i64| facts.iter().find(|p| p.incident.id == id);
        let r = recurrence(&period, &find);
        assert_eq!((r.incidents, r.linked), (4, 2));
        let names: Vec<(&str, usize)> = r
            .patterns
            .iter()
            .map(|p| (p.name.as_str(), p.seen))
            .collect();
        assert_eq!(names, vec![("Pool starvation", 3), ("DNS flap", 2)]);
        // 2 after 1: 10 days; 3 after 1: 40; 3 after 2: 30.
        assert_eq!(r.intervals, 3);
        assert_eq!(
            (r.days_between_median, r.days_between_p90),
            (Some(30), Some(40))
        );
        let fixes: Vec<(i64, i64, i64)> = r
            .after_fix
            .iter()
            .map(|f| (f.postmortem_id, f.earlier_id, f.item_id))
            .collect();
        assert_eq!(fixes, vec![(3, 1, 10), (3, 2, 11)]);

        // A postmortem the reader may not see is no link: 2 is hidden, so
        // only 3's link to 1 is left, and 2's item did not fail in anyone's
        // sight.
        let period: Vec<&PostmortemFacts> = facts.iter().filter(|p| p.incident.id != 2).collect();
        let find = |id: i64| period.iter().copied().find(|p| p.incident.id == id);
        let r = recurrence(&period, &find);
        assert_eq!((r.incidents, r.linked, r.intervals), (3, 1, 1));
        assert_eq!(r.after_fix.len(), 1);
        assert_eq!(r.after_fix[0].item_id, 10);
    }
}
