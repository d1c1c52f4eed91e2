//! `hindsight-bench bench`: the synthetic search benchmark.
//!
//! Opens a scratch data folder exactly as `hindsight-bench eval` does, imports N
//! generated postmortems ([`crate::synth`]) through the import code of
//! `hindsight import` (JSON Lines read by [`import_lines`], then one index
//! catch-up, as [`crate::cli::import_path`] does), rebuilds the index with
//! the code of `hindsight reindex`, and times the searches the search page
//! makes ([`Services::find`] with 10 hits and 3 patterns) for two kinds of
//! pasted text: alert blocks and 50-line log pastes. Prints a markdown
//! report on stdout; progress goes to stderr.

use crate::measure::{load_average, machine, percentile, url_encode, Snapshot};
use crate::synth::{self, Generator, Query};
use anyhow::{bail, Context};
use app::context::RequestContext;
use app::service::Services;
use hindsight::cli::{import_lines, ImportReport};
use hindsight::startup::DB_FILE;
use kb_domain::{PostmortemInput, SearchQuery};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

/// Postmortems generated and imported per batch (one JSON Lines "file").
const BATCH: usize = 2_000;
/// How many alert blocks `--keep` writes out for an HTTP load test.
const HTTP_QUERIES: usize = 100;
/// Postmortems made private for the run as a viewer who may see none of
/// them.
const PRIVATE_DOCS: usize = 100;
/// File name (inside the kept data folder) of the URL paths for `wrk`.
pub const HTTP_QUERY_FILE: &str = "bench-alert-queries.txt";
/// File name (inside the kept data folder) of the log pastes as URL paths,
/// for timing them without the server (`index_latency`).
pub const LOG_QUERY_FILE: &str = "bench-log-queries.txt";

/// The account the private postmortems are shared with.
const READER: &str = "bench-reader";
/// A viewer who is a reader of none of them.
const OUTSIDER: &str = "bench-outsider";

/// The account named `name`.
async fn account(services: &Services, name: &str) -> anyhow::Result<kb_domain::accounts::Account> {
    services
        .accounts
        .list()
        .await?
        .into_iter()
        .map(|(account, _)| account)
        .find(|account| account.name == name)
        .with_context(|| format!("no account {name} in the reused folder"))
}

/// Makes [`PRIVATE_DOCS`] of the `docs` postmortems, evenly spread,
/// private to [`READER`], through the editor's own save (a revision and a
/// change-log entry each); returns [`OUTSIDER`], who may see none of them.
async fn make_private(
    services: &Services,
    ctx: &RequestContext,
    docs: usize,
) -> anyhow::Result<kb_domain::accounts::Account> {
    let password = "a password nobody types";
    services
        .accounts
        .add(READER, password, kb_domain::accounts::Role::Viewer)
        .await?;
    let outsider = services
        .accounts
        .add(OUTSIDER, password, kb_domain::accounts::Role::Viewer)
        .await?;
    let ids = (1..=docs as i64)
        .step_by((docs / PRIVATE_DOCS).max(1))
        .take(PRIVATE_DOCS);
    for id in ids {
        let Some(postmortem) = services.get(ctx, id).await? else {
            bail!("postmortem {id} is missing after the import");
        };
        let mut input = PostmortemInput::from(&postmortem);
        input.parts.access.private = true;
        input.parts.access.users = vec![READER.to_string()];
        services
            .update_authored(ctx, id, postmortem.version, input)
            .await?;
    }
    Ok(outsider)
}

/// `hindsight-bench bench --docs N [--queries N] [--seed S] [--keep DIR [--reuse]]`
pub async fn bench(
    docs: usize,
    queries: usize,
    seed: u64,
    keep: Option<&Path>,
    reuse: bool,
) -> anyhow::Result<()> {
    let (data, scratch) = match keep {
        Some(dir) => (dir.to_path_buf(), false),
        None => (
            std::env::temp_dir().join(format!("hindsight-bench-{}", std::process::id())),
            true,
        ),
    };
    if reuse && !data.join(DB_FILE).exists() {
        bail!("--reuse: {} holds no Hindsight database", data.display());
    }
    if !reuse && data.join(DB_FILE).exists() {
        bail!(
            "{} already holds a Hindsight database; name a new or empty folder",
            data.display()
        );
    }
    let result = run(&data, docs, queries, seed, keep.is_some(), reuse).await;
    if scratch {
        let _ = std::fs::remove_dir_all(&data);
    }
    result
}

/// Wall times of one query set, and what the searches returned.
#[derive(Default)]
struct SetResult {
    name: &'static str,
    ms: Vec<f64>,
    chars: usize,
    terms: usize,
    hits: usize,
    total: usize,
    patterns: usize,
    same_mode_top1: usize,
}

async fn run(
    data: &Path,
    docs: usize,
    queries: usize,
    seed: u64,
    keep: bool,
    reuse: bool,
) -> anyhow::Result<()> {
    let mut out = String::new();
    let w = &mut out;
    let ctx = RequestContext::command_line();
    let _ = writeln!(
        w,
        "### hindsight-bench bench --docs {docs} --queries {queries} --seed {seed}{}\n",
        match (keep, reuse) {
            (true, true) => format!(" --keep {} --reuse", data.display()),
            (true, false) => format!(" --keep {}", data.display()),
            _ => String::new(),
        }
    );
    let _ = writeln!(w, "{}\n", machine());

    std::fs::create_dir_all(data).with_context(|| format!("cannot create {}", data.display()))?;
    let services = hindsight::startup::open(data, None).await?;
    anyhow::ensure!(
        services.indexer.is_writer(),
        "another process holds the index of {}",
        data.display()
    );
    // The measured pass repeats the warm-up's searches: computed, not recalled.
    services.indexer.set_search_cache(0);

    // Generate and import, batch by batch.
    let mut generator = Generator::new(seed);
    let mut report = ImportReport::default();
    let (mut gen_time, mut db_time) = (Duration::ZERO, Duration::ZERO);
    let (mut json_bytes, mut text_bytes) = (0usize, 0usize);
    let mut done = if reuse { docs } else { 0 };
    while done < docs {
        let n = BATCH.min(docs - done);
        let t = Instant::now();
        let mut lines = String::with_capacity(n * 6_000);
        for _ in 0..n {
            let incident = generator.next_incident();
            text_bytes += text_len(&incident);
            lines.push_str(&kb_export::json::write_line(&incident)?);
            lines.push('\n');
        }
        json_bytes += lines.len();
        gen_time += t.elapsed();
        let t = Instant::now();
        let source = format!("synthetic batch {}", done / BATCH + 1);
        import_lines(&services, lines.as_bytes(), &source, &mut report).await?;
        db_time += t.elapsed();
        done += n;
        eprintln!(
            "bench: imported {done}/{docs} into the database ({:.0}/s)",
            done as f64 / db_time.as_secs_f64()
        );
    }
    if let Some((place, why)) = report.skipped.first() {
        bail!(
            "{} generated postmortems were refused, e.g. {place}: {why}",
            report.skipped.len()
        );
    }
    eprintln!("bench: bringing the index up to date (catch-up, as after an import)");
    let t = Instant::now();
    services.reindex_after_write().await;
    let catch_up_time = t.elapsed();
    let indexed = services.indexer.num_docs();
    anyhow::ensure!(
        indexed as usize >= report.added,
        "the index holds {indexed} postmortems after the import, expected {}",
        report.added
    );
    let after_import = Snapshot::take(data);

    // Some postmortems private to one account, for the run as a viewer who
    // may see none of them: made so as any editor would, before the
    // rebuild (a reused folder has them already).
    let outsider = if reuse {
        account(&services, OUTSIDER).await?
    } else {
        make_private(&services, &ctx, docs).await?
    };

    eprintln!("bench: rebuilding the index (as hindsight reindex does)");
    let t = Instant::now();
    let rebuilt = services.indexer.rebuild().await?;
    let rebuild_time = t.elapsed();
    let after_rebuild = Snapshot::take(data);

    // Queries.
    let sets = [
        (
            "alert blocks",
            synth::alert_blocks(seed, queries.max(HTTP_QUERIES)),
        ),
        ("log pastes (50 lines)", synth::log_pastes(seed, queries)),
    ];
    let mut results = Vec::new();
    for (name, set) in &sets {
        let set = &set[..queries.min(set.len())];
        results.push(measure(&services, &ctx, name, set).await?);
    }

    // The alerts again as a signed-in viewer who may not see some private
    // postmortems: what leaving them out of results and statistics costs.
    let viewer = RequestContext {
        name: Some(outsider.name.clone()),
        caller: app::context::Caller::User(outsider),
        by_token: false,
    };
    let alerts = &sets[0].1[..queries.min(sets[0].1.len())];
    let name = "alert blocks, as a viewer of none of 100 private";
    results.push(measure(&services, &viewer, name, alerts).await?);
    let after_queries = Snapshot::take(data);

    if keep {
        let file = data.join(HTTP_QUERY_FILE);
        let mut paths = String::new();
        for q in sets[0].1.iter().take(HTTP_QUERIES) {
            let _ = writeln!(paths, "/api/v1/search?q={}&limit=10", url_encode(&q.text));
        }
        std::fs::write(&file, paths).with_context(|| format!("cannot write {}", file.display()))?;
        let file = data.join(LOG_QUERY_FILE);
        let mut paths = String::new();
        for q in &sets[1].1 {
            let _ = writeln!(paths, "/api/v1/search?q={}&limit=10", url_encode(&q.text));
        }
        std::fs::write(&file, paths).with_context(|| format!("cannot write {}", file.display()))?;
        eprintln!(
            "bench: kept the data folder {}; {HTTP_QUERY_FILE} holds {HTTP_QUERIES} search URLs, \
             {LOG_QUERY_FILE} the log pastes",
            data.display()
        );
    }

    // The report.
    let n = docs.max(1) as f64;
    let rate = |count: f64, d: Duration| count / d.as_secs_f64().max(1e-9);
    let _ = writeln!(w, "| stage | figure |\n| --- | --- |");
    if reuse {
        let _ = writeln!(
            w,
            "| generate, import | reused the postmortems already in the folder |"
        );
    } else {
        let _ = writeln!(
            w,
            "| generate | {docs} postmortems in {:.1} s; text {:.1} KB, JSON {:.1} KB per postmortem on average |",
            gen_time.as_secs_f64(),
            text_bytes as f64 / n / 1024.0,
            json_bytes as f64 / n / 1024.0,
        );
        let _ = writeln!(
            w,
            "| import: database (validate + store, `import_lines`) | {:.1} s, **{:.0} postmortems/s** (added {}, skipped {}) |",
            db_time.as_secs_f64(),
            rate(n, db_time),
            report.added,
            report.skipped.len()
        );
        let _ = writeln!(
            w,
            "| import: index catch-up (change log, batches of 500) | {:.1} s, {:.0} postmortems/s |",
            catch_up_time.as_secs_f64(),
            rate(n, catch_up_time)
        );
        let _ = writeln!(
            w,
            "| import total (database + index) | {:.1} s, **{:.0} postmortems/s** |",
            (db_time + catch_up_time).as_secs_f64(),
            rate(n, db_time + catch_up_time)
        );
    }
    let _ = writeln!(
        w,
        "| full rebuild (`hindsight reindex` code) | {rebuilt} docs in {:.1} s, **{:.0} docs/s** |",
        rebuild_time.as_secs_f64(),
        rate(rebuilt as f64, rebuild_time)
    );
    for (label, s) in [
        ("after import", &after_import),
        ("after rebuild", &after_rebuild),
        ("after queries", &after_queries),
    ] {
        let _ = writeln!(
            w,
            "| on disk {label} | index {:.1} MB ({} segments), database {:.1} MB |",
            s.index_bytes as f64 / 1e6,
            s.segments,
            s.db_bytes as f64 / 1e6
        );
        let _ = writeln!(
            w,
            "| memory {label} | VmRSS {:.0} MB, VmHWM {:.0} MB |",
            s.rss_kb as f64 / 1024.0,
            s.hwm_kb as f64 / 1024.0
        );
    }
    let _ = writeln!(
        w,
        "\nSearches: `Services::find` with limit 10, patterns 3 (the search page's request), one at a time, after a warm-up pass; {} index documents (postmortems and their patterns). Query terms are capped at 48 by the search crate (`MAX_QUERY_TERMS`); matches at {} (`MAX_CANDIDATES`).\n",
        services.indexer.num_docs(),
        kb_search::MAX_CANDIDATES
    );
    let _ = writeln!(
        w,
        "| query set | queries | avg chars | avg terms | avg hits | avg matches | avg patterns | top-1 same failure mode | p50 ms | p90 ms | p99 ms | max ms | mean ms |"
    );
    let _ = writeln!(
        w,
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    );
    for r in &results {
        let q = r.ms.len().max(1) as f64;
        let mean = r.ms.iter().sum::<f64>() / q;
        let _ = writeln!(
            w,
            "| {} | {} | {:.0} | {:.1} | {:.1} | {:.0} | {:.1} | {:.0}% | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |",
            r.name,
            r.ms.len(),
            r.chars as f64 / q,
            r.terms as f64 / q,
            r.hits as f64 / q,
            r.total as f64 / q,
            r.patterns as f64 / q,
            100.0 * r.same_mode_top1 as f64 / q,
            percentile(&r.ms, 0.50),
            percentile(&r.ms, 0.90),
            percentile(&r.ms, 0.99),
            percentile(&r.ms, 1.0),
            mean
        );
    }
    let _ = writeln!(w, "\nLoad average at the end: {}", load_average());
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

/// Runs `set` once to warm up, then again timing each search.
async fn measure(
    services: &Services,
    ctx: &RequestContext,
    name: &'static str,
    set: &[Query],
) -> anyhow::Result<SetResult> {
    eprintln!("bench: {name}: warm-up pass over {} queries", set.len());
    for q in set {
        search(services, ctx, q).await?;
    }
    eprintln!("bench: {name}: measured pass");
    let mut r = SetResult {
        name,
        ..SetResult::default()
    };
    for q in set {
        let started = Instant::now();
        let response = search(services, ctx, q).await?;
        r.ms.push(started.elapsed().as_secs_f64() * 1000.0);
        r.chars += q.text.chars().count();
        r.terms += response.terms.len();
        r.hits += response.incidents.len();
        r.total += response.total;
        r.patterns += response.patterns.len();
        let top = response.incidents.first();
        if top
            .and_then(|h| h.external_id.as_deref())
            .and_then(Generator::mode_of)
            == Some(q.mode)
        {
            r.same_mode_top1 += 1;
        }
    }
    Ok(r)
}

async fn search(
    services: &Services,
    ctx: &RequestContext,
    q: &Query,
) -> anyhow::Result<kb_domain::SearchResponse> {
    Ok(services
        .find(
            ctx,
            SearchQuery {
                text: q.text.clone(),
                limit: 10,
                patterns: 3,
                ..Default::default()
            },
        )
        .await?)
}

/// Characters of prose and pasted material in a postmortem (not counting
/// names, dates and enum values).
fn text_len(i: &PostmortemInput) -> usize {
    let p = &i.parts;
    let mut n = i.title.len() + i.summary.len() + i.impact.len();
    n += i.root_cause.len() + i.mitigation.len() + p.narrative.len();
    n += p.timeline.iter().map(|e| e.text.len()).sum::<usize>();
    n += p
        .evidence
        .iter()
        .map(|e| e.caption.len() + e.body.len())
        .sum::<usize>();
    n += p
        .hypotheses
        .iter()
        .map(|h| h.statement.len() + h.evidence_for.len() + h.evidence_against.len())
        .sum::<usize>();
    n += p.causes.iter().map(|c| c.statement.len()).sum::<usize>();
    n += p.mitigations.iter().map(|m| m.action.len()).sum::<usize>();
    n += p
        .learnings
        .iter()
        .map(|l| {
            l.title.len()
                + l.text.len()
                + l.symptoms.len()
                + l.root_cause.len()
                + l.detection.len()
                + l.resolution.len()
        })
        .sum::<usize>();
    n += p.action_items.iter().map(|a| a.title.len()).sum::<usize>();
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_a_browser_query_string() {
        assert_eq!(url_encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 0.5), 51.0);
        assert_eq!(percentile(&v, 1.0), 100.0);
    }
}
