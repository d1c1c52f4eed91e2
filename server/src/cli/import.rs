//! `hindsight import`: which files a path stands for, how each kind is read
//! (JSON Lines streamed, JSON, Markdown), and the [`ImportReport`] of what
//! became of every record. Each record is saved through
//! [`Services::import_one`], like the demo's, so validation and the change log
//! stay in one place.

use anyhow::{bail, Context};
use app::context::RequestContext;
use app::error::AppError;
use app::service::Services;
use kb_db::ImportOutcome;
use kb_export::{ExportError, Parsed};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

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
pub(super) enum FileKind {
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
    services: &Services,
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
    match services.import_one(ctx, &parsed.input).await {
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

/// Imports every line of a JSON Lines `reader` through `services`; `source`
/// names it in the report. Streams: a corpus may be large.
///
/// Lines are read as bytes and decoded one by one, so a line that is not
/// UTF-8 is reported and skipped like any other bad line, rather than
/// ending the import halfway through the file. A byte-order mark is
/// dropped from the start of the file, and only there.
pub async fn import_lines(
    services: &Services,
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
        import_record(services, &ctx, report, place, record).await?;
    }
}

/// Imports one document held in memory: markdown, or JSON (an object, an
/// array, or JSON Lines under a `.json` name).
pub(super) async fn import_text(
    services: &Services,
    kind: FileKind,
    text: &str,
    source: &str,
    report: &mut ImportReport,
) -> anyhow::Result<()> {
    let ctx = RequestContext::command_line();
    match kind {
        FileKind::Markdown => {
            let record = kb_export::markdown::read(text);
            import_record(services, &ctx, report, source.to_string(), record).await
        }
        FileKind::Json if kb_export::json::is_json_lines(text) => {
            import_lines(services, text.as_bytes(), source, report).await
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
                    import_record(services, &ctx, report, place, record).await?;
                }
                Ok(())
            }
        },
    }
}

/// Imports a file or a folder (see [`files_to_import`]) through `services`,
/// then brings the index up to date once.
pub async fn import_path(services: &Services, path: &Path) -> anyhow::Result<ImportReport> {
    let mut report = ImportReport::default();
    for file in files_to_import(path)? {
        let source = label(&file);
        match FileKind::of(&file) {
            FileKind::Lines => {
                let reader = std::fs::File::open(&file)
                    .map(std::io::BufReader::new)
                    .with_context(|| format!("cannot open {}", file.display()))?;
                import_lines(services, reader, &source, &mut report).await?;
            }
            kind => {
                let bytes = std::fs::read(&file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                // A file that is not UTF-8 is refused like one that is not
                // JSON: reported, and the other files still imported.
                match kb_export::text::decode_file(&bytes) {
                    Ok(text) => import_text(services, kind, text, &source, &mut report).await?,
                    Err(e) => report.skipped.push((source, e.to_string())),
                }
            }
        }
    }
    services.reindex_after_write().await;
    Ok(report)
}

/// Prints an import's counts (stdout) and refusals (stderr).
pub(super) fn print_report(services: &Services, report: &ImportReport) -> anyhow::Result<()> {
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
    if !services.indexer.is_writer() {
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
    let services = crate::startup::open(data_dir, database_url).await?;
    let report = import_path(&services, path).await?;
    print_report(&services, &report)
}
