//! Who may reach what, enumerated from the router itself: every page, every
//! server function and every other route, called by a signed-out browser,
//! a viewer, an editor and an admin, against what `app::access` says each
//! needs. A new route or server function is walked here without anyone
//! listing it, and one missing from the access table needs an admin.

mod common;

use app::access::{Need, SERVER_FNS};
use app::pages::account::{AuthStatus, SetUp, SignIn, SignOut};
use app::pages::{action_items, admin, editor, incident, private};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{app, session, TestApp};
use kb_domain::accounts::Role;
use leptos::server_fn::ServerFn;
use serde_json::json;
use tower::ServiceExt;

/// What each request should need, written out here independently of
/// `app::access`, so a wrong entry there fails this test.
fn expected(method: &Method, path: &str) -> Need {
    let public = [
        "/sign-in",
        "/setup",
        "/healthz",
        AuthStatus::PATH,
        SignIn::PATH,
        SignOut::PATH,
        SetUp::PATH,
    ];
    let writes = [
        editor::SavePostmortem::PATH,
        incident::RestoreRevision::PATH,
        incident::ChangeStatus::PATH,
        action_items::ChangeActionItems::PATH,
    ];
    let admin = [
        admin::ListAccounts::PATH,
        admin::AddAccount::PATH,
        admin::ChangeAccount::PATH,
        private::ListGroups::PATH,
        private::CreateGroup::PATH,
        private::SetGroupMember::PATH,
        private::ReadAccessLog::PATH,
    ];
    if public.contains(&path) {
        Need::Public
    } else if admin.contains(&path) || path.starts_with("/admin/") {
        Need::Role(Role::Admin)
    } else if writes.contains(&path) || (path.starts_with("/api/v1/") && *method != Method::GET) {
        Need::Role(Role::Editor)
    } else {
        Need::Role(Role::Viewer)
    }
}

/// Every request the app answers, as (method, concrete path), from the
/// router's own lists.
fn every_route() -> Vec<(Method, String)> {
    let mut all = Vec::new();
    for listing in leptos_axum::generate_route_list(app::App) {
        all.push((Method::GET, concrete(listing.path())));
    }
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        all.push((method, path.to_string()));
    }
    for (method, path, _) in hindsight::http::routes() {
        all.push((method, concrete(&path)));
    }
    // Signing out ends the caller's session: walk it last.
    all.sort_by_key(|(_, path)| path == SignOut::PATH);
    all
}

/// `path` with its parameters (`:id`, `{id}`) filled in.
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|part| {
            if part.starts_with(':') || part.starts_with('{') {
                "1"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

async fn send(
    app: &TestApp,
    method: &Method,
    path: &str,
    cookie: Option<&str>,
) -> (StatusCode, String, String) {
    let mut request = Request::builder().method(method.clone()).uri(path);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    if *method != Method::GET {
        request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    }
    let response = app
        .router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let location = response
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), 1 << 24)
        .await
        .unwrap();
    (
        status,
        location,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

/// The title of postmortem 1 in the matrix: private to `ed`.
const SECRET: &str = "Quarantined zanzibarquux breach";

#[tokio::test]
async fn every_route_refuses_whoever_may_not_use_it() {
    let app = app().await;
    for (name, role) in [
        ("vi", Role::Viewer),
        ("ed", Role::Editor),
        ("nm", Role::Editor),
        ("ad", Role::Admin),
    ] {
        common::add_account(&app, name, role).await;
    }
    // Postmortem 1, which every `{id}` below names, is private to `ed`:
    // `nm` and `vi` may use every route their role allows and never see it.
    let cli = app::context::RequestContext::command_line();
    let secret = kb_domain::IncidentInput {
        title: SECRET.into(),
        summary: format!("{SECRET} in the card vault"),
        parts: kb_domain::record::Parts {
            access: kb_domain::accounts::Access {
                private: true,
                users: vec!["ed".into()],
                groups: vec![],
            },
            action_items: vec![kb_domain::record::ActionItem {
                title: format!("Rotate {SECRET} keys"),
                ..Default::default()
            }],
            ..Default::default()
        },
        ..Default::default()
    };
    assert_eq!(app.state.core.create(&cli, secret).await.unwrap(), 1);
    let routes = every_route();
    assert!(routes.len() > 30, "the router lists too little: {routes:?}");
    // Every server function is in the access table: none falls to the
    // admin-only default by being forgotten.
    for (path, _) in leptos::server_fn::axum::server_fn_paths() {
        assert!(
            SERVER_FNS.iter().any(|(p, _)| *p == path),
            "server function {path} is missing from app::access::SERVER_FNS"
        );
    }

    let mut checked = 0;
    let mut member_saw = false;
    for (caller, role) in [
        (None, None),
        (Some("vi"), Some(Role::Viewer)),
        (Some("ed"), Some(Role::Editor)),
        (Some("nm"), Some(Role::Editor)),
        (Some("ad"), Some(Role::Admin)),
    ] {
        let cookie = match caller {
            Some(name) => Some(session(&app, name).await),
            None => None,
        };
        for (method, path) in &routes {
            let needed = expected(method, path);
            let (status, location, body) = send(&app, method, path, cookie.as_deref()).await;
            let who = caller.unwrap_or("signed-out");
            if matches!(caller, Some("vi") | Some("nm") | None) {
                assert!(
                    !body.contains("zanzibarquux"),
                    "{who}, not a reader, sees private postmortem 1 in {method} {path}"
                );
            } else if caller == Some("ed") && body.contains("zanzibarquux") {
                member_saw = true;
            }
            match (needed, role) {
                (Need::Public, _) => assert!(
                    status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN,
                    "{who} was refused public {method} {path}: {status}"
                ),
                (Need::Role(_), None) => {
                    let is_page = *method == Method::GET && !path.starts_with("/api/");
                    if is_page {
                        assert_eq!(status, StatusCode::SEE_OTHER, "{who} {method} {path}");
                        assert!(location.starts_with("/sign-in?next="), "{location}");
                    } else {
                        assert_eq!(status, StatusCode::UNAUTHORIZED, "{who} {method} {path}");
                    }
                }
                (Need::Role(wanted), Some(role)) if role.includes(wanted) => assert!(
                    status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN,
                    "{who} ({role:?}) was refused {method} {path} needing {wanted:?}: {status}"
                ),
                (Need::Role(wanted), Some(role)) => assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{who} ({role:?}) reached {method} {path} needing {wanted:?}"
                ),
            }
            checked += 1;
        }
    }
    assert_eq!(checked, routes.len() * 5);
    // The check above can fail: its reader finds it on the same routes.
    assert!(member_saw, "no route showed postmortem 1 to its reader");
}

#[tokio::test]
async fn a_refused_write_writes_nothing() {
    let app = app().await;
    common::add_account(&app, "vi", Role::Viewer).await;
    common::add_account(&app, "ad", Role::Admin).await;
    let viewer = session(&app, "vi").await;
    let create = |cookie: Option<String>| {
        let mut request =
            Request::post("/api/v1/incidents").header("content-type", "application/json");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        request
            .body(Body::from(json!({"title": "Secret outage"}).to_string()))
            .unwrap()
    };
    let refused = app.send(create(Some(viewer))).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(refused.json()["error"].as_str().unwrap().contains("editor"));
    let anonymous = app.send(create(None)).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let rows = app
        .state
        .core
        .store
        .list_recent(10, 0, &kb_db::Hidden::none())
        .await
        .unwrap();
    assert!(rows.is_empty(), "{rows:?}");
}

#[tokio::test]
async fn before_the_first_admin_the_instance_is_open() {
    let app = app().await;
    let made = app
        .create(json!({"title": "Written before any account"}))
        .await;
    assert_eq!(
        app.get(&format!("/api/v1/incidents/{made}")).await.status,
        StatusCode::OK
    );
    let page = app.get("/action-items").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("set up an administrator"));
}

#[tokio::test]
async fn pages_carry_a_nonce_policy_and_cross_site_writes_are_refused() {
    let app = app().await;
    let response = app
        .router
        .clone()
        .oneshot(Request::get("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let headers = response.headers().clone();
    let html = String::from_utf8(
        axum::body::to_bytes(response.into_body(), 1 << 22)
            .await
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    let policy = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_else(|| panic!("no nonce in {policy}"));
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "scripts lack the nonce"
    );
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");

    let api = app
        .router
        .clone()
        .oneshot(
            Request::get("/api/v1/action-items")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        api.headers()[header::CONTENT_SECURITY_POLICY],
        "default-src 'none'; frame-ancestors 'none'"
    );

    let forged = app
        .send(
            Request::post("/api/v1/incidents")
                .header("content-type", "application/json")
                .header("sec-fetch-site", "cross-site")
                .header("origin", "https://evil.example")
                .body(Body::from(json!({"title": "Forged"}).to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", forged.body);
    assert!(app
        .state
        .core
        .store
        .list_recent(10, 0, &kb_db::Hidden::none())
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn an_admin_made_by_another_process_closes_the_instance_within_a_second() {
    let app = app().await;
    assert_eq!(app.get("/api/v1/action-items").await.status, StatusCode::OK);
    // As `hindsight user add --admin` beside the server would: straight
    // into the database, unseen by the server's own account service.
    app.state
        .core
        .store
        .create_account("root", "hash", Role::Admin)
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(
        app.get("/api/v1/action-items").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn viewers_get_no_write_controls_and_the_page_says_so_for_hydration() {
    let app = app().await;
    let made = app
        .create(json!({"title": "Seen by a viewer", "severity": "SEV3",
                       "action_items": [{"title": "Check the pool"}]}))
        .await;
    for (name, role) in [
        ("vi", Role::Viewer),
        ("ed", Role::Editor),
        ("ad", Role::Admin),
    ] {
        common::add_account(&app, name, role).await;
    }
    let page = |cookie: String, uri: String| {
        let app = &app;
        async move { app.get_as(&uri, &cookie).await.body }
    };
    for (name, writes) in [("vi", false), ("ed", true), ("ad", true)] {
        let cookie = session(&app, name).await;
        let incident = page(cookie.clone(), format!("/incidents/{made}")).await;
        let meta = format!("name=\"hindsight-can-write\" content=\"{writes}\"");
        assert!(incident.contains(&meta), "{name}: no {meta}");
        for control in [
            format!("href=\"/incidents/{made}/edit\""),
            "href=\"/new\"".to_string(),
            "Send for review".to_string(),
            "section-edit".to_string(),
        ] {
            assert_eq!(incident.contains(&control), writes, "{name} and {control}");
        }
        let items = page(cookie, "/action-items".to_string()).await;
        assert!(items.contains("Check the pool"), "{name}");
        let owner = items
            .split('<')
            .find(|tag| tag.contains("Owner of Check the pool"))
            .unwrap_or_else(|| panic!("{name}: no owner field"));
        assert_eq!(owner.contains("disabled"), !writes, "{name}: {owner}");
    }
}
