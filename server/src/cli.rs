//! The command-line tools. Each opens the data folder like the server does;
//! when a server already holds the index's writer lock, writes go to the
//! database only and the server's indexer picks them up from the change log.
//!
//! `import` and `demo` read files in the formats of [`kb_export`] and save
//! each record through [`Core::import_one`], so validation and the change
//! log stay in one place; `export` writes them.

use anyhow::{bail, Context};
use app::context::RequestContext;
use app::error::AppError;
use app::service::Core;
use kb_db::ImportOutcome;
use kb_domain::{Incident, IncidentInput, SearchResponse};
use kb_export::{ExportError, Format, Parsed};
use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What an import did, record by record.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// New postmortems.
    pub added: usize,
    /// Existing ones (same `id`) whose content changed.
    pub updated: usize,
    /// Existing ones already identical.
    pub unchanged: usize,
    /// Records refused: where (`file line 3`, `file item 2`, `file`) and why.
    pub skipped: Vec<(String, String)>,
    /// Unknown top-level keys seen, with how often; they were ignored.
    pub unknown_keys: BTreeMap<String, usize>,
}

/// How a file is read, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    /// `.md`, `.markdown`: one postmortem with front matter.
    Markdown,
    /// `.json`: one object or an array (or, for old corpus files, lines).
    Json,
    /// `.jsonl`, `.ndjson`, and anything else: JSON Lines, as always.
    Lines,
}

impl FileKind {
    fn of(path: &Path) -> FileKind {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => FileKind::Markdown,
            "json" => FileKind::Json,
            _ => FileKind::Lines,
        }
    }

    /// The files a folder import picks up.
    fn wanted_in_folder(path: &Path) -> bool {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        matches!(
            ext.as_str(),
            "md" | "markdown" | "json" | "jsonl" | "ndjson"
        )
    }
}

/// The files `path` stands for: itself, or the postmortem files directly
/// inside a folder, by name. Not recursive: an export folder is flat, and a
/// folder of notes may hold subfolders (`.git`, drafts) that are not meant.
/// Names starting with `.` are skipped (editor swap files, `.DS_Store`).
pub fn files_to_import(path: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot open {}", path.display()))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in
        std::fs::read_dir(path).with_context(|| format!("cannot read {}", path.display()))?
    {
        let entry = entry.with_context(|| format!("cannot read {}", path.display()))?;
        let file = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if !hidden && file.is_file() && FileKind::wanted_in_folder(&file) {
            files.push(file);
        }
    }
    files.sort();
    if files.is_empty() {
        bail!(
            "{} holds no .md, .json or .jsonl files to import",
            path.display()
        );
    }
    Ok(files)
}

/// A short name for a file in reports: its file name.
fn label(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Saves one record read from `place` (or records why it was not read).
async fn import_record(
    core: &Core,
    ctx: &RequestContext,
    report: &mut ImportReport,
    place: String,
    record: Result<Parsed, ExportError>,
) -> anyhow::Result<()> {
    let parsed = match record {
        Ok(p) => p,
        Err(e) => {
            report.skipped.push((place, e.to_string()));
            return Ok(());
        }
    };
    for key in parsed.unknown_keys {
        *report.unknown_keys.entry(key).or_default() += 1;
    }
    match core.import_one(ctx, &parsed.input).await {
        Ok(ImportOutcome::Added) => report.added += 1,
        Ok(ImportOutcome::Updated) => report.updated += 1,
        Ok(ImportOutcome::Unchanged) => report.unchanged += 1,
        // About this record (bad fields, a link to nothing): skip it, the
        // others still import.
        Err(e @ (AppError::Invalid(_) | AppError::NotFound | AppError::Conflict(_))) => {
            let reason = match e {
                AppError::Invalid(errors) => errors.to_string(),
                other => other.to_string(),
            };
            report.skipped.push((place, reason));
        }
        Err(e) => return Err(e).with_context(|| place.clone()),
    }
    Ok(())
}

/// Imports every line of a JSON Lines `reader` through `core`; `source`
/// names it in the report. Streams: a corpus may be large.
///
/// Lines are read as bytes and decoded one by one, so a line that is not
/// UTF-8 is reported and skipped like any other bad line, rather than
/// ending the import halfway through the file. A byte-order mark is
/// dropped from the start of the file, and only there.
pub async fn import_lines(
    core: &Core,
    mut reader: impl BufRead,
    source: &str,
    report: &mut ImportReport,
) -> anyhow::Result<()> {
    let ctx = RequestContext::command_line();
    let mut buffer = Vec::new();
    let mut number = 0;
    loop {
        buffer.clear();
        let read = reader
            .read_until(b'\n', &mut buffer)
            .with_context(|| format!("{source}: cannot read line {}", number + 1))?;
        if read == 0 {
            return Ok(());
        }
        number += 1;
        let mut bytes = buffer.as_slice();
        if number == 1 {
            bytes = kb_export::text::strip_bom(bytes);
        }
        let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        let record = match kb_export::text::decode_line(bytes) {
            Ok(line) if line.trim().is_empty() => continue,
            Ok(line) => kb_export::json::read_line(line),
            Err(e) => Err(e),
        };
        let place = format!("{source} line {number}");
        import_record(core, &ctx, report, place, record).await?;
    }
}

/// Imports one document held in memory: markdown, or JSON (an object, an
/// array, or JSON Lines under a `.json` name).
async fn import_text(
    core: &Core,
    kind: FileKind,
    text: &str,
    source: &str,
    report: &mut ImportReport,
) -> anyhow::Result<()> {
    let ctx = RequestContext::command_line();
    match kind {
        FileKind::Markdown => {
            let record = kb_export::markdown::read(text);
            import_record(core, &ctx, report, source.to_string(), record).await
        }
        FileKind::Json if kb_export::json::is_json_lines(text) => {
            import_lines(core, text.as_bytes(), source, report).await
        }
        FileKind::Json | FileKind::Lines => match kb_export::json::read(text) {
            Err(e) => {
                report.skipped.push((source.to_string(), e.to_string()));
                Ok(())
            }
            Ok(records) => {
                let many = records.len() > 1;
                for (i, record) in records.into_iter().enumerate() {
                    let place = if many {
                        format!("{source} item {}", i + 1)
                    } else {
                        source.to_string()
                    };
                    // The array reader already says "item N: ..."; keep
                    // the place in front only.
                    let record = record.map_err(|e| match e {
                        ExportError::Item { source, .. } => *source,
                        other => other,
                    });
                    import_record(core, &ctx, report, place, record).await?;
                }
                Ok(())
            }
        },
    }
}

/// Imports a file or a folder (see [`files_to_import`]) through `core`,
/// then brings the index up to date once.
pub async fn import_path(core: &Core, path: &Path) -> anyhow::Result<ImportReport> {
    let mut report = ImportReport::default();
    for file in files_to_import(path)? {
        let source = label(&file);
        match FileKind::of(&file) {
            FileKind::Lines => {
                let reader = std::fs::File::open(&file)
                    .map(std::io::BufReader::new)
                    .with_context(|| format!("cannot open {}", file.display()))?;
                import_lines(core, reader, &source, &mut report).await?;
            }
            kind => {
                let bytes = std::fs::read(&file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                // A file that is not UTF-8 is refused like one that is not
                // JSON: reported, and the other files still imported.
                match kb_export::text::decode_file(&bytes) {
                    Ok(text) => import_text(core, kind, text, &source, &mut report).await?,
                    Err(e) => report.skipped.push((source, e.to_string())),
                }
            }
        }
    }
    core.reindex_after_write().await;
    Ok(report)
}

/// The demo postmortems, in load order: later ones link to earlier ones by
/// external id, so each link's target exists when it is saved.
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
        "flash-sale-oversell.json",
        include_str!("../demo/flash-sale-oversell.json"),
    ),
];

/// Loads [`DEMO`] through the import path; running it again changes
/// nothing (their external ids make them updates, and equal content is
/// "unchanged").
pub async fn load_demo(core: &Core) -> anyhow::Result<ImportReport> {
    let mut report = ImportReport::default();
    for (name, text) in DEMO {
        import_text(core, FileKind::Json, text, name, &mut report).await?;
    }
    core.reindex_after_write().await;
    Ok(report)
}

/// Prints an import's counts (stdout) and refusals (stderr).
fn print_report(core: &Core, report: &ImportReport) -> anyhow::Result<()> {
    let mut err = std::io::stderr().lock();
    for (place, reason) in &report.skipped {
        writeln!(err, "{place}: skipped: {reason}")?;
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

/// `hindsight import PATH`
pub async fn import(
    data_dir: &Path,
    database_url: Option<&str>,
    path: &Path,
) -> anyhow::Result<()> {
    // Look at the path before opening the data folder: a typo should not
    // leave an empty database behind.
    files_to_import(path)?;
    let core = crate::startup::open(data_dir, database_url).await?;
    let report = import_path(&core, path).await?;
    print_report(&core, &report)
}

/// `hindsight demo`
pub async fn demo(data_dir: &Path, database_url: Option<&str>) -> anyhow::Result<()> {
    let core = crate::startup::open(data_dir, database_url).await?;
    let report = load_demo(&core).await?;
    print_report(&core, &report)
}

/// Every postmortem's id, oldest first: the order a re-import needs, since
/// links usually point at earlier postmortems. Pages through the same
/// service call as the list page.
pub async fn all_ids(core: &Core, ctx: &RequestContext) -> Result<Vec<i64>, AppError> {
    let mut ids = Vec::new();
    let mut page = 1;
    loop {
        let rows = core.list(ctx, page).await?.rows;
        if rows.is_empty() {
            break;
        }
        ids.extend(rows.iter().map(|r| r.id));
        page += 1;
    }
    ids.sort_unstable();
    // A postmortem created while paging shifts the pages by one.
    ids.dedup();
    Ok(ids)
}

/// The record as exported: what `From<&NewIncident>` gives, action item ids
/// included (a re-import into the same instance updates items in place).
pub fn export_record(incident: &Incident) -> IncidentInput {
    IncidentInput::from(&incident.content())
}

/// What `hindsight export` exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportWhat {
    /// One postmortem, by Hindsight id.
    One(i64),
    /// All of them.
    All,
}

/// `hindsight export`
pub async fn export(
    data_dir: &Path,
    database_url: Option<&str>,
    what: ExportWhat,
    format: Format,
    out: Option<&Path>,
) -> anyhow::Result<()> {
    if what == ExportWhat::All && format == Format::Markdown && out.is_none() {
        bail!("markdown export of every postmortem writes one file each: name a folder with --out DIR");
    }
    let core = crate::startup::open(data_dir, database_url).await?;
    let ctx = RequestContext::command_line();
    match what {
        ExportWhat::One(id) => {
            let Some(incident) = core.get(&ctx, id).await? else {
                bail!("there is no postmortem #{id}");
            };
            let text = format.write(&export_record(&incident))?;
            match out {
                None => std::io::stdout().lock().write_all(text.as_bytes())?,
                Some(out) => {
                    let file = if out.is_dir() {
                        write_named(out, &incident, format, &text)?
                    } else {
                        std::fs::write(out, text)
                            .with_context(|| format!("cannot write {}", out.display()))?;
                        out.to_path_buf()
                    };
                    println!("exported #{id} to {}", file.display());
                }
            }
        }
        ExportWhat::All => {
            let ids = all_ids(&core, &ctx).await?;
            let count = match (format, out) {
                (Format::Json, None) => {
                    write_lines(&core, &ctx, &ids, std::io::stdout().lock()).await?
                }
                (Format::Json, Some(file)) => {
                    let writer = std::fs::File::create(file)
                        .map(std::io::BufWriter::new)
                        .with_context(|| format!("cannot write {}", file.display()))?;
                    write_lines(&core, &ctx, &ids, writer)
                        .await
                        .with_context(|| format!("cannot write {}", file.display()))?
                }
                (Format::Markdown, Some(dir)) => write_folder(&core, &ctx, &ids, dir).await?,
                (Format::Markdown, None) => unreachable!("refused above"),
            };
            let to = out
                .map(|p| format!(" to {}", p.display()))
                .unwrap_or_default();
            // On stdout the export itself is the output; say it aside.
            if out.is_some() {
                println!("exported {count} postmortems{to}");
            } else {
                eprintln!("exported {count} postmortems");
            }
        }
    }
    Ok(())
}

/// Every postmortem in `ids` as JSON Lines; returns how many were written
/// (one deleted meanwhile is left out).
async fn write_lines(
    core: &Core,
    ctx: &RequestContext,
    ids: &[i64],
    mut out: impl Write,
) -> anyhow::Result<usize> {
    let mut count = 0;
    for &id in ids {
        let Some(incident) = core.get(ctx, id).await? else {
            continue;
        };
        writeln!(
            out,
            "{}",
            kb_export::json::write_line(&export_record(&incident))?
        )?;
        count += 1;
    }
    out.flush()?;
    Ok(count)
}

/// Every postmortem in `ids` as a markdown file in `dir` (created if
/// missing), named by [`kb_export::file_name`].
async fn write_folder(
    core: &Core,
    ctx: &RequestContext,
    ids: &[i64],
    dir: &Path,
) -> anyhow::Result<usize> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut count = 0;
    for &id in ids {
        let Some(incident) = core.get(ctx, id).await? else {
            continue;
        };
        let text = kb_export::markdown::write(&export_record(&incident))?;
        write_named(dir, &incident, Format::Markdown, &text)?;
        count += 1;
    }
    Ok(count)
}

/// Writes `text` into `dir` under the postmortem's file name, and removes
/// an earlier export of the same postmortem under an older title
/// (`000042-old-title.md`): left there, a folder import would read both, in
/// an order that may let the old one win.
fn write_named(
    dir: &Path,
    incident: &Incident,
    format: Format,
    text: &str,
) -> anyhow::Result<PathBuf> {
    let name = kb_export::file_name(incident.id, &incident.title, format);
    let file = dir.join(&name);
    std::fs::write(&file, text).with_context(|| format!("cannot write {}", file.display()))?;
    let prefix = format!("{:06}-", incident.id);
    let suffix = format!(".{}", format.extension());
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    for entry in entries.flatten() {
        let other = entry.file_name().to_string_lossy().into_owned();
        if other != name && other.starts_with(&prefix) && other.ends_with(&suffix) {
            let stale = entry.path();
            std::fs::remove_file(&stale)
                .with_context(|| format!("cannot remove the older export {}", stale.display()))?;
        }
    }
    Ok(file)
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
