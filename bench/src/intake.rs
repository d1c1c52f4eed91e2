//! `hindsight-bench bench-intake`: alerts into the intake with N synthetic
//! postmortems loaded, through the router (the whole HTTP stack but the
//! socket), as Alertmanager sends them.
//!
//! Two loads: new alert groups one after another, each opening an incident
//! with its "seen before?" search (the synthetic alert blocks of
//! [`crate::synth::alert_blocks`] as the alert's description); and a storm
//! into one group, many deliveries at once from concurrent senders, each
//! reporting one of a few hundred distinct alerts again and again. Prints
//! a markdown report on stdout; progress goes to stderr.

use crate::measure::{load_average, machine, percentile};
use crate::synth::{self, Generator};
use anyhow::{ensure, Context};
use app::context::RequestContext;
use axum::body::Body;
use axum::http::Request;
use hindsight::cli::{import_lines, ImportReport};
use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};
use tower::ServiceExt;

/// Distinct alerts the storm's deliveries cycle through.
const STORM_ALERTS: usize = 200;
/// Senders posting at once during the storm.
const STORM_SENDERS: usize = 16;

/// Runs the benchmark in `keep` (or a scratch folder) and prints its report.
pub async fn bench_intake(
    docs: usize,
    groups: usize,
    storm: usize,
    seed: u64,
    keep: Option<&Path>,
) -> anyhow::Result<()> {
    let scratch = tempfile::tempdir()?;
    let services = loaded(keep, scratch.path(), docs, seed).await?;
    // Every new group's search is computed, never recalled.
    services.indexer.set_search_cache(0);
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(
        w,
        "### hindsight-bench bench-intake --docs {docs} --groups {groups} --storm {storm} --seed {seed}\n"
    );
    let _ = writeln!(w, "{}\n", machine());

    let ctx = RequestContext::command_line();
    // A kept folder may hold the integrations of earlier runs.
    let name = format!("bench{}", services.integrations().await?.len() + 1);
    let secret = services
        .add_integration(&ctx, "alertmanager", &name, None, None, &Default::default())
        .await?
        .secret
        .context("an Alertmanager integration has a bearer secret")?;
    let router = hindsight::http::router(hindsight::http::app_state(services.clone(), None)?);
    let uri = format!("/api/v1/intake/alertmanager/{name}");
    let post = move |body: String| {
        let router = router.clone();
        let request = Request::post(&uri)
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {secret}"))
            .body(Body::from(body))
            .expect("a request");
        async move {
            let started = Instant::now();
            let response = router.oneshot(request).await.expect("the router answers");
            let ok = response.status().is_success();
            let body = axum::body::to_bytes(response.into_body(), 1 << 20).await;
            (started.elapsed(), ok, body.unwrap_or_default())
        }
    };

    // New groups, one after another: each opens an incident and searches.
    eprintln!("bench: {groups} new alert groups");
    let blocks = synth::alert_blocks(seed, groups);
    let mut times = Vec::with_capacity(groups);
    let mut with_matches = 0;
    let started = Instant::now();
    for (i, block) in blocks.iter().enumerate() {
        let (elapsed, ok, body) = post(payload(&format!("new-{i}"), i, &block.text)).await;
        ensure!(
            ok,
            "new group {i} refused: {}",
            String::from_utf8_lossy(&body)
        );
        let answer: serde_json::Value = serde_json::from_slice(&body)?;
        ensure!(
            answer["created"] == true,
            "group {i} did not open an incident: {answer}"
        );
        if answer["suggestions"]
            .as_array()
            .is_some_and(|s| !s.is_empty())
        {
            with_matches += 1;
        }
        times.push(elapsed.as_secs_f64() * 1000.0);
    }
    let wall = started.elapsed();
    let _ = writeln!(
        w,
        "| load | deliveries | per second | p50 ms | p99 ms | max ms | errors |"
    );
    let _ = writeln!(w, "| --- | --- | --- | --- | --- | --- | --- |");
    row(
        w,
        "new groups, one at a time (each searched)",
        &times,
        wall,
        0,
    );

    // The storm: one group, concurrent senders, a few hundred distinct
    // alerts reported again and again.
    eprintln!("bench: a storm of {storm} deliveries into one group");
    let text = &blocks[0].text;
    let bodies: Vec<String> = (0..storm)
        .map(|i| payload("storm", i % STORM_ALERTS, text))
        .collect();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for sender in 0..STORM_SENDERS {
        let mine: Vec<String> = bodies
            .iter()
            .skip(sender)
            .step_by(STORM_SENDERS)
            .cloned()
            .collect();
        let post = post.clone();
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(mine.len());
            let mut errors = 0;
            for body in mine {
                let (elapsed, ok, _) = post(body).await;
                errors += usize::from(!ok);
                times.push(elapsed.as_secs_f64() * 1000.0);
            }
            (times, errors)
        }));
    }
    let (mut times, mut errors) = (Vec::with_capacity(storm), 0);
    for task in tasks {
        let (t, e) = task.await?;
        times.extend(t);
        errors += e;
    }
    let wall = started.elapsed();
    row(
        w,
        &format!("storm into one group ({STORM_SENDERS} senders, {STORM_ALERTS} distinct alerts)"),
        &times,
        wall,
        errors,
    );

    let group = services
        .store
        .integrations()
        .await?
        .into_iter()
        .find(|i| i.name == name)
        .context("the integration")?;
    let storm_incidents = group.incidents as usize - groups;
    let storm_id = services
        .ongoing(&ctx)
        .await?
        .into_iter()
        .find(|o| o.title.contains("storm"))
        .map(|o| o.id);
    let entries = match storm_id {
        Some(id) => services.store.get(id).await?.parts.timeline.len(),
        None => 0,
    };
    let _ = writeln!(
        w,
        "\n{with_matches} of {groups} new incidents had suggestions. The storm made \
         {storm_incidents} incident(s) with {entries} timeline entries \
         ({STORM_ALERTS} distinct alerts). Load average after: {}.",
        load_average()
    );
    ensure!(
        storm_incidents == 1,
        "the storm opened {storm_incidents} incidents"
    );
    ensure!(errors == 0, "{errors} storm deliveries failed");
    println!("{out}");
    Ok(())
}

fn row(w: &mut String, what: &str, times: &[f64], wall: Duration, errors: usize) {
    let _ = writeln!(
        w,
        "| {what} | {} | {:.0} | {:.1} | {:.1} | {:.1} | {errors} |",
        times.len(),
        times.len() as f64 / wall.as_secs_f64(),
        percentile(times, 0.5),
        percentile(times, 0.99),
        percentile(times, 1.0),
    );
}

/// An Alertmanager webhook for group `group` with one firing alert (the
/// `alert`-th of its group), described by `text`.
fn payload(group: &str, alert: usize, text: &str) -> String {
    let summary = text.lines().next().unwrap_or("alert");
    let labels = serde_json::json!({
        "alertname": format!("Bench{group}"),
        "service": format!("svc-{}", alert % 7),
        "severity": "critical",
        "instance": format!("10.0.{}.{}:9100", alert / 250, alert % 250),
    });
    serde_json::json!({
        "version": "4",
        "groupKey": format!("{{}}:{{group=\"{group}\"}}"),
        "truncatedAlerts": 0,
        "status": "firing",
        "receiver": "hindsight",
        "groupLabels": {"group": group},
        "commonLabels": {"alertname": format!("Bench{group}")},
        "commonAnnotations": {"summary": format!("{group}: {summary}")},
        "externalURL": "http://alertmanager.bench:9093",
        "alerts": [{
            "status": "firing",
            "labels": labels,
            "annotations": {"summary": summary, "description": text},
            "startsAt": "2026-11-30T10:00:00Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus.bench:9090/graph",
            "fingerprint": format!("{alert:016x}"),
        }],
    })
    .to_string()
}

/// The services of data folder `keep` (or of `scratch`, a fresh one),
/// holding at least `docs` generated postmortems (imported as needed) and
/// indexed: the start of every benchmark over a loaded knowledge base.
pub(crate) async fn loaded(
    keep: Option<&Path>,
    scratch: &Path,
    docs: usize,
    seed: u64,
) -> anyhow::Result<app::service::Services> {
    let data = keep.unwrap_or(scratch);
    std::fs::create_dir_all(data).with_context(|| format!("cannot create {}", data.display()))?;
    let services = hindsight::startup::open(data, None).await?;
    let existing = services.store.count(&kb_db::Hidden::none()).await? as usize;
    if existing < docs {
        seed_postmortems(&services, docs - existing, seed).await?;
    }
    services.reindex_after_write().await;
    Ok(services)
}

/// Imports `n` generated postmortems through the import path.
pub(crate) async fn seed_postmortems(
    services: &app::service::Services,
    n: usize,
    seed: u64,
) -> anyhow::Result<()> {
    let mut generator = Generator::new(seed);
    let mut report = ImportReport::default();
    let mut lines = String::new();
    for i in 1..=n {
        lines.push_str(&kb_export::json::write_line(&generator.next_incident())?);
        lines.push('\n');
        if i % 2_000 == 0 || i == n {
            import_lines(services, lines.as_bytes(), "synthetic", &mut report).await?;
            lines.clear();
            eprintln!("bench: imported {i}/{n}");
        }
    }
    ensure!(
        report.skipped.is_empty(),
        "generated postmortems were refused"
    );
    Ok(())
}
