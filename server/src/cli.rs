//! The command-line tools. Each opens the data folder like the server does;
//! when a server already holds the index's writer lock, writes go to the
//! database only and the server's indexer picks them up from the change log.

use anyhow::{bail, Context};
use app::context::RequestContext;
use app::error::AppError;
use kb_db::ImportOutcome;
use kb_domain::{IncidentInput, SearchResponse};
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// Keys of the import format; any other key is ignored and counted.
const KNOWN_KEYS: &[&str] = &[
    "id",
    "title",
    "severity",
    "date",
    "summary",
    "impact",
    "root_cause",
    "mitigation",
    "services",
    "labels",
    "url",
];

/// What an import did, line by line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// New postmortems.
    pub added: usize,
    /// Existing ones (same `id`) whose content changed.
    pub updated: usize,
    /// Existing ones already identical.
    pub unchanged: usize,
    /// Lines refused, with their line number and reason.
    pub skipped: Vec<(usize, String)>,
    /// Unknown keys seen, with how often.
    pub unknown_keys: std::collections::BTreeMap<String, usize>,
}

/// Parses one import line into an input, counting unknown keys.
pub fn parse_line(
    line: &str,
    unknown: &mut std::collections::BTreeMap<String, usize>,
) -> Result<IncidentInput, String> {
    let value: serde_json::Value =
        serde_json::from_str(line).map_err(|e| format!("not valid JSON: {e}"))?;
    let serde_json::Value::Object(map) = &value else {
        return Err("expected a JSON object".into());
    };
    for key in map.keys() {
        if !KNOWN_KEYS.contains(&key.as_str()) {
            *unknown.entry(key.clone()).or_default() += 1;
        }
    }
    serde_json::from_value(value).map_err(|e| format!("wrong shape: {e}"))
}

/// Imports every line of `reader` through `core`.
pub async fn import_lines(
    core: &app::service::Core,
    reader: impl BufRead,
) -> anyhow::Result<ImportReport> {
    let mut report = ImportReport::default();
    let ctx = RequestContext::command_line();
    for (n, line) in reader.lines().enumerate() {
        let number = n + 1;
        let line = line.with_context(|| format!("cannot read line {number}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let input = match parse_line(&line, &mut report.unknown_keys) {
            Ok(input) => input,
            Err(reason) => {
                report.skipped.push((number, reason));
                continue;
            }
        };
        match core.import_one(&ctx, &input).await {
            Ok(ImportOutcome::Added) => report.added += 1,
            Ok(ImportOutcome::Updated) => report.updated += 1,
            Ok(ImportOutcome::Unchanged) => report.unchanged += 1,
            Err(AppError::Invalid(errors)) => report.skipped.push((number, errors.to_string())),
            Err(e) => return Err(e).with_context(|| format!("line {number}")),
        }
    }
    core.reindex_after_write().await;
    Ok(report)
}

/// `hindsight import FILE`
pub async fn import(
    data_dir: &Path,
    database_url: Option<&str>,
    file: &Path,
) -> anyhow::Result<()> {
    let reader = std::fs::File::open(file)
        .map(std::io::BufReader::new)
        .with_context(|| format!("cannot open {}", file.display()))?;
    let core = crate::startup::open(data_dir, database_url).await?;
    let report = import_lines(&core, reader).await?;
    let mut err = std::io::stderr().lock();
    for (line, reason) in &report.skipped {
        writeln!(err, "line {line}: skipped: {reason}")?;
    }
    println!(
        "added {}, updated {}, unchanged {}, skipped {}",
        report.added,
        report.updated,
        report.unchanged,
        report.skipped.len()
    );
    if !report.unknown_keys.is_empty() {
        let keys: Vec<String> = report
            .unknown_keys
            .iter()
            .map(|(k, n)| format!("{k} ({n})"))
            .collect();
        println!("ignored unknown keys: {}", keys.join(", "));
    }
    if !core.indexer.is_writer() {
        println!("a running server holds the index; it will index these changes within seconds");
    }
    Ok(())
}

/// `hindsight reindex`
pub async fn reindex(data_dir: &Path, database_url: Option<&str>) -> anyhow::Result<()> {
    let core = crate::startup::open(data_dir, database_url).await?;
    let started = Instant::now();
    if core.indexer.is_writer() {
        let count = core.indexer.rebuild().await?;
        println!(
            "indexed {count} postmortems in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        return Ok(());
    }
    // A server holds the writer lock: ask it, and wait for it to finish.
    let request = core
        .indexer
        .request_rebuild()
        .context("cannot leave a rebuild request for the running server")?;
    println!("a running server holds the index; asked it to rebuild");
    let deadline = Duration::from_secs(600);
    while request.exists() {
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
    let core = crate::startup::open(data_dir, database_url).await?;
    let response = core
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
