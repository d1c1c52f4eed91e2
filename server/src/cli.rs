//! The command-line tools. Each opens the data folder like the server does;
//! when a server already holds the index's writer lock, writes go to the
//! database only and the server's indexer picks them up from the change log.
//!
//! `import` and `demo` read files in the formats of [`kb_export`] and save
//! each record through [`Services::import_one`], so validation and the change
//! log stay in one place; `export` writes them.
//!
//! # Layout
//! - `import`: reading files and folders in, and the [`ImportReport`].
//! - `export`: writing one postmortem, all of them, or a markdown folder.
//! - here: `demo` (the bundled postmortems, through the import path),
//!   `reindex` and `search`.

mod export;
mod import;

pub use export::{all_ids, export, export_record, ExportWhat};
pub use import::{files_to_import, import, import_lines, import_path, ImportReport};

use anyhow::{bail, Context};
use app::context::RequestContext;
use app::service::Services;
use import::{import_text, print_report, FileKind};
use kb_db::Store;
use kb_domain::SearchResponse;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// The demo postmortems, in load order: later ones link to earlier ones by
/// external id, so each link's target exists when it is saved. Four are full
/// write-ups; the two January oversells are short records backfilled from
/// support tickets, which the flash sale links as earlier occurrences.
pub const DEMO: &[(&str, &str)] = &[
    (
        "payment-timeout-cascade.json",
        include_str!("../demo/payment-timeout-cascade.json"),
    ),
    (
        "inventory-staging-sync.json",
        include_str!("../demo/inventory-staging-sync.json"),
    ),
    (
        "checkout-redis-cache-warming.json",
        include_str!("../demo/checkout-redis-cache-warming.json"),
    ),
    (
        "oversell-2024-01-15.json",
        include_str!("../demo/oversell-2024-01-15.json"),
    ),
    (
        "oversell-2024-01-28.json",
        include_str!("../demo/oversell-2024-01-28.json"),
    ),
    (
        "flash-sale-oversell.json",
        include_str!("../demo/flash-sale-oversell.json"),
    ),
];

/// Loads [`DEMO`] through the import path; running it again changes
/// nothing (their external ids make them updates, and equal content is
/// "unchanged").
pub async fn load_demo(services: &Services) -> anyhow::Result<ImportReport> {
    let mut report = ImportReport::default();
    for (name, text) in DEMO {
        import_text(services, FileKind::Json, text, name, &mut report).await?;
    }
    services.reindex_after_write().await;
    Ok(report)
}

/// `hindsight demo`
pub async fn demo(data_dir: &Path, database_url: Option<&str>) -> anyhow::Result<()> {
    let services = crate::startup::open(data_dir, database_url).await?;
    let report = load_demo(&services).await?;
    print_report(&services, &report)
}

/// `hindsight migrate-data --from URL --to URL`
pub async fn migrate_data(from: &str, to: &str) -> anyhow::Result<()> {
    let started = Instant::now();
    let source = Store::open_url(from)
        .await
        .context("cannot open the database to copy from")?;
    let target = Store::open_url(to)
        .await
        .context("cannot open the database to copy into")?;
    let copied = source
        .copy_into(&target)
        .await
        .context("the copy failed; nothing was written to the target")?;
    let rows: u64 = copied.iter().map(|(_, n)| n).sum();
    let postmortems = copied
        .iter()
        .find(|(table, _)| *table == "postmortem")
        .map_or(0, |(_, n)| *n);
    println!(
        "copied {postmortems} postmortems ({rows} rows in {} tables) in {:.1} s",
        copied.len(),
        started.elapsed().as_secs_f64()
    );
    println!("each server builds its search index from the copy when it starts");
    Ok(())
}

/// `hindsight reindex`
pub async fn reindex(data_dir: &Path, database_url: Option<&str>) -> anyhow::Result<()> {
    let services = crate::startup::open(data_dir, database_url).await?;
    let started = Instant::now();
    // In the database, so every replica's follower sees it and rebuilds.
    let request = services
        .store
        .request_reindex()
        .await
        .context("cannot record the rebuild request")?;
    if services.indexer.is_writer() {
        let count = services.indexer.rebuild().await?;
        println!(
            "indexed {count} postmortems in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        return Ok(());
    }
    // A server holds this folder's index: wait for it to answer.
    println!("a running server holds the index; asked it to rebuild");
    let deadline = Duration::from_secs(600);
    while services.indexer.answered_reindex() < request {
        if started.elapsed() > deadline {
            bail!("the server did not finish the rebuild within 10 minutes; see its log");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    println!(
        "the server rebuilt the index in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `hindsight search TEXT`
pub async fn search(
    data_dir: &Path,
    database_url: Option<&str>,
    text: &str,
    limit: usize,
    json: bool,
) -> anyhow::Result<()> {
    let services = crate::startup::open(data_dir, database_url).await?;
    let response = services
        .search(&RequestContext::command_line(), text, limit)
        .await?;
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &response)?;
        writeln!(out)?;
    } else {
        print_hits(&mut out, &response, std::io::stdout().is_terminal())?;
    }
    Ok(())
}

fn print_hits(out: &mut impl Write, response: &SearchResponse, color: bool) -> std::io::Result<()> {
    if response.incidents.is_empty() {
        return writeln!(out, "no matches ({:.1} ms)", response.took_ms);
    }
    for (rank, hit) in response.incidents.iter().enumerate() {
        let ext = hit
            .external_id
            .as_deref()
            .map(|e| format!(" [{e}]"))
            .unwrap_or_default();
        writeln!(
            out,
            "{:>2}. {}{ext}  #{}  score {:.2}",
            rank + 1,
            hit.title,
            hit.id,
            hit.score
        )?;
        let (open, close) = if color {
            ("\x1b[1;33m", "\x1b[0m")
        } else {
            ("[", "]")
        };
        let snippet: String = hit
            .snippet_pieces()
            .into_iter()
            .map(|(t, marked)| {
                if marked {
                    format!("{open}{t}{close}")
                } else {
                    t.to_string()
                }
            })
            .collect();
        writeln!(
            out,
            "    {}",
            snippet.split_whitespace().collect::<Vec<_>>().join(" ")
        )?;
    }
    writeln!(
        out,
        "({} results, {:.1} ms)",
        response.incidents.len(),
        response.took_ms
    )
}
