//! The insights facts read from the store, all at once and a few
//! postmortems at a time, and per reader: a private postmortem counts for
//! its readers only, and for anyone else every figure is exactly what it
//! would be had it never been written.

mod common;

use kb_db::{Hidden, Store, Viewer};
use kb_domain::insights::{compute, months, Filters, PostmortemFacts};
use kb_domain::{NewPostmortem, PostmortemInput};

fn record(value: serde_json::Value) -> NewPostmortem {
    serde_json::from_value::<PostmortemInput>(value)
        .unwrap()
        .validate()
        .unwrap()
}

/// Two public postmortems, the second a recurrence of the first, and a
/// suggestion between them; with `secret`, a third, private to ed, that
/// recurs too and is suggested to the second.
async fn seeded(secret: bool) -> (common::TestDb, Store) {
    let (db, store) = common::store().await;
    store.create_first_admin("root", "h").await.unwrap();
    store
        .create_account("ed", "h", kb_domain::accounts::Role::Editor)
        .await
        .unwrap();
    let first = record(serde_json::json!({
        "title": "Pool starvation", "severity": "SEV2", "teams": ["pay"], "services": ["checkout"],
        "started_at": "2026-01-10 10:00", "detected_at": "2026-01-10 10:20",
        "learnings": [{"kind": "pattern", "title": "Pool starvation", "symptoms": "timeouts"},
                      {"kind": "process", "title": "Load-test config"}],
        "hypotheses": [{"statement": "The pool is too small", "outcome": "confirmed",
                        "confidence": [{"value": 70, "by": "ada"}, {"value": 95}]},
                       {"statement": "DNS", "outcome": "open", "confidence": [{"value": 20}]}],
        "action_items": [{"title": "Alert on saturation", "kind": "prevent", "status": "done"}]
    }));
    store.create(&first, "root").await.unwrap();
    let second = record(serde_json::json!({
        "title": "Pool starvation again", "severity": "SEV3", "teams": ["pay"],
        "started_at": "2026-02-10 10:00",
        "links": [{"target": "#1", "kind": "earlier_occurrence"}],
        "learnings": [{"kind": "pattern", "title": "pool starvation", "symptoms": "timeouts"}]
    }));
    store.create(&second, "root").await.unwrap();
    let mut conn = db.connect().await;
    sqlx::query(
        "insert into suggestion (postmortem_id, position, target_id, score, state)
         values (2, 0, 1, 1.0, 'accepted')",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    if secret {
        let third = record(serde_json::json!({
            "title": "Secret starvation", "severity": "SEV1", "teams": ["pay"],
            "started_at": "2026-02-20 10:00", "access": {"private": true, "users": ["ed"]},
            "links": [{"target": "#1", "kind": "earlier_occurrence"}],
            "learnings": [{"kind": "pattern", "title": "Pool starvation", "symptoms": "x"}],
            "hypotheses": [{"statement": "Keys leaked", "outcome": "refuted",
                            "confidence": [{"value": 90}]}],
            "action_items": [{"title": "Rotate the keys", "kind": "prevent"}]
        }));
        store.create(&third, "root").await.unwrap();
        sqlx::query(
            "insert into suggestion (postmortem_id, position, target_id, score, state)
             values (2, 1, 3, 0.5, 'open')",
        )
        .execute(&mut conn)
        .await
        .unwrap();
    }
    (db, store)
}

#[tokio::test]
async fn the_facts_are_what_was_written() {
    let (_db, store) = seeded(false).await;
    let (seq, facts) = store.insight_facts().await.unwrap();
    assert_eq!(seq, store.last_seq().await.unwrap());
    assert_eq!(facts.len(), 2);
    let first = &facts[0].incident;
    assert_eq!(first.month, "2026-01");
    assert_eq!(
        (first.teams.clone(), first.services.clone()),
        (vec!["pay".to_string()], vec!["checkout".to_string()])
    );
    assert_eq!((first.patterns.len(), first.lessons), (1, 1));
    // The open hypothesis forecasts nothing.
    let steps: Vec<(usize, i64, Option<&str>, bool)> = first
        .forecasts
        .iter()
        .map(|f| (f.step, f.stated, f.by.as_deref(), f.confirmed))
        .collect();
    assert_eq!(steps, vec![(1, 70, Some("ada"), true), (2, 95, None, true)]);
    assert_eq!(facts[1].incident.earlier, vec![1]);
    let items = &facts[0].items;
    assert_eq!(items.len(), 1);
    assert!(items[0].closed.is_some());
    assert_eq!(facts[1].suggestions.len(), 1);
    assert!(facts[1].suggestions[0].accepted);
    assert_eq!(facts[1].suggestions[0].target_id, 1);

    // A few at a time: the same facts, a missing id simply absent.
    let some = store.insight_facts_of(&[2, 99, 2, 1]).await.unwrap();
    assert_eq!(some, facts);
    assert!(store.insight_facts_of(&[]).await.unwrap().is_empty());
}

/// The figures of the postmortems `hidden` leaves, as the page computes
/// them.
async fn figures(store: &Store, hidden: &Hidden) -> serde_json::Value {
    let (_, facts) = store.insight_facts().await.unwrap();
    let visible: Vec<&PostmortemFacts> = facts
        .iter()
        .filter(|p| !hidden.contains(p.incident.id))
        .collect();
    let period = months("2026-01", "2026-12");
    let i = compute(&visible, &period, &Filters::default(), "2026-12-05");
    serde_json::to_value(i).unwrap()
}

#[tokio::test]
async fn a_private_postmortem_counts_for_its_readers_only() {
    let (_db, with) = seeded(true).await;
    let (_db2, without) = seeded(false).await;
    // Someone who may not see it: exactly the figures of a knowledge base
    // without it.
    let public = with.hidden(Viewer::Public).await.unwrap();
    assert!(!public.is_empty());
    assert_eq!(
        figures(&with, &public).await,
        figures(&without, &Hidden::none()).await
    );
    // Its reader sees it counted.
    let ed = with.hidden(Viewer::Account(2)).await.unwrap();
    let seen = figures(&with, &ed).await;
    assert_eq!(seen["incidents"]["total"]["total"], 3);
    assert_eq!(seen["recurrence"]["linked"], 2);
    assert_eq!(seen["recurrence"]["patterns"][0]["seen"], 3);
    assert_eq!(
        seen["calibration"]["forecasts"].as_array().unwrap().len(),
        3
    );
    assert_eq!(seen["learning"]["months"][1]["suggested"], 2);
    assert_eq!(seen["learning"]["months"][1]["incidents_helped"], 1);
    assert_eq!(seen["learning"]["helped_share"], 100.0);
    assert_eq!(seen["learning"]["opened_share"], 50.0);
}

#[tokio::test]
async fn deciding_a_suggestion_is_in_the_change_log() {
    let (_db, store) = seeded(true).await;
    let seq = store.last_seq().await.unwrap();
    let version = store.get(2).await.unwrap().version;
    // Dismissed: the record is unchanged, the figures are not.
    let after = store
        .decide_suggestion(2, 1, false, version, "root")
        .await
        .unwrap();
    assert_eq!(after, version);
    let changed: Vec<i64> = store
        .changes_since(seq, 10)
        .await
        .unwrap()
        .iter()
        .map(|e| e.postmortem_id)
        .collect();
    assert_eq!(changed, vec![2]);
    let facts = store.insight_facts_of(&[2]).await.unwrap();
    let states: Vec<(i64, bool)> = facts[0]
        .suggestions
        .iter()
        .map(|s| (s.target_id, s.accepted))
        .collect();
    assert_eq!(states, vec![(1, true), (3, false)]);
}
