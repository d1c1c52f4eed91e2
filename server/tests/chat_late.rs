//! Answers later than the chat client waits: acknowledged at once, then
//! posted to the request's `response_url` by a real HTTP client, to a
//! real server on loopback standing in for the Mattermost server, and
//! only when that address is the client's own.

mod common;

use app::context::RequestContext;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use common::chat::*;
use common::TestApp;
use kb_intake::chat::Client;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::sync::mpsc;

/// What a receiver got: the path's key, the content type and the body.
type Delivery = (String, String, String);

/// An HTTP server on a loopback port that hands over every POST to
/// `/hooks/{key}`.
async fn receiver() -> (SocketAddr, mpsc::UnboundedReceiver<Delivery>) {
    let (sent, got) = mpsc::unbounded_channel();
    let router = Router::new().route(
        "/hooks/{key}",
        post(
            move |Path(key): Path<String>, headers: HeaderMap, body: String| {
                let sent = sent.clone();
                async move {
                    let content_type = headers
                        .get("content-type")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_string();
                    sent.send((key, content_type, body)).unwrap();
                    "ok"
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (addr, got)
}

/// A knowledge base whose answers are always late (a deadline of zero),
/// with Mattermost `late` on the server at `server`.
async fn late_app(server: SocketAddr) -> TestApp {
    let app = common::app_with(|s| s.chat_deadline = Duration::ZERO).await;
    app.create(serde_json::json!({
        "title": "Checkout timeouts after the payment deploy",
        "summary": "Payment timeouts exhausted the database connection pool.",
        "mitigation": "Rolled the payment service back to v2.4.1.",
    }))
    .await;
    let cli = RequestContext::command_line();
    app.state
        .services
        .add_chat_integration(
            &cli,
            Client::Mattermost,
            "late",
            MATTERMOST_TOKEN,
            None,
            Some(&format!("http://{server}")),
        )
        .await
        .unwrap();
    app
}

fn token() -> Option<&'static str> {
    Some("Token xr3j5x3p4pfjpe8fuqmwmh5qqa")
}

/// A Mattermost command form (its token field is the command's token)
/// whose late answer goes to `url`.
fn mattermost_form(text: &str, url: &str) -> String {
    form_to("maria", text, url).replace("ignored-by-slack", MATTERMOST_TOKEN)
}

#[tokio::test]
async fn a_late_answer_is_acknowledged_then_posted_to_the_response_url() {
    let (server, mut got) = receiver().await;
    let app = late_app(server).await;
    let url = format!("http://{server}/hooks/k3y");
    let body = mattermost_form("share search payment timeouts", &url);
    let reply = mattermost(&app, "late", token(), &body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let ack = reply.json();
    assert!(
        ack["text"].as_str().unwrap().contains("Looking into it"),
        "{ack}"
    );
    assert_eq!(ack["response_type"], "ephemeral");

    let (key, content_type, posted) = tokio::time::timeout(Duration::from_secs(30), got.recv())
        .await
        .expect("the late answer was not posted")
        .unwrap();
    assert_eq!(key, "k3y");
    assert_eq!(content_type, "application/json");
    let posted: serde_json::Value = serde_json::from_str(&posted).unwrap();
    let text = posted["text"].as_str().unwrap();
    assert!(
        text.contains("Checkout timeouts after the payment deploy"),
        "{text}"
    );
    // `share` still shares what comes late.
    assert_eq!(posted["response_type"], "in_channel");
    // Answered late is answered: it is on the audit log.
    let recorded = recorded(&app).await;
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].subcommand, "search");
}

#[tokio::test]
async fn an_answer_is_never_posted_off_the_clients_host() {
    let (server, mut at_server) = receiver().await;
    let (elsewhere, mut at_elsewhere) = receiver().await;
    let app = late_app(server).await;
    // Another port is another origin: the answer comes back in full,
    // however long it takes, and nothing is posted anywhere.
    let url = format!("http://{elsewhere}/hooks/k3y");
    let body = mattermost_form("search payment timeouts", &url);
    let reply = mattermost(&app, "late", token(), &body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        reply
            .body
            .contains("Checkout timeouts after the payment deploy"),
        "{}",
        reply.body
    );
    assert!(!reply.body.contains("Looking into it"), "{}", reply.body);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(at_elsewhere.try_recv().is_err());
    assert!(at_server.try_recv().is_err());
}

#[tokio::test]
async fn a_refused_request_is_refused_at_once_not_acknowledged() {
    let (server, mut got) = receiver().await;
    let app = late_app(server).await;
    let url = format!("http://{server}/hooks/k3y");
    let body = mattermost_form("search payment timeouts", &url);
    let reply = mattermost(&app, "late", Some("Token wrong"), &body).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(got.try_recv().is_err());
    assert!(recorded(&app).await.is_empty());
}
