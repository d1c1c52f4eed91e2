//! A burst of the same search (a whole team pasting the same alert) is
//! computed at most once per search worker: the searches queued behind
//! the first find its answer in the cache when their turn comes.

use app::context::RequestContext;
use app::service::Services;

mod common;

use common::import_lines;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_the_same_search_is_computed_once_per_worker() {
    let dir = tempfile::tempdir().unwrap();
    let services = hindsight::startup::open(dir.path(), None).await.unwrap();
    let lines: String = (0..300)
        .map(|n| {
            format!(
                r#"{{"id": "b-{n}", "title": "Connection pool exhausted {n}", "summary": "payment timeouts while the pool of database connections was exhausted on host {n}"}}"#
            ) + "\n"
        })
        .collect();
    import_lines(&services, &lines).await;

    let before = services.indexer.computed_searches();
    let search = |services: Services| async move {
        let ctx = RequestContext::command_line();
        services
            .search(&ctx, "payment timeouts, connection pool exhausted", 10)
            .await
            .unwrap()
    };
    let burst: Vec<_> = (0..24)
        .map(|_| tokio::spawn(search(services.clone())))
        .collect();
    let mut answers = Vec::new();
    for task in burst {
        answers.push(task.await.unwrap());
    }
    assert!(answers.iter().all(|a| a.incidents.len() == 10));
    assert!(answers
        .iter()
        .all(|a| a.incidents[0].id == answers[0].incidents[0].id));
    let computed = services.indexer.computed_searches() - before;
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()) as u64;
    assert!(
        (1..=workers).contains(&computed),
        "24 identical searches computed {computed} times with {workers} search workers"
    );
}
