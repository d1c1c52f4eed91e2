//! Action items: opened and closed per month, how many of each kind and
//! priority get done, what is overdue now, and how long closing takes,
//! per team and service. "Done" counts items whose status is done; an item
//! someone decided not to do (won't do) is left out of the completion
//! rate rather than counted as a failure.

use super::incidents::seconds;
use super::stats::median;
use crate::record::{ActionKind, ActionStatus, Priority};
use serde::{Deserialize, Serialize};

/// What one action item tells the insights.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemFacts {
    /// Its id.
    pub id: i64,
    /// Its postmortem.
    pub postmortem_id: i64,
    /// What it says.
    pub title: String,
    /// Stored kind name (`prevent`).
    pub kind: String,
    /// Stored priority name.
    pub priority: String,
    /// Stored status name.
    pub status: String,
    /// When it was created, as stored.
    pub created_at: String,
    /// When it was closed, if it is.
    pub closed_at: Option<String>,
    /// Due date, `YYYY-MM-DD`.
    pub due: Option<String>,
    /// Its postmortem's teams.
    pub teams: Vec<String>,
    /// Its postmortem's services.
    pub services: Vec<String>,
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

fn completion(key: &str, items: &[&ItemFacts], today: &str) -> Completion {
    let is = |i: &&ItemFacts, s: ActionStatus| ActionStatus::parse(&i.status) == Some(s);
    let done = items.iter().filter(|i| is(i, ActionStatus::Done)).count();
    let wont_do = items.iter().filter(|i| is(i, ActionStatus::WontDo)).count();
    let counted = items.len() - wont_do;
    let overdue = items
        .iter()
        .filter(|i| is(i, ActionStatus::Open) || is(i, ActionStatus::InProgress))
        .filter(|i| i.due.as_deref().is_some_and(|d| d < today))
        .count();
    let days: Vec<i64> = items
        .iter()
        .filter_map(|i| {
            let (a, b) = (seconds(&i.created_at)?, seconds(i.closed_at.as_deref()?)?);
            (b >= a).then_some((b - a) / 86_400)
        })
        .collect();
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

fn grouped(
    items: &[ItemFacts],
    today: &str,
    keys: Vec<String>,
    of: impl Fn(&ItemFacts, &str) -> bool,
) -> Vec<Completion> {
    keys.into_iter()
        .filter_map(|k| {
            let inside: Vec<&ItemFacts> = items.iter().filter(|i| of(i, &k)).collect();
            (!inside.is_empty()).then(|| completion(&k, &inside, today))
        })
        .collect()
}

fn names(items: &[ItemFacts], list: impl Fn(&ItemFacts) -> &Vec<String>) -> Vec<String> {
    let mut all: Vec<String> = items.iter().flat_map(|i| list(i).iter().cloned()).collect();
    all.sort();
    all.dedup();
    all
}

/// Action items over `months` (the period, `YYYY-MM`, oldest first),
/// `today` `YYYY-MM-DD`: `every` item counted when it was opened and
/// closed, month by month; the figures of the items of the period's
/// incidents (`of_period`: imported history too, whenever it was typed
/// in).
pub fn items(
    every: &[ItemFacts],
    of_period: &[ItemFacts],
    months: &[String],
    today: &str,
) -> ItemsSection {
    let month = |t: &str| t.get(..7).unwrap_or_default().to_string();
    let items = of_period;
    let all: Vec<&ItemFacts> = items.iter().collect();
    ItemsSection {
        months: months
            .iter()
            .map(|m| ItemMonth {
                month: m.clone(),
                opened: every.iter().filter(|i| &month(&i.created_at) == m).count(),
                closed: every
                    .iter()
                    .filter(|i| i.closed_at.as_deref().is_some_and(|c| &month(c) == m))
                    .count(),
            })
            .collect(),
        all: completion("all", &all, today),
        by_kind: grouped(
            items,
            today,
            ActionKind::ALL
                .iter()
                .map(|k| k.as_str().to_string())
                .collect(),
            |i, k| ActionKind::parse(&i.kind).map(ActionKind::as_str) == Some(k),
        ),
        by_priority: grouped(
            items,
            today,
            Priority::ALL
                .iter()
                .map(|p| p.as_str().to_string())
                .collect(),
            |i, p| Priority::parse(&i.priority).map(Priority::as_str) == Some(p),
        ),
        by_team: grouped(items, today, names(items, |i| &i.teams), |i, t| {
            i.teams.iter().any(|x| x == t)
        }),
        by_service: grouped(items, today, names(items, |i| &i.services), |i, s| {
            i.services.iter().any(|x| x == s)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn it(
        kind: &str,
        priority: &str,
        status: &str,
        created: &str,
        closed: Option<&str>,
        due: Option<&str>,
        team: &str,
    ) -> ItemFacts {
        ItemFacts {
            kind: kind.into(),
            priority: priority.into(),
            status: status.into(),
            created_at: created.into(),
            closed_at: closed.map(str::to_string),
            due: due.map(str::to_string),
            teams: vec![team.into()],
            services: vec!["checkout".into()],
            ..Default::default()
        }
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
        let s = items(&items_, &items_, &months, "2026-03-01");
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
