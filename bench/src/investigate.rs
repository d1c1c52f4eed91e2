//! `hindsight-bench bench-investigate`: pasted evidence of 5,000 log lines
//! read by `POST /api/v1/investigate` with N synthetic postmortems loaded,
//! through the router (the whole HTTP stack but the socket), and the
//! Investigate panel of stored postmortems (`GET
//! /api/v1/incidents/{id}/investigation`). Every paste differs (its times,
//! ids and bursts are drawn from the seed), so nothing is recalled. Prints
//! a markdown report on stdout. The goal: p99 under 200 ms.

use crate::intake::loaded;
use crate::measure::{load_average, machine, timing_row as row};
use crate::synth::rng::Rng;
use anyhow::ensure;
use axum::body::Body;
use axum::http::Request;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;
use tower::ServiceExt;

/// What a burst of errors says, by component.
const ERRORS: [(&str, &str); 4] = [
    ("checkout", "redis connection pool timeout after 2000ms"),
    ("payment-service", "connect timed out after 500ms"),
    (
        "orders-db-pool",
        "acquire failed: connection pool exhausted",
    ),
    ("api-gateway", "upstream request timeout"),
];

/// What the quiet lines in between say.
const ROUTINE: [(&str, &str); 4] = [
    ("checkout", "POST /api/checkout/place-order 200"),
    ("catalog-cache-warm", "phase=trickle items=1200"),
    ("payment-service", "processor.authorize ok"),
    ("api-gateway", "GET /v1/cart 200"),
];

/// Runs the benchmark in `keep` (or a scratch folder) and prints its report.
pub async fn bench_investigate(
    docs: usize,
    requests: usize,
    lines: usize,
    seed: u64,
    keep: Option<&Path>,
) -> anyhow::Result<()> {
    let scratch = tempfile::tempdir()?;
    let services = loaded(keep, scratch.path(), docs, seed).await?;
    // Every search is computed, never recalled.
    services.indexer.set_search_cache(0);
    let total = services.store.count(&kb_db::Hidden::none()).await?;
    let router = hindsight::http::router(hindsight::http::app_state(services.clone(), None)?);
    let send = |request: Request<Body>| {
        let router = router.clone();
        async move {
            let started = Instant::now();
            let response = router.oneshot(request).await.expect("the router answers");
            let ok = response.status().is_success();
            let body = axum::body::to_bytes(response.into_body(), 64 << 20).await;
            (
                started.elapsed().as_secs_f64() * 1000.0,
                ok,
                body.unwrap_or_default(),
            )
        }
    };

    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(
        w,
        "### hindsight-bench bench-investigate --docs {docs} --requests {requests} --lines {lines} --seed {seed}\n"
    );
    let _ = writeln!(w, "{}, {total} postmortems\n", machine());
    let _ = writeln!(w, "| request | requests | p50 ms | p99 ms | max ms |");
    let _ = writeln!(w, "| --- | --- | --- | --- | --- |");

    eprintln!("bench: {requests} pastes of {lines} lines");
    let mut rng = Rng::new(seed);
    let mut times = Vec::with_capacity(requests);
    for _ in 0..requests {
        let request = investigate_request(serde_json::json!({
            "text": paste(&mut rng, lines),
            "hypothesis": "The database is the bottleneck",
        }))?;
        let (ms, ok, body) = send(request).await;
        answered(ok, &body)?;
        let answer: serde_json::Value = serde_json::from_slice(&body)?;
        ensure!(
            answer["lines"] == lines
                && answer["findings"].as_array().is_some_and(|f| !f.is_empty()),
            "the paste was not read: {}",
            String::from_utf8_lossy(&body[..body.len().min(500)])
        );
        times.push(ms);
    }
    row(
        w,
        &format!("`POST /api/v1/investigate`, {lines} lines"),
        &times,
    );

    // The worst a paste can be: every line at the caps, full of fields.
    let worst_runs = requests.clamp(1, 10);
    eprintln!("bench: {worst_runs} pastes at the caps");
    let mut times = Vec::with_capacity(worst_runs);
    for n in 0..worst_runs {
        let text = worst(&mut rng, n);
        let request = investigate_request(serde_json::json!({ "text": text }))?;
        let (ms, ok, body) = send(request).await;
        answered(ok, &body)?;
        times.push(ms);
    }
    row(
        w,
        &format!(
            "`POST /api/v1/investigate`, {} lines of {WORST_LINE_BYTES} bytes of fields (read to {} MiB)",
            kb_investigate::MAX_LINES,
            kb_investigate::MAX_READ_BYTES >> 20,
        ),
        &times,
    );

    eprintln!("bench: {requests} panels of stored postmortems");
    let mut times = Vec::with_capacity(requests);
    let step = (total as usize / requests.max(1)).max(1);
    for i in 0..requests {
        let id = 1 + (i * step) % total.max(1) as usize;
        let request =
            Request::get(format!("/api/v1/incidents/{id}/investigation")).body(Body::empty())?;
        let (ms, ok, body) = send(request).await;
        ensure!(
            ok,
            "panel #{id} refused: {}",
            String::from_utf8_lossy(&body)
        );
        times.push(ms);
    }
    row(w, "`GET /api/v1/incidents/{id}/investigation`", &times);
    let _ = writeln!(w, "\nLoad average after: {}.", load_average());
    println!("{out}");
    Ok(())
}

/// `lines` log lines over about two hours: routine traffic with a deploy,
/// error bursts every twenty minutes, and fixes that each held a while.
fn paste(rng: &mut Rng, lines: usize) -> String {
    let mut text = String::with_capacity(lines * 110);
    let start = 9 * 3_600 + rng.range(0, 3_600);
    let span = 2 * 3_600;
    let burst_every = 20 * 60 + rng.range(-60, 60);
    let mut fixes = 0;
    for n in 0..lines {
        let at = start + span * n as i64 / lines.max(1) as i64;
        let stamp = format!(
            "2024-04-12T{:02}:{:02}:{:02}.{:03}Z",
            at / 3_600 % 24,
            at % 3_600 / 60,
            at % 60,
            rng.below(1_000)
        );
        let into_cycle = (at - start) % burst_every;
        let request = rng.next_u64() & 0xff_ffff;
        let line = if n == lines / 50 {
            format!(
                "{stamp} INFO  deployer payment-service v2.4.2 deployed: updated timeout configs"
            )
        } else if into_cycle < 120 && rng.chance(0.7) {
            let (component, message) = ERRORS[rng.below(ERRORS.len())];
            format!("{stamp} ERROR {component} req=r-{request:06x} {message}")
        } else if into_cycle == 600 && fixes < 3 {
            fixes += 1;
            format!(
                "{stamp} INFO  ops restarted checkout; quiet for about {} minutes",
                18 + rng.below(5)
            )
        } else {
            let (component, message) = ROUTINE[rng.below(ROUTINE.len())];
            format!("{stamp} INFO  {component} req=r-{request:06x} {message}")
        };
        text.push_str(&line);
        text.push('\n');
    }
    text
}

/// The length of a line of the worst paste: as long as lets
/// [`kb_investigate::MAX_LINES`] of them fit the largest body the API
/// takes (16 MiB), with room for JSON's escapes.
const WORST_LINE_BYTES: usize = 15 * 1024 * 1024 / kb_investigate::MAX_LINES;

/// A paste at the reader's line cap and the API's body cap, each line a
/// timed line of `key=value` fields whose values vary (the two-writers
/// reader's worst case).
fn worst(rng: &mut Rng, salt: usize) -> String {
    let mut text = String::with_capacity(kb_investigate::MAX_LINES * (WORST_LINE_BYTES + 1));
    for n in 0..kb_investigate::MAX_LINES {
        let mut line = format!(
            "2024-04-12T{:02}:{:02}:{:02}Z ERROR svc{} ",
            9 + n / 3_600 % 10,
            n / 60 % 60,
            n % 60,
            salt
        );
        let mut field = 0;
        while line.len() < WORST_LINE_BYTES - 12 {
            line.push_str(&format!("k{field}=v{} ", rng.below(4)));
            field += 1;
        }
        text.push_str(&line);
        text.push('\n');
    }
    text
}

/// A paste for `POST /api/v1/investigate`.
fn investigate_request(body: serde_json::Value) -> anyhow::Result<Request<Body>> {
    Ok(Request::post("/api/v1/investigate")
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))?)
}

/// Fails unless the paste was answered.
fn answered(ok: bool, body: &[u8]) -> anyhow::Result<()> {
    ensure!(
        ok,
        "investigate refused: {}",
        String::from_utf8_lossy(&body[..body.len().min(500)])
    );
    Ok(())
}
