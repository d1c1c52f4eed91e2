//! Two replicas on one database, as two `hindsight serve` processes with
//! their own data folders (and so their own search indexes) are: a write
//! through one is found through the other once its follower has caught up,
//! and `hindsight reindex` is answered by every replica's follower.

use app::context::RequestContext;
use app::service::Services;
use kb_domain::{PostmortemInput, SearchQuery};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The database the replicas share: a new one on the PostgreSQL server
/// `HINDSIGHT_TEST_DATABASE` names, else the SQLite file in `first`'s
/// data folder.
async fn shared_database(first: &Path) -> String {
    match std::env::var("HINDSIGHT_TEST_DATABASE") {
        Ok(server) if !server.is_empty() => kb_db::new_postgres_database(&server).await.unwrap(),
        _ => format!(
            "sqlite://{}",
            first.join(hindsight::startup::DB_FILE).display()
        ),
    }
}

/// A replica with its own data folder on database `url`.
async fn replica(dir: &Path, url: &str) -> Services {
    hindsight::startup::open(dir, Some(url)).await.unwrap()
}

async fn found(services: &Services, text: &str) -> Vec<String> {
    let query = SearchQuery {
        text: text.into(),
        limit: 10,
        ..Default::default()
    };
    let answer = services
        .find(&RequestContext::command_line(), query)
        .await
        .unwrap();
    answer.incidents.into_iter().map(|hit| hit.title).collect()
}

/// Waits until `done` holds, polling; panics after ten seconds.
async fn eventually(what: &str, mut done: impl AsyncFnMut() -> bool) {
    let started = Instant::now();
    while !done().await {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "timed out: {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_on_one_replica_is_found_on_the_other_and_reindex_reaches_both() {
    let root = tempfile::tempdir().unwrap();
    let (a_dir, b_dir) = (root.path().join("a"), root.path().join("b"));
    std::fs::create_dir_all(&a_dir).unwrap();
    let url = shared_database(&a_dir).await;
    let a = replica(&a_dir, &url).await;
    let b = replica(&b_dir, &url).await;
    for replica in [&a, &b] {
        tokio::spawn(replica.indexer.clone().follow(Duration::from_millis(50)));
    }

    let input = PostmortemInput {
        title: "Checkout froze on a stuck connection pool".into(),
        severity: Some("SEV2".into()),
        summary: "Every checkout waited on the pool.".into(),
        ..Default::default()
    };
    a.create(&RequestContext::command_line(), input)
        .await
        .unwrap();
    eventually("the other replica finds the write", async || {
        found(&b, "stuck connection pool").await.len() == 1
    })
    .await;

    // `hindsight reindex` on either: both rebuild, and still find it.
    let asked = b.store.request_reindex().await.unwrap();
    assert!(
        asked
            > a.indexer
                .answered_reindex()
                .max(b.indexer.answered_reindex())
    );
    for replica in [&a, &b] {
        let indexer = Arc::clone(&replica.indexer);
        eventually("each replica answers the rebuild request", async || {
            indexer.answered_reindex() >= asked
        })
        .await;
        assert_eq!(found(replica, "stuck connection pool").await.len(), 1);
    }
}
