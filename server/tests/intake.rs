//! The alert intake through the router: each source's documented payloads
//! with their documented authentication, what they do to the incident, and
//! every refusal writing nothing.

mod common;

use app::context::RequestContext;
use axum::http::StatusCode;
use common::intake::*;
use kb_intake::Settings;

#[tokio::test]
async fn an_alertmanager_group_opens_one_incident_with_its_matches() {
    // The fixtures resolved months ago; a window wide enough to reopen.
    let (app, secret) = alertmanager(100_000).await;
    let before = count(&app).await;

    let reply = post_am(&app, &secret, AM_FIRING).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let answer = reply.json();
    assert_eq!(answer["created"], true);
    let id = answer["incident"].as_i64().unwrap();
    assert_eq!(answer["url"], format!("/incidents/{id}"));
    let suggestions = answer["suggestions"].as_array().unwrap();
    assert!(
        !suggestions.is_empty(),
        "the demo's timeout cascade matches: {answer}"
    );
    assert_eq!(count(&app).await, before + 1);

    let incident = app.postmortem(id).await;
    let payload: serde_json::Value = serde_json::from_slice(AM_FIRING).unwrap();
    assert_eq!(incident.parts.status, "draft");
    assert!(incident.parts.resolved_at.is_none());
    assert!(incident.parts.started_at.is_some());
    assert!(incident.parts.detected_at.is_some());
    let alerts = payload["alerts"].as_array().unwrap();
    assert_eq!(
        incident.parts.timeline.len(),
        alerts.len(),
        "one entry per alert: {:?}",
        incident.parts.timeline
    );
    assert!(incident.parts.timeline.iter().all(|e| e.kind == "alert"));
    assert_eq!(incident.parts.evidence.len(), 1);
    assert_eq!(
        incident.parts.evidence[0].body.as_bytes(),
        AM_FIRING,
        "the payload is kept verbatim"
    );
    assert_eq!(
        incident.url.as_deref(),
        alerts[0]["generatorURL"].as_str(),
        "the source link is kept"
    );

    // Alertmanager repeats the group every repeat_interval: nothing changes.
    let again = post_am(&app, &secret, AM_FIRING).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.json()["created"], false);
    assert_eq!(again.json()["incident"], id);
    assert_eq!(version(&app, id).await, incident.version);
    assert_eq!(count(&app).await, before + 1);

    // Resolved: the clock is filled in, one entry per resolved alert.
    let resolved = post_am(&app, &secret, AM_RESOLVED).await;
    assert_eq!(resolved.status, StatusCode::OK, "{}", resolved.body);
    assert_eq!(resolved.json()["incident"], id);
    let after = app.postmortem(id).await;
    assert!(after.parts.resolved_at.is_some());
    assert!(after.parts.mitigated_at.is_some());
    assert!(after.parts.timeline.len() > incident.parts.timeline.len());
    // The fixture's alerts ended months before this run detected them:
    // the resolution is the arrival, so the clock still validates.
    let mut errors = kb_domain::ValidationErrors::default();
    after.parts.validate(&mut errors);
    assert!(errors.is_empty(), "{errors}: {:?}", after.parts);
    assert_eq!(count(&app).await, before + 1);

    // Firing again within the window reopens the same incident.
    let refire = post_am(&app, &secret, &refired(AM_FIRING)).await;
    assert_eq!(refire.json()["incident"], id, "{}", refire.body);
    assert_eq!(refire.json()["created"], false);
    let reopened = app.postmortem(id).await;
    assert!(reopened.parts.resolved_at.is_none());
    assert!(reopened
        .parts
        .timeline
        .iter()
        .any(|e| e.text.starts_with("Reopened")));
}

/// The firing payload with every alert started an hour later: the same
/// group firing anew.
fn refired(body: &[u8]) -> Vec<u8> {
    let mut payload: serde_json::Value = serde_json::from_slice(body).unwrap();
    for alert in payload["alerts"].as_array_mut().unwrap() {
        let started = alert["startsAt"].as_str().unwrap().to_string();
        alert["startsAt"] = format!("2099{}", &started[4..]).into();
    }
    serde_json::to_vec(&payload).unwrap()
}

#[tokio::test]
async fn a_group_firing_long_after_it_resolved_opens_a_linked_new_incident() {
    let (app, secret) = alertmanager(0).await;
    let first = post_am(&app, &secret, AM_FIRING).await.json()["incident"]
        .as_i64()
        .unwrap();
    // Resolved when it was detected (a resolution is never earlier), and
    // fired again a second later: past a window of zero hours.
    let detected = app.postmortem(first).await.parts.detected_at.unwrap();
    let mut resolved: serde_json::Value = serde_json::from_slice(AM_RESOLVED).unwrap();
    for alert in resolved["alerts"].as_array_mut().unwrap() {
        alert["endsAt"] = detected.clone().into();
    }
    let reply = post_am(&app, &secret, &serde_json::to_vec(&resolved).unwrap()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        app.postmortem(first).await.parts.resolved_at,
        Some(detected)
    );
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let reply = post_am(&app, &secret, &refired(AM_FIRING)).await;
    assert_eq!(reply.json()["created"], true, "{}", reply.body);
    let second = reply.json()["incident"].as_i64().unwrap();
    assert_ne!(first, second);
    let links = app.postmortem(second).await.parts.links;
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].target, format!("#{first}"));
    assert_eq!(links[0].kind, "earlier_occurrence");
}

#[tokio::test]
async fn refusals_write_nothing() {
    let (app, secret) = alertmanager(24).await;
    let before = count(&app).await;
    let uri = "/api/v1/intake/alertmanager/prod";

    let missing = post(&app, uri, &[], AM_FIRING).await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED, "{}", missing.body);
    let wrong = post_am(&app, "hsi_not-the-secret", AM_FIRING).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(!wrong.body.contains(&secret));

    let unknown = post(&app, "/api/v1/intake/alertmanager/nope", &[], AM_FIRING).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let other_kind = post(&app, "/api/v1/intake/generic/prod", &[], AM_FIRING).await;
    assert_eq!(other_kind.status, StatusCode::NOT_FOUND);

    let not_json = post_am(&app, &secret, b"{\"version\": \"4\", ").await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
    let mut wrong_shape: serde_json::Value = serde_json::from_slice(AM_FIRING).unwrap();
    wrong_shape["alerts"] = serde_json::json!("not a list");
    let shape = post_am(&app, &secret, wrong_shape.to_string().as_bytes()).await;
    assert_eq!(shape.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        shape.json()["fields"][0]["field"],
        "alerts",
        "{}",
        shape.body
    );

    let huge = vec![b' '; kb_intake::MAX_PAYLOAD_BYTES + 1];
    let oversized = post_am(&app, &secret, &huge).await;
    assert_eq!(oversized.status, StatusCode::PAYLOAD_TOO_LARGE);

    let ctx = RequestContext::command_line();
    app.state
        .services
        .set_integration_enabled(&ctx, "prod", false)
        .await
        .unwrap();
    let disabled = post_am(&app, &secret, AM_FIRING).await;
    assert_eq!(disabled.status, StatusCode::FORBIDDEN);

    assert_eq!(count(&app).await, before, "no refusal wrote anything");
}

#[tokio::test]
async fn intake_is_the_only_write_exempt_from_the_cross_site_check() {
    let (app, secret) = alertmanager(24).await;
    let auth = format!("Bearer {secret}");
    let cross = [
        ("authorization", auth.as_str()),
        ("sec-fetch-site", "cross-site"),
    ];
    let intake = post(&app, "/api/v1/intake/alertmanager/prod", &cross, AM_FIRING).await;
    assert_eq!(intake.status, StatusCode::OK, "{}", intake.body);
    let api = post(
        &app,
        "/api/v1/incidents",
        &[("sec-fetch-site", "cross-site")],
        br#"{"title": "x"}"#,
    )
    .await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn pagerduty_signatures_rotation_and_redelivery() {
    let (app, _) = with_integration("pagerduty", "pd", Settings::default()).await;
    let before = count(&app).await;

    let unsigned = post(&app, "/api/v1/intake/pagerduty/pd", &[], PD_TRIGGERED).await;
    assert_eq!(unsigned.status, StatusCode::UNAUTHORIZED);
    let forged = format!("v1={}", hmac_hex("another secret", PD_TRIGGERED));
    let bad = post(
        &app,
        "/api/v1/intake/pagerduty/pd",
        &[("x-pagerduty-signature", &forged)],
        PD_TRIGGERED,
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert_eq!(count(&app).await, before);

    // During a secret rotation PagerDuty sends one signature per secret.
    let rotated = format!("{forged},v1={}", hmac_hex(PD_SECRET, PD_TRIGGERED));
    let reply = post(
        &app,
        "/api/v1/intake/pagerduty/pd",
        &[("x-pagerduty-signature", &rotated)],
        PD_TRIGGERED,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json()["created"], true);
    let id = reply.json()["incident"].as_i64().unwrap();
    let payload: serde_json::Value = serde_json::from_slice(PD_TRIGGERED).unwrap();
    let incident = app.postmortem(id).await;
    assert_eq!(
        incident.title,
        payload["event"]["data"]["title"].as_str().unwrap()
    );
    assert_eq!(
        incident.url.as_deref(),
        payload["event"]["data"]["html_url"].as_str()
    );

    // A redelivery of the same event is a no-op.
    let v = version(&app, id).await;
    let again = post_pd(&app, PD_TRIGGERED).await;
    assert_eq!(again.json()["incident"], id);
    assert_eq!(version(&app, id).await, v);

    let ack = post_pd(&app, PD_ACKNOWLEDGED).await;
    assert_eq!(ack.json()["incident"], id, "{}", ack.body);
    assert!(version(&app, id).await > v);
    assert!(app.postmortem(id).await.parts.resolved_at.is_none());

    let resolved = post_pd(&app, PD_RESOLVED).await;
    assert_eq!(resolved.json()["incident"], id);
    assert!(app.postmortem(id).await.parts.resolved_at.is_some());

    let unknown = post_pd(&app, PD_UNKNOWN).await;
    assert_eq!(unknown.status, StatusCode::OK, "{}", unknown.body);
    assert_eq!(unknown.json()["incident"], serde_json::Value::Null);
    assert_eq!(count(&app).await, before + 1);
}

#[tokio::test]
async fn grafana_checks_its_hmac_with_and_without_a_timestamp() {
    let (app, _) = with_integration("grafana", "graf", Settings::default()).await;
    let uri = "/api/v1/intake/grafana/graf";
    let sig_header = kb_intake::signature::GRAFANA_SIGNATURE_HEADER;
    let ts_header = kb_intake::signature::GRAFANA_TIMESTAMP_HEADER;

    let bad = post(&app, uri, &[(sig_header, "00ff")], GRAFANA).await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);

    let signature = hmac_hex(GRAFANA_SECRET, GRAFANA);
    let plain = post(&app, uri, &[(sig_header, &signature)], GRAFANA).await;
    assert_eq!(plain.status, StatusCode::OK, "{}", plain.body);
    assert_eq!(plain.json()["created"], true);

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    let mut signed = now.as_bytes().to_vec();
    signed.push(b':');
    signed.extend_from_slice(GRAFANA);
    let stamped = hmac_hex(GRAFANA_SECRET, &signed);
    let with_ts = post(
        &app,
        uri,
        &[(sig_header, &stamped), (ts_header, &now)],
        GRAFANA,
    )
    .await;
    assert_eq!(with_ts.status, StatusCode::OK, "{}", with_ts.body);
    // Replayed with an old timestamp: refused.
    let old = "1000000000";
    let mut replay = old.as_bytes().to_vec();
    replay.push(b':');
    replay.extend_from_slice(GRAFANA);
    let replayed = hmac_hex(GRAFANA_SECRET, &replay);
    let stale = post(
        &app,
        uri,
        &[(sig_header, &replayed), (ts_header, old)],
        GRAFANA,
    )
    .await;
    assert_eq!(stale.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn generic_events_trigger_and_resolve_by_dedup_key() {
    let (app, secret) = with_integration("generic", "ci", Settings::default()).await;
    let auth = format!("Bearer {}", secret.unwrap());
    let uri = "/api/v1/intake/generic/ci";
    let reply = post(&app, uri, &[("authorization", &auth)], GENERIC).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let id = reply.json()["incident"].as_i64().unwrap();
    let mut resolve: serde_json::Value = serde_json::from_slice(GENERIC).unwrap();
    resolve["action"] = "resolve".into();
    let done = post(
        &app,
        uri,
        &[("authorization", &auth)],
        resolve.to_string().as_bytes(),
    )
    .await;
    assert_eq!(done.json()["incident"], id, "{}", done.body);
    assert!(app.postmortem(id).await.parts.resolved_at.is_some());

    let mut bad = resolve.clone();
    bad["severity"] = "apocalyptic".into();
    let refused = post(
        &app,
        uri,
        &[("authorization", &auth)],
        bad.to_string().as_bytes(),
    )
    .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        refused.json()["fields"][0]["field"],
        "severity",
        "{}",
        refused.body
    );
}

#[tokio::test]
async fn suggestions_never_show_a_private_postmortem_to_a_public_reader() {
    let (app, secret) = alertmanager(24).await;
    common::add_account(&app, "sec", kb_domain::accounts::Role::Editor).await;
    let ctx = RequestContext::command_line();
    let payload: serde_json::Value = serde_json::from_slice(AM_FIRING).unwrap();
    let mut private = common::private_to("sec", "Secret twin of the alert", "rotate keys");
    private.summary = payload["alerts"].to_string();
    let hidden_id = app.state.services.create(&ctx, private).await.unwrap();
    app.state.services.reindex_after_write().await;

    let reply = post_am(&app, &secret, AM_FIRING).await;
    let ids: Vec<i64> = reply.json()["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["target_id"].as_i64().unwrap())
        .collect();
    assert!(!ids.is_empty(), "{}", reply.body);
    assert!(!ids.contains(&hidden_id), "{ids:?}");
}

#[test]
fn the_command_line_adds_lists_and_disables_integrations() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::ok(&common::hindsight(
        dir.path(),
        &[
            "integration",
            "add",
            "alertmanager",
            "prod",
            "--service",
            "payments",
        ],
    ));
    assert!(
        out.contains("POST /api/v1/intake/alertmanager/prod"),
        "{out}"
    );
    assert!(out.contains("hsi_"), "the secret is shown once: {out}");
    let list = common::ok(&common::hindsight(dir.path(), &["integration", "list"]));
    assert!(list.contains("prod\talertmanager\tenabled"), "{list}");
    assert!(!list.contains("hsi_"), "never shown again: {list}");
    common::ok(&common::hindsight(
        dir.path(),
        &["integration", "disable", "prod"],
    ));
    let list = common::ok(&common::hindsight(dir.path(), &["integration", "list"]));
    assert!(list.contains("prod\talertmanager\tdisabled"), "{list}");
    let bad = common::hindsight(
        dir.path(),
        &[
            "integration",
            "add",
            "generic",
            "ci",
            "--severity",
            "disaster",
        ],
    );
    assert!(!bad.status.success(), "a mapping needs VALUE=SEVn");
    common::ok(&common::hindsight(
        dir.path(),
        &[
            "integration",
            "add",
            "generic",
            "ci",
            "--severity",
            "disaster=SEV1",
        ],
    ));
    let dup = common::hindsight(dir.path(), &["integration", "add", "generic", "PROD"]);
    assert!(!dup.status.success());
    assert!(String::from_utf8_lossy(&dup.stderr).contains("exists already"));
}
