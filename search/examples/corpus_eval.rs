//! Retrieval quality on the shared evaluation corpus, for fast tuning of the
//! analyzer, query reduction and field weights without building the server.
//!
//! Indexes each task's documents in RAM through the public `kb_search` API (header
//! fields mapped as the app's indexer maps them), runs every dev query, writes run
//! files to a temporary folder and prints the corpus's own `eval.py` report.
//!
//! ```sh
//! cargo run --release -p kb-search --example corpus_eval [-- /path/to/corpus]
//! ```
//!
//! The corpus defaults to `../shared/corpus` relative to the workspace root. Only
//! dev queries are run; the held-out queries are for release evaluation.

use std::fs::{self, File};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use kb_search::{IndexDoc, SearchIndex};
use serde::Deserialize;

/// A corpus document line (Hindsight's import format, header fields only).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CorpusDoc {
    id: String,
    title: String,
    date: Option<String>,
    summary: String,
    impact: String,
    root_cause: String,
    mitigation: String,
    services: Vec<String>,
    labels: Vec<String>,
}

/// A dev query line; the answers are left to `eval.py`.
#[derive(Debug, Deserialize)]
struct CorpusQuery {
    query_id: String,
    query_text: String,
}

const TASKS: [(&str, &str, &str); 2] = [
    (
        "task 1: symptoms -> same root-cause kind",
        "index.jsonl",
        "dev_queries.jsonl",
    ),
    (
        "task 2: symptoms -> explanation of the same incident",
        "knownitem_docs.jsonl",
        "knownitem_dev_queries.jsonl",
    ),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let corpus = std::env::args_os().nth(1).map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
        PathBuf::from,
    );
    let out = std::env::temp_dir().join(format!("kb-search-eval-{}", std::process::id()));
    fs::create_dir_all(&out)?;
    for (name, docs, queries) in TASKS {
        println!("\n## {name}");
        let index = SearchIndex::in_ram()?;
        // As `hindsight reindex` builds it (grouped by topic); the app's
        // `hindsight eval` imports instead, which adds in the given order.
        let docs_in = read_lines::<CorpusDoc>(&corpus.join(docs))?
            .into_iter()
            .enumerate()
            .map(|(n, doc)| to_index_doc(n as i64 + 1, doc));
        index.rebuild(docs_in, 1)?;
        let run = out.join(queries.replace(".jsonl", ".run.jsonl"));
        let mut file = File::create(&run)?;
        let mut took = Vec::new();
        for query in read_lines::<CorpusQuery>(&corpus.join(queries))? {
            let started = Instant::now();
            let results = index.search(&query.query_text, 10)?;
            took.push(started.elapsed().as_secs_f64() * 1000.0);
            let ranked: Vec<String> = results
                .hits
                .into_iter()
                .filter_map(|hit| hit.external_id)
                .collect();
            let line = serde_json::json!({"query_id": query.query_id, "ranked_ids": ranked});
            writeln!(file, "{line}")?;
        }
        drop(file);
        took.sort_by(f64::total_cmp);
        let p99 = took[(took.len() * 99 / 100).min(took.len() - 1)];
        println!(
            "search time (warm, in RAM, with snippets) over {} queries: p50 {:.2} ms, p99 {:.2} ms",
            took.len(),
            took[took.len() / 2],
            p99
        );
        let report = Command::new("python3")
            .arg(corpus.join("eval.py"))
            .arg("--index")
            .arg(corpus.join(docs))
            .arg("--queries")
            .arg(corpus.join(queries))
            .arg("--run")
            .arg(&run)
            .output()?;
        print!("{}", String::from_utf8_lossy(&report.stdout));
        eprint!("{}", String::from_utf8_lossy(&report.stderr));
    }
    println!("\nrun files in {}", out.display());
    Ok(())
}

/// Maps the header fields as `app::service::indexer::to_doc` does.
fn to_index_doc(id: i64, doc: CorpusDoc) -> IndexDoc {
    IndexDoc {
        id,
        external_id: Some(doc.id),
        title: doc.title,
        summary: doc.summary,
        impact: doc.impact,
        root_cause: doc.root_cause,
        mitigation: doc.mitigation,
        services: doc.services,
        labels: doc.labels,
        date: doc.date,
        ..IndexDoc::default()
    }
}

fn read_lines<T: for<'de> Deserialize<'de>>(
    path: &Path,
) -> Result<Vec<T>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    for line in BufReader::new(File::open(path)?).lines() {
        let line = line?;
        if !line.trim().is_empty() {
            out.push(serde_json::from_str(&line)?);
        }
    }
    Ok(out)
}
