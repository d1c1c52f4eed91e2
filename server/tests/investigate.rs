//! `POST /api/v1/investigate`: findings from pasted evidence through the
//! router, as a viewer may ask for them; odd input answered, never an
//! error page.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{add_account, session, TestApp};
use kb_domain::accounts::Role;

async fn investigate(app: &TestApp, text: &str, cookie: Option<&str>) -> common::Reply {
    let body = serde_json::json!({ "text": text }).to_string();
    let mut request =
        Request::post("/api/v1/investigate").header("content-type", "application/json");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    app.send(request.body(Body::from(body)).unwrap()).await
}

/// A timeout cascade in the shape of seed 001, in our own words.
const CASCADE: &str = "\
[INFO] 09:30:00 - Deployer: payment-service v2.4.2 rolled out
[ERROR] 09:32:15 - PaymentService: connection timeout to the card gateway after 500ms
[ERROR] 09:32:16 - PaymentService: connection timeout to the card gateway after 500ms
[ERROR] 09:32:18 - DBPool: no available connections (50/50 in use)
[ERROR] 09:32:19 - DBPool: no available connections (50/50 in use)
";

#[tokio::test]
async fn a_cascade_says_which_error_came_first_and_what_changed_before() {
    let app = common::app().await;
    let reply = investigate(&app, CASCADE, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let json = reply.json();
    assert_eq!(json["lines"], 5);
    assert_eq!(json["timed"], 5);
    let finding = &json["findings"][0];
    assert_eq!(finding["kind"], "sequence");
    let statement = finding["statement"].as_str().unwrap();
    assert!(statement.contains("began 3 s before"), "{statement}");
    assert!(
        statement.contains("more likely a consequence"),
        "{statement}"
    );
    let cited: Vec<i64> = finding["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["line"].as_i64().unwrap())
        .collect();
    assert_eq!(cited, [2, 4]);

    // The deploy two minutes before: a change to look at first.
    let change = &json["findings"][1];
    assert_eq!(change["kind"], "change");
    let statement = change["statement"].as_str().unwrap();
    assert!(
        statement.contains("2 min 15 s before the first error"),
        "{statement}"
    );
}

#[tokio::test]
async fn failures_every_twenty_minutes_give_a_rhythm() {
    let app = common::app().await;
    let mut text = String::new();
    for at in ["14:00", "14:20", "14:41", "15:00"] {
        text.push_str(&format!(
            "2024-03-02T{at}:05Z ERROR checkout timed out waiting for the cache\n"
        ));
    }
    let json = investigate(&app, &text, None).await.json();
    let kinds: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["rhythm"], "{json}");
    let statement = json["findings"][0]["statement"].as_str().unwrap();
    assert!(statement.contains("about every 20 minutes"), "{statement}");
}

#[tokio::test]
async fn a_bigger_pool_that_changed_nothing_is_said_to_be_no_limit() {
    let app = common::app().await;
    let text = "\
2024-03-09T11:00:00Z ERROR checkout: stock check timed out for item 8812
2024-03-09T11:01:00Z ERROR checkout: stock check timed out for item 8813
2024-03-09T11:02:00Z INFO ops: raised the connection pool from 50 to 100
2024-03-09T11:02:40Z ERROR checkout: stock check timed out for item 8814
2024-03-09T11:03:10Z ERROR checkout: stock check timed out for item 8815
";
    let json = investigate(&app, text, None).await.json();
    let mitigation = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "mitigation")
        .unwrap_or_else(|| panic!("no mitigation finding: {json}"));
    let statement = mitigation["statement"].as_str().unwrap();
    assert!(statement.contains("had no effect"), "{statement}");
    assert!(
        statement.contains("the pool is not the limit"),
        "{statement}"
    );
}

#[tokio::test]
async fn odd_input_is_answered_not_refused() {
    let app = common::app().await;
    for text in [
        String::new(),
        "no timestamps here\njust words".to_string(),
        "\u{0}\u{1}\u{7f}binary\u{fffd}\u{fffd}".to_string(),
        "x".repeat(1_000_000),
    ] {
        let reply = investigate(&app, &text, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.json()["findings"], serde_json::json!([]));
    }
    // Not the expected shape: the API's JSON error, nothing else.
    let reply = app
        .send(
            Request::post("/api/v1/investigate")
                .header("content-type", "application/json")
                .body(Body::from(r#"{"txt": 1}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert!(reply.json()["error"].as_str().unwrap().contains("text"));
}

#[tokio::test]
async fn ten_megabytes_of_logs_are_read_and_more_than_the_limit_refused() {
    let app = common::app().await;
    // 10 MB of a cascade repeated: read up to the line cap, and answered.
    let mut text = String::with_capacity(10_500_000);
    while text.len() < 10_000_000 {
        text.push_str(CASCADE);
    }
    let reply = investigate(&app, &text, None).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{}",
        &reply.body[..200.min(reply.body.len())]
    );
    let json = reply.json();
    assert_eq!(json["lines"], 20_000);
    assert_eq!(json["findings"][0]["kind"], "sequence");

    let too_big = "x".repeat(hindsight::http::api::MAX_EVIDENCE_BYTES + 1);
    let reply = investigate(&app, &too_big, None).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Elsewhere the usual limit holds.
    let reply = app
        .send(
            Request::post("/api/v1/incidents")
                .header("content-type", "application/json")
                .body(Body::from("x".repeat(hindsight::http::MAX_BODY_BYTES + 1)))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_viewer_may_investigate_and_a_stranger_may_not() {
    let app = common::app().await;
    add_account(&app, "admin", Role::Admin).await;
    add_account(&app, "vera", Role::Viewer).await;
    let stranger = investigate(&app, CASCADE, None).await;
    assert_eq!(
        stranger.status,
        StatusCode::UNAUTHORIZED,
        "{}",
        stranger.body
    );
    let cookie = session(&app, "vera").await;
    let viewer = investigate(&app, CASCADE, Some(&cookie)).await;
    assert_eq!(viewer.status, StatusCode::OK, "{}", viewer.body);
}
