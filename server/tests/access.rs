//! Who may reach what, as one table: every page, server function and other
//! route the router answers, each with who may use it, written out here
//! independently of `app::access`. Each is called by a signed-out browser,
//! sessions of every role, and read and write API tokens, and the answer
//! is held to the table. A route the router answers that the table lacks
//! fails the test (so does an entry no route answers), and a server
//! function missing from the access table needs an admin.

mod common;

use app::access::SERVER_FNS;
use app::pages::account::{
    AuthStatus, CreateApiToken, MyApiTokens, RevokeApiToken, SetUp, SignIn, SignOut,
};
use app::pages::{
    action_items, admin, editor, home, insights, integrations, investigate, new, postmortem,
    private, search,
};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{app, session, TestApp};
use kb_domain::accounts::Role;
use leptos::server_fn::ServerFn;
use serde_json::json;
use tower::ServiceExt;

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum May {
    /// Anyone, signed in or not.
    Anyone,
    /// A session or token whose (capped) role includes this one.
    Role(Role),
    /// A signed-in session with this role; never a token.
    Session(Role),
}

use May::{Anyone, Role as R, Session as S};

/// The table: every (method, path) the app answers and who may use it.
/// Paths name postmortem or item 1 where they take an id.
fn table() -> Vec<(Method, &'static str, May)> {
    let get = Method::GET;
    let post = Method::POST;
    vec![
        // Pages.
        (get.clone(), "/", R(Role::Viewer)),
        (get.clone(), "/new", R(Role::Viewer)),
        (get.clone(), "/incidents/1", R(Role::Viewer)),
        (get.clone(), "/incidents/1/edit", R(Role::Viewer)),
        (get.clone(), "/search", R(Role::Viewer)),
        (get.clone(), "/investigate", R(Role::Viewer)),
        (get.clone(), "/sign-in", Anyone),
        (get.clone(), "/setup", Anyone),
        (get.clone(), "/account", R(Role::Viewer)),
        (get.clone(), "/admin/users", R(Role::Admin)),
        (get.clone(), "/admin/groups", R(Role::Admin)),
        (get.clone(), "/admin/audit", R(Role::Admin)),
        (get.clone(), "/admin/integrations", R(Role::Admin)),
        (get.clone(), "/action-items", R(Role::Viewer)),
        (get.clone(), "/action-items/summary", R(Role::Viewer)),
        (get.clone(), "/insights", R(Role::Viewer)),
        // Other routes.
        (get.clone(), "/healthz", Anyone),
        (get.clone(), "/action-items.csv", R(Role::Viewer)),
        (get.clone(), "/insights.csv", R(Role::Viewer)),
        (get.clone(), "/api/v1/insights", R(Role::Viewer)),
        (get.clone(), "/api/v1/search", R(Role::Viewer)),
        (post.clone(), "/api/v1/incidents", R(Role::Editor)),
        (post.clone(), "/api/v1/investigate", R(Role::Viewer)),
        (get.clone(), "/api/v1/incidents/1", R(Role::Viewer)),
        (get.clone(), "/api/v1/incidents/1/export", R(Role::Viewer)),
        (
            get.clone(),
            "/api/v1/incidents/1/investigation",
            R(Role::Viewer),
        ),
        (get.clone(), "/api/v1/export", R(Role::Viewer)),
        (get.clone(), "/api/v1/action-items", R(Role::Viewer)),
        (get.clone(), "/api/v1/action-items/1", R(Role::Viewer)),
        (Method::PATCH, "/api/v1/action-items/1", R(Role::Editor)),
        // Alert sources: the integration's own secret or signature decides
        // (tests/intake.rs); here kind "1" does not exist, so 404.
        (post.clone(), "/api/v1/intake/1/1", Anyone),
        // Chat clients likewise (tests/chat.rs); client "1" does not exist.
        (post.clone(), "/api/v1/chat/1/1", Anyone),
        // Server functions.
        (post.clone(), AuthStatus::PATH, Anyone),
        (post.clone(), SignIn::PATH, Anyone),
        (post.clone(), SignOut::PATH, Anyone),
        (post.clone(), SetUp::PATH, Anyone),
        (post.clone(), MyApiTokens::PATH, S(Role::Viewer)),
        (post.clone(), CreateApiToken::PATH, S(Role::Viewer)),
        (post.clone(), RevokeApiToken::PATH, S(Role::Viewer)),
        (post.clone(), home::ListPostmortems::PATH, R(Role::Viewer)),
        (
            post.clone(),
            search::SearchPostmortems::PATH,
            R(Role::Viewer),
        ),
        (post.clone(), editor::DrawEditor::PATH, R(Role::Viewer)),
        (post.clone(), insights::InsightsPage::PATH, R(Role::Viewer)),
        (post.clone(), editor::DrawFields::PATH, R(Role::Viewer)),
        (post.clone(), editor::DrawConflict::PATH, R(Role::Viewer)),
        (
            post.clone(),
            postmortem::GetPostmortemPage::PATH,
            R(Role::Viewer),
        ),
        (
            post.clone(),
            postmortem::RevisionChanges::PATH,
            R(Role::Viewer),
        ),
        (
            post.clone(),
            postmortem::RestoreRevision::PATH,
            R(Role::Editor),
        ),
        (
            post.clone(),
            postmortem::ChangeStatus::PATH,
            R(Role::Editor),
        ),
        (
            post.clone(),
            postmortem::DecideSuggestion::PATH,
            R(Role::Editor),
        ),
        (post.clone(), editor::SaveFields::PATH, R(Role::Editor)),
        (
            post.clone(),
            investigate::InvestigateEvidence::PATH,
            R(Role::Viewer),
        ),
        (
            post.clone(),
            investigate::DecideFinding::PATH,
            R(Role::Editor),
        ),
        (
            post.clone(),
            investigate::StartPostmortem::PATH,
            R(Role::Editor),
        ),
        (post.clone(), editor::DrawSeenBefore::PATH, R(Role::Viewer)),
        (post.clone(), new::RenderMarkdown::PATH, R(Role::Viewer)),
        (
            post.clone(),
            action_items::ListActionItems::PATH,
            R(Role::Viewer),
        ),
        (
            post.clone(),
            action_items::ChangeActionItems::PATH,
            R(Role::Editor),
        ),
        (
            post.clone(),
            action_items::ActionItemHistory::PATH,
            R(Role::Viewer),
        ),
        (post.clone(), action_items::SetMyName::PATH, R(Role::Viewer)),
        (
            post.clone(),
            action_items::summary::LoadActionSummary::PATH,
            R(Role::Viewer),
        ),
        (post.clone(), admin::ListAccounts::PATH, R(Role::Admin)),
        (post.clone(), admin::AddAccount::PATH, S(Role::Admin)),
        (post.clone(), admin::ChangeAccount::PATH, S(Role::Admin)),
        (post.clone(), private::ListGroups::PATH, R(Role::Admin)),
        (post.clone(), private::CreateGroup::PATH, S(Role::Admin)),
        (post.clone(), private::SetGroupMember::PATH, S(Role::Admin)),
        (post.clone(), private::ReadAccessLog::PATH, R(Role::Admin)),
        (post.clone(), private::ReadChatLog::PATH, R(Role::Admin)),
        (
            post.clone(),
            integrations::ListIntegrations::PATH,
            R(Role::Admin),
        ),
        (
            post.clone(),
            integrations::AddIntegration::PATH,
            S(Role::Admin),
        ),
        (
            post.clone(),
            integrations::SetIntegrationEnabled::PATH,
            S(Role::Admin),
        ),
    ]
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

/// How a caller proves who they are.
#[derive(Debug, Clone)]
enum Credential {
    None,
    Session(String),
    Token(String),
}

async fn send(
    app: &TestApp,
    method: &Method,
    path: &str,
    credential: &Credential,
) -> (StatusCode, String, String) {
    let mut request = Request::builder().method(method.clone()).uri(path);
    match credential {
        Credential::None => {}
        Credential::Session(cookie) => request = request.header(header::COOKIE, cookie),
        Credential::Token(secret) => {
            request = request.header(header::AUTHORIZATION, format!("Bearer {secret}"))
        }
    }
    if *method != Method::GET {
        request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    }
    let reply = app.send(request.body(Body::empty()).unwrap()).await;
    let location = reply
        .headers
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (reply.status, location, reply.body)
}

/// A new API token of `name`'s with `scope`: its secret.
async fn token(app: &TestApp, name: &str, scope: &str) -> String {
    let account = common::account(app, name).await;
    let (_, secret) = app
        .state
        .services
        .accounts
        .create_token(&account, &format!("{name} {scope}"), scope)
        .await
        .unwrap();
    secret
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
    // Postmortem 1, which every id below names, is private to `ed`: `nm`
    // and `vi` may use every route their role allows and never see it.
    let cli = app::context::RequestContext::command_line();
    let mut secret = common::private_to("ed", SECRET, &format!("Rotate {SECRET} keys"));
    secret.summary = format!("{SECRET} in the card vault");
    assert_eq!(app.state.services.create(&cli, secret).await.unwrap(), 1);

    // The table and the router list the same routes.
    let routes = every_route();
    let table = table();
    for (method, path) in &routes {
        assert!(
            table.iter().any(|(m, p, _)| m == method && p == path),
            "{method} {path} is answered by the router but missing from this test's table"
        );
    }
    for (method, path, _) in &table {
        assert!(
            routes.iter().any(|(m, p)| m == method && p == path),
            "{method} {path} is in this test's table but no route answers it"
        );
    }
    // Every server function is in the access table: none falls to the
    // admin-only default by being forgotten.
    for (path, _) in leptos::server_fn::axum::server_fn_paths() {
        assert!(
            SERVER_FNS.iter().any(|(p, _)| *p == path),
            "server function {path} is missing from app::access::SERVER_FNS"
        );
    }

    // Each caller: who, the role their credential acts with (a token's
    // capped by its scope), whether it is a token, and whether they may
    // read postmortem 1.
    let callers = [
        ("signed-out", None, false, false),
        ("vi", Some(Role::Viewer), false, false),
        ("ed", Some(Role::Editor), false, true),
        ("nm", Some(Role::Editor), false, false),
        ("ad", Some(Role::Admin), false, true),
        ("ed's read token", Some(Role::Viewer), true, true),
        ("nm's write token", Some(Role::Editor), true, false),
        // An admin's token acts as an editor at most, and reads as one.
        ("ad's write token", Some(Role::Editor), true, false),
        ("ad's read token", Some(Role::Viewer), true, false),
    ];
    let mut checked = 0;
    let mut readers_saw = 0;
    for (who, role, is_token, reader) in callers {
        let credential = match who {
            "signed-out" => Credential::None,
            "ed's read token" => Credential::Token(token(&app, "ed", "read").await),
            "nm's write token" => Credential::Token(token(&app, "nm", "write").await),
            "ad's write token" => Credential::Token(token(&app, "ad", "write").await),
            "ad's read token" => Credential::Token(token(&app, "ad", "read").await),
            name => Credential::Session(session(&app, name).await),
        };
        let mut saw = false;
        for (method, path) in &routes {
            let may = table
                .iter()
                .find(|(m, p, _)| m == method && p == path)
                .unwrap()
                .2;
            let (status, location, body) = send(&app, method, path, &credential).await;
            if body.contains("zanzibarquux") {
                assert!(
                    reader,
                    "{who}, not a reader, sees private postmortem 1 in {method} {path}"
                );
                saw = true;
            }
            let allowed = match (may, role) {
                (Anyone, _) => true,
                (_, None) => false,
                (R(wanted), Some(role)) => role.includes(wanted),
                (S(wanted), Some(role)) => !is_token && role.includes(wanted),
            };
            if allowed {
                assert!(
                    status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN,
                    "{who} was refused {method} {path} ({may:?}): {status} {body}"
                );
                assert!(
                    !status.is_server_error(),
                    "{who}: {method} {path} failed: {status} {body}"
                );
            } else if role.is_none() {
                let is_page = *method == Method::GET && !path.starts_with("/api/");
                if is_page {
                    assert_eq!(status, StatusCode::SEE_OTHER, "{who} {method} {path}");
                    assert!(location.starts_with("/sign-in?next="), "{location}");
                } else {
                    assert_eq!(status, StatusCode::UNAUTHORIZED, "{who} {method} {path}");
                }
            } else {
                assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{who} reached {method} {path} ({may:?}): {body}"
                );
            }
            checked += 1;
        }
        readers_saw += usize::from(saw);
    }
    assert_eq!(checked, routes.len() * callers.len());
    // The check above can fail: readers find postmortem 1 on these routes.
    assert_eq!(readers_saw, 3, "not every reader saw postmortem 1");
}

#[tokio::test]
async fn a_read_token_cannot_make_itself_a_write_token() {
    let app = app().await;
    common::add_account(&app, "ad", Role::Admin).await;
    common::add_account(&app, "ed", Role::Editor).await;
    let read = token(&app, "ed", "read").await;
    let call = |path: &'static str, body: &'static str| {
        let read = read.clone();
        let app = &app;
        async move {
            app.send(
                Request::post(path)
                    .header(header::AUTHORIZATION, format!("Bearer {read}"))
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await
        }
    };
    let made = call(CreateApiToken::PATH, "name=escalate&scope=write").await;
    assert_eq!(made.status, StatusCode::FORBIDDEN, "{}", made.body);
    assert!(made.body.contains("sign in"), "{}", made.body);
    let listed = call(MyApiTokens::PATH, "").await;
    assert_eq!(listed.status, StatusCode::FORBIDDEN, "{}", listed.body);
    let revoked = call(RevokeApiToken::PATH, "id=1").await;
    assert_eq!(revoked.status, StatusCode::FORBIDDEN, "{}", revoked.body);
    // Nothing was made, nothing revoked, and the token still only reads.
    let account = common::account(&app, "ed").await;
    let tokens = app.state.services.accounts.tokens(&account).await.unwrap();
    assert_eq!(tokens.len(), 1, "{tokens:?}");
    assert!(tokens[0].revoked_at.is_none());
    let write = app
        .send(
            Request::post("/api/v1/incidents")
                .header(header::AUTHORIZATION, format!("Bearer {read}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(json!({"title": "Escalated"}).to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN, "{}", write.body);
    // Signed in with a password, the same person may.
    let cookie = session(&app, "ed").await;
    let by_session = app
        .send(
            Request::post(CreateApiToken::PATH)
                .header(header::COOKIE, cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("name=deploy&scope=write"))
                .unwrap(),
        )
        .await;
    assert_eq!(by_session.status, StatusCode::OK, "{}", by_session.body);
    assert!(by_session.body.contains("hs_"), "{}", by_session.body);
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
        .services
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
        .services
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
        .services
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
