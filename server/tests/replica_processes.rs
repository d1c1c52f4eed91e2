//! Two real `hindsight serve` processes on one database, each with its own
//! data folder and search index, as replicas behind a load balancer are:
//! the database is PostgreSQL when `HINDSIGHT_TEST_DATABASE` names a
//! server, else one SQLite file. A write on one is found on the other; a
//! private postmortem made on one is hidden on the other at once; a stale
//! edit is refused across them; a replica killed (SIGKILL) in the middle
//! of catching up and started again loses nothing.

mod common;

use app::pages::account::SignIn;
use app::pages::editor::SaveFields;
use leptos::server_fn::ServerFn;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "a long enough password";

/// A `hindsight serve` process; killed with SIGKILL when dropped.
struct Replica {
    child: Option<Child>,
    port: u16,
    data: PathBuf,
}

impl Replica {
    fn start(data: &Path, database: &str) -> Replica {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut replica = Replica {
            child: None,
            port,
            data: data.to_path_buf(),
        };
        replica.spawn(database);
        replica
    }

    fn spawn(&mut self, database: &str) {
        self.spawn_only(database);
        let port = self.port;
        wait_until("the replica answers", || {
            call(port, "GET", "/healthz", None, "").is_some_and(|r| r.status == 200)
        });
    }

    /// Starts the process without waiting for it: it catches its index up
    /// on the change log before it listens.
    fn spawn_only(&mut self, database: &str) {
        let child = Command::new(env!("CARGO_BIN_EXE_hindsight"))
            .args(["serve", "--addr", &format!("127.0.0.1:{}", self.port)])
            .env("HINDSIGHT_DATA_DIR", &self.data)
            .env("DATABASE_URL", database)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary runs");
        self.child = Some(child);
    }

    /// SIGKILL: no shutdown, no flush.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        self.kill();
    }
}

struct Answer {
    status: u16,
    headers: String,
    body: String,
}

/// One HTTP/1.1 request on a fresh connection; `None` if nothing answered.
fn call(port: u16, method: &str, path: &str, cookie: Option<&str>, body: &str) -> Option<Answer> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .ok()?;
    let kind = if body.starts_with('{') || body.starts_with('[') {
        "application/json"
    } else {
        "application/x-www-form-urlencoded"
    };
    let cookie = cookie
        .map(|c| format!("Cookie: {c}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Accept: application/json\r\n{cookie}Content-Type: {kind}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    let raw = String::from_utf8_lossy(&raw).to_string();
    let (headers, body) = raw.split_once("\r\n\r\n")?;
    let status = headers.split(' ').nth(1)?.parse().ok()?;
    let body = if headers
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        unchunk(body)
    } else {
        body.to_string()
    };
    Some(Answer {
        status,
        headers: headers.to_string(),
        body,
    })
}

fn unchunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 {
            break;
        }
        out.push_str(&rest[..size.min(rest.len())]);
        body = rest.get(size + 2..).unwrap_or("");
    }
    out
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "timed out: {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Signs `name` in on replica `port`; the session cookie.
fn sign_in(port: u16, name: &str) -> String {
    let answer = call(
        port,
        "POST",
        SignIn::PATH,
        None,
        &format!("name={name}&password={}", PASSWORD.replace(' ', "+")),
    )
    .unwrap();
    assert_eq!(answer.status, 200, "{}", answer.body);
    let line = answer
        .headers
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .expect("a session cookie");
    line.split_once(':')
        .unwrap()
        .1
        .split(';')
        .next()
        .unwrap()
        .trim()
        .to_string()
}

/// The titles replica `port`'s search answers `cookie`'s account for `text`.
fn found(port: u16, cookie: &str, text: &str) -> Vec<String> {
    let path = format!("/api/v1/search?q={}&limit=50", common::encode(text));
    let Some(answer) = call(port, "GET", &path, Some(cookie), "") else {
        return Vec::new();
    };
    let json: Value = serde_json::from_str(&answer.body).unwrap_or_default();
    json["incidents"]
        .as_array()
        .map(|hits| {
            hits.iter()
                .filter_map(|h| h["title"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn create(port: u16, cookie: &str, record: Value) -> i64 {
    let answer = call(
        port,
        "POST",
        "/api/v1/incidents",
        Some(cookie),
        &record.to_string(),
    )
    .unwrap();
    assert_eq!(answer.status, 201, "{}", answer.body);
    serde_json::from_str::<Value>(&answer.body).unwrap()["id"]
        .as_i64()
        .unwrap()
}

#[test]
fn two_serve_processes_on_one_database_act_as_one_instance() {
    let root = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let database = match std::env::var("HINDSIGHT_TEST_DATABASE") {
        Ok(server) if !server.is_empty() => {
            rt.block_on(kb_db::new_postgres_database(&server)).unwrap()
        }
        _ => format!("sqlite://{}", root.path().join("shared.db").display()),
    };
    let (a_dir, b_dir) = (root.path().join("a"), root.path().join("b"));
    for dir in [&a_dir, &b_dir] {
        std::fs::create_dir_all(dir).unwrap();
        // For the binary's other commands on these folders (common).
        std::fs::write(dir.join("test-database-url"), &database).unwrap();
    }
    for (name, role) in [
        ("root", "--admin"),
        ("ed", "--role=editor"),
        ("nm", "--role=editor"),
    ] {
        let out = common::hindsight_with_input(
            &a_dir,
            &["user", "add", role, name],
            &format!("{PASSWORD}\n"),
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let a = Replica::start(&a_dir, &database);
    let mut b = Replica::start(&b_dir, &database);
    let (root_a, nm_b, ed_b) = (
        sign_in(a.port, "root"),
        sign_in(b.port, "nm"),
        sign_in(b.port, "ed"),
    );

    // A write on A is found by B's search, once B's follower has caught up.
    let id = create(
        a.port,
        &root_a,
        json!({"title": "Checkout froze on a stuck connection pool", "severity": "SEV2",
               "summary": "Every checkout waited on the pool."}),
    );
    wait_until("B finds what A wrote", || {
        found(b.port, &nm_b, "stuck connection pool")
            == ["Checkout froze on a stuck connection pool"]
    });

    // A private postmortem made on A is hidden on B at once: access is read
    // from the database, not from B's index.
    let secret = create(
        a.port,
        &root_a,
        json!({"title": "Signing keys in a public bucket", "severity": "SEV1",
               "access": {"private": true, "users": ["ed"]}}),
    );
    let path = format!("/api/v1/incidents/{secret}");
    assert_eq!(
        call(b.port, "GET", &path, Some(&nm_b), "").unwrap().status,
        404
    );
    assert_eq!(
        call(b.port, "GET", &path, Some(&ed_b), "").unwrap().status,
        200
    );

    // An edit on A, then one on B from the same version: B refuses it.
    let save = |port: u16, cookie: &str, summary: &str| {
        let body = json!({"id": id, "version": 1, "section": "summary",
                          "fields": [["summary", summary]]});
        let answer = call(
            port,
            "POST",
            SaveFields::PATH,
            Some(cookie),
            &body.to_string(),
        )
        .unwrap();
        assert_eq!(answer.status, 200, "{}", answer.body);
        serde_json::from_str::<Value>(&answer.body).unwrap()
    };
    let root_b = sign_in(b.port, "root");
    assert_eq!(save(a.port, &root_a, "A's words."), json!({"Saved": 2}));
    assert_eq!(save(b.port, &root_b, "B's words."), json!({"Stale": 2}));
    let stored = call(
        a.port,
        "GET",
        &format!("/api/v1/incidents/{id}"),
        Some(&root_a),
        "",
    )
    .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&stored.body).unwrap()["summary"],
        "A's words."
    );

    // Made private on A, it leaves B's search at once: who may see what
    // is read from the database on every search, whatever B's index holds.
    let body = json!({"id": id, "version": 2, "section": "access",
                      "fields": [["access.private", "on"], ["access.users", "ed"]]});
    let answer = call(
        a.port,
        "POST",
        SaveFields::PATH,
        Some(&root_a),
        &body.to_string(),
    )
    .unwrap();
    assert_eq!(answer.body, r#"{"Saved":3}"#);
    assert!(found(b.port, &nm_b, "stuck connection pool").is_empty());
    assert_eq!(found(b.port, &ed_b, "stuck connection pool").len(), 1);

    // B is killed while it catches up on many writes, and started again.
    b.kill();
    let batch = root.path().join("batch.jsonl");
    let lines: Vec<String> = (0..1000)
        .map(|n| {
            json!({"id": format!("batch-{n}"), "title": format!("Batch incident {n} wombat{n}x"),
                   "severity": "SEV4", "summary": "Part of a batch: numbat."})
            .to_string()
        })
        .collect();
    std::fs::write(&batch, lines.join("\n")).unwrap();
    let out = common::hindsight(&a_dir, &["import", batch.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // B starts, catches its index up on the change log (before it
    // listens), and is killed again and again, each time a little later,
    // until a start gets as far as listening: the kills before that land
    // while it starts or catches up. No timing is assumed.
    let mut killed_before_listening = 0;
    for ms in (1..=50).map(|k| k * 20) {
        b.spawn_only(&database);
        std::thread::sleep(Duration::from_millis(ms));
        let listening = call(b.port, "GET", "/healthz", None, "").is_some();
        b.kill();
        if listening {
            break;
        }
        killed_before_listening += 1;
    }
    assert!(
        killed_before_listening >= 2,
        "killed {killed_before_listening} times before it listened"
    );
    b.spawn(&database);
    wait_until("B has caught up on every write", || {
        (0..1000).step_by(50).chain([999]).all(|n| {
            found(b.port, &nm_b, &format!("wombat{n}x"))
                == [format!("Batch incident {n} wombat{n}x")]
        })
    });
    assert_eq!(
        found(b.port, &nm_b, "numbat").len(),
        50,
        "a page of the batch"
    );
    drop(a);
}
