//! `hindsight-bench eval`: the retrieval tasks of the shared corpora, run
//! through the same import and search code the UI and the API use, each
//! into a data folder of its own, scored by the corpus's `eval.py` beside
//! its plain BM25 baseline: the two tasks of `../shared/corpus` and the
//! recurrence task of `../shared/corpus-recurrence` (later bug reports
//! finding the earlier report of the same bug).

use anyhow::Context;
use app::context::RequestContext;
use hindsight::cli::import_path;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One task: which documents to index, which queries to run.
struct Task {
    name: &'static str,
    /// In the recurrence corpus rather than the postmortem corpus.
    recurrence: bool,
    docs: &'static str,
    queries: &'static str,
    /// Its documents' `labels` are root-cause labels: scored with them as
    /// `root_cause_labels`, `eval.py` adds the baseline that ranks every
    /// query's results by the most common label, ignoring the query.
    root_cause_labels: bool,
}

const TASKS: &[Task] = &[
    Task {
        name: "task 1: symptoms -> past incidents with the same kind of root cause (nDCG@10)",
        recurrence: false,
        docs: "index.jsonl",
        queries: "dev_queries.jsonl",
        root_cause_labels: true,
    },
    Task {
        name: "task 2: symptoms -> the explanation of the same incident (MRR@10)",
        recurrence: false,
        docs: "knownitem_docs.jsonl",
        queries: "knownitem_dev_queries.jsonl",
        root_cause_labels: false,
    },
    Task {
        name: "task 3: a later bug report -> the earlier report of the same bug (MRR@10, Hit@10)",
        recurrence: true,
        docs: "docs.jsonl",
        queries: "queries_dev.jsonl",
        root_cause_labels: false,
    },
];

/// Where the corpora are, and which tasks to run (1-based; all if empty).
pub struct Corpora<'a> {
    /// `../shared/corpus`: tasks 1 and 2, and `eval.py`.
    pub corpus: &'a Path,
    /// `../shared/corpus-recurrence`: task 3.
    pub recurrence: &'a Path,
    /// The tasks to run.
    pub tasks: &'a [usize],
}

/// How many results each query asks for: the metrics stop at 10, R@k goes
/// further.
const DEPTH: usize = 100;

/// `hindsight-bench eval [--corpus DIR] [--recurrence DIR] [--task N]... [--out DIR]`
pub async fn eval(corpora: &Corpora<'_>, out: Option<&Path>) -> anyhow::Result<()> {
    let scratch = std::env::temp_dir().join(format!("hindsight-eval-{}", std::process::id()));
    let out_dir: PathBuf = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| scratch.join("runs"));
    std::fs::create_dir_all(&out_dir)
        .with_context(|| format!("cannot create {}", out_dir.display()))?;
    let result = run_all(corpora, &scratch, &out_dir).await;
    // The data folders are scratch; the run files stay where asked.
    let _ = std::fs::remove_dir_all(scratch.join("data"));
    if out.is_none() {
        let _ = std::fs::remove_dir_all(&scratch);
    }
    result
}

async fn run_all(corpora: &Corpora<'_>, scratch: &Path, out_dir: &Path) -> anyhow::Result<()> {
    // One scorer for all: the postmortem corpus's.
    let corpus = corpora.corpus;
    for (n, task) in TASKS.iter().enumerate() {
        if !corpora.tasks.is_empty() && !corpora.tasks.contains(&(n + 1)) {
            continue;
        }
        let dir = if task.recurrence {
            corpora.recurrence
        } else {
            corpora.corpus
        };
        let docs = dir.join(task.docs);
        let queries = dir.join(task.queries);
        let data = scratch.join("data").join(format!("task{}", n + 1));
        std::fs::create_dir_all(&data)?;
        let services = hindsight::startup::open(&data, None).await?;
        services.indexer.set_search_cache(0);
        let report = import_path(&services, &docs).await?;
        let run = out_dir.join(format!("task{}-run.jsonl", n + 1));
        let timed = run_queries(&services, &queries, &run).await?;
        let timings: Vec<f64> = timed.iter().map(|&(_, ms)| ms).collect();
        let long: Vec<f64> = timed
            .iter()
            .filter(|&&(chars, _)| chars >= LONG_QUERY_CHARS)
            .map(|&(_, ms)| ms)
            .collect();
        println!("\n== {} ==", task.name);
        println!(
            "indexed {} documents ({} skipped); {} queries; search p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (in process)",
            report.added + report.updated + report.unchanged,
            report.skipped.len(),
            timings.len(),
            percentile(&timings, 0.50),
            percentile(&timings, 0.99),
            percentile(&timings, 1.0),
        );
        if !long.is_empty() {
            println!(
                "queries of {LONG_QUERY_CHARS}+ characters: {}; search p50 {:.2} ms, p99 {:.2} ms",
                long.len(),
                percentile(&long, 0.50),
                percentile(&long, 0.99),
            );
        }
        // What eval.py scores against: the documents, or a scratch copy
        // whose labels it knows as root-cause labels.
        let scored_docs = if task.root_cause_labels {
            let copy = data.join("labelled.jsonl");
            labelled_copy(&docs, &copy)?;
            copy
        } else {
            docs.clone()
        };
        println!("-- Hindsight (run file {}):", run.display());
        print!("{}", score(corpus, &scored_docs, &queries, Some(&run))?);
        println!("-- plain BM25 baseline (eval.py):");
        print!("{}", score(corpus, &scored_docs, &queries, None)?);
    }
    Ok(())
}

/// Queries at least this long are timed on their own as well: the long
/// reports the recurrence task is about.
const LONG_QUERY_CHARS: usize = 3_500;

/// Runs every query, writes the run file, returns each query's length in
/// characters and its search's time in ms.
async fn run_queries(
    services: &app::service::Services,
    queries: &Path,
    run: &Path,
) -> anyhow::Result<Vec<(usize, f64)>> {
    let ctx = RequestContext::command_line();
    let reader = std::fs::File::open(queries)
        .map(std::io::BufReader::new)
        .with_context(|| format!("cannot open {}", queries.display()))?;
    let mut out = std::io::BufWriter::new(
        std::fs::File::create(run).with_context(|| format!("cannot write {}", run.display()))?,
    );
    let mut timings = Vec::new();
    for line in reader.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let q: serde_json::Value = serde_json::from_str(&line)
            .with_context(|| format!("{}: not a query line", queries.display()))?;
        let id = q["query_id"].as_str().context("query without query_id")?;
        let text = q["query_text"]
            .as_str()
            .context("query without query_text")?;
        let started = Instant::now();
        let response = services.search(&ctx, text, DEPTH).await?;
        timings.push((
            text.chars().count(),
            started.elapsed().as_secs_f64() * 1000.0,
        ));
        let ranked: Vec<&str> = response
            .incidents
            .iter()
            .filter_map(|h| h.external_id.as_deref())
            .collect();
        serde_json::to_writer(
            &mut out,
            &serde_json::json!({"query_id": id, "ranked_ids": ranked}),
        )?;
        writeln!(out)?;
    }
    out.flush()?;
    Ok(timings)
}

/// Writes `docs` to `copy` with each document's `labels` also as
/// `root_cause_labels`, the name `eval.py` reads them by.
fn labelled_copy(docs: &Path, copy: &Path) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(docs).with_context(|| format!("cannot read {}", docs.display()))?;
    let mut out = std::io::BufWriter::new(
        std::fs::File::create(copy).with_context(|| format!("cannot write {}", copy.display()))?,
    );
    for line in text.lines().filter(|line| !line.trim().is_empty()) {
        let mut doc: serde_json::Value = serde_json::from_str(line)
            .with_context(|| format!("{}: not a JSON line", docs.display()))?;
        let labels = doc.get("labels").cloned().unwrap_or_default();
        doc["root_cause_labels"] = labels;
        serde_json::to_writer(&mut out, &doc)?;
        writeln!(out)?;
    }
    out.flush()?;
    Ok(())
}

/// The output of `eval.py` for `run`, or its own baseline without one.
fn score(corpus: &Path, docs: &Path, queries: &Path, run: Option<&Path>) -> anyhow::Result<String> {
    let mut cmd = std::process::Command::new("python3");
    cmd.arg(corpus.join("eval.py"))
        .arg("--index")
        .arg(docs)
        .arg("--queries")
        .arg(queries);
    if let Some(run) = run {
        cmd.arg("--run").arg(run);
    }
    let output = cmd.output().context("cannot run python3 eval.py")?;
    anyhow::ensure!(
        output.status.success(),
        "eval.py failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn percentile(sorted_or_not: &[f64], p: f64) -> f64 {
    if sorted_or_not.is_empty() {
        return 0.0;
    }
    let mut v = sorted_or_not.to_vec();
    v.sort_by(f64::total_cmp);
    let rank = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[rank.min(v.len() - 1)]
}
