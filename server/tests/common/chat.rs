//! Slash command requests as Slack and Mattermost send them, and a
//! knowledge base to send them to; shared by `chat.rs` and
//! `chat_incidents.rs`.

use super::{add_account, private_to, Reply, TestApp};
use app::context::RequestContext;
use axum::body::Body;
use axum::http::Request;
use hmac::{KeyInit, Mac};
use kb_domain::accounts::Role;
use kb_intake::chat::Client;

/// The signing secret of Slack's worked example
/// (docs.slack.dev/authentication/verifying-requests-from-slack).
pub const SLACK_SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
pub const MATTERMOST_TOKEN: &str = "xr3j5x3p4pfjpe8fuqmwmh5qqa";

/// The request body of Slack's worked example, byte for byte.
pub const SLACK_EXAMPLE_BODY: &str = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

pub fn slack_signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("v0:{timestamp}:{body}").as_bytes());
    let bytes = mac.finalize().into_bytes();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("v0={hex}")
}

/// Where Slack's example requests say late answers go.
pub const SLACK_RESPONSE_URL: &str = "https://hooks.slack.com/commands/1234/5678";

/// A slash command form as both clients post it.
pub fn form(user: &str, text: &str) -> String {
    form_to(user, text, SLACK_RESPONSE_URL)
}

/// [`form`] whose late answer goes to `response_url`.
pub fn form_to(user: &str, text: &str, response_url: &str) -> String {
    let pairs = [
        ("token", "ignored-by-slack"),
        ("team_id", "T0001"),
        ("team_domain", "example"),
        ("channel_id", "C2147483705"),
        ("channel_name", "inc-checkout"),
        ("user_id", "U2147483697"),
        ("user_name", user),
        ("command", "/hindsight"),
        ("text", text),
        ("response_url", response_url),
        ("trigger_id", "13345224609.738474920.8088930838d88f008e0"),
    ];
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", super::encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub async fn slack(app: &TestApp, name: &str, secret: &str, timestamp: i64, body: &str) -> Reply {
    app.send(
        Request::post(format!("/api/v1/chat/slack/{name}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-slack-request-timestamp", timestamp.to_string())
            .header(
                "x-slack-signature",
                slack_signature(secret, timestamp, body),
            )
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

pub async fn mattermost(
    app: &TestApp,
    name: &str,
    authorization: Option<&str>,
    body: &str,
) -> Reply {
    let mut request = Request::post(format!("/api/v1/chat/mattermost/{name}"))
        .header("content-type", "application/x-www-form-urlencoded");
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    app.send(request.body(Body::from(body.to_string())).unwrap())
        .await
}

/// Two public postmortems, one private to `reader`, and the integrations:
/// Slack `ops` reading as `reader`, Slack `public` with no reader, and
/// Mattermost `mm` with no reader.
pub async fn setup() -> TestApp {
    let app = super::app().await;
    app.create(serde_json::json!({
        "title": "Checkout timeouts after the payment deploy",
        "severity": "SEV2",
        "date": "2024-03-15",
        "summary": "Payment timeouts exhausted the database connection pool.",
        "root_cause": "The deploy cut the gateway timeout from 5000 ms to 500 ms.",
        "mitigation": "Rolled the payment service back to v2.4.1.",
    }))
    .await;
    app.create(serde_json::json!({
        "title": "Search index lag",
        "summary": "Indexing fell behind during a reindex.",
    }))
    .await;
    add_account(&app, "admin", Role::Admin).await;
    add_account(&app, "reader", Role::Viewer).await;
    let services = &app.state.services;
    let cli = RequestContext::command_line();
    services
        .create(
            &cli,
            kb_domain::PostmortemInput {
                summary: "Payment timeouts again, on the private ledger.".into(),
                ..private_to("reader", "Ledger payment timeouts", "rotate keys")
            },
        )
        .await
        .unwrap();
    for (client, name, secret, reader) in [
        (Client::Slack, "ops", SLACK_SECRET, Some("reader")),
        (Client::Slack, "public", SLACK_SECRET, None),
        (Client::Mattermost, "mm", MATTERMOST_TOKEN, None),
    ] {
        services
            .add_chat_integration(&cli, client, name, secret, reader, None)
            .await
            .unwrap();
    }
    app
}

/// Slack `desk`, answering as the editor `desk` (made here).
pub async fn add_desk(app: &TestApp) {
    add_account(app, "desk", Role::Editor).await;
    let cli = RequestContext::command_line();
    app.state
        .services
        .add_chat_integration(
            &cli,
            Client::Slack,
            "desk",
            SLACK_SECRET,
            Some("desk"),
            None,
        )
        .await
        .unwrap();
}

pub async fn recorded(app: &TestApp) -> Vec<kb_domain::intake::ChatRequest> {
    let admin = RequestContext::command_line();
    app.state
        .services
        .chat_requests(&admin, None)
        .await
        .unwrap()
}
