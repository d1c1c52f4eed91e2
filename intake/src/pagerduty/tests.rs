use super::*;
use kb_domain::Severity;
use serde_json::{json, Value};

const TRIGGERED: &[u8] = include_bytes!("../../tests/fixtures/pagerduty-triggered.json");
const ACKNOWLEDGED: &[u8] = include_bytes!("../../tests/fixtures/pagerduty-acknowledged.json");
const RESOLVED: &[u8] = include_bytes!("../../tests/fixtures/pagerduty-resolved.json");
const UNKNOWN: &[u8] = include_bytes!("../../tests/fixtures/pagerduty-unknown.json");
const INCIDENT: &str = "Q3PMZ8WT7HK2LD";
const TITLE: &str = "Checkout requests to payment-service are timing out";

fn pd(body: &[u8]) -> Delivery {
    read(body, &Settings::default())
        .unwrap()
        .expect("an incident event")
}

/// `fixture` changed by `edit`.
fn edited(fixture: &[u8], edit: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut value: Value = serde_json::from_slice(fixture).unwrap();
    edit(&mut value);
    serde_json::to_vec(&value).unwrap()
}

fn field_of(body: &[u8]) -> (String, String) {
    match read(body, &Settings::default()) {
        Err(IntakeError::Malformed { field, message }) => (field, message),
        other => panic!("expected Malformed, got {other:?}"),
    }
}

#[test]
fn a_triggered_incident_maps_every_field() {
    let d = pd(TRIGGERED);
    assert_eq!(d.group_key, INCIDENT);
    assert_eq!(d.title, TITLE);
    assert_eq!(d.severity, Some(Severity::Sev1));
    assert_eq!(d.services, ["payment-service"]);
    assert_eq!(d.teams, ["Payments"]);
    assert_eq!(d.started_at.as_deref(), Some("2026-03-10T14:08:02Z"));
    assert_eq!(
        d.source_url.as_deref(),
        Some("https://acme-payments.pagerduty.com/incidents/Q3PMZ8WT7HK2LD")
    );
    assert_eq!(d.state, GroupState::Firing);
    assert_eq!(
        d.events,
        [Event {
            key: "01JP3K7X2QYF8M5V0RZT6WB4HN".into(),
            state: "incident.triggered".into(),
            at: Some("2026-03-10T14:08:02Z".into()),
            text: format!("Incident #1024 triggered: {TITLE}"),
            who: "payment-service".into(),
        }]
    );
    assert_eq!(d.search_text, format!("{TITLE}\npayment-service"));
}

#[test]
fn acknowledgement_and_resolution_update_the_same_incident() {
    let ack = pd(ACKNOWLEDGED);
    assert_eq!(ack.group_key, INCIDENT);
    assert_eq!(ack.state, GroupState::Unchanged);
    assert_eq!(ack.events[0].key, "01JP3KE1M9C4TZ7HQ2XW5A8DRS");
    assert_eq!(ack.events[0].state, "incident.acknowledged");
    assert_eq!(ack.events[0].at.as_deref(), Some("2026-03-10T14:11:40Z"));
    assert_eq!(
        ack.events[0].text,
        "Incident #1024 acknowledged by Priya Raman"
    );
    assert_eq!(ack.events[0].who, "Priya Raman");

    let resolved = pd(RESOLVED);
    assert_eq!(resolved.group_key, INCIDENT);
    assert_eq!(resolved.state, GroupState::Resolved);
    assert_eq!(
        resolved.events[0].text,
        "Incident #1024 resolved by Priya Raman"
    );
    assert_eq!(
        resolved.events[0].at.as_deref(),
        Some("2026-03-10T14:52:13Z")
    );
}

#[test]
fn a_redelivery_reads_identically() {
    assert_eq!(pd(TRIGGERED), pd(TRIGGERED));
    assert_eq!(pd(ACKNOWLEDGED), pd(ACKNOWLEDGED));
}

#[test]
fn events_that_are_not_about_incidents_are_ignored() {
    assert_eq!(read(UNKNOWN, &Settings::default()), Ok(None));
    let service = edited(TRIGGERED, |v| {
        v["event"]["event_type"] = json!("service.updated");
        v["event"]["resource_type"] = json!("service");
    });
    assert_eq!(read(&service, &Settings::default()), Ok(None));
    let future = edited(TRIGGERED, |v| {
        v["event"]["event_type"] = json!("incident.workflow.started")
    });
    assert_eq!(read(&future, &Settings::default()), Ok(None));
}

#[test]
fn other_documented_incident_types_are_unchanged_entries() {
    for (kind, text) in [
        (
            "incident.reopened",
            "Incident #1024 reopened by Priya Raman",
        ),
        (
            "incident.escalated",
            "Incident #1024 escalated by Priya Raman",
        ),
        (
            "incident.unacknowledged",
            "Incident #1024 unacknowledged by Priya Raman",
        ),
        (
            "incident.priority_updated",
            "Incident #1024 priority set to P1 by Priya Raman",
        ),
    ] {
        let body = edited(ACKNOWLEDGED, |v| v["event"]["event_type"] = json!(kind));
        let d = pd(&body);
        assert_eq!(d.events[0].text, text);
        let firing = kind == "incident.reopened";
        assert_eq!(d.state == GroupState::Firing, firing, "{kind}");
        assert_eq!(d.state == GroupState::Unchanged, !firing, "{kind}");
    }
}

#[test]
fn a_note_belongs_to_the_incident_it_references() {
    let body = edited(ACKNOWLEDGED, |v| {
        v["event"]["event_type"] = json!("incident.annotated");
        v["event"]["data"] = json!({
            "incident": {
                "html_url": "https://acme-payments.pagerduty.com/incidents/Q3PMZ8WT7HK2LD",
                "id": INCIDENT,
                "self": "https://api.pagerduty.com/incidents/Q3PMZ8WT7HK2LD",
                "summary": TITLE,
                "type": "incident_reference"
            },
            "id": "PN0TE42",
            "content": "Rolled back payment-service to v2.30.4;\n pool usage back under 30/50.",
            "trimmed": false,
            "type": "incident_note"
        });
    });
    let d = pd(&body);
    assert_eq!(d.group_key, INCIDENT);
    assert_eq!(d.title, TITLE);
    assert_eq!(d.state, GroupState::Unchanged);
    assert_eq!(
        d.events[0].text,
        "Note on incident Q3PMZ8WT7HK2LD by Priya Raman: Rolled back payment-service to v2.30.4; pool usage back under 30/50."
    );
    assert!(d
        .search_text
        .contains("Rolled back payment-service to v2.30.4;\n pool usage"));
    assert_eq!(d.services, Vec::<String>::new());
    let no_incident = edited(&body, |v| {
        v["event"]["data"]["incident"]
            .as_object_mut()
            .unwrap()
            .remove("id");
    });
    assert_eq!(field_of(&no_incident).0, "event.data.incident.id");
}

#[test]
fn severity_from_priority_then_urgency_and_settings_added() {
    let settings = Settings {
        services: vec!["checkout".into()],
        teams: vec!["Payments".into(), "SRE".into()],
        ..Settings::default()
    };
    let low = edited(TRIGGERED, |v| {
        v["event"]["data"]["priority"] = Value::Null;
        v["event"]["data"]["urgency"] = json!("low");
    });
    let d = read(&low, &settings).unwrap().unwrap();
    assert_eq!(d.severity, Some(Severity::Sev4));
    assert_eq!(d.services, ["payment-service", "checkout"]);
    assert_eq!(d.teams, ["Payments", "SRE"]);
    let unknown = edited(TRIGGERED, |v| {
        v["event"]["data"]["priority"]["summary"] = json!("P0-ish");
        v["event"]["data"]
            .as_object_mut()
            .unwrap()
            .remove("urgency");
    });
    assert_eq!(pd(&unknown).severity, None);
    let no_agent = edited(TRIGGERED, |v| v["event"]["agent"] = Value::Null);
    assert_eq!(pd(&no_agent).events[0].who, "PagerDuty");
}

#[test]
fn an_untitled_incident_is_named_by_its_number() {
    let body = edited(TRIGGERED, |v| {
        v["event"]["data"]["title"] = json!(" \u{7} ")
    });
    let d = pd(&body);
    assert_eq!(d.title, "PagerDuty incident #1024");
    assert_eq!(
        d.events[0].text,
        "Incident #1024 triggered: PagerDuty incident #1024"
    );
}

#[test]
fn malformed_events_name_their_field() {
    assert_eq!(field_of(b"not json at all").0, "");
    assert_eq!(field_of(br#"{"messages": []}"#).0, "event");
    let no_id = edited(TRIGGERED, |v| {
        v["event"].as_object_mut().unwrap().remove("id");
    });
    assert_eq!(field_of(&no_id), ("event.id".into(), "is required".into()));
    let no_type = edited(TRIGGERED, |v| v["event"]["event_type"] = json!(""));
    assert_eq!(field_of(&no_type).0, "event.event_type");
    let no_incident = edited(TRIGGERED, |v| {
        v["event"]["data"].as_object_mut().unwrap().remove("id");
    });
    assert_eq!(field_of(&no_incident).0, "event.data.id");
    let no_data = edited(TRIGGERED, |v| v["event"]["data"] = Value::Null);
    assert_eq!(field_of(&no_data).0, "event.data");
    let bad_team = edited(TRIGGERED, |v| {
        v["event"]["data"]["teams"][0]["summary"] = json!(7)
    });
    let (field, message) = field_of(&bad_team);
    assert_eq!(field, "event.data.teams[0].summary");
    assert!(message.contains("invalid type"), "{message}");
    let bad_id = edited(TRIGGERED, |v| v["event"]["id"] = json!(12));
    assert_eq!(field_of(&bad_id).0, "event.id");
}
