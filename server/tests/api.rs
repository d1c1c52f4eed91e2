//! The JSON API, the health check and the server-rendered pages, driven
//! through the router against a real data folder.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{app, encode};
use serde_json::json;

#[tokio::test]
async fn post_then_get_round_trips() {
    let app = app().await;
    let id = app
        .create(json!({
            "id": "ext-7", "title": "Payment timeouts", "severity": "SEV1",
            "summary": "Pool **exhausted**", "services": ["payments"], "labels": ["config"],
            "date": "2024-05-02", "url": "https://example.com/pm/7", "extra": 1
        }))
        .await;
    let reply = app.get(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(reply.status, StatusCode::OK);
    let got = reply.json();
    assert_eq!(got["id"], id);
    assert_eq!(got["external_id"], "ext-7");
    assert_eq!(got["title"], "Payment timeouts");
    assert_eq!(got["severity"], "SEV1");
    assert_eq!(got["services"], json!(["payments"]));
    assert_eq!(got["date"], "2024-05-02");
}

#[tokio::test]
async fn posting_the_same_external_id_updates_instead_of_duplicating() {
    let app = app().await;
    let first = app.create(json!({"id": "x", "title": "one"})).await;
    let second = app.create(json!({"id": "x", "title": "two"})).await;
    assert_eq!(first, second);
    assert_eq!(
        app.get(&format!("/api/v1/incidents/{first}")).await.json()["title"],
        "two"
    );
}

#[tokio::test]
async fn bad_fields_are_400_with_a_message_per_field() {
    let app = app().await;
    let reply = app
        .post_json(
            "/api/v1/incidents",
            &json!({"title": "  ", "severity": "SEV9"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let body = reply.json();
    let fields = body["fields"].as_array().unwrap();
    let field = |name: &str| {
        fields
            .iter()
            .find(|f| f["field"] == name)
            .map(|f| f["message"].as_str().unwrap().to_string())
    };
    assert_eq!(field("title").as_deref(), Some("a title is required"));
    assert!(field("severity").unwrap().contains("SEV9"));
}

#[tokio::test]
async fn malformed_requests_are_rejected_cleanly() {
    let app = app().await;
    let not_json = app
        .send(
            Request::post("/api/v1/incidents")
                .header("content-type", "application/json")
                .body(Body::from("{\"title\": "))
                .unwrap(),
        )
        .await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
    assert!(not_json.json()["error"].is_string());

    let wrong_shape = app
        .post_json(
            "/api/v1/incidents",
            &json!({"title": ["not", "a", "string"]}),
        )
        .await;
    assert!(
        wrong_shape.status.is_client_error(),
        "{}",
        wrong_shape.status
    );

    let no_type = app
        .send(
            Request::post("/api/v1/incidents")
                .body(Body::from("{}"))
                .unwrap(),
        )
        .await;
    assert_eq!(no_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let bad_limit = app.get("/api/v1/search?q=x&limit=lots").await;
    assert_eq!(bad_limit.status, StatusCode::BAD_REQUEST);
    assert!(bad_limit.json()["error"].is_string());

    assert_eq!(
        app.get("/api/v1/incidents/abc").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/v1/incidents/99999").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn oversized_bodies_are_413() {
    let app = app().await;
    let huge = "x".repeat(hindsight::http::MAX_BODY_BYTES + 1);
    let body = json!({"title": "big", "summary": huge}).to_string();
    let reply = app
        .send(
            Request::post("/api/v1/incidents")
                .header("content-type", "application/json")
                .header("content-length", body.len())
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn any_search_text_is_answered() {
    let app = app().await;
    app.create(json!({"title": "Redis saturation", "summary": "connections saturated"}))
        .await;
    let logs: String = (0..200)
        .map(|i| format!("2026-11-02T10:00:{:02}Z ERROR [pool-{i}] \"timeout\" id=9f8e{i:04x} (retry) {{a:b}}\n", i % 60))
        .collect();
    assert!(logs.len() > 10_000);
    for q in [
        "\"unbalanced",
        "title:redis AND (saturation",
        "[]{}^~*:!\\/",
        "OR AND NOT",
        "",
        "   ",
        "ünïcødé 🚨 ошибка",
        logs.as_str(),
    ] {
        let reply = app.get(&format!("/api/v1/search?q={}", encode(q))).await;
        assert_eq!(reply.status, StatusCode::OK, "{q:.40}: {}", reply.body);
        let body = reply.json();
        assert!(body["incidents"].is_array(), "{q:.40}");
        assert!(body["took_ms"].is_number(), "{q:.40}");
    }
}

#[tokio::test]
async fn a_created_incident_is_found_at_once_with_highlights() {
    let app = app().await;
    let id = app
        .create(json!({"id": "pm-1", "title": "Checkout failures",
                       "summary": "A cache warming job saturated the shared Redis every twenty minutes."}))
        .await;
    app.create(json!({"title": "Unrelated", "summary": "DNS resolution failed"}))
        .await;
    let reply = app.get("/api/v1/search?q=redis%20saturated&limit=5").await;
    let body = reply.json();
    let top = &body["incidents"][0];
    assert_eq!(top["id"], id);
    assert_eq!(top["external_id"], "pm-1");
    assert_eq!(top["title"], "Checkout failures");
    assert!(top["score"].as_f64().unwrap() > 0.0);
    let snippet = top["snippet"].as_str().unwrap();
    let marked: Vec<&str> = top["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &snippet[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize])
        .collect();
    assert!(
        marked.iter().any(|m| m.eq_ignore_ascii_case("redis")),
        "{marked:?}"
    );
    assert_eq!(body["incidents"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn health_check_answers() {
    let app = app().await;
    let reply = app.get("/healthz").await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn pages_render_on_the_server_and_sanitize_markdown() {
    let app = app().await;
    let id = app
        .create(json!({
            "title": "Flash sale oversell",
            "severity": "SEV2",
            "summary": "Two requests read the **same stock**.\n\n[link](javascript:alert(2))\n\n<script>alert('x')</script><img src=x onerror=alert(1)>"
        }))
        .await;

    let list = app.get("/").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Flash sale oversell"), "{}", list.body);

    let page = app.get(&format!("/incidents/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    // The rendered article carries no script, handler or script link. (The
    // markdown source also travels in the hydration data, JSON-escaped so
    // `<` never opens a tag there.)
    let start = page.body.find("<article").expect("an article");
    let end = page.body[start..]
        .find("</article>")
        .expect("a closed article")
        + start;
    let article = &page.body[start..end];
    assert!(article.contains("<strong>same stock</strong>"), "{article}");
    assert!(!article.contains("<script"), "{article}");
    assert!(!article.contains("onerror"), "{article}");
    assert!(article.contains(">link</a>"), "{article}");
    assert!(!article.contains("href=\"javascript:"), "{article}");
    assert!(!page.body.contains("<script>alert"));

    let search = app.get("/search?q=stock").await;
    assert_eq!(search.status, StatusCode::OK);
    assert!(
        search.body.contains("<mark>stock</mark>"),
        "{}",
        search.body
    );

    let missing = app.get("/incidents/424242").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("Not found"));
}
