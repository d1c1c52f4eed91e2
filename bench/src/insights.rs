//! `hindsight-bench bench-insights`: the Insights page over N synthetic
//! postmortems (clocks, links, patterns, hypotheses with outcomes, action
//! items), timed through the router (the whole server side but the
//! socket): the default period, every month, filters, the API and the
//! CSV; the first request after an edit; and reading every postmortem's
//! facts, as a replica does when it starts. Prints a markdown report on stdout; progress
//! goes to stderr. The goal: under 100 ms at 100,000 postmortems.

use crate::intake::loaded;
use crate::measure::{load_average, machine, timing_row as row};
use anyhow::{ensure, Context};
use app::context::RequestContext;
use axum::body::Body;
use axum::http::Request;
use kb_domain::PostmortemInput;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;
use tower::ServiceExt;

/// One GET through `router`: milliseconds, and the body.
async fn get(router: &axum::Router, uri: &str) -> anyhow::Result<(f64, String)> {
    let started = Instant::now();
    let response = router
        .clone()
        .oneshot(Request::get(uri).body(Body::empty())?)
        .await
        .context("the router answers")?;
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 64 << 20).await?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let body = String::from_utf8_lossy(&body).into_owned();
    ensure!(status.is_success(), "{uri}: {status}: {body:.300}");
    Ok((ms, body))
}

/// Runs the benchmark in `keep` (or a scratch folder) and prints its report.
pub async fn bench_insights(
    docs: usize,
    runs: usize,
    seed: u64,
    keep: Option<&Path>,
) -> anyhow::Result<()> {
    let scratch = tempfile::tempdir()?;
    let data = keep.unwrap_or(scratch.path());
    let services = loaded(keep, scratch.path(), docs, seed).await?;
    let total = services.store.count(&kb_db::Hidden::none()).await?;
    let first = services.store.get(1).await?;
    let team = first.parts.teams.first().cloned().unwrap_or_default();
    let service = first.services.first().cloned().unwrap_or_default();
    let router = hindsight::http::router(hindsight::http::app_state(services.clone(), None)?);

    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(
        w,
        "### hindsight-bench bench-insights --docs {docs} --runs {runs} --seed {seed}\n"
    );
    let _ = writeln!(w, "{}, {total} postmortems\n", machine());
    let _ = writeln!(w, "| request | requests | p50 ms | p99 ms | max ms |");
    let _ = writeln!(w, "| --- | --- | --- | --- | --- |");

    let everything = "from=2019-01&to=2026-12";
    let views = [
        ("/insights".to_string(), "Calibration"),
        (format!("/insights?{everything}"), "Calibration"),
        (
            format!("/insights?service={}", crate::measure::url_encode(&service)),
            "Calibration",
        ),
        (
            format!(
                "/insights?team={}&severity=SEV2",
                crate::measure::url_encode(&team)
            ),
            "Calibration",
        ),
        ("/api/v1/insights".to_string(), "\"brier\""),
        (format!("/api/v1/insights?{everything}"), "\"brier\""),
        (format!("/insights.csv?{everything}"), "calibration,"),
    ];
    for (uri, expect) in &views {
        eprintln!("bench: {runs} × {uri}");
        let mut times = Vec::with_capacity(runs);
        for i in 0..runs + 2 {
            let (ms, body) = get(&router, uri).await?;
            ensure!(body.contains(expect), "{uri} lacks {expect:?}");
            // The first two warm the caches; they are measured below.
            if i >= 2 {
                times.push(ms);
            }
        }
        row(w, &format!("`GET {uri}`"), &times);
    }

    eprintln!("bench: {runs} edits, each followed by the page");
    let ctx = RequestContext::command_line();
    let mut times = Vec::with_capacity(runs);
    let step = (total as usize / runs.max(1)).max(1);
    for i in 0..runs {
        let id = 1 + ((i * step) % total.max(1) as usize) as i64;
        let current = services.store.get(id).await?;
        let mut input = PostmortemInput::from(&current);
        input.summary.push_str(" Edited.");
        services
            .update_authored(&ctx, id, current.version, input)
            .await?;
        let (ms, _) = get(&router, &format!("/insights?{everything}")).await?;
        times.push(ms);
    }
    row(w, "`GET /insights` (every month) after an edit", &times);

    let (rss, _) = crate::measure::memory();
    eprintln!("bench: a replica's first catch-up, {} times", runs.min(5));
    let mut times = Vec::new();
    for _ in 0..runs.min(5) {
        let fresh = hindsight::startup::open(data, None).await?;
        let started = Instant::now();
        fresh.insight_facts.catch_up(&fresh.store).await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    row(
        w,
        "reading every postmortem's facts (a replica's start)",
        &times,
    );
    let _ = writeln!(
        w,
        "\nMemory (RSS) of the process after the requests: {} MB.",
        rss / 1024
    );
    let _ = writeln!(w, "\nLoad average after: {}.", load_average());
    print!("{out}");
    Ok(())
}
