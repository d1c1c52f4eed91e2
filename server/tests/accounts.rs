//! Accounts through the router: the first-admin setup, signing in and out
//! with the session cookie, the sign-in throttle, and the signed-in person
//! recorded as the author of a save. Real SQLite, real argon2 hashes.

mod common;

use app::pages::account::{
    AuthStatus, CreateApiToken, MyApiTokens, RevokeApiToken, SetUp, SignIn, SignOut,
};
use app::pages::admin::{AddAccount, ChangeAccount};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{app, TestApp};
use kb_domain::accounts::Role;
use leptos::server_fn::ServerFn;
use serde_json::{json, Value};
use tower::ServiceExt;

/// What a call answered, with its cookie if it set one.
struct Answer {
    status: StatusCode,
    body: Value,
    set_cookie: Option<String>,
}

async fn call(app: &TestApp, path: &str, form: &str, headers: &[(&str, &str)]) -> Answer {
    let mut request =
        Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app
        .router
        .clone()
        .oneshot(request.body(Body::from(form.to_string())).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let set_cookie = response
        .headers()
        .get(header::SET_COOKIE)
        .map(|v| v.to_str().unwrap().to_string());
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer {
        status,
        body,
        set_cookie,
    }
}

/// The `name=value` pair a `Set-Cookie` header sets.
fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_string()
}

async fn status(app: &TestApp, cookie: Option<&str>) -> Value {
    let headers: Vec<(&str, &str)> = cookie.map(|c| ("cookie", c)).into_iter().collect();
    let answer = call(app, AuthStatus::PATH, "", &headers).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.body
}

/// Signs `name` in with `correct horse`; returns the session cookie pair.
async fn signed_in(app: &TestApp, name: &str) -> String {
    let form = format!("name={name}&password=correct+horse");
    cookie_pair(
        &call(app, SignIn::PATH, &form, &[])
            .await
            .set_cookie
            .unwrap(),
    )
}

use common::add_account as add;

fn form_error(answer: &Answer, field: &str) -> String {
    answer.body["Refused"]
        .as_array()
        .unwrap_or_else(|| panic!("not a refusal: {}", answer.body))
        .iter()
        .find(|e| e["field"] == field)
        .unwrap_or_else(|| panic!("no error for {field}: {}", answer.body))["message"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn setup_makes_the_first_admin_once_and_signs_them_in() {
    let app = app().await;
    assert_eq!(status(&app, None).await["setup_open"], true);

    let bad = call(
        &app,
        SetUp::PATH,
        "name=root&password=short&confirm=short",
        &[],
    )
    .await;
    assert!(form_error(&bad, "password").contains("at least 10"));
    assert!(bad.set_cookie.is_none());
    assert_eq!(status(&app, None).await["setup_open"], true);

    let made = call(
        &app,
        SetUp::PATH,
        "name=root&password=correct+horse&confirm=correct+horse",
        &[],
    )
    .await;
    assert_eq!(made.status, StatusCode::OK);
    assert!(made.body["Saved"].is_i64(), "{}", made.body);
    let set_cookie = made.set_cookie.expect("signed in");
    assert!(set_cookie.starts_with("hindsight_session="), "{set_cookie}");
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    assert!(!set_cookie.contains("Secure"), "plain http: {set_cookie}");
    let token = cookie_pair(&set_cookie);
    assert_eq!(token.len(), "hindsight_session=".len() + 64);

    let me = status(&app, Some(&token)).await;
    assert_eq!(me["setup_open"], false);
    assert_eq!(me["account"]["name"], "root");
    assert_eq!(me["account"]["role"], "admin");

    let again = call(
        &app,
        SetUp::PATH,
        "name=mallory&password=correct+horse&confirm=correct+horse",
        &[],
    )
    .await;
    assert!(form_error(&again, "form").contains("exists already"));
    assert!(again.set_cookie.is_none());
    let names: Vec<String> = common::accounts(&app)
        .await
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(names, ["root"]);
}

#[tokio::test]
async fn sign_in_then_out_and_the_old_cookie_is_dead() {
    let app = app().await;
    add(&app, "ada", Role::Editor).await;
    assert_eq!(
        status(&app, Some("hindsight_session=forged")).await["account"],
        Value::Null
    );

    let signed = call(&app, SignIn::PATH, "name=Ada&password=correct+horse", &[]).await;
    assert!(signed.body["Saved"].is_i64(), "{}", signed.body);
    let token = cookie_pair(&signed.set_cookie.unwrap());
    assert_eq!(
        status(&app, Some(&token)).await["account"]["role"],
        "editor"
    );

    let out = call(&app, SignOut::PATH, "", &[("cookie", &token)]).await;
    assert_eq!(out.status, StatusCode::OK);
    let cleared = out.set_cookie.unwrap();
    assert!(cleared.starts_with("hindsight_session=;"), "{cleared}");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    assert_eq!(status(&app, Some(&token)).await["account"], Value::Null);
}

#[tokio::test]
async fn over_https_the_session_cookie_is_secure() {
    let app = app().await;
    add(&app, "ada", Role::Viewer).await;
    let signed = call(
        &app,
        SignIn::PATH,
        "name=ada&password=correct+horse",
        &[("x-forwarded-proto", "https")],
    )
    .await;
    assert!(signed.set_cookie.unwrap().contains("; Secure"));
}

#[tokio::test]
async fn wrong_passwords_are_refused_alike_then_throttled() {
    let app = app().await;
    add(&app, "ada", Role::Editor).await;
    let wrong = call(&app, SignIn::PATH, "name=ada&password=wrong+horse+x", &[]).await;
    let nobody = call(&app, SignIn::PATH, "name=bob&password=wrong+horse+x", &[]).await;
    assert_eq!(form_error(&wrong, "form"), "Wrong name or password.");
    assert_eq!(form_error(&nobody, "form"), "Wrong name or password.");
    assert!(wrong.set_cookie.is_none() && nobody.set_cookie.is_none());
    for _ in 0..4 {
        call(&app, SignIn::PATH, "name=ada&password=wrong+horse+x", &[]).await;
    }
    // Five failures for ada from this address: even the right password waits.
    let right = call(&app, SignIn::PATH, "name=ada&password=correct+horse", &[]).await;
    assert!(
        form_error(&right, "form").starts_with("Too many failed sign-ins"),
        "{}",
        right.body
    );
    assert!(right.set_cookie.is_none());
}

#[tokio::test]
async fn a_signed_in_save_records_the_account_as_its_author() {
    let app = app().await;
    add(&app, "ada", Role::Editor).await;
    let signed = call(&app, SignIn::PATH, "name=ada&password=correct+horse", &[]).await;
    let token = cookie_pair(&signed.set_cookie.unwrap());
    let reply = app
        .send(
            Request::post("/api/v1/incidents")
                .header("content-type", "application/json")
                .header("cookie", &token)
                .body(Body::from(json!({"title": "Payment timeouts"}).to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let id = reply.json()["id"].as_i64().unwrap();
    let revisions = app.state.services.store.revisions(id).await.unwrap();
    assert_eq!(revisions[0].author, "ada");
}

#[test]
fn the_command_line_adds_the_first_admin_and_lists_accounts() {
    let data = tempfile::tempdir().unwrap();
    let added = common::hindsight_with_input(
        data.path(),
        &["user", "add", "--admin", "root"],
        "correct horse\n",
    );
    assert_eq!(common::ok(&added).trim(), "added root (admin)");
    let short = common::hindsight_with_input(data.path(), &["user", "add", "ed"], "short\n");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 10"));
    let taken =
        common::hindsight_with_input(data.path(), &["user", "add", "ROOT"], "correct horse\n");
    assert!(String::from_utf8_lossy(&taken.stderr).contains("taken"));
    let viewer = common::hindsight_with_input(
        data.path(),
        &["user", "add", "--role", "viewer", "vi"],
        "another horse\n",
    );
    common::ok(&viewer);
    let list = common::hindsight(data.path(), &["user", "list"]);
    assert_eq!(common::ok(&list), "root\tadmin\nvi\tviewer\n");
}

/// Sends `method path` with `Authorization: Bearer secret` (and a JSON body
/// for writes).
async fn with_token(app: &TestApp, method: &str, path: &str, secret: &str) -> common::Reply {
    let body = if method == "GET" {
        Body::empty()
    } else {
        Body::from(json!({"title": "Written by a script"}).to_string())
    };
    app.send(
        Request::builder()
            .method(method)
            .uri(path)
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {secret}"))
            .body(body)
            .unwrap(),
    )
    .await
}

/// Makes a token through the account page's server function; returns its
/// id and secret.
async fn make_token(app: &TestApp, cookie: &str, name: &str, scope: &str) -> (i64, String) {
    let form = format!("name={name}&scope={scope}");
    let answer = call(app, CreateApiToken::PATH, &form, &[("cookie", cookie)]).await;
    let created = &answer.body["Created"];
    assert_eq!(created["token"]["scope"], scope, "{}", answer.body);
    (
        created["token"]["id"].as_i64().unwrap(),
        created["secret"].as_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn api_tokens_act_for_their_owner_within_their_scope_until_revoked() {
    let app = app().await;
    // A bad token is refused even while the instance is open.
    let forged = format!("hs_{}", "0".repeat(64));
    assert_eq!(
        with_token(&app, "GET", "/api/v1/action-items", &forged)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    add(&app, "root", Role::Admin).await;
    add(&app, "ada", Role::Editor).await;
    let cookie = signed_in(&app, "ada").await;

    // Made through the account page's server functions.
    let refused = call(
        &app,
        CreateApiToken::PATH,
        "name=&scope=admin",
        &[("cookie", &cookie)],
    )
    .await;
    assert!(
        refused.body["Refused"].to_string().contains("scope"),
        "{}",
        refused.body
    );
    let (_, reader) = make_token(&app, &cookie, "dashboard", "read").await;
    let (writer_id, writer) = make_token(&app, &cookie, "deploy+bot", "write").await;
    assert!(writer.starts_with("hs_") && writer.len() == 67);

    assert_eq!(
        with_token(&app, "GET", "/api/v1/action-items", &reader)
            .await
            .status,
        StatusCode::OK
    );
    let read_write = with_token(&app, "POST", "/api/v1/incidents", &reader).await;
    assert_eq!(
        read_write.status,
        StatusCode::FORBIDDEN,
        "{}",
        read_write.body
    );
    let written = with_token(&app, "POST", "/api/v1/incidents", &writer).await;
    assert_eq!(written.status, StatusCode::CREATED, "{}", written.body);
    let id = written.json()["id"].as_i64().unwrap();
    assert_eq!(
        app.state.services.store.revisions(id).await.unwrap()[0].author,
        "ada"
    );

    let listed = call(&app, MyApiTokens::PATH, "", &[("cookie", &cookie)]).await;
    let names: Vec<&str> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["deploy bot", "dashboard"]);
    assert!(
        listed.body[0]["last_used_at"].is_string(),
        "{}",
        listed.body
    );
    assert!(
        !listed.body.to_string().contains(&writer),
        "a listing never shows the secret"
    );

    // Someone else cannot revoke ada's token; ada can.
    let root = signed_in(&app, "root").await;
    let theirs = call(
        &app,
        RevokeApiToken::PATH,
        &format!("id={writer_id}"),
        &[("cookie", &root)],
    )
    .await;
    // Server functions answer errors with their own status; the body says which.
    assert_eq!(theirs.body, json!("NotFound"));
    assert_eq!(
        with_token(&app, "GET", "/api/v1/action-items", &writer)
            .await
            .status,
        StatusCode::OK
    );
    let revoked = call(
        &app,
        RevokeApiToken::PATH,
        &format!("id={writer_id}"),
        &[("cookie", &cookie)],
    )
    .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    assert_eq!(
        with_token(&app, "GET", "/api/v1/action-items", &writer)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn an_admin_adds_people_changes_their_role_and_disables_them() {
    let app = app().await;
    add(&app, "root", Role::Admin).await;
    let root = signed_in(&app, "root").await;
    let as_root = [("cookie", root.as_str())];

    let short = call(
        &app,
        AddAccount::PATH,
        "name=bo&password=short&role=viewer",
        &as_root,
    )
    .await;
    assert!(form_error(&short, "password").contains("at least 10"));
    let made = call(
        &app,
        AddAccount::PATH,
        "name=bo&password=correct+horse&role=viewer",
        &as_root,
    )
    .await;
    let bo_id = made.body["Saved"]
        .as_i64()
        .unwrap_or_else(|| panic!("{}", made.body));
    let bo = signed_in(&app, "bo").await;
    assert_eq!(status(&app, Some(&bo)).await["account"]["role"], "viewer");

    let promoted = call(
        &app,
        ChangeAccount::PATH,
        &format!("id={bo_id}&role=editor"),
        &as_root,
    )
    .await;
    assert!(promoted.body["Saved"].is_i64(), "{}", promoted.body);
    assert_eq!(status(&app, Some(&bo)).await["account"]["role"], "editor");

    let disabled = call(
        &app,
        ChangeAccount::PATH,
        &format!("id={bo_id}&disabled=true"),
        &as_root,
    )
    .await;
    assert!(disabled.body["Saved"].is_i64(), "{}", disabled.body);
    assert_eq!(status(&app, Some(&bo)).await["account"], Value::Null);
    let again = call(&app, SignIn::PATH, "name=bo&password=correct+horse", &[]).await;
    assert_eq!(form_error(&again, "form"), "Wrong name or password.");

    let root_id = status(&app, Some(&root)).await["account"]["id"]
        .as_i64()
        .unwrap();
    let alone = call(
        &app,
        ChangeAccount::PATH,
        &format!("id={root_id}&role=viewer"),
        &as_root,
    )
    .await;
    assert!(form_error(&alone, "form").contains("no administrator"));
    assert_eq!(status(&app, Some(&root)).await["account"]["role"], "admin");
}
