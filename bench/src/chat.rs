//! `hindsight-bench bench-chat`: slash commands with N synthetic
//! postmortems loaded, through the router (the whole HTTP stack but the
//! socket), as Slack sends them: form-encoded and signed. `search` with
//! the synthetic alert blocks as its text, and `status` of postmortems
//! picked across the knowledge base. Prints a markdown report on stdout;
//! progress goes to stderr. The goal: p99 under 100 ms, far inside Slack's
//! three seconds.

use crate::intake::loaded;
use crate::measure::{load_average, machine, timing_row as row};
use crate::synth;
use anyhow::ensure;
use app::context::RequestContext;
use axum::body::Body;
use axum::http::Request;
use kb_intake::chat::Client;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;
use tower::ServiceExt;

const SECRET: &str = "bench-signing-secret";

/// Runs the benchmark in `keep` (or a scratch folder) and prints its report.
pub async fn bench_chat(
    docs: usize,
    requests: usize,
    seed: u64,
    keep: Option<&Path>,
) -> anyhow::Result<()> {
    let scratch = tempfile::tempdir()?;
    let services = loaded(keep, scratch.path(), docs, seed).await?;
    // Every search is computed, never recalled.
    services.indexer.set_search_cache(0);
    let total = services.store.count(&kb_db::Hidden::none()).await?;

    let ctx = RequestContext::command_line();
    // A kept folder may hold the integrations of earlier runs.
    let name = format!("chat{}", services.integrations().await?.len() + 1);
    services
        .add_chat_integration(&ctx, Client::Slack, &name, SECRET, None, None)
        .await?;
    let router = hindsight::http::router(hindsight::http::app_state(services.clone(), None)?);
    let uri = format!("/api/v1/chat/slack/{name}");
    let send = |text: String| {
        let body = format!(
            "team_id=T1&channel_id=C1&channel_name=bench&user_id=U1&user_name=bench&command=%2Fhindsight&text={}&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1%2F2&trigger_id=1.2.3",
            kb_domain::actions::percent_encode(&text)
        );
        let timestamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let signature = kb_intake::signature::hmac_sha256_hex(
            SECRET.as_bytes(),
            format!("v0:{timestamp}:{body}").as_bytes(),
        );
        let request = Request::post(&uri)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-slack-request-timestamp", timestamp.to_string())
            .header("x-slack-signature", format!("v0={signature}"))
            .body(Body::from(body))
            .expect("a request");
        let router = router.clone();
        async move {
            let started = Instant::now();
            let response = router.oneshot(request).await.expect("the router answers");
            let ok = response.status().is_success();
            let body = axum::body::to_bytes(response.into_body(), 1 << 20).await;
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
        "### hindsight-bench bench-chat --docs {docs} --requests {requests} --seed {seed}\n"
    );
    let _ = writeln!(w, "{}, {total} postmortems\n", machine());
    let _ = writeln!(w, "| command | requests | p50 ms | p99 ms | max ms |");
    let _ = writeln!(w, "| --- | --- | --- | --- | --- |");

    eprintln!("bench: {requests} searches");
    let blocks = synth::alert_blocks(seed, requests);
    let mut times = Vec::with_capacity(requests);
    for block in &blocks {
        let (ms, ok, body) = send(format!("search {}", block.text)).await;
        ensure!(ok, "search refused: {}", String::from_utf8_lossy(&body));
        times.push(ms);
    }
    row(w, "`search <pasted alert block>`", &times);

    eprintln!("bench: {requests} status requests");
    let mut times = Vec::with_capacity(requests);
    let step = (total as usize / requests.max(1)).max(1);
    for i in 0..requests {
        let id = 1 + (i * step) % total.max(1) as usize;
        let (ms, ok, body) = send(format!("status #{id}")).await;
        ensure!(ok, "status refused: {}", String::from_utf8_lossy(&body));
        ensure!(
            String::from_utf8_lossy(&body).contains("Update for stakeholders"),
            "status #{id} answered without the record: {}",
            String::from_utf8_lossy(&body)
        );
        times.push(ms);
    }
    row(w, "`status #id`", &times);
    let _ = writeln!(w, "\nLoad average after: {}.", load_average());
    println!("{out}");
    Ok(())
}
