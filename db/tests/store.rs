//! The store against a real database: a SQLite file in a temporary folder,
//! or PostgreSQL (see `common`).

mod common;

use common::store;
use kb_db::Hidden;
use kb_db::{ChangeOp, DbError, ImportOutcome};
use kb_domain::{NewPostmortem, PostmortemInput, Severity};

fn incident(title: &str) -> NewPostmortem {
    PostmortemInput {
        title: title.into(),
        severity: Some("SEV2".into()),
        summary: "The **pool** ran dry.".into(),
        services: vec!["payments".into(), "checkout".into()],
        labels: vec!["config".into()],
        date: Some("2024-03-01".into()),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

#[tokio::test]
async fn create_then_get_round_trips_every_field() {
    let (_dir, store) = store().await;
    let new = incident("Pool exhausted");
    let (id, seq) = store.create(&new, "tester").await.unwrap();
    let got = store.get(id).await.unwrap();
    assert_eq!(got.title, "Pool exhausted");
    assert_eq!(got.severity, Some(Severity::Sev2));
    assert_eq!(got.services, vec!["payments", "checkout"]);
    assert_eq!(got.labels, vec!["config"]);
    assert_eq!(got.date.as_deref(), Some("2024-03-01"));
    assert_eq!(got.summary, "The **pool** ran dry.");
    assert_eq!(got.version, 1);
    assert_eq!(store.last_seq().await.unwrap(), seq);
}

#[tokio::test]
async fn missing_rows_are_not_found() {
    let (_dir, store) = store().await;
    assert!(matches!(store.get(42).await, Err(DbError::NotFound)));
    assert!(matches!(store.delete(42).await, Err(DbError::NotFound)));
}

#[tokio::test]
async fn import_adds_then_updates_then_recognises_unchanged() {
    let (_dir, store) = store().await;
    let mut new = incident("Vendor sync flips stock");
    new.external_id = Some("ext-1".into());

    let (id, outcome, seq) = store.import(&new, "tester").await.unwrap();
    assert_eq!(outcome, ImportOutcome::Added);
    assert!(seq.is_some());

    let (same_id, outcome, seq) = store.import(&new, "tester").await.unwrap();
    assert_eq!(
        (same_id, outcome, seq),
        (id, ImportOutcome::Unchanged, None)
    );

    new.summary = "Staging pointed at production.".into();
    new.services = vec!["inventory".into()];
    let (same_id, outcome, _) = store.import(&new, "tester").await.unwrap();
    assert_eq!((same_id, outcome), (id, ImportOutcome::Updated));
    let got = store.get(id).await.unwrap();
    assert_eq!(got.summary, "Staging pointed at production.");
    assert_eq!(got.services, vec!["inventory"]);
    assert_eq!(got.version, 2);
    assert_eq!(store.count(&Hidden::none()).await.unwrap(), 1);
}

#[tokio::test]
async fn every_write_is_in_the_change_log_in_order() {
    let (_dir, store) = store().await;
    let (a, _) = store.create(&incident("A"), "tester").await.unwrap();
    let (b, _) = store.create(&incident("B"), "tester").await.unwrap();
    store.delete(a).await.unwrap();
    let log = store.changes_since(0, 100).await.unwrap();
    let seen: Vec<(i64, ChangeOp)> = log.iter().map(|e| (e.postmortem_id, e.op)).collect();
    assert_eq!(
        seen,
        vec![
            (a, ChangeOp::Upsert),
            (b, ChangeOp::Upsert),
            (a, ChangeOp::Delete)
        ]
    );
    assert!(log.windows(2).all(|w| w[0].seq < w[1].seq));
    assert_eq!(store.changes_since(log[1].seq, 100).await.unwrap().len(), 1);
}

#[tokio::test]
async fn list_is_newest_first_and_paged() {
    let (_dir, store) = store().await;
    for n in 0..5 {
        store
            .create(&incident(&format!("incident {n}")), "tester")
            .await
            .unwrap();
    }
    let first = store.list_recent(2, 0, &Hidden::none()).await.unwrap();
    let titles: Vec<&str> = first.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, vec!["incident 4", "incident 3"]);
    let last = store.list_recent(2, 4, &Hidden::none()).await.unwrap();
    assert_eq!(last.len(), 1);
    assert_eq!(last[0].title, "incident 0");
    assert_eq!(last[0].services, vec!["payments", "checkout"]);
}

#[tokio::test]
async fn paging_by_id_walks_everything_once() {
    let (_dir, store) = store().await;
    for n in 0..7 {
        store
            .create(&incident(&format!("i{n}")), "tester")
            .await
            .unwrap();
    }
    let mut seen = Vec::new();
    let mut after = 0;
    loop {
        let page = store.incidents_after(after, 3).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.id;
        seen.extend(page.into_iter().map(|i| i.title));
    }
    assert_eq!(seen.len(), 7);
}

#[tokio::test]
async fn a_stale_edit_is_refused_and_changes_nothing() {
    let (_dir, store) = store().await;
    let (id, _) = store.create(&incident("Original"), "alice").await.unwrap();

    let mut alice = incident("Alice's title");
    alice.summary = "Alice's summary".into();
    let (version, _) = store.update(id, 1, &alice, "alice").await.unwrap();
    assert_eq!(version, 2);

    // Bob started from version 1 too; his save must not overwrite Alice's.
    let bob = incident("Bob's title");
    let refused = store.update(id, 1, &bob, "bob").await;
    assert!(
        matches!(
            refused,
            Err(DbError::Conflict {
                expected: 1,
                current: 2
            })
        ),
        "{refused:?}"
    );
    let stored = store.get(id).await.unwrap();
    assert_eq!(
        (stored.title.as_str(), stored.version),
        ("Alice's title", 2)
    );
    let log_len = store.changes_since(0, 100).await.unwrap().len();
    assert_eq!(log_len, 2, "a refused edit must not reach the change log");

    assert!(matches!(
        store.update(999, 1, &bob, "bob").await,
        Err(DbError::NotFound)
    ));
}

#[tokio::test]
async fn every_save_is_a_revision_with_its_author_and_content() {
    let (_dir, store) = store().await;
    let (id, _) = store.create(&incident("v1"), "alice").await.unwrap();
    store.update(id, 1, &incident("v2"), "bob").await.unwrap();
    let mut v3 = incident("v3");
    v3.external_id = None;
    v3.services = vec!["edge".into()];
    store.update(id, 2, &v3, "carol").await.unwrap();

    let history = store.revisions(id).await.unwrap();
    let summary: Vec<(i64, &str)> = history
        .iter()
        .map(|r| (r.version, r.author.as_str()))
        .collect();
    assert_eq!(summary, vec![(3, "carol"), (2, "bob"), (1, "alice")]);
    assert_eq!(store.revision_content(id, 1).await.unwrap().title, "v1");
    assert_eq!(store.revision_content(id, 3).await.unwrap(), v3);
    assert!(matches!(
        store.revision_content(id, 4).await,
        Err(DbError::NotFound)
    ));
}

#[tokio::test]
async fn imports_are_revisions_too() {
    let (_dir, store) = store().await;
    let mut new = incident("imported");
    new.external_id = Some("e-1".into());
    let (id, _, _) = store.import(&new, "cli").await.unwrap();
    new.title = "re-imported".into();
    store.import(&new, "cli").await.unwrap();
    store.import(&new, "cli").await.unwrap(); // unchanged: no revision
    let versions: Vec<i64> = store
        .revisions(id)
        .await
        .unwrap()
        .iter()
        .map(|r| r.version)
        .collect();
    assert_eq!(versions, vec![2, 1]);
}

#[tokio::test]
async fn reopening_keeps_the_data() {
    let db = common::TestDb::new().await;
    let id = {
        let store = db.store().await;
        store.create(&incident("kept"), "tester").await.unwrap().0
    };
    let store = db.store().await;
    assert_eq!(store.get(id).await.unwrap().title, "kept");
}

/// "Ongoing" is said twice: by `Postmortem::is_ongoing` and by the SQL of
/// the store's ongoing list. Every combination of clock and status must
/// get the same answer from both.
#[tokio::test]
async fn the_ongoing_list_and_is_ongoing_agree() {
    let (_dir, store) = store().await;
    let mut made = 0;
    for started in [None, Some("2024-03-01 10:00")] {
        for resolved in [None, Some("2024-03-01 11:00")] {
            for status in ["draft", "in_review", "published"] {
                let mut input = PostmortemInput {
                    title: format!("{started:?} {resolved:?} {status}"),
                    severity: Some("SEV2".into()),
                    ..Default::default()
                };
                input.parts.started_at = started.map(str::to_string);
                input.parts.resolved_at = resolved.map(str::to_string);
                input.parts.status = status.into();
                // A combination validation refuses cannot be stored at all.
                let Ok(new) = input.validate() else { continue };
                store.create(&new, "tester").await.unwrap();
                made += 1;
            }
        }
    }
    assert!(made >= 8, "only {made} combinations were valid");
    let listed: Vec<i64> = store
        .ongoing(&Hidden::none())
        .await
        .unwrap()
        .iter()
        .map(|o| o.id)
        .collect();
    let mut expected = Vec::new();
    for id in 1..=made as i64 {
        if store.get(id).await.unwrap().is_ongoing() {
            expected.push(id);
        }
    }
    let mut listed_sorted = listed.clone();
    listed_sorted.sort();
    assert!(!expected.is_empty());
    assert_eq!(listed_sorted, expected, "listed {listed:?}");
}
