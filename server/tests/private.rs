//! Private postmortems leave no trace for anyone who is not a reader: a
//! private postmortem with a word no other has is invisible to a signed-in
//! non-member in every list, search, count, panel, link, export and API
//! answer, and everything they do see is what they saw before it existed.

mod common;

use app::pages::action_items::summary::LoadActionSummary;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{encode, session, Reply, TestApp};
use kb_domain::accounts::Role;
use leptos::server_fn::ServerFn;
use serde_json::{json, Value};

/// The word only the private postmortem has.
const SECRET: &str = "zanzibarquux";
const SECRET_TITLE: &str = "Card vault breach";

async fn get_as(app: &TestApp, uri: &str, cookie: &str) -> Reply {
    app.get_as(uri, cookie).await
}

async fn send_json(app: &TestApp, method: &str, uri: &str, cookie: &str, body: Value) -> Reply {
    app.send(
        Request::builder()
            .method(method)
            .uri(uri)
            .header(header::COOKIE, cookie)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

/// A public postmortem about a payment pool running dry, with items and a
/// pattern, named by team and service.
fn public(title: &str, external: &str) -> Value {
    // Different texts, so no two results tie and their order is the
    // ranking's, not the index layout's.
    let symptoms = format!("{title}: gateway timeouts then pool exhausted");
    json!({
        "id": external,
        "title": title,
        "severity": "SEV2",
        "date": "2024-05-02",
        "summary": format!("{title}. Payment gateway timeouts exhausted the database connection pool."),
        "root_cause": "Retries held connections while the gateway was slow.",
        "services": ["payments", "checkout"],
        "labels": ["capacity/pool"],
        "teams": ["payments-team"],
        "learnings": [{"kind": "pattern", "title": "Timeout cascade",
                       "symptoms": symptoms}],
        "action_items": [
            {"title": "Cap retries", "owner": "dana", "due": "2001-01-01", "kind": "prevent"},
            {"title": "Alert on pool wait", "owner": "lee", "status": "done", "kind": "detect"}
        ]
    })
}

/// Everything a caller can read about postmortems, as text, with scores
/// and timings taken out (scores are compared on their own).
async fn what_they_see(app: &TestApp, cookie: &str, a: i64) -> Vec<(String, String)> {
    let mut seen = Vec::new();
    for uri in [
        "/api/v1/export?format=json".to_string(),
        "/api/v1/action-items".to_string(),
        "/api/v1/action-items?format=csv".to_string(),
        "/api/v1/action-items?team=payments-team".to_string(),
        "/api/v1/action-items?service=payments&status=open".to_string(),
        "/api/v1/action-items?due=overdue".to_string(),
        "/api/v1/action-items?recurred=1".to_string(),
        format!("/api/v1/incidents/{a}"),
        format!("/api/v1/incidents/{a}/export?format=markdown"),
    ] {
        let reply = get_as(app, &uri, cookie).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}: {}", reply.body);
        seen.push((uri, reply.body));
    }
    // The summary's numbers, as the page loads them.
    let summary = app
        .send(
            Request::post(LoadActionSummary::PATH)
                .header(header::COOKIE, cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(summary.status, StatusCode::OK, "{}", summary.body);
    seen.push(("summary".into(), summary.body));
    // Pages stream their parts in no fixed order: checked for traces only.
    for uri in [
        "/".to_string(),
        "/action-items".to_string(),
        "/action-items/summary".to_string(),
        format!("/incidents/{a}"),
        format!("/search?q={SECRET}"),
    ] {
        let reply = get_as(app, &uri, cookie).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}");
        assert!(
            !reply.body.contains(SECRET) || uri.contains(SECRET),
            "{uri} shows the secret"
        );
        assert!(!reply.body.contains(SECRET_TITLE), "{uri} shows the title");
    }
    for q in [
        format!("gateway timeouts pool exhausted {SECRET}"),
        SECRET.to_string(),
        "payments checkout retries".to_string(),
    ] {
        let uri = format!("/api/v1/search?q={}&patterns=5&limit=50", encode(&q));
        let reply = get_as(app, &uri, cookie).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}");
        let mut answer = reply.json();
        answer["took_ms"] = Value::Null;
        let mut scores = Vec::new();
        for list in ["incidents", "patterns"] {
            for hit in answer[list].as_array_mut().unwrap() {
                scores.push(hit["score"].as_f64().unwrap());
                hit["score"] = Value::Null;
            }
        }
        seen.push((uri.clone(), answer.to_string()));
        seen.push((format!("{uri} scores"), rounded(&scores)));
    }
    seen
}

/// Scores to three significant digits: BM25's average field length of the
/// hidden documents is taken out from tantivy's compressed field norms,
/// so the last digits of a score may move.
fn rounded(scores: &[f64]) -> String {
    scores
        .iter()
        .map(|s| format!("{:.3e}", s))
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test]
async fn a_private_postmortem_leaves_no_trace_for_a_non_member() {
    let app = common::app().await;
    let services = &app.state.services;
    for (name, role) in [
        ("ad", Role::Admin),
        ("mem", Role::Editor),
        ("out", Role::Editor),
        ("vw", Role::Viewer),
    ] {
        common::add_account(&app, name, role).await;
    }
    let admin = session(&app, "ad").await;
    let member = session(&app, "mem").await;
    let outsider = session(&app, "out").await;
    let viewer = session(&app, "vw").await;
    let ctx = app::context::RequestContext::command_line();
    let sec = services.create_group(&ctx, "sec").await.unwrap();
    services.set_member(&ctx, sec, "mem", true).await.unwrap();

    let create = |body: Value| {
        let admin = admin.clone();
        let app = &app;
        async move {
            let reply = send_json(app, "POST", "/api/v1/incidents", &admin, body).await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
            reply.json()["id"].as_i64().unwrap()
        }
    };
    let a = create(public(
        "Checkout pool exhausted by gateway timeouts",
        "pub-a",
    ))
    .await;
    create(public("Payments slow during retries", "pub-b")).await;

    let before_out = what_they_see(&app, &outsider, a).await;
    let before_viewer = what_they_see(&app, &viewer, a).await;

    // The private one: like the first, plus the secret word, its own
    // pattern and items, linked to the first as an earlier occurrence.
    let mut secret = public(SECRET_TITLE, "priv-p");
    secret["title"] = json!(SECRET_TITLE);
    secret["summary"] = json!(format!(
        "Gateway timeouts exhausted the pool while {SECRET} leaked card data."
    ));
    secret["labels"] = json!(["security", SECRET]);
    secret["services"] = json!(["payments", SECRET]);
    secret["teams"] = json!(["payments-team", format!("{SECRET}-team")]);
    secret["learnings"] = json!([{"kind": "pattern", "title": format!("{SECRET} pattern"),
        "symptoms": format!("gateway timeouts pool exhausted {SECRET}")}]);
    secret["links"] = json!([{"target": format!("#{a}"), "kind": "earlier_occurrence"}]);
    // Undated: it started when written, after the first one's done item
    // was closed, so to its readers that item recurred.
    secret["date"] = Value::Null;
    // Closing times are compared to the second.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    secret["access"] = json!({"private": true, "groups": ["sec"]});
    let p = create(secret).await;

    // The non-members see exactly what they saw before it existed.
    for (who, cookie, before) in [
        ("out", &outsider, &before_out),
        ("vw", &viewer, &before_viewer),
    ] {
        let after = what_they_see(&app, cookie, a).await;
        for ((uri, was), (_, is)) in before.iter().zip(&after) {
            assert_eq!(was, is, "{who} sees a difference in {uri}");
            assert!(!is.contains(SECRET), "{who} sees the secret in {uri}");
            assert!(!is.contains(SECRET_TITLE), "{who} sees the title in {uri}");
        }
    }

    // Named directly, it does not exist for them, as any missing id.
    for uri in [
        format!("/api/v1/incidents/{p}"),
        format!("/api/v1/incidents/{p}/export?format=json"),
    ] {
        assert_eq!(
            get_as(&app, &uri, &outsider).await.status,
            StatusCode::NOT_FOUND,
            "{uri}"
        );
    }
    let page = get_as(&app, &format!("/incidents/{p}"), &outsider).await;
    assert!(!page.body.contains(SECRET) && !page.body.contains(SECRET_TITLE));
    let items = get_as(
        &app,
        &format!("/api/v1/action-items?postmortem={p}"),
        &member,
    )
    .await;
    let item = items.json()["rows"][0].clone();
    let item_id = item["id"].as_i64().unwrap();
    let version = item["version"].as_i64().unwrap();
    assert_eq!(
        get_as(&app, &format!("/api/v1/action-items/{item_id}"), &outsider)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let patch = send_json(
        &app,
        "PATCH",
        &format!("/api/v1/action-items/{item_id}"),
        &outsider,
        json!({"version": version, "status": "done"}),
    )
    .await;
    assert_eq!(patch.status, StatusCode::NOT_FOUND, "{}", patch.body);
    // Posting over its external id is no way in either: refused as taken,
    // without a word of what holds it.
    let overwrite = send_json(
        &app,
        "POST",
        "/api/v1/incidents",
        &outsider,
        json!({"id": "priv-p", "title": "Taken over"}),
    )
    .await;
    assert_eq!(
        overwrite.status,
        StatusCode::BAD_REQUEST,
        "{}",
        overwrite.body
    );
    assert_eq!(overwrite.json()["fields"][0]["field"], "external_id");
    assert!(!overwrite.body.contains(SECRET), "{}", overwrite.body);

    // A member and an admin find it by its word, and see it linked.
    for cookie in [&member, &admin] {
        let recurred = get_as(&app, "/api/v1/action-items?recurred=1", cookie).await;
        assert!(
            recurred.body.contains("Alert on pool wait"),
            "{}",
            recurred.body
        );
        let found = get_as(
            &app,
            &format!("/api/v1/search?q={SECRET}&patterns=3"),
            cookie,
        )
        .await;
        let found = found.json();
        assert_eq!(found["incidents"][0]["id"], p, "{found}");
        assert!(found["patterns"].to_string().contains(SECRET), "{found}");
        let linked = get_as(&app, &format!("/api/v1/incidents/{a}"), cookie).await;
        assert!(linked.body.contains(SECRET_TITLE), "{}", linked.body);
        let own = get_as(&app, &format!("/api/v1/incidents/{p}"), cookie).await;
        assert_eq!(own.status, StatusCode::OK);
        assert_eq!(
            own.json()["access"],
            json!({"private": true, "users": [], "groups": ["sec"]})
        );
    }

    // The first links to it now; an outsider's edit of the first neither
    // shows nor drops that link, and naming it is refused as a postmortem
    // that does not exist.
    let mut relinked = public("Checkout pool exhausted by gateway timeouts", "pub-a");
    relinked["links"] = json!([{"target": format!("#{p}"), "kind": "related"}]);
    let same = create(relinked).await;
    assert_eq!(same, a);
    let out_account = common::account(&app, "out").await;
    let out_ctx = app::context::RequestContext {
        caller: app::context::Caller::User(out_account),
        name: Some("out".into()),
        by_token: false,
    };
    let first = services.get(&out_ctx, a).await.unwrap().unwrap();
    assert!(first.related.is_empty(), "{:?}", first.related);
    assert!(first.parts.links.is_empty(), "{:?}", first.parts.links);
    // Nor does the history of that change show the link.
    let change = |ctx| services.revision_changes(ctx, a, first.version);
    let seen_by_out = format!("{:?}", change(&out_ctx).await.unwrap());
    assert!(!seen_by_out.contains(&format!("#{p}")), "{seen_by_out}");
    let seen_by_cli = format!("{:?}", change(&ctx).await.unwrap());
    assert!(seen_by_cli.contains(&format!("#{p}")), "{seen_by_cli}");
    let mut edited = kb_domain::PostmortemInput::from(&first);
    edited.summary.push_str(" Edited by out.");
    let mut naming = edited.clone();
    naming.parts.links.push(kb_domain::record::Link {
        target: format!("#{p}"),
        kind: "related".into(),
        note: String::new(),
    });
    match services
        .update_authored(&out_ctx, a, first.version, naming)
        .await
    {
        Err(app::error::AppError::Invalid(errors)) => {
            assert!(errors.for_field("links.0.target").is_some(), "{errors:?}")
        }
        other => panic!("naming a hidden postmortem was not refused: {other:?}"),
    }
    services
        .update_authored(&out_ctx, a, first.version, edited)
        .await
        .unwrap();
    let kept = get_as(&app, &format!("/api/v1/incidents/{a}"), &member).await;
    assert!(kept.body.contains("Edited by out."), "{}", kept.body);
    assert!(kept.body.contains(&format!("#{p}")), "{}", kept.body);

    // A private postmortem its writer could not read is refused.
    let locked_out = send_json(
        &app,
        "POST",
        "/api/v1/incidents",
        &outsider,
        json!({"title": "Only for mem", "access": {"private": true, "users": ["mem"]}}),
    )
    .await;
    assert_eq!(
        locked_out.status,
        StatusCode::BAD_REQUEST,
        "{}",
        locked_out.body
    );
    assert!(
        locked_out.body.contains("access.users"),
        "{}",
        locked_out.body
    );

    // Every read and write of it is in the audit log, for admins only.
    let log = services.access_log(&ctx, None).await.unwrap();
    let entries: Vec<(String, String)> = log
        .iter()
        .filter(|(_, e)| e.postmortem_id == p)
        .map(|(_, e)| (e.who.clone(), e.action.clone()))
        .collect();
    for expected in [("ad", "write"), ("mem", "read"), ("ad", "read")] {
        assert!(
            entries.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} not in {entries:?}"
        );
    }
    assert!(!entries.iter().any(|(who, _)| who == "out" || who == "vw"));
    assert_eq!(
        get_as(&app, "/admin/audit", &member).await.status,
        StatusCode::FORBIDDEN
    );
    let audit = get_as(&app, "/admin/audit", &admin).await;
    assert_eq!(audit.status, StatusCode::OK);
}
