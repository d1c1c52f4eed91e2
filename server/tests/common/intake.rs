//! Alert senders' deliveries as they send them (the intake's fixtures,
//! signed as each documents) and a knowledge base with an integration to
//! send them to; used by `intake.rs`.

use super::{app, Reply, TestApp};
use app::context::RequestContext;
use axum::body::Body;
use axum::http::Request;
use hmac::{KeyInit, Mac};
use kb_intake::Settings;

pub const AM_FIRING: &[u8] =
    include_bytes!("../../../intake/tests/fixtures/alertmanager-firing.json");
pub const AM_RESOLVED: &[u8] =
    include_bytes!("../../../intake/tests/fixtures/alertmanager-resolved.json");
pub const GRAFANA: &[u8] = include_bytes!("../../../intake/tests/fixtures/grafana-firing.json");
pub const PD_TRIGGERED: &[u8] =
    include_bytes!("../../../intake/tests/fixtures/pagerduty-triggered.json");
pub const PD_ACKNOWLEDGED: &[u8] =
    include_bytes!("../../../intake/tests/fixtures/pagerduty-acknowledged.json");
pub const PD_RESOLVED: &[u8] =
    include_bytes!("../../../intake/tests/fixtures/pagerduty-resolved.json");
pub const PD_UNKNOWN: &[u8] =
    include_bytes!("../../../intake/tests/fixtures/pagerduty-unknown.json");
pub const GENERIC: &[u8] = include_bytes!("../../../intake/tests/fixtures/generic-trigger.json");

pub const PD_SECRET: &str = "pd-webhook-secret-from-pagerduty";
pub const GRAFANA_SECRET: &str = "grafana-hmac-secret";

/// HMAC-SHA256 in lowercase hex, as PagerDuty and Grafana document it.
pub fn hmac_hex(secret: &str, message: &[u8]) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(message);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An app with the demo postmortems and an integration `name` of `kind`;
/// returns the bearer secret when the kind has one.
pub async fn with_integration(
    kind: &str,
    name: &str,
    settings: Settings,
) -> (TestApp, Option<String>) {
    let app = app().await;
    hindsight::cli::load_demo(&app.state.services)
        .await
        .unwrap();
    let secret = add(&app, kind, name, settings).await;
    (app, secret)
}

pub async fn add(app: &TestApp, kind: &str, name: &str, settings: Settings) -> Option<String> {
    let signing = match kind {
        "pagerduty" => Some(PD_SECRET.to_string()),
        "grafana" => Some(GRAFANA_SECRET.to_string()),
        _ => None,
    };
    let added = app
        .state
        .services
        .add_integration(
            &RequestContext::command_line(),
            kind,
            name,
            signing,
            None,
            &settings,
        )
        .await
        .unwrap();
    assert_eq!(added.endpoint, format!("/api/v1/intake/{kind}/{name}"));
    added.secret
}

pub async fn post(app: &TestApp, uri: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut request = Request::post(uri).header("content-type", "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    app.send(request.body(Body::from(body.to_vec())).unwrap())
        .await
}

pub async fn post_am(app: &TestApp, secret: &str, body: &[u8]) -> Reply {
    let auth = format!("Bearer {secret}");
    post(
        app,
        "/api/v1/intake/alertmanager/prod",
        &[("authorization", &auth)],
        body,
    )
    .await
}

pub async fn post_pd(app: &TestApp, body: &[u8]) -> Reply {
    let signature = format!("v1={}", hmac_hex(PD_SECRET, body));
    post(
        app,
        "/api/v1/intake/pagerduty/pd",
        &[("x-pagerduty-signature", &signature)],
        body,
    )
    .await
}

pub async fn count(app: &TestApp) -> i64 {
    let ctx = RequestContext::command_line();
    app.state.services.list(&ctx, 1).await.unwrap().total
}

/// An app with the demo and an Alertmanager integration `prod` whose
/// groups reopen within `hours`; its bearer secret.
pub async fn alertmanager(hours: u32) -> (TestApp, String) {
    let settings = Settings {
        reopen_within_hours: hours,
        ..Settings::default()
    };
    let (app, secret) = with_integration("alertmanager", "prod", settings).await;
    (app, secret.expect("alertmanager gets a bearer secret"))
}

pub async fn version(app: &TestApp, id: i64) -> i64 {
    app.postmortem(id).await.version
}
