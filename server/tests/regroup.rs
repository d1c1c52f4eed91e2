//! The server's indexer regroups the search index by topic once it has
//! doubled since it was last grouped (`kb_search::SearchIndex::should_regroup`),
//! and searches find the same afterwards.

use hindsight::cli::{import_lines, ImportReport};
use kb_search::REGROUP_MIN;

#[tokio::test]
async fn the_indexer_regroups_the_index_once_it_has_doubled() {
    let dir = tempfile::tempdir().unwrap();
    let core = hindsight::startup::open(dir.path(), None).await.unwrap();
    assert_eq!(core.indexer.regroup_if_grown().await.unwrap(), None);

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
    let mut report = ImportReport::default();
    import_lines(&core, lines.as_bytes(), "generated", &mut report)
        .await
        .unwrap();
    core.reindex_after_write().await;
    assert_eq!(core.indexer.num_docs(), REGROUP_MIN);
    let ctx = app::context::RequestContext::command_line();
    let before = core.search(&ctx, "nxdomain", 5).await.unwrap();

    assert_eq!(
        core.indexer.regroup_if_grown().await.unwrap(),
        Some(REGROUP_MIN)
    );
    // Grouped now: not again until it doubles.
    assert_eq!(core.indexer.regroup_if_grown().await.unwrap(), None);
    let after = core.search(&ctx, "nxdomain", 5).await.unwrap();
    assert_eq!(after.total, before.total);
    assert_eq!(after.incidents.len(), 5);
    assert!(after
        .incidents
        .iter()
        .all(|hit| hit.title.starts_with("DNS")));
}
