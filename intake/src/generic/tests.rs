use super::*;
use kb_domain::Severity;
use serde_json::{json, Value};

const TRIGGER: &[u8] = include_bytes!("../../tests/fixtures/generic-trigger.json");
const EVENTS_V2: &[u8] = include_bytes!("../../tests/fixtures/generic-events-v2.json");

fn generic(body: &[u8]) -> Result<Delivery, IntakeError> {
    read(body, &Settings::default())
}

/// `fixture` changed by `edit`.
fn edited(fixture: &[u8], edit: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut value: Value = serde_json::from_slice(fixture).unwrap();
    edit(&mut value);
    serde_json::to_vec(&value).unwrap()
}

fn field_of(body: &[u8]) -> (String, String) {
    match generic(body) {
        Err(IntakeError::Malformed { field, message }) => (field, message),
        other => panic!("expected Malformed, got {other:?}"),
    }
}

#[test]
fn a_flat_trigger_maps_every_field() {
    let d = generic(TRIGGER).unwrap();
    assert_eq!(d.group_key, "payment-service/checkout-latency");
    assert_eq!(d.title, "Checkout p99 latency above 5s on payment-service");
    assert_eq!(d.severity, Some(Severity::Sev1));
    assert_eq!(d.services, ["payment-service"]);
    assert_eq!(d.teams, ["payments"]);
    assert_eq!(d.started_at.as_deref(), Some("2026-03-10T14:06:58Z"));
    assert_eq!(
        d.source_url.as_deref(),
        Some("https://probes.example.com/checks/checkout-eu-west-1")
    );
    assert_eq!(d.state, GroupState::Firing);
    assert_eq!(
        d.events,
        [Event {
            key: "payment-service/checkout-latency".into(),
            state: "trigger".into(),
            at: Some("2026-03-10T14:06:58Z".into()),
            text: "Triggered: Checkout p99 latency above 5s on payment-service \
                   (source: checkout-probe-eu-west-1)"
                .into(),
            who: "Generic webhook".into(),
        }]
    );
    let lines: Vec<&str> = d.search_text.lines().collect();
    for line in [
        "checkout-probe-eu-west-1",
        "latency",
        "endpoint: POST /v1/checkout",
        "p99_ms: 5870",
        "db_pool.name: payments-primary",
        "deploy: payment-service v2.31.0 rolled out at 14:02 UTC",
    ] {
        assert!(lines.contains(&line), "{line:?} in {lines:?}");
    }
}

#[test]
fn the_events_api_v2_shape_fits() {
    let d = generic(EVENTS_V2).unwrap();
    assert_eq!(d.group_key, "payments-primary/pool-exhausted");
    assert_eq!(
        d.title,
        "Connection pool payments-primary exhausted: 50 of 50 connections in use, 214 waiting"
    );
    assert_eq!(d.severity, Some(Severity::Sev2));
    assert_eq!(d.services, ["payments-db"]);
    assert_eq!(d.teams, ["payments"]);
    assert_eq!(d.started_at.as_deref(), Some("2026-03-10T14:06:45Z"));
    assert_eq!(
        d.source_url.as_deref(),
        Some("https://watchdog.example.com/pools/payments-primary/history")
    );
    let event = &d.events[0];
    assert_eq!(event.state, "trigger");
    assert_eq!(event.who, "pool-watchdog");
    assert!(d
        .search_text
        .contains("recent_change: payment-service v2.31.0 holds a connection"));
    assert!(d.search_text.contains("pending: 214"));

    let no_links = edited(EVENTS_V2, |v| v["links"] = json!([]));
    assert_eq!(
        generic(&no_links).unwrap().source_url.as_deref(),
        Some("https://watchdog.example.com/pools/payments-primary")
    );
}

#[test]
fn repeats_read_identically() {
    assert_eq!(generic(TRIGGER).unwrap(), generic(TRIGGER).unwrap());
    assert_eq!(generic(EVENTS_V2).unwrap(), generic(EVENTS_V2).unwrap());
}

#[test]
fn acknowledge_and_resolve_need_no_summary() {
    let ack = edited(EVENTS_V2, |v| {
        v["event_action"] = json!("acknowledge");
        v.as_object_mut().unwrap().remove("payload");
    });
    let d = generic(&ack).unwrap();
    assert_eq!(d.state, GroupState::Unchanged);
    assert_eq!(d.title, "Alert payments-primary/pool-exhausted");
    assert_eq!(
        d.events[0].text,
        "Acknowledged: Alert payments-primary/pool-exhausted"
    );
    assert_eq!(d.events[0].state, "acknowledge");
    assert_eq!(d.severity, None);

    let resolve = edited(TRIGGER, |v| {
        v["action"] = json!("Resolve");
        v["timestamp"] = json!("2026-03-10T14:44:10Z");
    });
    let d = generic(&resolve).unwrap();
    assert_eq!(d.state, GroupState::Resolved);
    assert_eq!(d.events[0].state, "resolve");
    assert_eq!(d.events[0].at.as_deref(), Some("2026-03-10T14:44:10Z"));
    assert_eq!(d.started_at, None);

    let default_action = edited(TRIGGER, |v| {
        v.as_object_mut().unwrap().remove("action");
    });
    assert_eq!(generic(&default_action).unwrap().events[0].state, "trigger");
}

#[test]
fn settings_add_services_teams_and_a_custom_severity_detail() {
    let settings = Settings {
        services: vec!["checkout".into()],
        teams: vec!["sre".into()],
        severity_label: "tier".into(),
        ..Settings::default()
    };
    let body = edited(TRIGGER, |v| v["details"]["tier"] = json!("P3"));
    let d = read(&body, &settings).unwrap();
    assert_eq!(d.services, ["payment-service", "checkout"]);
    assert_eq!(d.teams, ["payments", "sre"]);
    assert_eq!(d.severity, Some(Severity::Sev3));
    // Without the detail, the sent severity still counts.
    assert_eq!(
        read(TRIGGER, &settings).unwrap().severity,
        Some(Severity::Sev1)
    );
}

#[test]
fn malformed_events_name_their_field() {
    let (field, _) = field_of(b"summary=Checkout is slow");
    assert_eq!(field, "");
    let bad = edited(TRIGGER, |v| v["severity"] = json!("sev0"));
    assert_eq!(
        field_of(&bad),
        (
            "severity".into(),
            "must be critical, error, warning or info".into()
        )
    );
    let nested = edited(EVENTS_V2, |v| v["payload"]["severity"] = json!("page"));
    assert_eq!(field_of(&nested).0, "payload.severity");
    let no_key = edited(TRIGGER, |v| {
        v.as_object_mut().unwrap().remove("dedup_key");
    });
    assert_eq!(
        field_of(&no_key),
        ("dedup_key".into(), "is required".into())
    );
    let blank_key = edited(TRIGGER, |v| v["dedup_key"] = json!(" "));
    assert_eq!(field_of(&blank_key).0, "dedup_key");
    let action = edited(TRIGGER, |v| v["action"] = json!("escalate"));
    assert_eq!(field_of(&action).0, "action");
    let event_action = edited(EVENTS_V2, |v| v["event_action"] = json!("snooze"));
    assert_eq!(field_of(&event_action).0, "event_action");
    let no_summary = edited(EVENTS_V2, |v| v["payload"]["summary"] = json!(""));
    assert_eq!(field_of(&no_summary).0, "payload.summary");
    let when = edited(TRIGGER, |v| v["timestamp"] = json!("last tuesday"));
    assert_eq!(field_of(&when).0, "timestamp");
    let wrong_type = edited(TRIGGER, |v| v["component"] = json!(["payment-service"]));
    let (field, message) = field_of(&wrong_type);
    assert_eq!(field, "component");
    assert!(message.contains("invalid type"), "{message}");
    let link = edited(EVENTS_V2, |v| v["links"][0]["href"] = json!(false));
    assert_eq!(field_of(&link).0, "links[0].href");
}

#[test]
fn long_or_noisy_summaries_are_cleaned_and_cut() {
    let body = edited(TRIGGER, |v| {
        v["summary"] = json!(format!("Checkout\u{7} slow\n{}", "x".repeat(500)));
        v["links"] = json!([{"href": "javascript:alert(1)"}, {"href": "https://ok.example.com/"}]);
    });
    let d = generic(&body).unwrap();
    assert!(d.title.starts_with("Checkout slow xxx"));
    assert_eq!(d.title.chars().count(), MAX_TITLE);
    assert_eq!(d.events[0].text.chars().count(), MAX_EVENT_TEXT);
    assert_eq!(d.source_url.as_deref(), Some("https://ok.example.com/"));
}

#[test]
fn text_after_the_json_is_refused() {
    let mut body = TRIGGER.to_vec();
    body.extend_from_slice(b"\n{\"dedup_key\": \"another\"}");
    let (field, message) = field_of(&body);
    assert_eq!(field, "");
    assert!(message.contains("trailing characters"), "{message}");
}
