//! A side-by-side baseline for symptom search: SQLite's own full-text engine
//! (FTS5, ranked by its `bm25()`) on the shared evaluation corpus, to compare
//! with Hindsight's tantivy index (`kb-search`'s `corpus_eval` example).
//!
//! For each task of the corpus (task 1: `index.jsonl` with `dev_queries.jsonl`;
//! task 2: `knownitem_docs.jsonl` with `knownitem_dev_queries.jsonl`) and for
//! each of two tokenizers (`unicode61`, FTS5's default, and `porter unicode61`,
//! which adds English stemming) it:
//!
//! - creates a temporary SQLite database file holding one FTS5 table of the
//!   documents' text columns and reports how long building it took;
//! - runs every dev query as an OR of its quoted words with
//!   `SELECT id FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT n`;
//! - reports per-query latency (p50, p99, max) for `LIMIT 100` and `LIMIT 10`,
//!   after one untimed warm-up pass;
//! - writes the `LIMIT 100` rankings as a run file and prints the corpus's own
//!   `eval.py` report for it (P@1, P@5, MRR@10, nDCG@10, R@k, Hit@10).
//!
//! ```sh
//! cargo run --release -p hindsight-bench -- fts5 --corpus ../shared/corpus [--out DIR]
//! ```
//!
//! Run files go to `--out` when given (kept), else to a temporary folder that
//! is removed at exit. Only dev queries are run; the held-out queries are for
//! release evaluation.

use std::error::Error;
use std::fs::{self, File};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{AssertSqlSafe, ConnectOptions, Connection, SqlSafeStr, SqlStr, SqliteConnection};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// One evaluation task: a name, the documents to index and the queries to run.
struct Task {
    name: &'static str,
    docs: &'static str,
    queries: &'static str,
}

const TASKS: [Task; 2] = [
    Task {
        name: "task 1: symptoms -> same root-cause kind",
        docs: "index.jsonl",
        queries: "dev_queries.jsonl",
    },
    Task {
        name: "task 2: symptoms -> explanation of the same incident",
        docs: "knownitem_docs.jsonl",
        queries: "knownitem_dev_queries.jsonl",
    },
];

/// The FTS5 `tokenize` options compared, with a short name for file names.
const TOKENIZERS: [(&str, &str); 2] = [("unicode61", "unicode61"), ("porter", "porter unicode61")];

/// The documents' text columns, in table order. Every table gets all of them
/// so both tasks share one schema; a column a file lacks (task 2 has only
/// title, root cause and mitigation) stays empty, which changes nothing in
/// `bm25()` since an empty column adds no terms and no length.
const TEXT_COLUMNS: [&str; 7] = [
    "title",
    "summary",
    "impact",
    "root_cause",
    "mitigation",
    "services",
    "labels",
];

/// Depth of the ranking written to the run files (`eval.py` reads up to 10
/// for its metrics; 100 matches what the other baselines write).
const RUN_DEPTH: u32 = 100;

/// A smaller limit, timed too: what a results page or a "seen before?" panel
/// asks for. FTS5 still scores every matching row before sorting, so this
/// shows how much of the cost is fetching rows rather than matching.
const PAGE_DEPTH: u32 = 10;

/// A dev query; the answers in the file are left to `eval.py`.
struct Query {
    id: String,
    /// The query text already turned into an FTS5 expression, or `None` when
    /// it has no words (such a query returns no rows).
    expression: Option<String>,
}

/// Per-query latencies of one timed pass.
struct Latency {
    p50: Duration,
    p99: Duration,
    max: Duration,
}

/// `hindsight-bench fts5 --corpus DIR [--out DIR]`
pub async fn fts5(corpus: &Path, out_dir: Option<&Path>) -> Result<()> {
    // The run files must outlive the loop; a temporary folder unless the
    // caller asked to keep them.
    let temp_out = tempfile::tempdir()?;
    let out = match out_dir {
        Some(dir) => {
            fs::create_dir_all(dir)?;
            dir.to_path_buf()
        }
        None => temp_out.path().to_path_buf(),
    };

    for task in &TASKS {
        println!("\n## {}", task.name);
        let docs = read_jsonl(&corpus.join(task.docs))?;
        let queries: Vec<Query> = read_jsonl(&corpus.join(task.queries))?
            .iter()
            .map(|line| Query {
                id: string_field(line, "query_id"),
                expression: match_expression(&string_field(line, "query_text")),
            })
            .collect();
        println!(
            "{} documents, {} queries ({} without words)",
            docs.len(),
            queries.len(),
            queries.iter().filter(|q| q.expression.is_none()).count()
        );

        for (short, tokenize) in TOKENIZERS {
            println!("\n### tokenize = '{tokenize}'");
            // A fresh database per task and tokenizer, so the build time and
            // the table being searched are exactly this one.
            let db_dir = tempfile::tempdir()?;
            let mut conn = open(&db_dir.path().join("fts5.sqlite")).await?;
            let built = build_table(&mut conn, tokenize, &docs).await?;
            println!("build: {:.1} ms", ms(built));

            // Warm-up: pages in the table and fills the prepared-statement
            // cache, so the timed passes measure steady-state searches.
            run_queries(&mut conn, &queries, RUN_DEPTH).await?;
            let (rankings, deep) = run_queries(&mut conn, &queries, RUN_DEPTH).await?;
            let (_, page) = run_queries(&mut conn, &queries, PAGE_DEPTH).await?;
            for (depth, latency) in [(RUN_DEPTH, deep), (PAGE_DEPTH, page)] {
                println!(
                    "latency LIMIT {depth:>3}: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
                    ms(latency.p50),
                    ms(latency.p99),
                    ms(latency.max)
                );
            }
            conn.close().await?;

            let run = out.join(format!(
                "fts5-{short}-{}",
                task.queries.replace(".jsonl", ".run.jsonl")
            ));
            write_run(&run, &queries, &rankings)?;
            score(corpus, task, &run)?;
        }
    }
    if let Some(dir) = out_dir {
        println!("\nrun files in {}", dir.display());
    }
    Ok(())
}

/// Opens (creating) a database file with the store's settings, so build
/// times are those the app would see rather than those of a tuned bulk load.
async fn open(path: &Path) -> Result<SqliteConnection> {
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .connect()
        .await?;
    // The bundled SQLite is expected to have FTS5; say so plainly if a build
    // against a system library lacks it, rather than failing on CREATE.
    let (version, fts5): (String, bool) =
        sqlx::query_as("SELECT sqlite_version(), sqlite_compileoption_used('ENABLE_FTS5')")
            .fetch_one(&mut conn)
            .await?;
    if !fts5 {
        return Err(format!("SQLite {version} was built without FTS5").into());
    }
    Ok(conn)
}

/// Creates table `t` with the given tokenizer and inserts every document in
/// one transaction; returns the wall-clock time of the whole build.
async fn build_table(
    conn: &mut SqliteConnection,
    tokenize: &str,
    docs: &[Value],
) -> Result<Duration> {
    let started = Instant::now();
    // `id` is stored but not indexed: it is the answer, not searchable text.
    let create = format!(
        "CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, {}, tokenize = '{tokenize}')",
        TEXT_COLUMNS.join(", ")
    );
    sqlx::query(trusted_sql(&create))
        .execute(&mut *conn)
        .await?;

    let insert = trusted_sql(&format!(
        "INSERT INTO t (id, {}) VALUES (?{})",
        TEXT_COLUMNS.join(", "),
        ", ?".repeat(TEXT_COLUMNS.len())
    ));
    let mut tx = conn.begin().await?;
    for doc in docs {
        let mut row = sqlx::query(insert.clone()).bind(string_field(doc, "id"));
        for column in TEXT_COLUMNS {
            row = row.bind(string_field(doc, column));
        }
        row.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    // Merge the index into one b-tree, as one would after a bulk load; it is
    // part of the build so query timings are not flattered for free.
    sqlx::query("INSERT INTO t (t) VALUES ('optimize')")
        .execute(&mut *conn)
        .await?;
    Ok(started.elapsed())
}

/// Runs every query with `LIMIT depth`; returns the ranked ids per query and
/// the latency figures of the pass.
///
/// Each timing is the wall clock of one statement: binding, stepping through
/// every row and collecting the ids. Turning the text into an expression is
/// left out (done once when reading the queries, and microseconds at most).
async fn run_queries(
    conn: &mut SqliteConnection,
    queries: &[Query],
    depth: u32,
) -> Result<(Vec<Vec<String>>, Latency)> {
    let sql = trusted_sql(&format!(
        "SELECT id FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT {depth}"
    ));
    let mut rankings = Vec::with_capacity(queries.len());
    let mut took = Vec::with_capacity(queries.len());
    for query in queries {
        let started = Instant::now();
        let ids = match &query.expression {
            Some(expression) => {
                sqlx::query_scalar(sql.clone())
                    .bind(expression)
                    .fetch_all(&mut *conn)
                    .await?
            }
            // An empty MATCH string is a syntax error in FTS5, and no words
            // can match no document anyway.
            None => Vec::new(),
        };
        took.push(started.elapsed());
        rankings.push(ids);
    }
    Ok((rankings, latency(took)))
}

/// SQL assembled from this file's constants (column names, tokenizer
/// options, limits), never from corpus or query text, which is always bound
/// as a parameter; sqlx asks for that to be asserted for non-literal SQL. The
/// shared string makes the per-row and per-query clones cheap.
fn trusted_sql(sql: &str) -> SqlStr {
    AssertSqlSafe(sql).into_sql_str()
}

/// Turns pasted text into an FTS5 query that is always valid: every run of
/// letters and digits becomes a quoted string, and the strings are joined
/// with OR so any shared word matches and `bm25()` weighs them.
///
/// Quoting keeps words such as `AND`, `NOT`, `NEAR` or a column name from
/// being read as operators. Words are deduplicated case-insensitively
/// (FTS5 folds case) because `bm25()` adds one term per phrase, so a word
/// pasted five times would otherwise weigh five times; nothing else is
/// dropped (no stopwords). Returns `None` when the text has no words.
fn match_expression(text: &str) -> Option<String> {
    let mut seen = std::collections::HashSet::new();
    let phrases: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty() && seen.insert(word.to_lowercase()))
        // Letters and digits hold no `"`, but doubling keeps this correct if
        // the word rule ever widens.
        .map(|word| format!("\"{}\"", word.replace('"', "\"\"")))
        .collect();
    (!phrases.is_empty()).then(|| phrases.join(" OR "))
}

/// Nearest-rank percentiles; with 50 queries p99 is the slowest query.
fn latency(mut took: Vec<Duration>) -> Latency {
    took.sort_unstable();
    let at = |p: f64| {
        let rank = (p * took.len() as f64).ceil() as usize;
        took.get(rank.saturating_sub(1))
            .copied()
            .unwrap_or_default()
    };
    Latency {
        p50: at(0.50),
        p99: at(0.99),
        max: took.last().copied().unwrap_or_default(),
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Reads a JSON Lines file, skipping blank lines as `eval.py` does.
fn read_jsonl(path: &Path) -> Result<Vec<Value>> {
    let reader = BufReader::new(File::open(path).map_err(|e| format!("{}: {e}", path.display()))?);
    let mut lines = Vec::new();
    for line in reader.lines() {
        let line = line?;
        if !line.trim().is_empty() {
            lines.push(serde_json::from_str(&line)?);
        }
    }
    Ok(lines)
}

/// A field as text: strings as they are, lists of strings (services, labels)
/// one item per line, anything missing or null empty. Read through
/// `serde_json::Value` rather than typed structs so the example needs no
/// dependency the crate does not already have.
fn string_field(line: &Value, name: &str) -> String {
    match line.get(name) {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

fn write_run(path: &Path, queries: &[Query], rankings: &[Vec<String>]) -> Result<()> {
    let mut file = BufWriter::new(File::create(path)?);
    for (query, ranked) in queries.iter().zip(rankings) {
        let line = serde_json::json!({ "query_id": query.id, "ranked_ids": ranked });
        writeln!(file, "{line}")?;
    }
    file.flush()?;
    Ok(())
}

/// Prints the corpus's own scorer report for a run file.
fn score(corpus: &Path, task: &Task, run: &Path) -> Result<()> {
    let status = Command::new("python3")
        .arg(corpus.join("eval.py"))
        .arg("--index")
        .arg(corpus.join(task.docs))
        .arg("--queries")
        .arg(corpus.join(task.queries))
        .arg("--run")
        .arg(run)
        .status()?;
    if !status.success() {
        return Err(format!("eval.py failed ({status}) on {}", run.display()).into());
    }
    Ok(())
}
