//! Hostile requests through the real router: markup in every field of a
//! postmortem rendered on every page that shows it, foreign host names,
//! the headers that keep private pages out of caches, the statuses server
//! functions answer with, and page numbers past the end of everything.

mod common;

use app::pages::{home, postmortem};
use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use common::{app, TestApp};
use leptos::server_fn::ServerFn;
use serde_json::{json, Value};
use tower::ServiceExt;

/// Markup that would run, redirect or leave a trace if any of it were
/// rendered as HTML; `zqNzq` marks which field it came from. Names (of
/// services, people, teams) hold at most 100 characters: they get the
/// short form.
fn hostile(n: usize, short: bool) -> String {
    let markup = format!(
        "\"'><img src=x onerror=alert({n})><b id=pwn{n}>zq{n}zq</b></title><script>alert({n})</script>"
    );
    if short {
        return markup;
    }
    format!(
        "{markup}<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/{n}\"></textarea>"
    )
}

/// Keys whose values are names, kept short by validation.
const NAMES: &[&str] = &["services", "labels", "teams", "authors", "who", "owner"];

/// Keys of the import format whose values are free text (or lists of it).
const FREE_TEXT: &[&str] = &[
    "title",
    "summary",
    "impact",
    "root_cause",
    "mitigation",
    "narrative",
    "services",
    "labels",
    "teams",
    "authors",
    "text",
    "who",
    "caption",
    "body",
    "statement",
    "evidence_for",
    "evidence_against",
    "note",
    "owner",
    "action",
    "answer",
    "question",
    "detection",
    "evidence",
    "expected_effect",
    "resolution",
    "symptoms",
];

/// `value` with every free-text string replaced by a hostile one; returns
/// how many were replaced.
fn poison(value: &mut Value, key: Option<&str>, n: &mut usize) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                poison(v, Some(k), n);
            }
        }
        Value::Array(items) => {
            for item in items {
                poison(item, key, n);
            }
        }
        Value::String(text) if key == Some("tracker") => {
            // A tracker is a key or a link, without spaces.
            *n += 1;
            *text =
                format!("https://t.example/\"><img/src=x/onerror=alert({n})><b/id=pwn{n}>zq{n}zq");
        }
        Value::String(text) if key.is_some_and(|k| FREE_TEXT.contains(&k)) => {
            *n += 1;
            *text = hostile(*n, key.is_some_and(|k| NAMES.contains(&k)));
        }
        _ => {}
    }
}

/// The raw HTML's tags as (name, attributes), each attribute as (name,
/// value), read the way a browser reads them: a quoted value ends only at
/// its own quote.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let mut chars = rest[start + 1..].char_indices().peekable();
        let mut name = String::new();
        let mut attributes = Vec::new();
        let mut end = rest.len() - start - 1;
        while let Some(&(_, c)) = chars.peek() {
            if c.is_whitespace() || c == '>' || c == '/' {
                break;
            }
            name.push(c.to_ascii_lowercase());
            chars.next();
        }
        loop {
            // Between attributes.
            while chars
                .peek()
                .is_some_and(|&(_, c)| c.is_whitespace() || c == '/')
            {
                chars.next();
            }
            let Some((at, c)) = chars.next() else { break };
            if c == '>' {
                end = at + 1;
                break;
            }
            let mut attr = c.to_ascii_lowercase().to_string();
            while let Some(&(_, c)) = chars.peek() {
                if c.is_whitespace() || matches!(c, '=' | '>' | '/') {
                    break;
                }
                attr.push(c.to_ascii_lowercase());
                chars.next();
            }
            let mut value = String::new();
            if chars.peek().is_some_and(|&(_, c)| c == '=') {
                chars.next();
                match chars.peek().map(|&(_, c)| c) {
                    Some(q @ ('"' | '\'')) => {
                        chars.next();
                        for (_, c) in chars.by_ref() {
                            if c == q {
                                break;
                            }
                            value.push(c);
                        }
                    }
                    _ => {
                        while let Some(&(_, c)) = chars.peek() {
                            if c.is_whitespace() || c == '>' {
                                break;
                            }
                            value.push(c);
                            chars.next();
                        }
                    }
                }
            }
            attributes.push((attr, value));
        }
        out.push((name, attributes));
        rest = &rest[(start + 1 + end).min(rest.len())..];
    }
    out
}

#[tokio::test]
async fn markup_in_every_field_is_shown_as_text_on_every_page() {
    let app = app().await;
    let mut record: Value =
        serde_json::from_str(include_str!("../demo/payment-timeout-cascade.json")).unwrap();
    let mut fields = 0;
    poison(&mut record, None, &mut fields);
    assert!(fields > 60, "only {fields} fields were made hostile");
    // A link that would run script is refused outright.
    let mut scripted = record.clone();
    scripted["url"] = json!("javascript:alert(0)");
    let refused = app.post_json("/api/v1/incidents", &scripted).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    let id = app.create(record).await;

    let pages = [
        format!("/incidents/{id}"),
        format!("/incidents/{id}/edit"),
        "/".to_string(),
        "/search?q=zq1zq%20zq2zq%20payment".to_string(),
        "/action-items".to_string(),
        "/action-items/summary".to_string(),
    ];
    let mut shown = std::collections::BTreeSet::new();
    for page in &pages {
        let reply = app.get(page).await;
        assert_eq!(reply.status, StatusCode::OK, "{page}");
        let html = &reply.body;
        assert_eq!(html.matches("<title>").count(), 1, "{page}");
        assert_eq!(html.matches("</title>").count(), 1, "{page}");
        for (tag, attributes) in tags(html) {
            // Markdown fields keep harmless tags (`<b>`, `<img src>`) with
            // every attribute that could act taken off; plain-text fields
            // keep none. Either way, nothing that acts is left.
            for (name, value) in &attributes {
                let refused = name.starts_with("on")
                    || name == "http-equiv"
                    || (name == "id" && value.starts_with("pwn"))
                    || value
                        .trim_start()
                        .to_ascii_lowercase()
                        .starts_with("javascript:");
                assert!(
                    !refused,
                    "{page}: markup got through: <{tag} {name}={value:?}>"
                );
            }
        }
        assert!(
            !html.contains("<script>alert"),
            "{page}: a script got through"
        );
        for n in 1..=fields {
            if html.contains(&format!("zq{n}zq")) {
                shown.insert(n);
            }
        }
    }
    // The checks above looked at the hostile text itself: every field
    // reached some page.
    let missing: Vec<_> = (1..=fields).filter(|n| !shown.contains(n)).collect();
    assert!(missing.is_empty(), "fields never shown: {missing:?}");
}

/// The search box is a textarea, whose text Leptos writes unescaped: a
/// query that closes it must stay text, not become markup.
#[tokio::test]
async fn a_query_that_closes_the_search_box_stays_text() {
    let app = app().await;
    let reply = app
        .get("/search?q=%3C%2Ftextarea%3E%3Cb%20id%3Dpwn0%3Ezq0zq%3C%2Fb%3E")
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let planted = tags(&reply.body)
        .into_iter()
        .any(|(_, attributes)| attributes.iter().any(|(n, v)| n == "id" && v == "pwn0"));
    assert!(!planted, "the query became markup");
    assert!(reply
        .body
        .contains("&lt;/textarea&gt;&lt;b id=pwn0&gt;zq0zq"));
}

async fn get_with(app: &TestApp, uri: &str, headers: &[(&str, &str)]) -> (StatusCode, HeaderMap) {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let reply = app.send(request.body(Body::empty()).unwrap()).await;
    (reply.status, reply.headers)
}

#[tokio::test]
async fn a_foreign_host_name_is_refused_before_anything_is_read_or_written() {
    let app = app().await;
    let rebinding = [
        ("host", "rebind.evil.example:3000"),
        ("origin", "http://rebind.evil.example:3000"),
    ];
    for uri in [
        "/",
        "/setup",
        "/api/v1/export",
        "/healthz",
        "/pkg/hindsight.js",
    ] {
        let (status, _) = get_with(&app, uri, &rebinding).await;
        assert_eq!(status, StatusCode::MISDIRECTED_REQUEST, "{uri}");
    }
    // Creating the first administrator from such a page: refused, and none
    // exists afterwards.
    let setup = app
        .send(
            Request::post(app::pages::account::SetUp::PATH)
                .header("host", "rebind.evil.example:3000")
                .header("origin", "http://rebind.evil.example:3000")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(
                    "name=intruder&password=a+long+password&confirm=a+long+password",
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(
        setup.status,
        StatusCode::MISDIRECTED_REQUEST,
        "{}",
        setup.body
    );
    assert!(app.state.services.accounts.setup_open().await.unwrap());
    // Its own names pass.
    for host in [
        "127.0.0.1:3000",
        "localhost:3000",
        "[::1]:3000",
        "192.0.2.7",
    ] {
        let (status, _) = get_with(&app, "/api/v1/export", &[("host", host)]).await;
        assert_eq!(status, StatusCode::OK, "{host}");
    }
    // A configured name passes; others still do not.
    let named = hindsight::http::router_for(
        app.state.clone(),
        hindsight::http::security::AllowedHosts::new(["kb.example.com".to_string()]),
    );
    let status = |host: &'static str| {
        let named = named.clone();
        async move {
            named
                .oneshot(
                    Request::get("/healthz")
                        .header("host", host)
                        .body(Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(status("kb.example.com").await, StatusCode::OK);
    assert_eq!(status("KB.example.com:443").await, StatusCode::OK);
    assert_eq!(
        status("rebind.evil.example").await,
        StatusCode::MISDIRECTED_REQUEST
    );
}

#[tokio::test]
async fn private_answers_are_never_cached_and_https_is_remembered() {
    let app = app().await;
    let id = app.create(json!({"title": "Cached nowhere"})).await;
    for uri in [
        "/".to_string(),
        format!("/incidents/{id}"),
        format!("/api/v1/incidents/{id}"),
        "/api/v1/search?q=cached".to_string(),
        "/action-items.csv".to_string(),
        "/api/v1/export".to_string(),
    ] {
        let (status, headers) = get_with(&app, &uri, &[]).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert_eq!(headers[header::CACHE_CONTROL], "private, no-store", "{uri}");
        assert!(
            !headers.contains_key(header::STRICT_TRANSPORT_SECURITY),
            "{uri}: HSTS over plain http"
        );
    }
    let (_, headers) = get_with(&app, "/", &[("x-forwarded-proto", "https")]).await;
    assert_eq!(
        headers[header::STRICT_TRANSPORT_SECURITY],
        "max-age=31536000"
    );
}

/// Calls server function `path` with a form body.
async fn server_fn(app: &TestApp, path: &str, form: &str) -> common::Reply {
    app.send(
        Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form.to_string()))
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn server_functions_answer_client_errors_with_client_statuses() {
    let app = app().await;
    let id = app.create(json!({"title": "Has a history"})).await;
    // Arguments that cannot be read: 400, saying so.
    let malformed = server_fn(
        &app,
        postmortem::RevisionChanges::PATH,
        "id=not-a-number&version=1",
    )
    .await;
    assert_eq!(
        malformed.status,
        StatusCode::BAD_REQUEST,
        "{}",
        malformed.body
    );
    assert!(malformed.body.contains("BadRequest"), "{}", malformed.body);
    let missing = server_fn(&app, postmortem::RevisionChanges::PATH, "").await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST, "{}", missing.body);
    let json = app
        .send(
            Request::post(app::pages::search::SearchPostmortems::PATH)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{\"query\": {\"text\": 12"))
                .unwrap(),
        )
        .await;
    assert_eq!(json.status, StatusCode::BAD_REQUEST, "{}", json.body);
    // Nothing there: 404.
    let none = server_fn(&app, postmortem::RevisionChanges::PATH, "id=999&version=1").await;
    assert_eq!(none.status, StatusCode::NOT_FOUND, "{}", none.body);
    // And a good call still answers 200.
    let ok = server_fn(
        &app,
        postmortem::RevisionChanges::PATH,
        &format!("id={id}&version=1"),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
}

#[tokio::test]
async fn a_page_past_the_end_is_empty_not_the_first() {
    let app = app().await;
    app.create(json!({"title": "The only one",
                       "action_items": [{"title": "The only item"}]}))
        .await;
    for page in ["9223372036854775807", "4611686018427387904", "2"] {
        let list = server_fn(&app, home::ListPostmortems::PATH, &format!("page={page}")).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert_eq!(
            list.json()["list"]["rows"],
            json!([]),
            "page {page}: {}",
            list.body
        );
        assert_eq!(list.json()["list"]["total"], 1);
        let items = app.get(&format!("/api/v1/action-items?page={page}")).await;
        assert_eq!(items.status, StatusCode::OK, "{}", items.body);
        assert_eq!(
            items.json()["rows"],
            json!([]),
            "page {page}: {}",
            items.body
        );
        assert_eq!(items.json()["total"], 1);
    }
    let first = server_fn(&app, home::ListPostmortems::PATH, "page=1").await;
    assert_eq!(first.json()["list"]["rows"].as_array().unwrap().len(), 1);
}
