//! `hindsight-bench`: benchmarks and evaluations of Hindsight, a developer's
//! tool that is never shipped. It drives the product only through its
//! public paths (`hindsight::startup::open`, the import code, the router,
//! `app::service::Services`), so what it measures is what an operator runs.
//!
//! # Layout
//! - [`synth`]: deterministic synthetic postmortems and pasted queries,
//!   from the word lists and failure modes in `data/synth.json`.
//! - [`search`]: `bench`, import, rebuild and search timings.
//! - [`actions`]: `bench-actions`, the Action items page over many items.
//! - [`chat`]: `bench-chat`, slash commands (`search`, `status`) signed as
//!   Slack signs them, through the router.
//! - [`investigate`]: `bench-investigate`, 5,000 pasted log lines read
//!   and stored postmortems' Investigate panels, through the router.
//! - [`intake`]: `bench-intake`, alerts into the intake: new groups and a
//!   storm into one.
//! - [`insights`]: `bench-insights`, the Insights page, its API and CSV.
//! - [`eval`]: `eval`, search quality on the shared corpus.
//! - [`fts5`]: `fts5`, SQLite's FTS5 on the same corpus, side by side.
//! - [`measure`]: the machine, folder sizes, memory and percentiles a
//!   report records.

mod actions;
mod chat;
mod database;
mod eval;
mod fts5;
mod insights;
mod intake;
mod investigate;
mod measure;
mod search;
mod synth;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// The product's allocator, so timings are the shipped binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Benchmarks and evaluations of Hindsight (see BENCHMARKS.md).
#[derive(Debug, Parser)]
#[command(name = "hindsight-bench", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Score search on the shared corpora's retrieval tasks (dev queries):
    /// the postmortem corpus's two and the recurrence corpus's, each
    /// imported into a scratch data folder, with the corpus's eval.py beside
    /// its plain BM25 baseline. Needs python3.
    Eval {
        /// The corpus folder (index.jsonl, dev_queries.jsonl, eval.py, ...).
        #[arg(long, default_value = "../shared/corpus")]
        corpus: PathBuf,
        /// The recurrence corpus folder (docs.jsonl, queries_dev.jsonl).
        #[arg(long, default_value = "../shared/corpus-recurrence")]
        recurrence: PathBuf,
        /// Run only this task (1, 2 or 3; repeatable) [default: all].
        #[arg(long = "task", value_name = "N")]
        tasks: Vec<usize>,
        /// Keep the run files in this folder [default: a scratch folder,
        /// removed afterwards].
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Synthetic search benchmark: imports N generated postmortems into a
    /// scratch data folder through the import path, rebuilds the index, and
    /// times searches for pasted alert blocks and log pastes.
    Bench {
        /// How many postmortems to generate and import.
        #[arg(long)]
        docs: usize,
        /// Queries per query set.
        #[arg(long, default_value_t = 200)]
        queries: usize,
        /// Seed of the generator: equal seeds give equal data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Keep the data folder here (new or empty) [default: a scratch
        /// folder, removed afterwards]; also writes the search URLs for an
        /// HTTP load test into it.
        #[arg(long, value_name = "DIR")]
        keep: Option<PathBuf>,
        /// With `--keep DIR` naming the folder of an earlier run with the
        /// same `--docs` and `--seed`: skip generating and importing, and
        /// measure the rebuild and the searches on what it holds.
        #[arg(long, requires = "keep")]
        reuse: bool,
    },
    /// Action items benchmark: seeds a scratch data folder with synthetic
    /// postmortems and their action items, then times the Action items page
    /// (server-side render through the router), filtered views and the API.
    BenchActions {
        /// How many postmortems to generate.
        #[arg(long, default_value_t = 10_000)]
        postmortems: usize,
        /// Action items per postmortem.
        #[arg(long, default_value_t = 5)]
        items: usize,
        /// Timed requests per view.
        #[arg(long, default_value_t = 50)]
        runs: usize,
        /// Keep the data folder here (a second run on it reuses the seeded
        /// postmortems) [default: a scratch folder, removed afterwards].
        #[arg(long, value_name = "DIR")]
        keep: Option<PathBuf>,
    },
    /// Alert intake benchmark: N synthetic postmortems, then new alert
    /// groups (each opening an incident with its search) one at a time, and
    /// a storm of deliveries into one group from concurrent senders, all
    /// through the router.
    BenchIntake {
        /// How many postmortems to load first.
        #[arg(long, default_value_t = 10_000)]
        docs: usize,
        /// New alert groups to send.
        #[arg(long, default_value_t = 500)]
        groups: usize,
        /// Deliveries in the storm.
        #[arg(long, default_value_t = 5_000)]
        storm: usize,
        /// Seed of the generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Keep the data folder here (a second run reuses its postmortems)
        /// [default: a scratch folder, removed afterwards].
        #[arg(long, value_name = "DIR")]
        keep: Option<PathBuf>,
    },
    /// Slash command benchmark: N synthetic postmortems, then `search`
    /// (pasted alert blocks) and `status #id` requests signed as Slack
    /// signs them, one at a time, through the router.
    BenchChat {
        /// How many postmortems to load first.
        #[arg(long, default_value_t = 10_000)]
        docs: usize,
        /// Requests per command.
        #[arg(long, default_value_t = 300)]
        requests: usize,
        /// Seed of the generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Keep the data folder here (a second run reuses its postmortems)
        /// [default: a scratch folder, removed afterwards].
        #[arg(long, value_name = "DIR")]
        keep: Option<PathBuf>,
    },
    /// Database benchmark: the same N synthetic postmortems on SQLite and
    /// (with `--postgres`) on a new database on a PostgreSQL server: import
    /// rate, saving an edit, a search, and a save on one replica until it
    /// is found on another.
    BenchDatabase {
        /// How many postmortems to load.
        #[arg(long, default_value_t = 10_000)]
        docs: usize,
        /// Timed saves and searches (and at most 50 replica probes).
        #[arg(long, default_value_t = 200)]
        requests: usize,
        /// Seed of the generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// A PostgreSQL server (`postgres://user@host:port/db`, allowed to
        /// create databases) to run on beside SQLite.
        #[arg(long, value_name = "URL")]
        postgres: Option<String>,
    },
    /// Investigate benchmark: N synthetic postmortems, then pastes of
    /// `lines` log lines through `POST /api/v1/investigate` and stored
    /// postmortems' panels, one at a time, through the router.
    BenchInvestigate {
        /// How many postmortems to load first.
        #[arg(long, default_value_t = 10_000)]
        docs: usize,
        /// Requests of each kind.
        #[arg(long, default_value_t = 100)]
        requests: usize,
        /// Lines in each paste.
        #[arg(long, default_value_t = 5_000)]
        lines: usize,
        /// Seed of the generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Keep the data folder here (a second run reuses its postmortems)
        /// [default: a scratch folder, removed afterwards].
        #[arg(long, value_name = "DIR")]
        keep: Option<PathBuf>,
    },
    /// Insights benchmark: N synthetic postmortems, then the Insights page
    /// (the default period, every month, filtered), its API and CSV, the
    /// page after an edit, and a replica's first page, through the router.
    BenchInsights {
        /// How many postmortems to load first.
        #[arg(long, default_value_t = 100_000)]
        docs: usize,
        /// Timed requests per view.
        #[arg(long, default_value_t = 30)]
        runs: usize,
        /// Seed of the generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Keep the data folder here (a second run reuses its postmortems)
        /// [default: a scratch folder, removed afterwards].
        #[arg(long, value_name = "DIR")]
        keep: Option<PathBuf>,
    },
    /// SQLite's own full-text engine (FTS5, ranked by `bm25()`) on the
    /// shared corpus's two tasks, beside Hindsight's figures.
    Fts5 {
        /// The corpus folder (index.jsonl, dev_queries.jsonl, eval.py, ...).
        #[arg(long, default_value = "../shared/corpus")]
        corpus: PathBuf,
        /// Keep the run files in this folder [default: a scratch folder,
        /// removed afterwards].
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    hindsight::log_to_stderr();
    let result = match Cli::parse().command {
        Command::Eval {
            corpus,
            recurrence,
            tasks,
            out,
        } => {
            let corpora = eval::Corpora {
                corpus: &corpus,
                recurrence: &recurrence,
                tasks: &tasks,
            };
            eval::eval(&corpora, out.as_deref()).await
        }
        Command::Bench {
            docs,
            queries,
            seed,
            keep,
            reuse,
        } => search::bench(docs, queries, seed, keep.as_deref(), reuse).await,
        Command::BenchActions {
            postmortems,
            items,
            runs,
            keep,
        } => actions::bench_actions(postmortems, items, runs, keep.as_deref()).await,
        Command::BenchIntake {
            docs,
            groups,
            storm,
            seed,
            keep,
        } => intake::bench_intake(docs, groups, storm, seed, keep.as_deref()).await,
        Command::BenchChat {
            docs,
            requests,
            seed,
            keep,
        } => chat::bench_chat(docs, requests, seed, keep.as_deref()).await,
        Command::BenchDatabase {
            docs,
            requests,
            seed,
            postgres,
        } => database::bench_database(docs, requests, seed, postgres.as_deref()).await,
        Command::BenchInvestigate {
            docs,
            requests,
            lines,
            seed,
            keep,
        } => investigate::bench_investigate(docs, requests, lines, seed, keep.as_deref()).await,
        Command::BenchInsights {
            docs,
            runs,
            seed,
            keep,
        } => insights::bench_insights(docs, runs, seed, keep.as_deref()).await,
        Command::Fts5 { corpus, out } => fts5::fts5(&corpus, out.as_deref())
            .await
            .map_err(|e| anyhow::anyhow!("{e}")),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
