use super::*;
use kb_domain::Severity;
use serde_json::{json, Value};

const FIRING: &[u8] = include_bytes!("../../tests/fixtures/alertmanager-firing.json");
const RESOLVED: &[u8] = include_bytes!("../../tests/fixtures/alertmanager-resolved.json");
const GRAFANA: &[u8] = include_bytes!("../../tests/fixtures/grafana-firing.json");
const GROUP_KEY: &str = r#"{}/{team="payments"}:{service="payment-service"}"#;

fn am(body: &[u8]) -> Result<Delivery, IntakeError> {
    read(Source::Alertmanager, body, &Settings::default())
}

/// The firing fixture changed by `edit`.
fn edited(edit: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut value: Value = serde_json::from_slice(FIRING).unwrap();
    edit(&mut value);
    serde_json::to_vec(&value).unwrap()
}

fn field_of(result: Result<Delivery, IntakeError>) -> (String, String) {
    match result {
        Err(IntakeError::Malformed { field, message }) => (field, message),
        other => panic!("expected Malformed, got {other:?}"),
    }
}

#[test]
fn a_firing_group_maps_every_field() {
    let d = am(FIRING).unwrap();
    assert_eq!(d.group_key, GROUP_KEY);
    assert_eq!(
        d.title,
        "PaymentTimeouts and 1 more: Checkout requests to payment-service are timing out"
    );
    assert_eq!(d.severity, Some(Severity::Sev1));
    assert_eq!(d.services, ["payment-service"]);
    assert_eq!(d.teams, ["payments"]);
    // The pool alert, sent at +01:00, started first.
    assert_eq!(d.started_at.as_deref(), Some("2026-03-10T14:06:45Z"));
    let url = d.source_url.as_deref().unwrap();
    assert!(url.starts_with("http://prometheus.payments.internal:9090/graph?g0.expr=sum+by"));
    assert!(url.ends_with("&g0.tab=1"));
    assert_eq!(d.state, GroupState::Firing);

    assert_eq!(d.events.len(), 2);
    let timeouts = &d.events[0];
    assert_eq!(timeouts.key, "5f2c8a1e9b3d4f60");
    assert_eq!(timeouts.state, "firing");
    assert_eq!(timeouts.at.as_deref(), Some("2026-03-10T14:07:30Z"));
    assert_eq!(
        timeouts.text,
        "PaymentTimeouts firing: Checkout requests to payment-service are timing out \
         (service=payment-service, job=payment-service, env=production, instance=10.42.3.17:8080)"
    );
    assert_eq!(timeouts.who, "Alertmanager (hindsight)");
    let pool = &d.events[1];
    assert_eq!(pool.key, "a81d0c6e2f47b953");
    assert_eq!(pool.at.as_deref(), Some("2026-03-10T14:06:45Z"));
    assert!(pool
        .text
        .starts_with("DBPoolExhausted firing: Database connection pool"));

    let lines: Vec<&str> = d.search_text.lines().collect();
    assert!(lines.contains(&"PaymentTimeouts"));
    assert!(lines.contains(&"DBPoolExhausted"));
    assert!(lines.contains(&"payment-service"));
    assert!(d.search_text.contains("214 requests are waiting"));
    assert!(!d.search_text.contains("runbooks.example.com"));
}

#[test]
fn the_resolved_group_is_the_same_incident_with_end_times() {
    let firing = am(FIRING).unwrap();
    let d = am(RESOLVED).unwrap();
    assert_eq!(d.group_key, firing.group_key);
    assert_eq!(d.state, GroupState::Resolved);
    let keys: Vec<&str> = d.events.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["5f2c8a1e9b3d4f60", "a81d0c6e2f47b953"]);
    assert!(d.events.iter().all(|e| e.state == "resolved"));
    assert_eq!(d.events[0].at.as_deref(), Some("2026-03-10T14:41:05Z"));
    assert_eq!(d.events[1].at.as_deref(), Some("2026-03-10T14:38:20Z"));
    assert!(d.events[0].text.starts_with("PaymentTimeouts resolved: "));
    assert_eq!(d.started_at, firing.started_at);
    assert_ne!(d.events, firing.events);
}

#[test]
fn repeats_read_identically() {
    assert_eq!(am(FIRING).unwrap(), am(FIRING).unwrap());
    let grafana = |b| read(Source::Grafana, b, &Settings::default()).unwrap();
    assert_eq!(grafana(GRAFANA), grafana(GRAFANA));
}

#[test]
fn grafana_payloads_read_with_their_extra_fields() {
    let d = read(Source::Grafana, GRAFANA, &Settings::default()).unwrap();
    assert_eq!(
        d.group_key,
        r#"{}/{team="payments"}:{alertname="PaymentTimeouts", grafana_folder="Payments"}"#
    );
    assert_eq!(
        d.title,
        "PaymentTimeouts: Checkout requests to payment-service are timing out"
    );
    assert_eq!(d.severity, Some(Severity::Sev1));
    assert_eq!(d.started_at.as_deref(), Some("2026-03-10T14:07:30Z"));
    assert_eq!(
        d.source_url.as_deref(),
        Some("https://grafana.example.com/alerting/grafana/payment-timeouts/view?orgId=1")
    );
    assert_eq!(d.events[0].key, "3b6e9f0c2d71a845");
    assert_eq!(d.events[0].who, "Grafana (hindsight-webhook)");
    assert!(d.events[0]
        .text
        .contains("(service=payment-service, grafana_folder=Payments)"));
    assert!(d.search_text.contains("Value: A=0.124, C=1"));
}

#[test]
fn grafana_fallbacks_use_its_title_message_and_panel() {
    let body = edited(|v| {
        v["commonAnnotations"] = json!({});
        v["alerts"][0]["annotations"] = Value::Null;
        v["alerts"][1]["annotations"] = json!({"description": "All 50 connections in use"});
        v["alerts"][0]["generatorURL"] = json!("javascript:alert(1)");
        v["alerts"][0]["panelURL"] = json!("https://grafana.example.com/d/p?viewPanel=4");
        v["title"] = json!("[FIRING:2] PaymentTimeouts");
        v["message"] = json!("**Firing**\nValue: A=0.2");
    });
    let d = read(Source::Grafana, &body, &Settings::default()).unwrap();
    assert_eq!(
        d.title,
        "PaymentTimeouts and 1 more: [FIRING:2] PaymentTimeouts"
    );
    assert_eq!(
        d.events[1].text.split(" (").next(),
        Some("DBPoolExhausted firing: All 50 connections in use")
    );
    assert!(d.events[0]
        .text
        .starts_with("PaymentTimeouts firing: **Firing** Value: A=0.2 ("));
    assert_eq!(
        d.source_url.as_deref(),
        Some("https://grafana.example.com/d/p?viewPanel=4")
    );
}

#[test]
fn settings_choose_labels_and_add_services_and_teams() {
    let settings = Settings {
        services: vec!["checkout".into(), "payment-service".into()],
        teams: vec!["sre".into()],
        service_labels: vec!["pool".into(), "service".into()],
        team_labels: vec!["owner".into(), "team".into()],
        severity_label: "priority".into(),
        severities: vec![("P2".into(), Severity::Sev2), ("p3".into(), Severity::Sev3)],
        ..Settings::default()
    };
    let body = edited(|v| {
        v["alerts"][0]["labels"]["priority"] = json!("p3");
        v["alerts"][1]["labels"]["priority"] = json!("p2");
    });
    let d = read(Source::Alertmanager, &body, &settings).unwrap();
    assert_eq!(
        d.services,
        ["payment-service", "payments-primary", "checkout"]
    );
    assert_eq!(d.teams, ["payments", "sre"]);
    // Not a common label: the worst of the alerts'.
    assert_eq!(d.severity, Some(Severity::Sev2));

    let unmapped = edited(|v| v["commonLabels"]["severity"] = json!("meh"));
    let unmapped = edited(|v| {
        *v = serde_json::from_slice(&unmapped).unwrap();
        for i in 0..2 {
            v["alerts"][i]["labels"]["severity"] = json!("meh");
        }
    });
    assert_eq!(am(&unmapped).unwrap().severity, None);
}

#[test]
fn alerts_without_fingerprints_get_a_stable_key_from_their_labels() {
    let body = edited(|v| {
        v["alerts"][0]
            .as_object_mut()
            .unwrap()
            .remove("fingerprint");
        v["alerts"][1]["fingerprint"] = json!(" ");
    });
    let first = am(&body).unwrap();
    let again = am(&body).unwrap();
    assert_eq!(first.events[0].key.len(), 16);
    assert_eq!(first.events[0].key, again.events[0].key);
    assert_ne!(first.events[0].key, first.events[1].key);
}

#[test]
fn malformed_payloads_name_their_field() {
    let (field, message) = field_of(am(b"<html>502 Bad Gateway</html>"));
    assert_eq!(field, "");
    assert!(message.contains("expected value"), "{message}");

    let missing = edited(|v| {
        v.as_object_mut().unwrap().remove("groupKey");
    });
    assert_eq!(
        field_of(am(&missing)),
        ("groupKey".into(), "is required".into())
    );
    let blank = edited(|v| v["groupKey"] = json!("  "));
    assert_eq!(field_of(am(&blank)).0, "groupKey");

    let empty = edited(|v| v["alerts"] = json!([]));
    assert_eq!(
        field_of(am(&empty)),
        ("alerts".into(), "at least one alert is needed".into())
    );
    let wrong = edited(|v| v["alerts"][0]["labels"] = json!("alertname=PaymentTimeouts"));
    let (field, message) = field_of(am(&wrong));
    assert_eq!(field, "alerts[0].labels");
    assert!(message.contains("invalid type"), "{message}");
    let number = edited(|v| v["alerts"][1]["labels"]["severity"] = json!(1));
    assert_eq!(field_of(am(&number)).0, "alerts[1].labels.severity");
    let no_status = edited(|v| {
        v["alerts"][1].as_object_mut().unwrap().remove("status");
    });
    assert_eq!(field_of(am(&no_status)).0, "alerts[1].status");
    let no_labels = edited(|v| v["alerts"][0]["labels"] = Value::Null);
    assert_eq!(field_of(am(&no_labels)).0, "alerts[0].labels");
    let pending = edited(|v| v["status"] = json!("pending"));
    let (field, message) = field_of(am(&pending));
    assert_eq!(field, "status");
    assert!(message.contains("unknown variant `pending`"), "{message}");
    let not_list = edited(|v| v["alerts"] = json!({"status": "firing"}));
    assert_eq!(field_of(am(&not_list)).0, "alerts");
}

#[test]
fn titles_fall_back_and_texts_are_clean_and_short() {
    let bare = edited(|v| {
        v["commonLabels"] = json!({});
        for i in 0..2 {
            v["alerts"][i]["labels"] = json!({"instance": "10.42.3.17:8080"});
            v["alerts"][i]["annotations"] = json!({});
        }
    });
    let d = am(&bare).unwrap();
    assert_eq!(d.title, "Alert from hindsight");
    assert_eq!(d.events[0].text, "Alert firing (instance=10.42.3.17:8080)");
    assert_eq!(d.services, Vec::<String>::new());

    let noisy = edited(|v| {
        v["alerts"][0]["annotations"]["summary"] =
            json!(format!("Checkout\u{1b}[31m\ttimeouts {}", "ü".repeat(400)));
    });
    let d = am(&noisy).unwrap();
    assert_eq!(d.title.chars().count(), MAX_TITLE);
    assert!(d
        .title
        .starts_with("PaymentTimeouts and 1 more: Checkout[31m timeouts üü"));
    assert!(d.title.ends_with('…'));
    assert_eq!(d.events[0].text.chars().count(), MAX_EVENT_TEXT);
    assert!(!d.events[0].text.chars().any(|c| c.is_control()));
}
