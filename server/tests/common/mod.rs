//! Helpers shared by the server's integration tests.
#![allow(dead_code)]

pub mod chat;
pub mod intake;

use app::state::AppState;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use std::path::Path;
use std::process::{Command, Output};
use tower::ServiceExt;

/// A real data folder (SQLite file, tantivy index) in a temporary directory.
pub struct TestApp {
    pub dir: tempfile::TempDir,
    pub state: AppState,
    pub router: Router,
}

pub async fn app() -> TestApp {
    app_with(|_| {}).await
}

/// [`app`] with its services set up by `set` first (a tracker address...).
pub async fn app_with(set: impl FnOnce(&mut app::service::Services)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    // HINDSIGHT_TEST_DATABASE: a PostgreSQL server to run the router on,
    // each app on a fresh database of its own (the index stays in `dir`).
    let database = match std::env::var("HINDSIGHT_TEST_DATABASE") {
        Ok(server) if !server.is_empty() => {
            Some(kb_db::new_postgres_database(&server).await.unwrap())
        }
        _ => None,
    };
    if let Some(url) = &database {
        // The folder's database, for the binary and second processes run
        // on the folder (`database_of`).
        std::fs::write(dir.path().join(DATABASE_FILE), url).unwrap();
    }
    let mut services = hindsight::startup::open(dir.path(), database.as_deref())
        .await
        .unwrap();
    // A slash command answered a moment late (a debug build, a busy
    // machine) would otherwise come back as an acknowledgement; the tests
    // of late answers set their own deadline.
    services.chat_deadline = std::time::Duration::from_secs(60);
    set(&mut services);
    let state = hindsight::http::app_state(services, None).unwrap();
    let router = hindsight::http::router(state.clone());
    TestApp { dir, state, router }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    /// The body as text (lossy), as most tests read it.
    pub body: String,
    /// The body as sent.
    pub bytes: Vec<u8>,
}

impl Reply {
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl TestApp {
    /// The PostgreSQL database it runs on, or `None` for its SQLite file.
    pub fn database(&self) -> Option<String> {
        database_of(self.dir.path())
    }

    /// Postmortem `id` as the command line reads it (every one, private or
    /// not); panics if there is none.
    pub async fn postmortem(&self, id: i64) -> kb_domain::Postmortem {
        let ctx = app::context::RequestContext::command_line();
        self.state.services.get(&ctx, id).await.unwrap().unwrap()
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
            .await
            .unwrap();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    /// A GET sent with `cookie` (a session's `name=value` pair).
    pub async fn get_as(&self, uri: &str, cookie: &str) -> Reply {
        self.send(
            Request::get(uri)
                .header(axum::http::header::COOKIE, cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    pub async fn post_json(&self, uri: &str, body: &serde_json::Value) -> Reply {
        self.send(
            Request::post(uri)
                .header("content-type", "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
    }

    /// Posts `body` (form fields) to `path` as a browser's plain form does,
    /// asking for a page back, with `cookie` unless it is empty; the
    /// answer's status and `Location`.
    pub async fn submit_form(
        &self,
        path: &str,
        body: String,
        cookie: &str,
    ) -> (StatusCode, String) {
        let mut request = Request::post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html,application/xhtml+xml");
        if !cookie.is_empty() {
            request = request.header("cookie", cookie);
        }
        let reply = self.send(request.body(Body::from(body)).unwrap()).await;
        let location = reply
            .headers
            .get("location")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        (reply.status, location)
    }

    /// Creates an incident through the API and returns its id.
    pub async fn create(&self, body: serde_json::Value) -> i64 {
        let reply = self.post_json("/api/v1/incidents", &body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.json()["id"].as_i64().unwrap()
    }
}

/// The password of every account the tests make.
pub const PASSWORD: &str = "correct horse";

/// Adds an account whose password is [`PASSWORD`].
pub async fn add_account(app: &TestApp, name: &str, role: kb_domain::accounts::Role) {
    app.state
        .services
        .accounts
        .add(name, PASSWORD, role)
        .await
        .unwrap();
}

/// Every account, by name.
pub async fn accounts(app: &TestApp) -> Vec<kb_domain::accounts::Account> {
    let all = app.state.services.accounts.list().await.unwrap();
    all.into_iter().map(|(account, _)| account).collect()
}

/// The account named `name`.
pub async fn account(app: &TestApp, name: &str) -> kb_domain::accounts::Account {
    accounts(app)
        .await
        .into_iter()
        .find(|account| account.name == name)
        .unwrap_or_else(|| panic!("no account {name}"))
}

/// A postmortem titled `title`, private to `reader`, with one action item
/// (`item`), as the command line would write it.
pub fn private_to(reader: &str, title: &str, item: &str) -> kb_domain::PostmortemInput {
    kb_domain::PostmortemInput {
        title: title.into(),
        parts: kb_domain::record::Parts {
            access: kb_domain::accounts::Access {
                private: true,
                users: vec![reader.into()],
                groups: vec![],
            },
            action_items: vec![kb_domain::record::ActionItem {
                title: item.into(),
                ..Default::default()
            }],
            ..Default::default()
        },
        ..Default::default()
    }
}

/// Signs `name` in through the account service (not the sign-in form,
/// whose own tests are in `accounts.rs`); returns the session cookie pair.
pub async fn session(app: &TestApp, name: &str) -> String {
    let token = app
        .state
        .services
        .accounts
        .sign_in(name, PASSWORD, "test")
        .await
        .unwrap()
        .1;
    format!("{}={}", app::request::SESSION_COOKIE, token.0)
}

/// Percent-encodes a query value.
#[allow(unused_imports)]
pub use kb_domain::actions::percent_encode as encode;

/// Where a test app on PostgreSQL notes its database in its folder.
const DATABASE_FILE: &str = "test-database-url";

/// The database of the instance in folder `data`: the PostgreSQL one a
/// test app was put on, or `None` for the folder's own SQLite file.
pub fn database_of(data: &Path) -> Option<String> {
    std::fs::read_to_string(data.join(DATABASE_FILE)).ok()
}

/// The real `hindsight` binary on the instance in folder `data`.
fn command(data: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hindsight"));
    command
        .env("HINDSIGHT_DATA_DIR", data)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn");
    if let Some(url) = database_of(data) {
        command.env("DATABASE_URL", url);
    }
    command
}

/// Runs the real `hindsight` binary on data folder `data`.
pub fn hindsight(data: &Path, args: &[&str]) -> Output {
    command(data).args(args).output().expect("the binary runs")
}

/// Runs `hindsight` on `data` with `stdin` as its standard input.
pub fn hindsight_with_input(
    data: &std::path::Path,
    args: &[&str],
    stdin: &str,
) -> std::process::Output {
    use std::io::Write;
    let mut child = command(data)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The stdout of a run that must have succeeded.
#[track_caller]
pub fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Imports JSON `lines` into `services` and indexes them, as `hindsight import`
/// does.
pub async fn import_lines(services: &app::service::Services, lines: &str) {
    let mut report = hindsight::cli::ImportReport::default();
    hindsight::cli::import_lines(services, lines.as_bytes(), "generated", &mut report)
        .await
        .unwrap();
    services.reindex_after_write().await;
}

/// The external ids of an export in JSON lines, in order.
pub fn external_ids(jsonl: &str) -> Vec<String> {
    jsonl
        .lines()
        .map(|l| {
            kb_export::json::read_line(l)
                .unwrap()
                .input
                .external_id
                .unwrap()
        })
        .collect()
}
