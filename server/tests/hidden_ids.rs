//! A postmortem hidden from the caller and one that never existed answer
//! alike on every route that takes an id: same status, same body. Also
//! restoring an old revision that linked a hidden postmortem, and a
//! hidden external id.

mod common;

use app::pages::action_items::{ActionItemHistory, ChangeActionItems};
use app::pages::editor::{DrawConflict, DrawEditor, SaveFields};
use app::pages::postmortem::{ChangeStatus, GetPostmortemPage, RestoreRevision, RevisionChanges};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{session, Reply, TestApp};
use kb_domain::accounts::Role;
use leptos::server_fn::ServerFn;
use serde_json::json;

/// Sends `method uri` as `cookie`, with a form body or a JSON one.
async fn send(app: &TestApp, method: Method, uri: &str, cookie: &str, body: Option<Body>) -> Reply {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::COOKIE, cookie);
    if body.is_some() {
        request = request.header(header::CONTENT_TYPE, "application/json");
    }
    app.send(request.body(body.unwrap_or_default()).unwrap())
        .await
}

async fn form(app: &TestApp, path: &str, cookie: &str, form: String) -> Reply {
    app.send(
        Request::post(path)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap(),
    )
    .await
}

/// Every route that takes a postmortem id (`P`) or an action item id
/// (`I`), called by `cookie`: (route, status, body).
async fn answers(app: &TestApp, cookie: &str, p: i64, i: i64) -> Vec<(String, StatusCode, String)> {
    let mut out = Vec::new();
    let mut push = |route: &str, reply: Reply, page: bool| {
        // A page differs in its nonce each time: its status and whether it
        // says "not found" are what must agree.
        let body = if page {
            reply.body.contains("Not found").to_string()
        } else {
            reply.body
        };
        out.push((route.to_string(), reply.status, body));
    };
    for (route, uri, page) in [
        ("page", format!("/incidents/{p}"), true),
        ("edit page", format!("/incidents/{p}/edit"), true),
        ("api get", format!("/api/v1/incidents/{p}"), false),
        ("api export", format!("/api/v1/incidents/{p}/export"), false),
        ("api item", format!("/api/v1/action-items/{i}"), false),
    ] {
        push(
            route,
            send(app, Method::GET, &uri, cookie, None).await,
            page,
        );
    }
    let patch = json!({"version": 1, "status": "done"}).to_string();
    push(
        "api patch item",
        send(
            app,
            Method::PATCH,
            &format!("/api/v1/action-items/{i}"),
            cookie,
            Some(Body::from(patch)),
        )
        .await,
        false,
    );
    for (route, path, body) in [
        ("draw_editor", DrawEditor::PATH, format!("id={p}")),
        (
            "draw_editor section",
            DrawEditor::PATH,
            format!("id={p}&section=timeline"),
        ),
        ("draw_editor from", DrawEditor::PATH, format!("from={p}")),
        (
            "get_postmortem_page",
            GetPostmortemPage::PATH,
            format!("id={p}"),
        ),
        (
            "revision_changes",
            RevisionChanges::PATH,
            format!("id={p}&version=1"),
        ),
        (
            "restore_revision",
            RestoreRevision::PATH,
            format!("id={p}&version=1&current=1"),
        ),
        (
            "change_status",
            ChangeStatus::PATH,
            format!("id={p}&version=1&status=published"),
        ),
        ("item_history", ActionItemHistory::PATH, format!("id={i}")),
    ] {
        push(route, form(app, path, cookie, body).await, false);
    }
    // Saving over it, made private to someone else (which, on a postmortem
    // the saver could see, would be a field error).
    let fields = json!([
        ["title", "Overwritten"],
        ["severity", "SEV3"],
        ["access.private", "on"],
        ["access.users", "ed"]
    ]);
    for section in [json!(null), json!("header")] {
        let save = json!({"id": p, "version": 1, "section": section, "fields": fields});
        let save = send(
            app,
            Method::POST,
            SaveFields::PATH,
            cookie,
            Some(Body::from(save.to_string())),
        )
        .await;
        push("save_fields", save, false);
    }
    let conflict = json!({"id": p, "section": null, "fields": fields});
    let conflict = send(
        app,
        Method::POST,
        DrawConflict::PATH,
        cookie,
        Some(Body::from(conflict.to_string())),
    )
    .await;
    push("draw_conflict", conflict, false);
    let change = json!({"changes": [[i, {"version": 1, "status": "done"}]]});
    let change = send(
        app,
        Method::POST,
        ChangeActionItems::PATH,
        cookie,
        Some(Body::from(change.to_string())),
    )
    .await;
    push("change_action_items", change, false);
    out
}

/// An app with an admin, `ed` and `nm` (editors), and a postmortem
/// private to `ed` with one action item and an external id; its id and its
/// item's id.
async fn with_hidden() -> (TestApp, i64, i64) {
    let app = common::app().await;
    for (name, role) in [
        ("ad", Role::Admin),
        ("ed", Role::Editor),
        ("nm", Role::Editor),
    ] {
        common::add_account(&app, name, role).await;
    }
    let ctx = app::context::RequestContext::command_line();
    let mut input = common::private_to("ed", "Secret vortex", "Seal the vortex");
    input.external_id = Some("secret-vortex-1".into());
    let id = app.state.services.create(&ctx, input).await.unwrap();
    let item = app.postmortem(id).await.parts.action_items[0].id.unwrap();
    (app, id, item)
}

#[tokio::test]
async fn a_hidden_id_and_a_missing_one_answer_alike_on_every_route() {
    let (app, hidden, item) = with_hidden().await;
    let outsider = session(&app, "nm").await;
    let missing = (hidden + 1000, item + 1000);
    let for_hidden = answers(&app, &outsider, hidden, item).await;
    let for_missing = answers(&app, &outsider, missing.0, missing.1).await;
    assert_eq!(for_hidden.len(), 18);
    for (h, m) in for_hidden.iter().zip(&for_missing) {
        assert_eq!(h, m, "{}: a hidden id is told from a missing one", h.0);
        assert!(
            !h.2.contains("vortex") && !h.2.contains("Vortex"),
            "{}: {}",
            h.0,
            h.2
        );
    }
    // Those answers are refusals: nothing was changed.
    let reader = session(&app, "ed").await;
    let seen = send(
        &app,
        Method::GET,
        &format!("/api/v1/incidents/{hidden}"),
        &reader,
        None,
    )
    .await;
    assert_eq!(seen.status, StatusCode::OK);
    assert_eq!(seen.json()["version"], 1, "{}", seen.body);
    assert_eq!(seen.json()["title"], "Secret vortex");
    // And its reader gets real answers on the same routes.
    let for_reader = answers(&app, &reader, hidden, item).await;
    assert_eq!(for_reader[2].1, StatusCode::OK, "{:?}", for_reader[2]);
}

#[tokio::test]
async fn a_hidden_external_id_is_refused_as_taken_without_naming_its_holder() {
    let (app, hidden, _) = with_hidden().await;
    let outsider = session(&app, "nm").await;
    let post = |external: &'static str| {
        let app = &app;
        let outsider = outsider.clone();
        async move {
            let body = json!({"id": external, "title": "Mine now"}).to_string();
            send(
                app,
                Method::POST,
                "/api/v1/incidents",
                &outsider,
                Some(Body::from(body)),
            )
            .await
        }
    };
    let taken = post("secret-vortex-1").await;
    assert_eq!(taken.status, StatusCode::BAD_REQUEST, "{}", taken.body);
    assert_eq!(taken.json()["fields"][0]["field"], "external_id");
    assert!(
        !taken.body.contains(&format!("#{hidden}")),
        "{}",
        taken.body
    );
    assert!(!taken.body.contains("Secret"), "{}", taken.body);
    // The hidden one is untouched.
    let ctx = app::context::RequestContext::command_line();
    let kept = app.state.services.get(&ctx, hidden).await.unwrap().unwrap();
    assert_eq!((kept.title.as_str(), kept.version), ("Secret vortex", 1));
    assert_eq!(post("fresh-id-1").await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn restoring_text_that_linked_a_hidden_postmortem_keeps_the_link_unnamed() {
    let (app, hidden, _) = with_hidden().await;
    let services = &app.state.services;
    let ctx = app::context::RequestContext::command_line();
    // A public postmortem whose first version linked the hidden one by
    // its external id, and whose second did not.
    let mut input = kb_domain::PostmortemInput {
        title: "Public outage".into(),
        severity: Some("SEV2".into()),
        ..Default::default()
    };
    input.parts.links.push(kb_domain::record::Link {
        target: "secret-vortex-1".into(),
        kind: "related".into(),
        note: String::new(),
    });
    let public = services.create(&ctx, input.clone()).await.unwrap();
    input.parts.links.clear();
    input.summary = "Second version, no link.".into();
    services
        .update_authored(&ctx, public, 1, input)
        .await
        .unwrap();

    // The outsider restores version 1: it works, and names nothing.
    let outsider = session(&app, "nm").await;
    let restored = form(
        &app,
        RestoreRevision::PATH,
        &outsider,
        format!("id={public}&version=1&current=2"),
    )
    .await;
    assert_eq!(restored.status, StatusCode::OK, "{}", restored.body);
    assert!(restored.body.contains("Saved"), "{}", restored.body);
    assert!(!restored.body.contains("vortex"), "{}", restored.body);
    let now = services.get(&ctx, public).await.unwrap().unwrap();
    assert_eq!(now.version, 3);
    assert!(now.summary.is_empty(), "{}", now.summary);
    // The link they could not see stays as it was (absent in version 2).
    assert!(
        now.related.iter().all(|r| r.id != hidden),
        "{:?}",
        now.related
    );

    // Its reader restoring the same version gets the link back.
    let reader = session(&app, "ed").await;
    let again = form(
        &app,
        RestoreRevision::PATH,
        &reader,
        format!("id={public}&version=1&current=3"),
    )
    .await;
    assert!(again.body.contains("Saved"), "{}", again.body);
    let now = services.get(&ctx, public).await.unwrap().unwrap();
    assert!(
        now.related.iter().any(|r| r.id == hidden),
        "{:?}",
        now.related
    );
}
