//! `open` and `analyze` from a channel: an incident opened as the alert
//! intake opens one, with the channel and who opened it on its timeline
//! and "seen before?" suggestions stored; an analysis that adds the
//! diagnostic lessons of the past incidents found.

mod common;

use app::context::RequestContext;
use axum::http::StatusCode;
use common::chat::*;
use common::TestApp;

/// [`setup`] plus Slack `desk`, answering as the editor `desk`, and a
/// past incident with a diagnostic lesson.
async fn with_editor() -> TestApp {
    let app = setup().await;
    add_desk(&app).await;
    let cli = RequestContext::command_line();
    let input: kb_domain::PostmortemInput = serde_json::from_value(serde_json::json!({
        "title": "Redis cache stampede after the nightly warm-up",
        "severity": "SEV2",
        "date": "2024-05-02",
        "summary": "Checkout latency spiked every twenty minutes while the cache warmed.",
        "root_cause": "A cron job flushed the product cache every 20 minutes.",
        "mitigation": "Disabled the warm-up job.",
        "learnings": [{
            "kind": "diagnostic",
            "title": "Line failures up against the clock",
            "text": "Fixes that each hold for the same time point at something on a schedule.\n\nThe rest is detail.",
        }],
    }))
    .unwrap();
    app.state.services.create(&cli, input).await.unwrap();
    app
}

/// The ongoing incidents, as the command line sees them.
async fn ongoing(app: &TestApp) -> Vec<kb_domain::intake::OngoingIncident> {
    let cli = RequestContext::command_line();
    app.state.services.ongoing(&cli).await.unwrap()
}

#[tokio::test]
async fn open_starts_an_ongoing_incident_from_the_channel() {
    let app = with_editor().await;
    let text = "open Checkout latency spikes every twenty minutes";
    let reply = slack(&app, "desk", SLACK_SECRET, now(), &form("maria", text)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let incidents = ongoing(&app).await;
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    let id = incidents[0].id;
    assert_eq!(incidents[0].source.as_deref(), Some("slack:desk"));
    assert!(
        reply.body.contains(&format!(
            "Opened #{id} Checkout latency spikes every twenty minutes"
        )),
        "{}",
        reply.body
    );

    let pm = app.postmortem(id).await;
    assert!(pm.is_ongoing());
    assert_eq!(pm.title, "Checkout latency spikes every twenty minutes");
    assert!(
        pm.parts.evidence.is_empty(),
        "the form is not kept: {:?}",
        pm.parts.evidence
    );
    let entry = &pm.parts.timeline[0];
    assert_eq!(
        entry.text,
        "Opened from Slack channel #inc-checkout by maria."
    );
    assert_eq!(entry.who, "maria (slack)");

    // "Seen before?": stored on the incident and in the answer.
    let suggestions = app
        .state
        .services
        .suggestions(&RequestContext::command_line(), id)
        .await
        .unwrap();
    assert!(
        suggestions
            .iter()
            .any(|s| s.title.starts_with("Redis cache stampede")),
        "{suggestions:?}"
    );
    assert!(reply.body.contains("Seen before?"), "{}", reply.body);
    assert!(
        reply.body.contains("Redis cache stampede"),
        "{}",
        reply.body
    );

    // The same title again in this channel is the same incident...
    let again = slack(
        &app,
        "desk",
        SLACK_SECRET,
        now(),
        &form("sam", &text.to_uppercase()),
    )
    .await;
    assert!(
        again.body.contains(&format!("#{id} ")) && again.body.contains("already open"),
        "{}",
        again.body
    );
    let ongoing = ongoing(&app).await;
    assert_eq!(ongoing.len(), 1);
    assert_eq!(
        app.postmortem(id).await.version,
        pm.version,
        "nothing written"
    );

    // ...and the channel's incident for `status` and `note`.
    let status = slack(&app, "desk", SLACK_SECRET, now(), &form("sam", "status")).await;
    assert!(
        status.body.contains(&format!("Incident #{id} is ongoing")),
        "{}",
        status.body
    );

    let recorded = recorded(&app).await;
    let opens: Vec<_> = recorded.iter().filter(|r| r.subcommand == "open").collect();
    assert_eq!(opens.len(), 2);
    assert!(opens.iter().all(|r| r.incident_id == Some(id)));
}

#[tokio::test]
async fn a_reader_that_may_not_write_opens_nothing() {
    let app = with_editor().await;
    // `ops` answers as the viewer `reader`.
    let reply = slack(
        &app,
        "ops",
        SLACK_SECRET,
        now(),
        &form("maria", "open Disk full"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body.contains("may not write"), "{}", reply.body);
    let ongoing = ongoing(&app).await;
    assert!(ongoing.is_empty(), "{ongoing:?}");
}

#[tokio::test]
async fn analyze_adds_how_past_incidents_were_diagnosed() {
    let app = with_editor().await;
    let text = "analyze checkout latency spikes every 20 minutes, cache warm-up suspected";
    let reply = slack(&app, "desk", SLACK_SECRET, now(), &form("maria", text)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let body = reply.body;
    assert!(
        body.contains("What past incidents say about this evidence"),
        "{body}"
    );
    assert!(body.contains("Redis cache stampede"), "{body}");
    assert!(body.contains("How they were diagnosed"), "{body}");
    assert!(
        body.contains("Line failures up against the clock"),
        "{body}"
    );
    // The lesson's first paragraph only.
    assert!(body.contains("point at something on a schedule"), "{body}");
    assert!(!body.contains("The rest is detail"), "{body}");
}

#[tokio::test]
async fn analyze_an_incident_leaves_it_out_of_its_own_matches() {
    let app = with_editor().await;
    let open = "open Checkout latency spikes while the cache warms";
    slack(&app, "desk", SLACK_SECRET, now(), &form("maria", open)).await;
    let id = ongoing(&app).await[0].id;

    let text = format!("analyze #{id}");
    let reply = slack(&app, "desk", SLACK_SECRET, now(), &form("maria", &text)).await;
    let body = reply.body;
    assert!(
        body.contains(&format!(
            "What past incidents say about #{id} Checkout latency"
        )),
        "{body}"
    );
    assert!(body.contains("Redis cache stampede"), "{body}");
    assert!(!body.contains(&format!("/incidents/{id}\"")), "{body}");
    assert!(!body.contains(&format!("/incidents/{id}|")), "{body}");

    // One the reader may not see is one that does not exist.
    let hidden = slack(
        &app,
        "public",
        SLACK_SECRET,
        now(),
        &form("maria", "analyze #3"),
    )
    .await;
    assert!(
        hidden.body.contains("No incident #3 is visible"),
        "{}",
        hidden.body
    );
}

#[tokio::test]
async fn analyze_pasted_lines_says_what_the_evidence_shows() {
    let app = with_editor().await;
    let text = "analyze 2024-01-15T09:32:15Z ERROR payment-service connect timed out after 500ms\n\
                2024-01-15T09:32:18Z ERROR orders-db-pool acquire failed: connection pool exhausted";
    let reply = slack(&app, "desk", SLACK_SECRET, now(), &form("maria", text)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let body = reply.body;
    assert!(body.contains("What the evidence shows"), "{body}");
    assert!(body.contains("began 3 s before orders-db-pool"), "{body}");
}
