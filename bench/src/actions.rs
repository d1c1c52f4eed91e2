//! `hindsight-bench bench-actions`: the Action items page over a large synthetic
//! set (by default 50,000 items across 10,000 postmortems), timed on the
//! server: the whole server-side render of the page's first page through
//! the router (no socket), some filtered views, the summary page, the JSON
//! API and the store query alone.
//!
//! The postmortems are written through the store's ordinary create path
//! (revisions, change log, item history), into a scratch data folder. The
//! search index is left behind on purpose: the tracking pages never read it.

use anyhow::Context;
use axum::body::Body;
use axum::http::Request;
use kb_db::Hidden;
use kb_domain::actions::{add_days, ActionFilters, ITEMS_PER_PAGE};
use kb_domain::record::{ActionItem, Parts};
use kb_domain::PostmortemInput;
use std::path::Path;
use std::time::{Duration, Instant};
use tower::ServiceExt;

const TEAMS: [&str; 10] = [
    "payments", "search", "checkout", "identity", "platform", "data", "mobile", "edge", "billing",
    "growth",
];
const SERVICES: [&str; 20] = [
    "api-gateway",
    "auth",
    "cart",
    "catalog",
    "checkout",
    "db-primary",
    "email",
    "feed",
    "images",
    "inventory",
    "kafka",
    "ledger",
    "notifications",
    "orders",
    "payments",
    "queue",
    "redis",
    "search-api",
    "sessions",
    "web",
];
const STATUSES: [&str; 4] = ["open", "in_progress", "done", "wont_do"];
const KINDS: [&str; 4] = ["mitigate", "prevent", "detect", "process"];
const PRIORITIES: [&str; 3] = ["high", "medium", "low"];

/// A small deterministic generator (xorshift), so equal runs hold equal data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Runs the benchmark and prints the figures.
pub async fn bench_actions(
    postmortems: usize,
    items: usize,
    runs: usize,
    keep: Option<&Path>,
) -> anyhow::Result<()> {
    let scratch;
    let dir = match keep {
        Some(d) => d.to_path_buf(),
        None => {
            scratch = tempfile_dir()?;
            scratch.clone()
        }
    };
    let services = hindsight::startup::open(&dir, None).await?;
    let today = app::service::actions::today();
    let existing = services.store.count(&Hidden::none()).await?;
    let started = Instant::now();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for n in existing as usize..postmortems {
        let action_items = (0..items)
            .map(|k| ActionItem {
                title: format!(
                    "Follow-up {k} of incident {n}: guard the {}",
                    SERVICES[rng.below(20)]
                ),
                owner: format!("owner{}", rng.below(200)),
                due: (rng.below(5) > 0)
                    .then(|| add_days(&today, rng.below(400) as i64 - 200))
                    .flatten(),
                priority: PRIORITIES[rng.below(3)].into(),
                status: STATUSES[rng.below(4)].into(),
                kind: KINDS[rng.below(4)].into(),
                tracker: format!("OPS-{}", rng.below(100_000)),
                ..Default::default()
            })
            .collect();
        let new = PostmortemInput {
            title: format!("Synthetic incident {n}"),
            severity: Some("SEV3".into()),
            services: vec![
                SERVICES[rng.below(20)].to_string(),
                SERVICES[rng.below(20)].to_string(),
            ],
            parts: Parts {
                teams: vec![TEAMS[rng.below(10)].to_string()],
                action_items,
                ..Parts::default()
            },
            ..Default::default()
        }
        .validate()
        .map_err(|e| anyhow::anyhow!("generated postmortem is invalid: {e}"))?;
        services.store.create(&new, "bench").await?;
    }
    let (all, _) = services
        .store
        .action_items(&ActionFilters::default(), &today, 1, 0, &Hidden::none())
        .await?;
    drop(all);
    println!(
        "seeded {} postmortems with {items} items each in {:.1} s ({})",
        postmortems,
        started.elapsed().as_secs_f64(),
        dir.display()
    );

    let state = hindsight::http::app_state(services.clone(), None)?;
    let router = hindsight::http::router(state);
    println!(
        "{:<58} {:>8} {:>8} {:>8}",
        "server time, ms", "median", "p95", "max"
    );
    for uri in [
        "/action-items",
        "/action-items?sort=priority",
        "/action-items?sort=age",
        "/action-items?status=open",
        "/action-items?due=overdue",
        "/action-items?owner=owner7",
        "/action-items?team=payments",
        "/action-items?team=payments&status=in_progress",
        "/action-items?service=redis&sort=priority",
        "/action-items?service=redis&kind=detect&sort=age",
        "/action-items?page=100",
        "/action-items/summary",
        "/api/v1/action-items",
    ] {
        let mut times = Vec::with_capacity(runs);
        for i in 0..runs + 3 {
            let t = Instant::now();
            let response = router
                .clone()
                .oneshot(Request::get(uri).body(Body::empty())?)
                .await
                .context("request failed")?;
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), 64 * 1024 * 1024).await?;
            let took = t.elapsed();
            anyhow::ensure!(status.is_success(), "{uri}: {status}");
            anyhow::ensure!(body.len() > 1000, "{uri}: short answer");
            if i >= 3 {
                times.push(took);
            }
        }
        report(&format!("GET {uri}"), &mut times);
    }
    let f = ActionFilters::default();
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        services
            .store
            .action_items(&f, &today, ITEMS_PER_PAGE, 0, &Hidden::none())
            .await?;
        times.push(t.elapsed());
    }
    report("store: first page + counts per status", &mut times);
    let mut times = Vec::with_capacity(runs.min(20));
    for _ in 0..runs.min(20) {
        let t = Instant::now();
        services
            .store
            .action_summary(&today, &Hidden::none())
            .await?;
        times.push(t.elapsed());
    }
    report("store: summary per team and service", &mut times);
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{what:<58} {:>8.2} {:>8.2} {:>8.2}",
        ms(at(0.5)),
        ms(at(0.95)),
        ms(*times.last().unwrap())
    );
}

/// A fresh scratch folder under the system's temporary folder.
fn tempfile_dir() -> anyhow::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("hindsight-bench-actions-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
