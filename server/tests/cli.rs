//! The `hindsight` binary's subcommands, run as a user would, on a real data
//! folder; including beside a running server on the same folder.

mod common;

use common::{hindsight, ok};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn search_json(data: &Path, text: &str) -> serde_json::Value {
    serde_json::from_str(&ok(&hindsight(data, &["search", text, "--json"]))).unwrap()
}

fn top_external_id(data: &Path, text: &str) -> Option<String> {
    search_json(data, text)["incidents"][0]["external_id"]
        .as_str()
        .map(str::to_string)
}

const LINES: &str = r#"{"id": "a-1", "title": "Payment timeouts", "summary": "stripe read timeout exhausted the connection pool", "services": ["payments"], "labels": ["config"], "date": "2024-01-05", "owner": "x"}
{"id": "a-2", "title": "Inventory flipping", "summary": "a vendor staging server synced into production", "services": ["inventory"]}
{"id": "a-3", "title": "broken
{"id": "a-4", "title": "", "summary": "no title"}

{"id": "a-5", "title": "Oversell", "summary": "two requests read the same stock", "color": "red", "owner": "y"}
"#;

#[test]
fn import_reports_counts_skips_malformed_lines_and_updates_on_reimport() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.jsonl");
    std::fs::write(&file, LINES).unwrap();
    let data = dir.path().join("data");

    let out = hindsight(&data, &["import", file.to_str().unwrap()]);
    let stdout = ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("added 3, updated 0, unchanged 0, skipped 2"),
        "{stdout}"
    );
    assert!(
        stdout.contains("color (1)") && stdout.contains("owner (2)"),
        "{stdout}"
    );
    assert!(
        stderr.contains("line 3: skipped: not valid JSON"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 4: skipped: title: a title is required"),
        "{stderr}"
    );

    assert_eq!(
        top_external_id(&data, "connection pool timeout").as_deref(),
        Some("a-1")
    );

    let changed = LINES.replace(
        "two requests read the same stock",
        "a race between reservations",
    );
    std::fs::write(&file, changed).unwrap();
    let stdout = ok(&hindsight(&data, &["import", file.to_str().unwrap()]));
    assert!(
        stdout.contains("added 0, updated 1, unchanged 2, skipped 2"),
        "{stdout}"
    );
    assert_eq!(
        top_external_id(&data, "reservations race").as_deref(),
        Some("a-5")
    );
    assert!(search_json(&data, "same stock")["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["external_id"] != "a-5"));

    let stdout = ok(&hindsight(&data, &["reindex"]));
    assert!(stdout.contains("indexed 3 postmortems"), "{stdout}");
    assert_eq!(
        top_external_id(&data, "vendor staging").as_deref(),
        Some("a-2")
    );

    let plain = ok(&hindsight(&data, &["search", "vendor staging"]));
    assert!(plain.contains("Inventory flipping [a-2]"), "{plain}");
    assert!(plain.contains("[vendor]"), "{plain}");
}

#[test]
fn a_missing_import_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = hindsight(dir.path(), &["import", "/nonexistent/file.jsonl"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot open /nonexistent/file.jsonl"));
}

#[test]
fn import_reads_markdown_json_and_folders_and_reports_each_refusal() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    std::fs::create_dir_all(folder.join("nested")).unwrap();
    let write = |name: &str, text: &str| std::fs::write(folder.join(name), text).unwrap();
    write(
        "01-redis.md",
        "---\nid: md-1\ntitle: Redis saturation\nsummary: A wombat warm-up job\nstatus: published\nteams: [platform]\ntimeline:\n- at: T+00:00\n  kind: alert\n  text: CPU at 100%\nmood: grim\n---\n\nA *warm-up* job ran every twenty minutes.\n",
    );
    write(
        "02-one.json",
        r#"{"id": "json-1", "title": "One object", "whys": [{"question": "Why?", "answer": "Because."}]}"#,
    );
    write(
        "03-array.json",
        r#"[{"id": "arr-1", "title": "First of two"}, {"id": "arr-2", "title": ""}, {"id": "arr-3", "title": "Third", "hypotheses": [{"statement": "s", "confidence": [{"value": 50}, {"value": 140}]}]}]"#,
    );
    write(
        "04-lines.jsonl",
        "{\"id\": \"l-1\", \"title\": \"A line\", \"mood\": 1}\n{\"id\": \"l-2\", \"title\": \n",
    );
    write(
        "05-broken.md",
        "---\ntitle: Broken\nservices: checkout\n---\n",
    );
    write(
        "06-corpus.json",
        "{\"id\": \"c-1\", \"title\": \"Old corpus named .json\"}\n{\"id\": \"c-2\", \"title\": \"Its second line\"}\n",
    );
    write("notes.txt", "not a postmortem");
    write(".hidden.md", "---\ntitle: hidden\n---\n");
    std::fs::write(
        folder.join("nested").join("deep.md"),
        "---\ntitle: deep\n---\n",
    )
    .unwrap();
    let data = dir.path().join("data");

    let out = hindsight(&data, &["import", folder.to_str().unwrap()]);
    let stdout = ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("added 6, updated 0, unchanged 0, skipped 4"),
        "{stdout}\n{stderr}"
    );
    // The parts are known keys; only the made-up ones are reported.
    assert!(
        stdout.contains("ignored unknown keys: mood (2)"),
        "{stdout}"
    );
    for expected in [
        "03-array.json item 2: skipped: title: a title is required",
        "03-array.json item 3: skipped: hypotheses.0.confidence.1: confidence is a percentage from 0 to 100, not 140",
        "04-lines.jsonl line 2: skipped: not valid JSON",
        "05-broken.md: skipped: line 3: services: invalid type",
    ] {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
    assert!(
        !stderr.contains("hidden") && !stderr.contains("deep"),
        "{stderr}"
    );

    let found = search_json(&data, "wombat");
    assert_eq!(found["incidents"][0]["external_id"], "md-1", "{found}");

    // One file at a time, by extension; again means unchanged.
    let stdout = ok(&hindsight(
        &data,
        &["import", folder.join("01-redis.md").to_str().unwrap()],
    ));
    assert!(
        stdout.contains("added 0, updated 0, unchanged 1, skipped 0"),
        "{stdout}"
    );
}

/// The `id`s `hindsight export --all` gives back, in order.
fn exported_ids(data: &Path) -> Vec<String> {
    ok(&hindsight(data, &["export", "--all", "--format", "json"]))
        .lines()
        .map(|l| {
            let value: serde_json::Value = serde_json::from_str(l).unwrap();
            value["id"].as_str().unwrap_or_default().to_string()
        })
        .collect()
}

#[test]
fn a_json_lines_line_that_is_not_utf8_is_skipped_and_the_rest_imported() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.jsonl");
    let mut bytes = b"{\"id\": \"u-1\", \"title\": \"Before the bad line\"}\n".to_vec();
    // Latin-1, as an old export tool might write it.
    bytes.extend_from_slice(b"{\"id\": \"u-2\", \"title\": \"Caf\xE9 outage\"}\n");
    bytes.extend_from_slice(b"{\"id\": \"u-3\", \"title\": \"After the bad line\"}\r\n");
    bytes.extend_from_slice(b"\xFF\xFE\n{\"id\": \"u-5\", \"title\": \"Last\"}");
    std::fs::write(&file, bytes).unwrap();
    let data = dir.path().join("data");
    import_reporting(
        &data,
        &file,
        "added 3, updated 0, unchanged 0, skipped 2",
        &[
            "in.jsonl line 2: skipped: not UTF-8 text at column 28: save the file as UTF-8",
            "in.jsonl line 4: skipped: not UTF-8 text at column 1",
        ],
    );
    assert_eq!(exported_ids(&data), ["u-1", "u-3", "u-5"]);
}

#[test]
fn import_accepts_a_byte_order_mark_and_skips_files_that_are_not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    std::fs::create_dir(&folder).unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(folder.join(name), bytes).unwrap();
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    write(
        "01-bom.json",
        &[BOM, br#"{"id": "b-1", "title": "A document with a BOM"}"#].concat(),
    );
    write(
        "02-bom.jsonl",
        &[
            BOM,
            b"{\"id\": \"b-2\", \"title\": \"Lines with a BOM\"}\r\n{\"id\": \"b-3\", \"title\": \"Second\"}\r\n",
        ]
        .concat(),
    );
    write(
        "03-bom.md",
        &[
            BOM,
            b"---\nid: b-4\ntitle: Markdown with a BOM\n---\n\nText.\n",
        ]
        .concat(),
    );
    write(
        "04-latin1.json",
        b"{\"id\": \"x-1\", \"title\": \"Caf\xE9\"}",
    );
    write("05-latin1.md", b"---\nid: x-2\ntitle: Caf\xE9\n---\n");
    // Only the start of a file may have one.
    write(
        "06-late-bom.jsonl",
        &[
            b"{\"id\": \"b-5\", \"title\": \"Before a stray BOM\"}\n".as_slice(),
            BOM,
            b"{\"id\": \"x-3\", \"title\": \"After it\"}\n",
        ]
        .concat(),
    );
    write(
        "07-deep.md",
        format!("---\ntitle: Deep\nservices: {}\n---\n", "[".repeat(100_000)).as_bytes(),
    );
    write(
        "08-after.json",
        br#"{"id": "b-7", "title": "After the bad files"}"#,
    );
    let data = dir.path().join("data");
    import_reporting(
        &data,
        &folder,
        "added 6, updated 0, unchanged 0, skipped 4",
        &[
            "04-latin1.json: skipped: not UTF-8 text at line 1, column 28: save the file as UTF-8",
            "05-latin1.md: skipped: not UTF-8 text at line 3, column 11: save the file as UTF-8",
            "06-late-bom.jsonl line 2: skipped: not valid JSON",
            "07-deep.md: skipped: line 3: lists and mappings are nested more than 64 deep",
        ],
    );
    assert_eq!(
        exported_ids(&data),
        ["b-1", "b-2", "b-3", "b-4", "b-5", "b-7"]
    );
}

#[test]
fn export_writes_one_postmortem_or_all_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.jsonl");
    std::fs::write(&file, LINES).unwrap();
    let data = dir.path().join("data");
    ok(&hindsight(&data, &["import", file.to_str().unwrap()]));

    let md = ok(&hindsight(
        &data,
        &["export", "--id", "1", "--format", "markdown"],
    ));
    assert!(
        md.starts_with("---\nhindsight_format: 1\nid: a-1\ntitle: Payment timeouts\n"),
        "{md}"
    );
    let json = ok(&hindsight(
        &data,
        &["export", "--id", "1", "--format", "json"],
    ));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["hindsight_format"], 1);
    assert_eq!(value["id"], "a-1");
    assert_eq!(value["services"], serde_json::json!(["payments"]));

    // Into an existing folder: the file is named after the postmortem.
    let out_dir = dir.path().join("one");
    std::fs::create_dir(&out_dir).unwrap();
    let stdout = ok(&hindsight(
        &data,
        &[
            "export",
            "--id",
            "2",
            "--format",
            "md",
            "--out",
            out_dir.to_str().unwrap(),
        ],
    ));
    let written = out_dir.join("000002-inventory-flipping.md");
    assert!(written.is_file(), "{stdout}");

    let all = hindsight(&data, &["export", "--all", "--format", "json"]);
    let lines = ok(&all);
    assert_eq!(lines.lines().count(), 3);
    assert!(lines.lines().all(|l| l.starts_with("{\"id\":")), "{lines}");
    assert!(String::from_utf8_lossy(&all.stderr).contains("exported 3 postmortems"));

    let folder = dir.path().join("all");
    let stdout = ok(&hindsight(
        &data,
        &[
            "export",
            "--all",
            "--format",
            "markdown",
            "--out",
            folder.to_str().unwrap(),
        ],
    ));
    assert!(stdout.contains("exported 3 postmortems"), "{stdout}");
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 3);

    for (args, expected) in [
        (
            &["export", "--all", "--format", "markdown"][..],
            "name a folder with --out DIR",
        ),
        (
            &["export", "--id", "99", "--format", "json"][..],
            "there is no postmortem #99",
        ),
        (&["export", "--format", "json"][..], "--id"),
        (
            &["export", "--id", "1", "--all", "--format", "json"][..],
            "cannot be used with",
        ),
        (
            &["export", "--id", "1", "--format", "xml"][..],
            "unknown format \"xml\": use markdown or json",
        ),
    ] {
        let out = hindsight(&data, args);
        assert!(!out.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn an_empty_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let out = hindsight(
        &dir.path().join("data"),
        &["import", empty.to_str().unwrap()],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("holds no .md, .json or .jsonl files"),
        "{stderr}"
    );
    assert!(!dir.path().join("data").exists());
}

#[test]
fn the_index_catches_up_with_writes_it_missed_and_survives_corruption() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("in.jsonl");
    std::fs::write(&file, LINES).unwrap();
    ok(&hindsight(&data, &["import", file.to_str().unwrap()]));

    // A write that reached the database but not the index, as after a crash
    // between the two: the next start replays it from the change log.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = kb_db::Store::open_file(&data.join("hindsight.db"))
            .await
            .unwrap();
        let new = kb_domain::PostmortemInput {
            external_id: Some("crash-1".into()),
            title: "Written before the crash".into(),
            summary: "kangaroo courts the database".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        store.import(&new, "crash-test").await.unwrap();
    });
    assert_eq!(
        top_external_id(&data, "kangaroo").as_deref(),
        Some("crash-1")
    );

    // An index that cannot be read is rebuilt from the database.
    std::fs::write(data.join("index").join("meta.json"), b"{ not json").unwrap();
    assert_eq!(
        top_external_id(&data, "kangaroo").as_deref(),
        Some("crash-1")
    );
    assert_eq!(
        top_external_id(&data, "vendor staging").as_deref(),
        Some("a-2")
    );

    // A missing index, too.
    std::fs::remove_dir_all(data.join("index")).unwrap();
    assert_eq!(
        top_external_id(&data, "vendor staging").as_deref(),
        Some("a-2")
    );
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn http_get(addr: &str, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    Some(response)
}

fn wait_until(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("timed out waiting for {what}");
}

#[test]
fn import_reindex_and_search_work_beside_a_running_server() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let server = Server(
        // No subcommand: `serve` is the default, and it must still read its
        // address from the environment.
        Command::new(env!("CARGO_BIN_EXE_hindsight"))
            .env("HINDSIGHT_ADDR", &addr)
            .env("HINDSIGHT_DATA_DIR", &data)
            .env_remove("DATABASE_URL")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_until("the server's health check", || {
        http_get(&addr, "/healthz").is_some_and(|r| r.starts_with("HTTP/1.1 200"))
    });

    let file = dir.path().join("in.jsonl");
    std::fs::write(&file, LINES).unwrap();
    let stdout = ok(&hindsight(&data, &["import", file.to_str().unwrap()]));
    assert!(stdout.contains("added 3"), "{stdout}");
    assert!(
        stdout.contains("a running server holds the index"),
        "{stdout}"
    );

    // The server follows the change log and indexes what the CLI wrote; the
    // API and the CLI then agree.
    wait_until("the server to index the import", || {
        http_get(&addr, "/api/v1/search?q=vendor%20staging").is_some_and(|r| r.contains("\"a-2\""))
    });
    wait_until("the CLI to see the server's commit", || {
        top_external_id(&data, "vendor staging").as_deref() == Some("a-2")
    });

    let stdout = ok(&hindsight(&data, &["reindex"]));
    assert!(stdout.contains("the server rebuilt the index"), "{stdout}");
    assert!(http_get(&addr, "/api/v1/search?q=oversell")
        .unwrap()
        .contains("\"a-5\""));
    drop(server);
}

/// Imports `path` into `data`, which must succeed with `summary` and
/// report each of `skipped` (a bad line or file, with its reason).
fn import_reporting(
    data: &std::path::Path,
    path: &std::path::Path,
    summary: &str,
    skipped: &[&str],
) {
    let out = hindsight(data, &["import", path.to_str().unwrap()]);
    let stdout = ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains(summary), "{stdout}\n{stderr}");
    for expected in skipped {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
}
