//! Slash commands about an incident: `note` writes to its timeline as
//! the integration's reader, `status` reads its record, and a channel
//! remembers the incident it talked about.

mod common;

use app::context::RequestContext;
use axum::http::StatusCode;
use common::chat::*;
use common::{private_to, TestApp};

/// An ongoing incident (clock started, not resolved), made as the command
/// line would.
async fn ongoing(app: &TestApp, title: &str) -> i64 {
    let input: kb_domain::PostmortemInput = serde_json::from_value(serde_json::json!({
        "title": title,
        "summary": "Checkouts fail for a third of customers.",
        "started_at": "2024-03-15 14:00",
        "status": "draft",
        "hypotheses": [{"statement": "The gateway timeout is too short", "outcome": "open",
                         "confidence": [{"value": 40}, {"value": 85}]}],
        "action_items": [{"title": "Roll back payment-service", "owner": "sam"}],
    }))
    .unwrap();
    let cli = RequestContext::command_line();
    app.state.services.create(&cli, input).await.unwrap()
}

#[tokio::test]
async fn note_and_status_follow_the_channel_incident() {
    let app = setup().await;
    add_desk(&app).await;
    let cli = RequestContext::command_line();
    let id = ongoing(&app, "Checkout failing every 20 minutes").await;

    // Before anything names it, the channel has no incident.
    let reply = slack(&app, "desk", SLACK_SECRET, now(), &form("maria", "status")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply.body.contains("No ongoing incident is known"),
        "{}",
        reply.body
    );

    let note = format!("note #{id} pool at 100% while the cache warms");
    let reply = slack(&app, "desk", SLACK_SECRET, now(), &form("maria", &note)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        reply.body.contains(&format!("Noted on #{id}")),
        "{}",
        reply.body
    );
    let pm = app.postmortem(id).await;
    let entry = pm.parts.timeline.last().unwrap();
    assert_eq!(entry.kind, "observation");
    assert_eq!(entry.text, "pool at 100% while the cache warms");
    assert_eq!(entry.who, "maria (slack)");
    let version = pm.version;

    // Now `status` alone means that incident.
    let reply = slack(&app, "desk", SLACK_SECRET, now(), &form("maria", "status")).await;
    assert_eq!(reply.status, StatusCode::OK);
    let text = reply.body;
    assert!(
        text.contains(&format!("Incident #{id} is ongoing")),
        "{text}"
    );
    assert!(
        text.contains("The gateway timeout is too short (40% → 85%)"),
        "{text}"
    );
    assert!(text.contains("Roll back payment-service"), "{text}");
    assert!(text.contains("Update for stakeholders"), "{text}");
    assert!(
        text.contains("Checkouts fail for a third of customers."),
        "{text}"
    );

    // A reader who may not write notes nothing.
    let reply = slack(&app, "ops", SLACK_SECRET, now(), &form("maria", &note)).await;
    assert!(reply.body.contains("may not write"), "{}", reply.body);
    assert_eq!(app.postmortem(id).await.version, version);

    // Not found is the same for an incident that does not exist and one
    // the command's account may not see.
    let private = app
        .state
        .services
        .create(&cli, private_to("reader", "Private outage", "x"))
        .await
        .unwrap();
    for missing in [private, 99_999] {
        let reply = slack(
            &app,
            "desk",
            SLACK_SECRET,
            now(),
            &form("maria", &format!("status #{missing}")),
        )
        .await;
        assert!(
            reply
                .body
                .contains(&format!("No incident #{missing} is visible")),
            "{}",
            reply.body
        );
        assert!(!reply.body.contains("Private outage"));
    }
    // A resolved incident takes no notes.
    let resolved: kb_domain::PostmortemInput = serde_json::from_value(serde_json::json!({
        "title": "Old outage", "started_at": "2024-01-01 10:00", "resolved_at": "2024-01-01 11:00"
    }))
    .unwrap();
    let done = app.state.services.create(&cli, resolved).await.unwrap();
    let reply = slack(
        &app,
        "desk",
        SLACK_SECRET,
        now(),
        &form("maria", &format!("note #{done} late")),
    )
    .await;
    assert!(
        reply.body.contains("not an ongoing incident"),
        "{}",
        reply.body
    );

    let log = recorded(&app).await;
    assert!(log
        .iter()
        .any(|r| r.subcommand == "note" && r.incident_id == Some(id)));
}
