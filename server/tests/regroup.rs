//! The server's indexer regroups the search index by topic once it has
//! doubled since it was last grouped (`kb_search::SearchIndex::should_regroup`),
//! and searches find the same afterwards.

mod common;

use common::import_lines;
use kb_search::REGROUP_MIN;

#[tokio::test]
async fn the_indexer_regroups_the_index_once_it_has_doubled() {
    let dir = tempfile::tempdir().unwrap();
    let services = hindsight::startup::open(dir.path(), None).await.unwrap();
    assert_eq!(services.indexer.regroup_if_grown().await.unwrap(), None);

    // Imports are indexed incrementally, in the order they come.
    let kinds = [
        "Disk full: the volume filled",
        "DNS lookups failed: nxdomain",
    ];
    let lines: String = (0..REGROUP_MIN)
        .map(|n| {
            let (title, summary) = kinds[n as usize % 2].split_once(": ").unwrap();
            format!(r#"{{"id": "g-{n}", "title": "{title} on host {n}", "summary": "{summary}"}}"#)
                + "\n"
        })
        .collect();
    import_lines(&services, &lines).await;
    assert_eq!(services.indexer.num_docs(), REGROUP_MIN);
    let ctx = app::context::RequestContext::command_line();
    let before = services.search(&ctx, "nxdomain", 5).await.unwrap();

    assert_eq!(
        services.indexer.regroup_if_grown().await.unwrap(),
        Some(REGROUP_MIN)
    );
    // Grouped now: not again until it doubles.
    assert_eq!(services.indexer.regroup_if_grown().await.unwrap(), None);
    let after = services.search(&ctx, "nxdomain", 5).await.unwrap();
    assert_eq!(after.total, before.total);
    assert_eq!(after.incidents.len(), 5);
    assert!(after
        .incidents
        .iter()
        .all(|hit| hit.title.starts_with("DNS")));
}

/// A save while a rebuild runs does not wait for the rebuild (about a
/// minute at 100k postmortems); the catch-up after it indexes the write.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_save_during_a_rebuild_does_not_wait_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let services = hindsight::startup::open(dir.path(), None).await.unwrap();
    let lines: String = (0..2_000)
        .map(|n| {
            format!(
                r#"{{"id": "r-{n}", "title": "Queue backlog {n}", "summary": "consumers fell behind on partition {n}; lag grew for an hour before the alert"}}"#
            ) + "\n"
        })
        .collect();
    import_lines(&services, &lines).await;

    let indexer = services.indexer.clone();
    let rebuild = tokio::spawn(async move { indexer.rebuild().await.unwrap() });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !services.indexer.is_rebuilding() {
        assert!(
            std::time::Instant::now() < deadline,
            "the rebuild never started"
        );
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    let ctx = app::context::RequestContext::command_line();
    let input: kb_domain::PostmortemInput = serde_json::from_value(serde_json::json!({
        "title": "Zookeeper session expiry",
        "summary": "brokers lost their zookeeper sessions during a long GC pause"
    }))
    .unwrap();
    services.create(&ctx, input).await.unwrap();
    assert!(
        services.indexer.is_rebuilding(),
        "the save waited for the rebuild to end"
    );

    // With the new postmortem or without it, as the rows were read.
    assert!(rebuild.await.unwrap() >= 2_000);
    services.indexer.catch_up().await.unwrap();
    let found = services.search(&ctx, "zookeeper session", 5).await.unwrap();
    assert_eq!(found.incidents[0].title, "Zookeeper session expiry");
}
