//! The JSON API, the health check and the server-rendered pages, driven
//! through the router against a real data folder.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{app, encode, external_ids, TestApp};
use serde_json::json;
use tower::ServiceExt;

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

/// Repeated searches are answered from the cache of recent answers; a write
/// must still show in the very next one.
#[tokio::test]
async fn a_repeated_search_sees_every_write_in_between() {
    let app = app().await;
    let uri = "/api/v1/search?q=kafka%20consumer%20lag&limit=5";
    app.create(json!({"title": "Consumer lag", "summary": "kafka consumer lag grew for hours"}))
        .await;
    let first = app.get(uri).await.json();
    let again = app.get(uri).await.json();
    assert_eq!(first["incidents"], again["incidents"]);
    assert_eq!(first["incidents"].as_array().unwrap().len(), 1);
    assert!(again["took_ms"].is_number());

    let id = app
        .create(json!({"title": "Kafka consumer lag after a rebalance",
                       "summary": "kafka consumer lag; consumer lag alerts on every partition"}))
        .await;
    let after = app.get(uri).await.json();
    let ids: Vec<i64> = after["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 2, "{after}");
    assert!(ids.contains(&id), "{after}");
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

/// A postmortem with some of every part, valid.
fn record() -> serde_json::Value {
    json!({
        "id": "api-full", "title": "Checkout fails every 20 minutes", "severity": "SEV2",
        "summary": "Redis **saturated**.", "services": ["checkout"],
        "status": "in_review", "teams": ["platform"], "authors": ["Ana"],
        "started_at": "2024-03-15 14:00", "detected_at": "2024-03-15 14:12",
        "mitigated_at": "2024-03-15 15:05", "resolved_at": "2024-03-16 09:00",
        "users_affected": 1200, "requests_failed": 48000, "money_lost": 5400, "currency": "eur",
        "narrative": "The story.\n\n---\n\nStill the story.",
        "timeline": [{"at": "T+12:00", "kind": "observation", "text": "CPU at 100%", "who": "Ana"},
                     {"at": "T+00:00", "kind": "alert", "text": "p99 above 2 s"}],
        "evidence": [{"kind": "log", "caption": "errors", "body": "  ERROR\ttimeout\n\n"}],
        "hypotheses": [{"statement": "Redis saturated",
                        "confidence": [{"value": 40, "note": "graph"}, {"value": 90, "note": "slowlog"}],
                        "outcome": "confirmed"}],
        "whys": [{"question": "Why?", "answer": "Because.", "actionable": true}],
        "causes": [{"level": "immediate", "statement": "SCAN over 40M keys", "confidence": 95}],
        "mitigations": [{"action": "Paused the job", "result": "worked"}],
        "learnings": [{"kind": "pattern", "title": "Periodic saturation", "symptoms": "errors every N minutes"}],
        "action_items": [{"title": "Own cluster", "priority": "high", "status": "open", "kind": "prevent",
                          "due": "2024-04-01", "tracker": "OPS-123"}]
    })
}

struct Download {
    status: StatusCode,
    content_type: String,
    disposition: String,
    body: String,
}

async fn download(app: &TestApp, uri: &str) -> Download {
    let response = app
        .router
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let header = |name| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let content_type = header(header::CONTENT_TYPE);
    let disposition = header(header::CONTENT_DISPOSITION);
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
        .await
        .unwrap();
    Download {
        status,
        content_type,
        disposition,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

#[tokio::test]
async fn a_postmortem_downloads_as_markdown_or_json_and_reads_back() {
    let app = app().await;
    let id = app.create(record()).await;
    let stored = app
        .state
        .services
        .get(&app::context::RequestContext::command_line(), id)
        .await
        .unwrap()
        .unwrap();
    let name = format!("{id:06}-checkout-fails-every-20-minutes");

    let md = download(
        &app,
        &format!("/api/v1/incidents/{id}/export?format=markdown"),
    )
    .await;
    assert_eq!(md.status, StatusCode::OK, "{}", md.body);
    assert_eq!(md.content_type, "text/markdown; charset=utf-8");
    assert_eq!(
        md.disposition,
        format!("attachment; filename=\"{name}.md\"")
    );
    assert!(
        md.body
            .starts_with("---\nhindsight_format: 1\nid: api-full\n"),
        "{}",
        md.body
    );
    let back = kb_export::markdown::read(&md.body).unwrap().input;
    assert_eq!(back.validate().unwrap(), stored.content());

    let js = download(&app, &format!("/api/v1/incidents/{id}/export?format=json")).await;
    assert_eq!(js.status, StatusCode::OK, "{}", js.body);
    assert_eq!(js.content_type, "application/json");
    assert_eq!(
        js.disposition,
        format!("attachment; filename=\"{name}.json\"")
    );
    let back = kb_export::json::read(&js.body)
        .unwrap()
        .remove(0)
        .unwrap()
        .input;
    assert_eq!(back.validate().unwrap(), stored.content());

    // JSON when no format is named; names are forgiving.
    let default = download(&app, &format!("/api/v1/incidents/{id}/export")).await;
    assert_eq!(default.body, js.body);
    let md_again = download(&app, &format!("/api/v1/incidents/{id}/export?format=MD")).await;
    assert_eq!(md_again.body, md.body);

    // The JSON export posts back as it is: same record, same id.
    let again: serde_json::Value = serde_json::from_str(&js.body).unwrap();
    assert_eq!(app.create(again).await, id);
}

#[tokio::test]
async fn every_postmortem_downloads_as_json_lines() {
    let app = app().await;
    let first = app.create(json!({"id": "one", "title": "One"})).await;
    app.create(record()).await;
    let all = download(&app, "/api/v1/export?format=json").await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    assert_eq!(all.content_type, "application/x-ndjson");
    assert_eq!(
        all.disposition,
        "attachment; filename=\"hindsight-export.jsonl\""
    );
    let ids = external_ids(&all.body);
    assert_eq!(ids, ["one", "api-full"]);
    assert!(first > 0);
    assert_eq!(download(&app, "/api/v1/export").await.body, all.body);
}

#[tokio::test]
async fn export_refuses_unknown_formats_and_ids() {
    let app = app().await;
    let id = app.create(record()).await;

    let bad = app
        .get(&format!("/api/v1/incidents/{id}/export?format=xml"))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        bad.json()["error"],
        "unknown format \"xml\": use markdown or json"
    );
    let bad_all = app.get("/api/v1/export?format=pdf").await;
    assert_eq!(bad_all.status, StatusCode::BAD_REQUEST);
    assert!(bad_all.json()["error"].is_string());
    let md_all = app.get("/api/v1/export?format=markdown").await;
    assert_eq!(md_all.status, StatusCode::BAD_REQUEST);
    assert!(md_all.json()["error"]
        .as_str()
        .unwrap()
        .contains("hindsight export --all --format markdown"));

    for uri in [
        "/api/v1/incidents/99999/export?format=json",
        "/api/v1/incidents/abc/export?format=markdown",
    ] {
        let reply = app.get(uri).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(reply.json()["error"], "not found", "{uri}");
    }
}

#[tokio::test]
async fn a_full_record_posts_and_invalid_parts_name_their_fields() {
    let app = app().await;
    let id = app.create(record()).await;
    let got = app.get(&format!("/api/v1/incidents/{id}")).await.json();
    assert_eq!(got["status"], "in_review");
    assert_eq!(got["currency"], "EUR");
    assert_eq!(got["started_at"], "2024-03-15T14:00:00Z");
    assert_eq!(got["hypotheses"][0]["confidence"][1]["value"], 90);
    assert_eq!(got["timeline"][0]["text"], "p99 above 2 s");
    assert_eq!(got["evidence"][0]["body"], "  ERROR\ttimeout\n\n");

    let field_errors = |reply: &common::Reply| -> Vec<(String, String)> {
        reply.json()["fields"]
            .as_array()
            .unwrap_or_else(|| panic!("no fields: {}", reply.body))
            .iter()
            .map(|f| {
                (
                    f["field"].as_str().unwrap().to_string(),
                    f["message"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };

    let mut bad = record();
    bad["hypotheses"][0]["confidence"][1]["value"] = json!(140);
    bad["started_at"] = json!("2024-03-15 14:00");
    bad["resolved_at"] = json!("2024-03-15 13:00");
    bad["mitigated_at"] = json!(null);
    bad["status"] = json!("shipped");
    let reply = app.post_json("/api/v1/incidents", &bad).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let fields = field_errors(&reply);
    let message = |name: &str| {
        fields
            .iter()
            .find(|(f, _)| f == name)
            .map(|(_, m)| m.clone())
            .unwrap_or_else(|| panic!("{name} not in {fields:?}"))
    };
    assert!(message("hypotheses.0.confidence.1").contains("0 to 100"));
    assert_eq!(
        message("resolved_at"),
        "it cannot be resolved before it started"
    );
    assert!(message("status").contains("shipped"));
    assert!(message("status").contains("draft, in_review, published"));

    // A value of the wrong type names its field too.
    let mut wrong = record();
    wrong["hypotheses"][0]["confidence"][1]["value"] = json!("high");
    let reply = app.post_json("/api/v1/incidents", &wrong).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let fields = field_errors(&reply);
    assert_eq!(fields.len(), 1, "{fields:?}");
    assert_eq!(fields[0].0, "hypotheses.0.confidence.1.value");
    assert!(fields[0].1.contains("expected i64"), "{fields:?}");

    // Nothing of the refused ones was saved.
    assert_eq!(
        app.get(&format!("/api/v1/incidents/{id}")).await.json()["status"],
        "in_review"
    );
}
