//! `hindsight-bench bench-database`: the same synthetic postmortems on
//! SQLite and, given a server, on PostgreSQL, side by side: the import
//! rate, the time to save an edit, a search (the index is the same; the
//! database answers who may see what), and, with two replicas on one
//! database, how long a save on one takes to be found on the other. Prints
//! a markdown report on stdout; progress goes to stderr.

use crate::intake::seed_postmortems;
use crate::measure::{load_average, machine, timing_row as row};
use crate::synth;
use app::context::RequestContext;
use kb_domain::{PostmortemInput, SearchQuery};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// How often each replica's follower looks at the change log, as
/// `hindsight serve` does.
const FOLLOW_EVERY: Duration = Duration::from_secs(1);

/// Runs the benchmark on SQLite, then on a new database on the PostgreSQL
/// server `postgres` (if given), and prints the report.
pub async fn bench_database(
    docs: usize,
    requests: usize,
    seed: u64,
    postgres: Option<&str>,
) -> anyhow::Result<()> {
    let mut out = String::new();
    let w = &mut out;
    let _ =
        writeln!(
        w,
        "### hindsight-bench bench-database --docs {docs} --requests {requests} --seed {seed}{}\n",
        if postgres.is_some() { " --postgres URL" } else { "" }
    );
    let _ = writeln!(w, "{}\n", machine());
    let _ = writeln!(w, "| engine | what | count | p50 ms | p99 ms | max ms |");
    let _ = writeln!(w, "| --- | --- | --- | --- | --- | --- |");
    let mut rates = Vec::new();
    let scratch = tempfile::tempdir()?;
    let sqlite = format!("sqlite://{}", scratch.path().join("bench.db").display());
    let mut engines = vec![("SQLite", sqlite)];
    if let Some(server) = postgres {
        engines.push(("PostgreSQL", kb_db::new_postgres_database(server).await?));
    }
    for (engine, url) in engines {
        let root = tempfile::tempdir()?;
        let a = hindsight::startup::open(&root.path().join("a"), Some(&url)).await?;
        a.indexer.set_search_cache(0);
        eprintln!("bench: {engine}: importing {docs}");
        let started = Instant::now();
        seed_postmortems(&a, docs, seed).await?;
        let secs = started.elapsed().as_secs_f64();
        rates.push((engine, docs as f64 / secs, secs));
        a.reindex_after_write().await;

        let ctx = RequestContext::command_line();
        eprintln!("bench: {engine}: {requests} saves");
        let mut saves = Vec::with_capacity(requests);
        let step = (docs / requests.max(1)).max(1) as i64;
        for i in 0..requests as i64 {
            let id = 1 + (i * step) % docs as i64;
            let current = a.store.get(id).await?;
            let mut input = PostmortemInput::from(&current);
            input.summary.push_str(" Edited.");
            let started = Instant::now();
            a.update_authored(&ctx, id, current.version, input).await?;
            saves.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        row_for(w, engine, "save an edit (whole record)", &saves);

        eprintln!("bench: {engine}: {requests} searches");
        let mut searches = Vec::with_capacity(requests);
        for block in synth::alert_blocks(seed, requests) {
            let query = SearchQuery {
                text: block.text,
                limit: 10,
                ..Default::default()
            };
            let started = Instant::now();
            a.find(&ctx, query).await?;
            searches.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        row_for(w, engine, "search a pasted alert block", &searches);

        eprintln!(
            "bench: {engine}: a second replica, {} saves seen across",
            requests.min(50)
        );
        let b = hindsight::startup::open(&root.path().join("b"), Some(&url)).await?;
        b.indexer.set_search_cache(0);
        let follower = tokio::spawn(b.indexer.clone().follow(FOLLOW_EVERY));
        let mut delays = Vec::new();
        // Saves come at any moment of the follower's second: each probe
        // waits a different part of it first (an LCG, so runs repeat).
        let mut lcg = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        for i in 0..requests.min(50) {
            lcg = lcg
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            tokio::time::sleep(Duration::from_millis((lcg >> 33) % 1000)).await;
            let word = format!("quokka{i}z{seed}");
            let input = PostmortemInput {
                title: format!("Replica probe {word}"),
                severity: Some("SEV4".into()),
                ..Default::default()
            };
            let started = Instant::now();
            a.create(&ctx, input).await?;
            loop {
                let query = SearchQuery {
                    text: word.clone(),
                    limit: 1,
                    ..Default::default()
                };
                if !b.find(&ctx, query).await?.incidents.is_empty() {
                    break;
                }
                anyhow::ensure!(
                    started.elapsed() < Duration::from_secs(30),
                    "the second replica never found {word}"
                );
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            delays.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        follower.abort();
        row_for(w, engine, "saved on A until found on B", &delays);
    }
    let _ = writeln!(w, "\n| engine | import (postmortems/s) | import time s |");
    let _ = writeln!(w, "| --- | --- | --- |");
    for (engine, rate, secs) in rates {
        let _ = writeln!(w, "| {engine} | {rate:.0} | {secs:.1} |");
    }
    let _ = writeln!(
        w,
        "\nReplicas follow the change log every {} s, as `hindsight serve` does. Load average after: {}.",
        FOLLOW_EVERY.as_secs(),
        load_average()
    );
    println!("{out}");
    Ok(())
}

/// A timing row with the engine in front.
fn row_for(w: &mut String, engine: &str, what: &str, times: &[f64]) {
    let mut line = String::new();
    row(&mut line, what, times);
    w.push_str(&format!("| {engine} {line}"));
}
