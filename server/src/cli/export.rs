//! `hindsight export`: one postmortem to stdout or a file, or all of them as
//! JSON Lines or as a folder of markdown files. [`export_record`] and
//! [`all_ids`] are shared with the JSON API's export, so both write the
//! same records in the same order.

use anyhow::{bail, Context};
use app::context::RequestContext;
use app::error::AppError;
use app::service::Services;
use kb_domain::{Postmortem, PostmortemInput};
use kb_export::Format;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Every postmortem's id, oldest first: the order a re-import needs, since
/// links usually point at earlier postmortems. Pages through the same
/// service call as the list page.
pub async fn all_ids(services: &Services, ctx: &RequestContext) -> Result<Vec<i64>, AppError> {
    let mut ids = Vec::new();
    let mut page = 1;
    loop {
        let rows = services.list(ctx, page).await?.rows;
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

/// The record as exported: what `From<&NewPostmortem>` gives, action item ids
/// included (a re-import into the same instance updates items in place).
pub fn export_record(postmortem: &Postmortem) -> PostmortemInput {
    PostmortemInput::from(&postmortem.content())
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
    let services = crate::startup::open(data_dir, database_url).await?;
    let ctx = RequestContext::command_line();
    match what {
        ExportWhat::One(id) => {
            let Some(postmortem) = services.get(&ctx, id).await? else {
                bail!("there is no postmortem #{id}");
            };
            let text = format.write(&export_record(&postmortem))?;
            match out {
                None => std::io::stdout().lock().write_all(text.as_bytes())?,
                Some(out) => {
                    let file = if out.is_dir() {
                        write_named(out, &postmortem, format, &text)?
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
            let ids = all_ids(&services, &ctx).await?;
            let count = match (format, out) {
                (Format::Json, None) => {
                    write_lines(&services, &ctx, &ids, std::io::stdout().lock()).await?
                }
                (Format::Json, Some(file)) => {
                    let writer = std::fs::File::create(file)
                        .map(std::io::BufWriter::new)
                        .with_context(|| format!("cannot write {}", file.display()))?;
                    write_lines(&services, &ctx, &ids, writer)
                        .await
                        .with_context(|| format!("cannot write {}", file.display()))?
                }
                (Format::Markdown, Some(dir)) => write_folder(&services, &ctx, &ids, dir).await?,
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
    services: &Services,
    ctx: &RequestContext,
    ids: &[i64],
    mut out: impl Write,
) -> anyhow::Result<usize> {
    let mut count = 0;
    for &id in ids {
        let Some(postmortem) = services.get(ctx, id).await? else {
            continue;
        };
        writeln!(
            out,
            "{}",
            kb_export::json::write_line(&export_record(&postmortem))?
        )?;
        count += 1;
    }
    out.flush()?;
    Ok(count)
}

/// Every postmortem in `ids` as a markdown file in `dir` (created if
/// missing), named by [`kb_export::file_name`].
async fn write_folder(
    services: &Services,
    ctx: &RequestContext,
    ids: &[i64],
    dir: &Path,
) -> anyhow::Result<usize> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut count = 0;
    for &id in ids {
        let Some(postmortem) = services.get(ctx, id).await? else {
            continue;
        };
        let text = kb_export::markdown::write(&export_record(&postmortem))?;
        write_named(dir, &postmortem, Format::Markdown, &text)?;
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
    postmortem: &Postmortem,
    format: Format,
    text: &str,
) -> anyhow::Result<PathBuf> {
    let name = kb_export::file_name(postmortem.id, &postmortem.title, format);
    let file = dir.join(&name);
    std::fs::write(&file, text).with_context(|| format!("cannot write {}", file.display()))?;
    let prefix = format!("{:06}-", postmortem.id);
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
