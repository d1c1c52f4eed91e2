//! Slash commands through the router, sent as each client sends them:
//! Slack's form signed `v0:{timestamp}:{body}` with the app's signing
//! secret (computed here with the hmac crate, independently of the code
//! that checks it), Mattermost's form with its command token. What a
//! channel sees is what the integration's reader may see.

mod common;

use app::context::RequestContext;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::chat::*;
use common::TestApp;

#[tokio::test]
async fn slack_search_answers_in_block_kit_as_the_reader_sees() {
    let app = setup().await;
    let body = form("maria", "payment timeouts");
    let reply = slack(&app, "ops", SLACK_SECRET, now(), &body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let json = reply.json();
    assert_eq!(json["response_type"], "ephemeral");
    let text = reply.body.clone();
    assert!(json["blocks"].as_array().is_some_and(|b| !b.is_empty()));
    assert!(
        text.contains("Checkout timeouts after the payment deploy"),
        "{text}"
    );
    assert!(text.contains("/incidents/1"), "{text}");
    assert!(text.contains("SEV2"), "{text}");
    assert!(text.contains("Rolled the payment service back"), "{text}");
    // The reader may read the private postmortem: so may this channel.
    assert!(text.contains("Ledger payment timeouts"), "{text}");

    // Without a reader, public postmortems only, and nothing of the
    // private one (not even its title).
    let reply = slack(&app, "public", SLACK_SECRET, now(), &body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply
        .body
        .contains("Checkout timeouts after the payment deploy"));
    assert!(!reply.body.contains("Ledger"), "{}", reply.body);

    // `share` posts in the channel.
    let shared = form("maria", "share search payment timeouts");
    let reply = slack(&app, "public", SLACK_SECRET, now(), &shared).await;
    assert_eq!(reply.json()["response_type"], "in_channel");

    let log = recorded(&app).await;
    assert_eq!(log.len(), 3);
    assert_eq!(log[0].integration, "public");
    assert_eq!(log[2].integration, "ops");
    assert!(log.iter().all(|r| r.user_name == "maria"
        && r.channel_name == "inc-checkout"
        && r.channel_id == "C2147483705"
        && r.subcommand == "search"));
}

#[tokio::test]
async fn slack_requests_are_refused_unless_signed_now_with_the_app_secret() {
    let app = setup().await;
    // Slack's worked example, byte for byte, with its own signature: the
    // signature holds, but it was made in 2018, far outside the window.
    let reply = app
        .send(
            Request::post("/api/v1/chat/slack/ops")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("x-slack-request-timestamp", "1531420618")
                .header(
                    "x-slack-signature",
                    "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
                )
                .body(Body::from(SLACK_EXAMPLE_BODY))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    // Our signature of that body matches Slack's: the same computation.
    assert_eq!(
        slack_signature(SLACK_SECRET, 1531420618, SLACK_EXAMPLE_BODY),
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    );
    // The same body signed now passes (its empty text is a request for help).
    let reply = slack(&app, "ops", SLACK_SECRET, now(), SLACK_EXAMPLE_BODY).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        reply.body.contains("/webhook-collect search"),
        "{}",
        reply.body
    );

    let body = form("mallory", "payment timeouts");
    for (secret, timestamp) in [
        ("not the signing secret", now()),
        (SLACK_SECRET, now() - 6 * 60),
        (SLACK_SECRET, now() + 6 * 60),
    ] {
        let reply = slack(&app, "ops", secret, timestamp, &body).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
        assert!(reply.json()["error"].is_string());
    }
    // A body changed after signing.
    let timestamp = now();
    let reply = app
        .send(
            Request::post("/api/v1/chat/slack/ops")
                .header("x-slack-request-timestamp", timestamp.to_string())
                .header(
                    "x-slack-signature",
                    slack_signature(SLACK_SECRET, timestamp, &body),
                )
                .body(Body::from(form("mallory", "status")))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    // No signature at all.
    let reply = app
        .send(
            Request::post("/api/v1/chat/slack/ops")
                .body(Body::from(body.clone()))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    // Only the request signed now was answered and recorded.
    let log = recorded(&app).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].user_name, "roadrunner");
    assert_eq!(log[0].subcommand, "help");
}

#[tokio::test]
async fn mattermost_takes_its_command_token_from_the_header_or_the_form() {
    let app = setup().await;
    // As Mattermost sends it: the token in the header and in the form.
    let body = form("ana", "payment timeouts").replace(
        "token=ignored-by-slack",
        &format!("token={MATTERMOST_TOKEN}"),
    );
    let header = format!("Token {MATTERMOST_TOKEN}");
    let reply = mattermost(&app, "mm", Some(&header), &body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let json = reply.json();
    assert_eq!(json["response_type"], "ephemeral");
    let text = json["text"].as_str().unwrap();
    assert!(
        text.contains("Checkout timeouts after the payment deploy"),
        "{text}"
    );
    assert!(!text.contains("Ledger"), "{text}");
    // Either one alone will do.
    let no_field = body.replace(&format!("token={MATTERMOST_TOKEN}"), "token=");
    let reply = mattermost(&app, "mm", Some(&header), &no_field).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let reply = mattermost(&app, "mm", None, &body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    for (authorization, body) in [
        (Some("Token not-the-token"), no_field.as_str()),
        (None, no_field.as_str()),
        (Some("Bearer xr3j5x3p4pfjpe8fuqmwmh5qqa"), no_field.as_str()),
        // The header and the form disagree.
        (Some("Token not-the-token"), body.as_str()),
    ] {
        let reply = mattermost(&app, "mm", authorization, body).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    }
    assert_eq!(recorded(&app).await.len(), 3);
}

#[tokio::test]
async fn unknown_disabled_and_malformed_requests_are_refused_cleanly() {
    let app = setup().await;
    let body = form("ana", "help");
    assert_eq!(
        slack(&app, "nobody", SLACK_SECRET, now(), &body)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // A Slack integration's name under the other client is not it.
    assert_eq!(
        mattermost(&app, "ops", Some("Token x"), &body).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.send(
            Request::post("/api/v1/chat/teams/ops")
                .body(Body::from(body.clone()))
                .unwrap()
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let cli = RequestContext::command_line();
    app.state
        .services
        .set_integration_enabled(&cli, "ops", false)
        .await
        .unwrap();
    assert_eq!(
        slack(&app, "ops", SLACK_SECRET, now(), &body).await.status,
        StatusCode::FORBIDDEN
    );
    // Signed, but not a slash command's form.
    let reply = slack(&app, "public", SLACK_SECRET, now(), "text=a&text=b").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    // Too big to read: refused before anything looks at it.
    let huge = format!("text={}", "a".repeat(kb_intake::MAX_PAYLOAD_BYTES));
    let reply = slack(&app, "public", SLACK_SECRET, now(), &huge).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(recorded(&app).await.is_empty());
}

#[tokio::test]
async fn any_text_is_a_search_and_misuse_answers_with_help() {
    let app = setup().await;
    for text in [
        "",
        "help",
        "frobnicate the cache",
        "note",
        "note #abc",
        "status #99999",
        "\u{0}\u{202e}<script>alert(1)</script> ** _ ` ~ > | & < %",
        &"payment timeout ".repeat(3000),
    ] {
        let reply = slack(&app, "public", SLACK_SECRET, now(), &form("ana", text)).await;
        assert_eq!(reply.status, StatusCode::OK, "{text:.40}: {}", reply.body);
        assert!(reply.json()["blocks"].is_array(), "{text:.40}");
        assert!(!reply.body.contains("<script>"), "{}", reply.body);
    }
}

#[tokio::test]
async fn the_command_line_adds_chat_integrations_with_the_secret_on_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::ok(&common::hindsight_with_input(
        dir.path(),
        &["integration", "add", "slack", "ops"],
        &format!("{SLACK_SECRET}\n"),
    ));
    assert!(out.contains("request URL: /api/v1/chat/slack/ops"), "{out}");
    assert!(!out.contains(SLACK_SECRET), "{out}");
    let out = common::ok(&common::hindsight_with_input(
        dir.path(),
        &[
            "integration",
            "add",
            "mattermost",
            "mm",
            "--server",
            "https://chat.example.com",
        ],
        MATTERMOST_TOKEN,
    ));
    assert!(out.contains("/api/v1/chat/mattermost/mm"), "{out}");
    let list = common::ok(&common::hindsight(dir.path(), &["integration", "list"]));
    assert!(list.contains("ops\tslack\tenabled"), "{list}");
    assert!(list.contains("mm\tmattermost\tenabled"), "{list}");
    assert!(!list.contains(SLACK_SECRET) && !list.contains(MATTERMOST_TOKEN));

    // No secret, a server that is no address, a server for Slack.
    for (args, stdin) in [
        (vec!["integration", "add", "slack", "empty"], ""),
        (
            vec![
                "integration",
                "add",
                "mattermost",
                "m2",
                "--server",
                "chat.example.com",
            ],
            "token",
        ),
        (
            vec![
                "integration",
                "add",
                "slack",
                "s2",
                "--server",
                "https://chat.example.com",
            ],
            "secret",
        ),
    ] {
        let out = common::hindsight_with_input(dir.path(), &args, stdin);
        assert!(!out.status.success(), "{args:?}");
    }

    // What the command line added answers requests signed with that secret.
    let services = hindsight::startup::open(dir.path(), None).await.unwrap();
    let state = hindsight::http::app_state(services, None).unwrap();
    let app = TestApp {
        router: hindsight::http::router(state.clone()),
        state,
        dir,
    };
    let reply = slack(&app, "ops", SLACK_SECRET, now(), &form("ana", "help")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let body = form("ana", "help").replace(
        "token=ignored-by-slack",
        &format!("token={MATTERMOST_TOKEN}"),
    );
    let reply = mattermost(&app, "mm", None, &body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}
