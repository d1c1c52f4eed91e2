//! Action-item tracking through the store: the filters over a seeded set
//! give exactly the expected items, changes are checked and recorded, and
//! the recurrence view marks an earlier incident's items.

mod common;

use kb_db::Hidden;
use kb_db::{DbError, Store};
use kb_domain::actions::{ActionFilters, ActionPatch, RecurrenceMark};
use kb_domain::record::{ActionItem, Link, Parts};
use kb_domain::{NewPostmortem, PostmortemInput};

/// The day the seeded set is looked at.
const TODAY: &str = "2024-03-10";

fn item(
    title: &str,
    owner: &str,
    due: Option<&str>,
    priority: &str,
    status: &str,
    kind: &str,
) -> ActionItem {
    ActionItem {
        title: title.into(),
        owner: owner.into(),
        due: due.map(str::to_string),
        priority: priority.into(),
        status: status.into(),
        kind: kind.into(),
        ..Default::default()
    }
}

fn incident(
    title: &str,
    teams: &[&str],
    services: &[&str],
    started_at: Option<&str>,
    items: Vec<ActionItem>,
    links: Vec<Link>,
) -> NewPostmortem {
    PostmortemInput {
        title: title.into(),
        severity: Some("SEV2".into()),
        services: services.iter().map(|s| s.to_string()).collect(),
        parts: Parts {
            teams: teams.iter().map(|s| s.to_string()).collect(),
            started_at: started_at.map(str::to_string),
            action_items: items,
            links,
            ..Parts::default()
        },
        ..Default::default()
    }
    .validate()
    .unwrap()
}

struct Seeded {
    _db: common::TestDb,
    store: Store,
    a: i64,
    b: i64,
}

/// Two postmortems, five items:
/// A (payments; checkout): a1 dana overdue high open detect, a2 lee this
///   week medium in progress prevent, a3 dana no date low done process;
/// B (search; search-api, checkout): b1 lee past due but done high
///   mitigate, b2 nobody April low open prevent.
async fn seeded() -> Seeded {
    let (db, store) = common::store().await;
    let (a, _) = store
        .create(
            &incident(
                "Checkout outage",
                &["payments"],
                &["checkout"],
                None,
                vec![
                    item(
                        "a1 alert on pool",
                        "dana",
                        Some("2024-03-01"),
                        "high",
                        "open",
                        "detect",
                    ),
                    item(
                        "a2 load test",
                        "lee",
                        Some("2024-03-12"),
                        "medium",
                        "in_progress",
                        "prevent",
                    ),
                    item("a3 runbook", "dana", None, "low", "done", "process"),
                ],
                vec![],
            ),
            "tester",
        )
        .await
        .unwrap();
    let (b, _) = store
        .create(
            &incident(
                "Search slow",
                &["search"],
                &["search-api", "checkout"],
                None,
                vec![
                    item(
                        "b1 cache warmup",
                        "lee",
                        Some("2024-02-01"),
                        "high",
                        "done",
                        "mitigate",
                    ),
                    item(
                        "b2 index tuning",
                        "",
                        Some("2024-04-01"),
                        "low",
                        "open",
                        "prevent",
                    ),
                ],
                vec![],
            ),
            "tester",
        )
        .await
        .unwrap();
    Seeded {
        _db: db,
        store,
        a,
        b,
    }
}

impl Seeded {
    /// The titles' first words of the items `query` shows, in order.
    async fn shown(&self, query: &[(&str, &str)]) -> Vec<String> {
        let f = ActionFilters::from_pairs(query.iter().copied())
            .validate()
            .unwrap();
        let (rows, _) = self
            .store
            .action_items(&f, TODAY, 50, 0, &Hidden::none())
            .await
            .unwrap();
        rows.into_iter()
            .map(|r| r.item.title.split(' ').next().unwrap().to_string())
            .collect()
    }

    async fn item(&self, name: &str) -> kb_domain::actions::ActionItemRow {
        let (rows, _) = self
            .store
            .action_items(&ActionFilters::default(), TODAY, 50, 0, &Hidden::none())
            .await
            .unwrap();
        rows.into_iter()
            .find(|r| r.item.title.starts_with(name))
            .unwrap()
    }

    /// Sets item `name`'s status as `who`, on top of its current version.
    async fn set_status(&self, name: &str, status: &str, who: &str) {
        let item = self.item(name).await;
        let patch = ActionPatch {
            version: item.version,
            status: Some(status.into()),
            ..Default::default()
        };
        self.store
            .change_action_items(&[(item.id(), patch)], who)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn each_filter_gives_exactly_the_expected_items() {
    let s = seeded().await;
    let a = s.a.to_string();
    type Query<'a> = Vec<(&'a str, &'a str)>;
    let cases: Vec<(Query, Vec<&str>)> = vec![
        (vec![], vec!["b1", "a1", "a2", "b2", "a3"]),
        (vec![("status", "open")], vec!["a1", "b2"]),
        (vec![("status", "In progress")], vec!["a2"]),
        (vec![("owner", "dana")], vec!["a1", "a3"]),
        (vec![("team", "payments")], vec!["a1", "a2", "a3"]),
        (vec![("service", "search-api")], vec!["b1", "b2"]),
        (
            vec![("service", "checkout")],
            vec!["b1", "a1", "a2", "b2", "a3"],
        ),
        (vec![("kind", "prevent")], vec!["a2", "b2"]),
        (vec![("priority", "high")], vec!["b1", "a1"]),
        (vec![("due", "overdue")], vec!["a1"]),
        (vec![("due", "week")], vec!["a2"]),
        (vec![("due", "none")], vec!["a3"]),
        (vec![("postmortem", a.as_str())], vec!["a1", "a2", "a3"]),
        (vec![("owner", "lee"), ("status", "done")], vec!["b1"]),
        (
            vec![("sort", "priority")],
            vec!["b1", "a1", "a2", "b2", "a3"],
        ),
        (vec![("sort", "age")], vec!["a1", "a2", "a3", "b1", "b2"]),
        (vec![("team", "nobody")], vec![]),
    ];
    for (query, expected) in cases {
        assert_eq!(s.shown(&query).await, expected, "filters {query:?}");
    }
}

#[tokio::test]
async fn counts_per_status_ignore_the_status_filter_and_paging_walks_the_list() {
    let s = seeded().await;
    let f = ActionFilters::from_pairs([("status", "open"), ("team", "payments")])
        .validate()
        .unwrap();
    let (rows, counts) = s
        .store
        .action_items(&f, TODAY, 50, 0, &Hidden::none())
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let counts: Vec<(String, i64)> = counts.into_iter().map(|c| (c.status, c.count)).collect();
    assert_eq!(
        counts,
        vec![
            ("open".to_string(), 1),
            ("in_progress".to_string(), 1),
            ("done".to_string(), 1),
            ("wont_do".to_string(), 0)
        ]
    );
    let all = ActionFilters::default();
    let (second, _) = s
        .store
        .action_items(&all, TODAY, 2, 2, &Hidden::none())
        .await
        .unwrap();
    let titles: Vec<&str> = second.iter().map(|r| &r.item.title[..2]).collect();
    assert_eq!(titles, ["a2", "b2"]);

    // Unfiltered counts come from the trigger-kept totals: they follow
    // changes and cascading deletes.
    let totals = |s: &Seeded| {
        let store = s.store.clone();
        async move {
            let (_, counts) = store
                .action_items(&ActionFilters::default(), TODAY, 1, 0, &Hidden::none())
                .await
                .unwrap();
            counts.into_iter().map(|c| c.count).collect::<Vec<i64>>()
        }
    };
    assert_eq!(totals(&s).await, [2, 1, 2, 0]);
    s.set_status("a2", "wont_do", "x").await;
    assert_eq!(totals(&s).await, [2, 0, 2, 1]);
    s.store.delete(s.b).await.unwrap();
    assert_eq!(totals(&s).await, [1, 0, 1, 1]);
}

#[tokio::test]
async fn a_change_is_recorded_checked_against_the_version_and_versions_the_postmortem() {
    let s = seeded().await;
    let a1 = s.item("a1").await;
    assert_eq!(a1.version, 1);
    assert!(a1.closed_at.is_none());
    let done = ActionPatch {
        version: 1,
        status: Some("done".into()),
        owner: Some("kim".into()),
        ..Default::default()
    };
    let changed = s
        .store
        .change_action_items(&[(a1.id(), done.clone())], "alice")
        .await
        .unwrap();
    assert_eq!(changed[0].version, 2);
    assert_eq!(changed[0].item.status, "done");
    assert!(changed[0].closed_at.is_some());

    let history = s.store.action_item_history(a1.id()).await.unwrap();
    let seen: Vec<(&str, &str, &str, &str)> = history
        .iter()
        .map(|h| {
            (
                h.field.as_str(),
                h.from.as_str(),
                h.to.as_str(),
                h.changed_by.as_str(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("created", "", "open", "tester"),
            ("status", "open", "done", "alice"),
            ("owner", "dana", "kim", "alice")
        ]
    );

    // The postmortem has a new version, so an editor open on the old one
    // cannot save the old item back.
    let pm = s.store.get(s.a).await.unwrap();
    assert_eq!(pm.version, 2);
    assert_eq!(s.store.revisions(s.a).await.unwrap()[0].author, "alice");
    let mut old = pm.content();
    old.title = "edited on the old version".into();
    assert!(matches!(
        s.store.update(s.a, 1, &old, "bob").await,
        Err(DbError::Conflict { .. })
    ));

    // The same change again on the old item version: refused, nothing written.
    let stale = s.store.change_action_items(&[(a1.id(), done)], "bob").await;
    assert!(matches!(
        stale,
        Err(DbError::StaleItem {
            expected: 1,
            current: 2,
            ..
        })
    ));

    // Bulk is all or nothing: a2 is fresh, a1 stale, so neither changes.
    let a2 = s.item("a2").await;
    let bulk = [
        (
            a2.id(),
            ActionPatch {
                version: a2.version,
                status: Some("wont_do".into()),
                ..Default::default()
            },
        ),
        (
            a1.id(),
            ActionPatch {
                version: 1,
                status: Some("open".into()),
                ..Default::default()
            },
        ),
    ];
    assert!(s.store.change_action_items(&bulk, "bob").await.is_err());
    assert_eq!(s.item("a2").await.item.status, "in_progress");

    // Reopening clears the closing stamp; clearing the date records it.
    let reopened = s
        .store
        .change_action_items(
            &[(
                a1.id(),
                ActionPatch {
                    version: 2,
                    status: Some("open".into()),
                    due: Some(String::new()),
                    ..Default::default()
                },
            )],
            "bob",
        )
        .await
        .unwrap();
    assert!(reopened[0].closed_at.is_none());
    assert_eq!(reopened[0].item.due, None);
    let last = s.store.action_item_history(a1.id()).await.unwrap();
    assert_eq!(last.last().unwrap().field, "due");
    assert_eq!(last.last().unwrap().from, "2024-03-01");
}

#[tokio::test]
async fn an_editor_save_records_the_item_changes_it_makes() {
    let s = seeded().await;
    let pm = s.store.get(s.b).await.unwrap();
    let mut new = pm.content();
    new.parts.action_items[1].owner = "sam".into();
    new.parts.action_items[1].status = "done".into();
    s.store
        .update(s.b, pm.version, &new, "carol")
        .await
        .unwrap();
    let b2 = s.item("b2").await;
    assert_eq!(b2.version, 2);
    assert!(b2.closed_at.is_some());
    let history = s.store.action_item_history(b2.id()).await.unwrap();
    let fields: Vec<&str> = history.iter().map(|h| h.field.as_str()).collect();
    assert_eq!(fields, ["created", "status", "owner"]);
    // An untouched item keeps its version.
    assert_eq!(s.item("b1").await.version, 1);
}

#[tokio::test]
async fn a_recurrence_marks_the_earlier_items_and_the_recurred_filter_finds_them() {
    let s = seeded().await;
    // The items closed at seeding (a3, b1) were closed "now"; a recurrence
    // of A far in the future comes after, one of B long ago before.
    let recurrence = |title: &str, of: i64, started: &str| {
        incident(
            title,
            &[],
            &[],
            Some(started),
            vec![],
            vec![Link {
                target: format!("#{of}"),
                kind: "earlier_occurrence".into(),
                note: String::new(),
            }],
        )
    };
    let (later, _) = s
        .store
        .create(&recurrence("A again", s.a, "2099-01-01 00:00"), "tester")
        .await
        .unwrap();
    let (before, _) = s
        .store
        .create(&recurrence("B before", s.b, "2020-01-01 00:00"), "tester")
        .await
        .unwrap();

    let seen = s.store.earlier_action_items(later).await.unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].postmortem_id, s.a);
    let marks: Vec<(&str, RecurrenceMark)> = seen[0]
        .items
        .iter()
        .map(|(i, m)| (&i.item.title[..2], *m))
        .collect();
    assert_eq!(
        marks,
        [
            ("a1", RecurrenceMark::StillOpen),
            ("a2", RecurrenceMark::StillOpen),
            ("a3", RecurrenceMark::ClosedBefore)
        ]
    );
    // B's done item was closed after that (earlier-dated) recurrence began.
    let seen = s.store.earlier_action_items(before).await.unwrap();
    assert!(seen[0]
        .items
        .iter()
        .all(|(_, m)| *m == RecurrenceMark::StillOpen));
    assert!(s.store.earlier_action_items(s.a).await.unwrap().is_empty());

    assert_eq!(s.shown(&[("recurred", "1")]).await, ["a3"]);
}

#[tokio::test]
async fn the_summary_counts_per_team_and_service() {
    let s = seeded().await;
    let sum = s
        .store
        .action_summary(TODAY, &Hidden::none())
        .await
        .unwrap();
    assert_eq!(sum.all.total, 5);
    assert_eq!(sum.all.open, 3);
    assert_eq!(sum.all.overdue, 1);
    assert_eq!(sum.all.done, 2);
    assert_eq!(sum.all.completion_rate, Some(0.4));
    assert!(sum.all.median_days_to_close.is_some());
    let checkout = sum.services.iter().find(|g| g.name == "checkout").unwrap();
    assert_eq!(checkout.stats.total, 5);
    let payments = sum.teams.iter().find(|g| g.name == "payments").unwrap();
    assert_eq!((payments.stats.open, payments.stats.overdue), (2, 1));
}

#[tokio::test]
async fn the_numbers_per_team_follow_saves_changes_and_deletes() {
    let s = seeded().await;
    let team = |sum: &kb_domain::actions::ActionSummary, name: &str| {
        sum.teams
            .iter()
            .find(|g| g.name == name)
            .map(|g| (g.stats.total, g.stats.open, g.stats.done))
    };
    // A's team renamed and one of its items removed, in one editor save.
    let pm = s.store.get(s.a).await.unwrap();
    let mut new = pm.content();
    new.parts.teams = vec!["payments-core".into()];
    new.parts.action_items.remove(1);
    s.store
        .update(s.a, pm.version, &new, "carol")
        .await
        .unwrap();
    let sum = s
        .store
        .action_summary(TODAY, &Hidden::none())
        .await
        .unwrap();
    assert_eq!(team(&sum, "payments"), None);
    assert_eq!(team(&sum, "payments-core"), Some((2, 1, 1)));
    assert_eq!(s.shown(&[("team", "payments-core")]).await, ["a1", "a3"]);
    assert!(s.shown(&[("team", "payments")]).await.is_empty());

    // A change of status moves the team's counts.
    s.set_status("a1", "done", "x").await;
    let sum = s
        .store
        .action_summary(TODAY, &Hidden::none())
        .await
        .unwrap();
    assert_eq!(team(&sum, "payments-core"), Some((2, 0, 2)));
    let f = ActionFilters::from_pairs([("team", "payments-core")])
        .validate()
        .unwrap();
    let (_, counts) = s
        .store
        .action_items(&f, TODAY, 50, 0, &Hidden::none())
        .await
        .unwrap();
    let counts: Vec<i64> = counts.into_iter().map(|c| c.count).collect();
    assert_eq!(counts, [0, 0, 2, 0]);

    // Deleting B takes its team and services out of the numbers.
    s.store.delete(s.b).await.unwrap();
    let sum = s
        .store
        .action_summary(TODAY, &Hidden::none())
        .await
        .unwrap();
    assert_eq!(team(&sum, "search"), None);
    let services: Vec<&str> = sum.services.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(services, ["checkout"]);
    assert_eq!(sum.all.total, 2);
}

#[tokio::test]
async fn a_team_with_many_items_lists_the_same_page_as_sorting_them_all() {
    // Over a thousand matching items the page is read by walking the
    // sort's index (see WALK_ABOVE); the result must be what sorting every
    // matching item gives.
    let (_db, store) = common::store().await;
    let statuses = ["open", "in_progress", "done", "wont_do"];
    let priorities = ["high", "medium", "low"];
    for n in 0..420 {
        let items = (0..5)
            .map(|k| {
                let due = format!(
                    "2024-{:02}-{:02}",
                    1 + (n * 7 + k) % 12,
                    1 + (n + k * 3) % 28
                );
                let v = n * 5 + k;
                item(
                    &format!("n{n}k{k}"),
                    "",
                    (v % 9 != 0).then_some(due.as_str()),
                    priorities[v % 3],
                    statuses[v % 4],
                    "detect",
                )
            })
            .collect();
        let team = if n % 2 == 0 { "big" } else { "other" };
        store
            .create(
                &incident(&format!("p{n}"), &[team], &["svc"], None, items, vec![]),
                "seed",
            )
            .await
            .unwrap();
    }
    let all = ActionFilters::default();
    let (every, _) = store
        .action_items(&all, TODAY, 5_000, 0, &Hidden::none())
        .await
        .unwrap();
    assert_eq!(every.len(), 2_100);
    for (query, sort_key) in [
        (vec![("team", "big")], "due"),
        (vec![("team", "big"), ("sort", "priority")], "priority"),
        (
            vec![("service", "svc"), ("sort", "age"), ("page", "3")],
            "age",
        ),
    ] {
        let f = ActionFilters::from_pairs(query.iter().copied())
            .validate()
            .unwrap();
        let (page, counts) = store
            .action_items(&f, TODAY, 50, (f.page - 1) * 50, &Hidden::none())
            .await
            .unwrap();
        let mut expected: Vec<&kb_domain::actions::ActionItemRow> = every
            .iter()
            .filter(|r| f.team.as_ref().is_none_or(|t| r.teams.contains(t)))
            .collect();
        let due = |r: &kb_domain::actions::ActionItemRow| {
            r.item.due.clone().unwrap_or_else(|| "9999-12-31".into())
        };
        let rank = |p: &str| priorities.iter().position(|x| *x == p).unwrap();
        match sort_key {
            "due" => expected.sort_by_key(|r| (due(r), r.id())),
            "priority" => expected.sort_by_key(|r| (rank(&r.item.priority), due(r), r.id())),
            _ => expected.sort_by_key(|r| (r.created_at.clone(), r.id())),
        }
        let expected: Vec<i64> = expected
            .iter()
            .skip(((f.page - 1) * 50) as usize)
            .take(50)
            .map(|r| r.id())
            .collect();
        let got: Vec<i64> = page.iter().map(|r| r.id()).collect();
        assert_eq!(got, expected, "{query:?}");
        assert!(
            counts.iter().map(|c| c.count).sum::<i64>() > 1_000,
            "{query:?}"
        );
    }
}
