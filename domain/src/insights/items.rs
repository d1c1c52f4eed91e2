//! Action items: opened and closed per month, how many of each kind and
//! priority get done, what is overdue now, and how long closing takes,
//! per team and service. "Done" counts items whose status is done; an item
//! someone decided not to do (won't do) is left out of the completion
//! rate rather than counted as a failure.

use super::stats::median;
use super::{PostmortemFacts, Slots};
use crate::record::{ActionKind, ActionStatus, Priority};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What one action item tells the insights.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemFacts {
    /// Its id.
    pub id: i64,
    /// What it says.
    pub title: String,
    /// Its kind, if the stored name is one.
    pub kind: Option<ActionKind>,
    /// Its priority, likewise.
    pub priority: Option<Priority>,
    /// Its status, likewise.
    pub status: Option<ActionStatus>,
    /// When it was created, seconds since 1970
    /// ([`seconds`](super::incidents::seconds)).
    pub created: Option<i64>,
    /// When it was closed, if it is.
    pub closed: Option<i64>,
    /// Due date, `YYYY-MM-DD`.
    pub due: Option<String>,
}

/// Items opened and closed in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Created in it.
    pub opened: usize,
    /// Closed in it (done or won't do).
    pub closed: usize,
}

/// Completion of one group of items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    /// The group: a kind, a priority, a team or a service.
    pub key: String,
    /// Items in it.
    pub items: usize,
    /// Done.
    pub done: usize,
    /// Won't do.
    pub wont_do: usize,
    /// `done` as a percent of the items not set aside; `None` when all were.
    pub rate: Option<f64>,
    /// Open or in progress past their due date, today.
    pub overdue: usize,
    /// Median whole days from creation to closing, over closed items.
    pub days_to_close_median: Option<i64>,
}

/// The action items section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemsSection {
    /// Oldest first, every month of the period.
    pub months: Vec<ItemMonth>,
    /// Every item of the period's postmortems.
    pub all: Completion,
    /// Per kind, in the order forms offer them.
    pub by_kind: Vec<Completion>,
    /// Per priority, high first.
    pub by_priority: Vec<Completion>,
    /// Per team of the items' postmortems, by name.
    pub by_team: Vec<Completion>,
    /// Per service, by name.
    pub by_service: Vec<Completion>,
}

/// What completion needs of one item, read once: the groups then copy
/// these small values, not pointers to scattered items.
#[derive(Debug, Clone, Copy)]
struct Tally {
    status: Option<ActionStatus>,
    overdue: bool,
    days_to_close: Option<i64>,
}

impl Tally {
    fn of(i: &ItemFacts, today: &str) -> Self {
        let open = matches!(
            i.status,
            Some(ActionStatus::Open | ActionStatus::InProgress)
        );
        Tally {
            status: i.status,
            overdue: open && i.due.as_deref().is_some_and(|d| d < today),
            days_to_close: match (i.created, i.closed) {
                (Some(a), Some(b)) if b >= a => Some((b - a) / 86_400),
                _ => None,
            },
        }
    }
}

fn completion(key: &str, items: &[Tally]) -> Completion {
    let (mut done, mut wont_do, mut overdue) = (0, 0, 0);
    let mut days = Vec::new();
    for t in items {
        match t.status {
            Some(ActionStatus::Done) => done += 1,
            Some(ActionStatus::WontDo) => wont_do += 1,
            _ => {}
        }
        overdue += usize::from(t.overdue);
        days.extend(t.days_to_close);
    }
    let counted = items.len() - wont_do;
    Completion {
        key: key.to_string(),
        items: items.len(),
        done,
        wont_do,
        rate: (counted > 0).then(|| done as f64 * 100.0 / counted as f64),
        overdue,
        days_to_close_median: median(&days),
    }
}

/// Completion per group, in the order of `names`: each item counts in
/// the group `group` gives it, if any.
fn by_group(
    items: &[(&ItemFacts, Tally)],
    names: &[&str],
    group: impl Fn(&ItemFacts) -> Option<usize>,
) -> Vec<Completion> {
    let mut groups: Vec<Vec<Tally>> = vec![Vec::new(); names.len()];
    for (i, t) in items {
        if let Some(g) = group(i) {
            groups[g].push(*t);
        }
    }
    names
        .iter()
        .zip(&groups)
        .filter(|(_, inside)| !inside.is_empty())
        .map(|(name, inside)| completion(name, inside))
        .collect()
}

/// Completion per name, by name: each postmortem's items count once under
/// every name `names` lists for it (its teams, or services).
fn by_name<'a>(
    of_period: &[(&'a PostmortemFacts, &[Tally])],
    names: impl Fn(&'a PostmortemFacts) -> &'a [String],
) -> Vec<Completion> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut groups: Vec<(&str, Vec<Tally>)> = Vec::new();
    let mut slots: Vec<usize> = Vec::new();
    for (p, tallies) in of_period {
        slots.clear();
        for name in names(p) {
            let next = groups.len();
            let at = *index.entry(name).or_insert(next);
            if at == next {
                groups.push((name, Vec::new()));
            }
            if !slots.contains(&at) {
                slots.push(at);
            }
        }
        for at in &slots {
            groups[*at].1.extend_from_slice(tallies);
        }
    }
    groups.sort_unstable_by_key(|(name, _)| *name);
    groups
        .iter()
        .map(|(name, inside)| completion(name, inside))
        .collect()
}

/// Action items over `months` (the period, `YYYY-MM`, consecutive, oldest
/// first), `today` `YYYY-MM-DD`: `every` item counted when it was opened
/// and closed, month by month; the figures of the items of the period's
/// incidents (`of_period`: imported history too, whenever it was typed
/// in), per team and service of their postmortem.
pub fn items(
    every: &[&ItemFacts],
    of_period: &[&PostmortemFacts],
    months: &[String],
    today: &str,
) -> ItemsSection {
    let slots = Slots::new(months);
    let mut per_month = vec![(0, 0); months.len()];
    for i in every {
        if let Some(at) = i.created.and_then(|t| slots.of_time(t)) {
            per_month[at].0 += 1;
        }
        if let Some(at) = i.closed.and_then(|t| slots.of_time(t)) {
            per_month[at].1 += 1;
        }
    }
    let items: Vec<(&ItemFacts, Tally)> = of_period
        .iter()
        .flat_map(|p| &p.items)
        .map(|i| (i, Tally::of(i, today)))
        .collect();
    let tallies: Vec<Tally> = items.iter().map(|(_, t)| *t).collect();
    // Each postmortem's tallies: its items are consecutive in `tallies`.
    let mut rest = tallies.as_slice();
    let per_postmortem: Vec<(&PostmortemFacts, &[Tally])> = of_period
        .iter()
        .map(|p| {
            let (theirs, after) = rest.split_at(p.items.len());
            rest = after;
            (*p, theirs)
        })
        .collect();
    let kinds: Vec<&str> = ActionKind::ALL.iter().map(|k| k.as_str()).collect();
    let priorities: Vec<&str> = Priority::ALL.iter().map(|p| p.as_str()).collect();
    ItemsSection {
        months: months
            .iter()
            .zip(per_month)
            .map(|(m, (opened, closed))| ItemMonth {
                month: m.clone(),
                opened,
                closed,
            })
            .collect(),
        all: completion("all", &tallies),
        by_kind: by_group(&items, &kinds, |i| {
            ActionKind::ALL.iter().position(|k| Some(*k) == i.kind)
        }),
        by_priority: by_group(&items, &priorities, |i| {
            Priority::ALL.iter().position(|p| Some(*p) == i.priority)
        }),
        by_team: by_name(&per_postmortem, |p| &p.incident.teams),
        by_service: by_name(&per_postmortem, |p| &p.incident.services),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insights::seconds;

    fn it(
        kind: &str,
        priority: &str,
        status: &str,
        created: &str,
        closed: Option<&str>,
        due: Option<&str>,
        team: &str,
    ) -> (i64, ItemFacts) {
        // The team, as its postmortem's id: `facts` gives each its own.
        let postmortem = if team == "pay" { 1 } else { 2 };
        let item = ItemFacts {
            kind: ActionKind::parse(kind),
            priority: Priority::parse(priority),
            status: ActionStatus::parse(status),
            created: seconds(created),
            closed: closed.and_then(seconds),
            due: due.map(str::to_string),
            ..Default::default()
        };
        (postmortem, item)
    }

    /// Postmortems 1 (team pay) and 2 (search), both service checkout,
    /// with their items of `items` (each with its postmortem's id).
    fn facts(items: &[(i64, ItemFacts)]) -> Vec<PostmortemFacts> {
        [(1, "pay"), (2, "search")]
            .into_iter()
            .map(|(id, team)| PostmortemFacts {
                incident: crate::insights::IncidentFacts {
                    id,
                    teams: vec![team.into()],
                    services: vec!["checkout".into()],
                    ..Default::default()
                },
                items: items
                    .iter()
                    .filter(|(of, _)| *of == id)
                    .map(|(_, i)| i.clone())
                    .collect(),
                ..Default::default()
            })
            .collect()
    }

    #[test]
    fn completion_overdue_and_days_to_close_per_group() {
        let items_ = vec![
            it(
                "prevent",
                "high",
                "done",
                "2026-01-01T00:00:00.000Z",
                Some("2026-01-11T00:00:00.000Z"),
                None,
                "pay",
            ),
            it(
                "prevent",
                "low",
                "wont_do",
                "2026-01-05T00:00:00.000Z",
                Some("2026-02-05T00:00:00.000Z"),
                None,
                "pay",
            ),
            it(
                "detect",
                "high",
                "open",
                "2026-02-01T00:00:00.000Z",
                None,
                Some("2026-02-10"),
                "search",
            ),
            it(
                "detect",
                "medium",
                "in_progress",
                "2026-02-03T00:00:00.000Z",
                None,
                Some("2026-12-31"),
                "pay",
            ),
            it(
                "mitigate",
                "high",
                "done",
                "2026-02-03T00:00:00.000Z",
                Some("2026-02-05T12:00:00.000Z"),
                None,
                "search",
            ),
        ];
        let months: Vec<String> = ["2026-01", "2026-02"].map(String::from).to_vec();
        let refs: Vec<&ItemFacts> = items_.iter().map(|(_, i)| i).collect();
        let postmortems = facts(&items_);
        let of_period: Vec<&PostmortemFacts> = postmortems.iter().collect();
        let s = items(&refs, &of_period, &months, "2026-03-01");
        let per_month: Vec<(usize, usize)> =
            s.months.iter().map(|m| (m.opened, m.closed)).collect();
        assert_eq!(per_month, vec![(2, 1), (3, 2)]);
        let all = &s.all;
        assert_eq!(
            (all.items, all.done, all.wont_do, all.overdue),
            (5, 2, 1, 1)
        );
        assert_eq!(all.rate, Some(50.0));
        // Closed after 10, 31 and 2 days.
        assert_eq!(all.days_to_close_median, Some(10));
        let kinds: Vec<(&str, usize, Option<f64>)> = s
            .by_kind
            .iter()
            .map(|c| (c.key.as_str(), c.items, c.rate))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("mitigate", 1, Some(100.0)),
                ("prevent", 2, Some(100.0)),
                ("detect", 2, Some(0.0))
            ]
        );
        assert_eq!(s.by_priority[0].key, "high");
        assert_eq!(s.by_priority[0].items, 3);
        let teams: Vec<(&str, usize, usize)> = s
            .by_team
            .iter()
            .map(|c| (c.key.as_str(), c.items, c.overdue))
            .collect();
        assert_eq!(teams, vec![("pay", 3, 0), ("search", 2, 1)]);
        assert_eq!(s.by_service.len(), 1);
    }
}
