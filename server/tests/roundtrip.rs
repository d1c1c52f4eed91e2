//! Export, then import elsewhere, gives back the same postmortem: every part
//! of a fully written one, as markdown and as JSON, one at a time (through
//! the real binary and through the HTTP route) and as a folder or JSON
//! Lines; and `hindsight demo` loads its six postmortems exactly once.
// The full record below is one `json!` literal, deeper than the default.
#![recursion_limit = "256"]

mod common;

use app::context::RequestContext;
use app::service::Services;
use axum::http::StatusCode;
use common::{external_ids, hindsight, ok};
use kb_domain::{NewPostmortem, Postmortem, PostmortemInput};
use serde_json::json;
use std::path::Path;

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The postmortem the full one links to, by external id.
fn earlier() -> serde_json::Value {
    json!({
        "id": "rt-earlier",
        "title": "Payment timeouts exhaust the connection pool",
        "severity": "SEV1",
        "date": "2024-01-15",
        "summary": "A timeout cut to 500 ms made every payment retry while holding a connection.",
        "services": ["payments"]
    })
}

/// Every field and every part set, with several rows in each list.
fn full() -> serde_json::Value {
    json!({
        "id": "rt-full",
        "title": "Checkout fails every 20 minutes",
        "severity": "SEV2",
        "date": "2024-03-15",
        "summary": "A cache **warming** job saturated the shared Redis.",
        "impact": "Checkout failed for 8% of users.",
        "root_cause": "The warm-up job ran on the shared cluster.",
        "mitigation": "Moved the job to its own cluster.",
        "services": ["checkout", "redis"],
        "labels": ["capacity/cache", "batch"],
        "url": "https://wiki.example.com/pm/17",
        "status": "published",
        "teams": ["payments", "platform"],
        "authors": ["Ana Lima", "Bo Berg"],
        "started_at": "2024-03-15T14:00:00Z",
        "detected_at": "2024-03-15T14:12:00Z",
        "mitigated_at": "2024-03-15T15:05:00Z",
        "resolved_at": "2024-03-16T09:00:00Z",
        "users_affected": 1200,
        "requests_failed": 48000,
        "money_lost": 5400,
        "currency": "EUR",
        "narrative": "## What happened\n\nAt 14:00 the first alert fired.\n\n---\n\ntitle: this is not front matter\n---\n\nÜnïcødé 🚨 and a `---` inline.",
        "timeline": [
            {"at": "2024-03-15T14:00:00Z", "kind": "alert", "text": "p99 latency above 2 s", "who": "pagerduty"},
            {"at": "T+12:00", "kind": "observation", "text": "Redis CPU at 100%", "who": "Ana Lima"},
            {"at": "T+30:00", "kind": "decision", "text": "Pause batch jobs first", "who": "Bo Berg"},
            {"at": "2024-03-15T15:05:00Z", "kind": "action", "text": "Paused the warm-up job", "who": "Bo Berg"},
            {"at": "2024-03-15T15:10:00Z", "kind": "communication", "text": "Status page updated", "who": "support"}
        ],
        "evidence": [
            {"kind": "log", "caption": "checkout errors",
             "body": "  2024-03-15T14:00:01Z ERROR\ttimeout after 2000ms\n\n    at pool.get()\n\tat checkout.pay()\n\n"},
            {"kind": "metric", "caption": "Redis CPU", "body": "redis_cpu_percent{shard=\"a\"} 100\n"},
            {"kind": "config_diff", "caption": "the fix", "body": "---\n- cluster: shared\n+ cluster: warmup\n---"}
        ],
        "hypotheses": [
            {"statement": "Redis is saturated by a batch job",
             "confidence": [{"value": 40, "note": "CPU graph"}, {"value": 90, "note": "slowlog shows SCAN"}],
             "evidence_for": "slowlog", "evidence_against": "memory is fine", "outcome": "confirmed"},
            {"statement": "A bad deploy",
             "confidence": [{"value": 30, "note": "deploy at 13:50"}, {"value": 5, "note": "rollback changed nothing"}],
             "evidence_for": "", "evidence_against": "rollback changed nothing", "outcome": "refuted"}
        ],
        "whys": [
            {"question": "Why did checkout fail?", "answer": "Redis timed out.", "actionable": false},
            {"question": "Why did Redis time out?", "answer": "Its CPU was saturated.", "actionable": false},
            {"question": "Why was its CPU saturated?", "answer": "A warm-up job ran SCAN over 40M keys.", "actionable": true},
            {"question": "Why did the job run on the shared cluster?", "answer": "It was the only cluster.", "actionable": true},
            {"question": "Why was there only one cluster?", "answer": "No one separated batch and online load.", "actionable": true}
        ],
        "causes": [
            {"level": "immediate", "statement": "SCAN over 40M keys every 20 minutes", "confidence": 95, "evidence": "slowlog"},
            {"level": "contributing", "statement": "No CPU alert on Redis", "confidence": 70, "evidence": ""},
            {"level": "systemic", "statement": "No separation of batch and online load", "evidence": "architecture review"}
        ],
        "mitigations": [
            {"action": "Restarted Redis", "result": "failed", "note": "came back in 20 minutes"},
            {"action": "Paused the warm-up job", "result": "worked", "note": ""}
        ],
        "learnings": [
            {"kind": "pattern", "title": "Periodic saturation from a batch job", "text": "Look at the period.",
             "symptoms": "errors every N minutes", "root_cause": "a scheduled job",
             "detection": "correlate with cron", "resolution": "isolate the job"},
            {"kind": "diagnostic", "title": "Check slowlog before restarting", "text": "It names the command."},
            {"kind": "cultural", "title": "Say the period out loud", "text": "Someone noticed and nobody said it."}
        ],
        "action_items": [
            {"title": "Own cluster for warm-up", "owner": "Bo Berg", "due": "2024-04-01", "priority": "high",
             "status": "done", "kind": "prevent", "tracker": "OPS-123", "expected_effect": "no shared load"},
            {"title": "Alert on Redis CPU above 80%", "owner": "Ana Lima", "priority": "medium",
             "status": "in_progress", "kind": "detect", "tracker": "https://tracker.example.com/OPS-124"},
            {"title": "Capacity review for new batch jobs", "priority": "low", "status": "open", "kind": "process"}
        ],
        "links": [
            {"target": "rt-earlier", "kind": "earlier_occurrence", "note": "same pool exhaustion shape"}
        ]
    })
}

/// A postmortem nobody links to, so ids differ between instances.
fn unrelated() -> serde_json::Value {
    json!({"id": "rt-unrelated", "title": "DNS resolution failed", "summary": "resolv.conf"})
}

/// The stored content, without action item ids: those are each instance's
/// own.
fn comparable(incident: &Postmortem) -> NewPostmortem {
    let mut content = incident.content();
    for item in &mut content.parts.action_items {
        item.id = None;
    }
    content
}

async fn find(services: &Services, external_id: &str) -> Postmortem {
    let ctx = RequestContext::command_line();
    for id in hindsight::cli::all_ids(services, &ctx).await.unwrap() {
        let incident = services.get(&ctx, id).await.unwrap().unwrap();
        if incident.external_id.as_deref() == Some(external_id) {
            return incident;
        }
    }
    panic!("no postmortem {external_id:?}");
}

/// Exports every postmortem in `data` as markdown files into `folder`,
/// with the binary; what it printed.
fn export_markdown(data: &Path, folder: &Path) -> String {
    ok(&hindsight(
        data,
        &[
            "export",
            "--all",
            "--format",
            "markdown",
            "--out",
            path(folder),
        ],
    ))
}

/// What `data` holds under `external_id`, read in-process once the binary
/// has finished with the folder.
async fn stored(data: &Path, external_id: &str) -> Postmortem {
    let services = hindsight::startup::open(data, common::database_of(data).as_deref())
        .await
        .unwrap();
    find(&services, external_id).await
}

/// A fresh data folder holding an unrelated postmortem and then the link
/// target, imported through the binary from the source's JSON export of it.
fn fresh_instance_with_target(root: &Path, name: &str, target_json: &Path) -> std::path::PathBuf {
    let data = root.join(name);
    let seed = root.join(format!("{name}-unrelated.json"));
    std::fs::write(&seed, unrelated().to_string()).unwrap();
    ok(&hindsight(&data, &["import", path(&seed)]));
    let out = ok(&hindsight(&data, &["import", path(target_json)]));
    assert!(
        out.contains("added 1, updated 0, unchanged 0, skipped 0"),
        "{out}"
    );
    data
}

#[tokio::test]
async fn a_full_postmortem_survives_markdown_and_json_into_another_instance() {
    let source = common::app().await;
    let root = tempfile::tempdir().unwrap();
    let earlier_id = source.create(earlier()).await;
    let full_id = source.create(full()).await;
    let original = source.postmortem(full_id).await;
    let target = source.postmortem(earlier_id).await;

    // Sanity: the source really holds every part, so the comparisons below
    // compare something. (This fails while the store drops parts.)
    let parts = &original.parts;
    assert_eq!(parts.hypotheses[0].confidence.len(), 2, "{parts:?}");
    assert_eq!(parts.whys.len(), 5);
    assert_eq!(parts.action_items.len(), 3);
    assert!(parts.action_items.iter().all(|a| a.id.is_some()));
    assert_eq!(parts.links[0].target, "rt-earlier");

    // The target's JSON export seeds each fresh instance.
    let target_json = root.path().join("earlier.json");
    ok(&hindsight(
        source.dir.path(),
        &[
            "export",
            "--id",
            &earlier_id.to_string(),
            "--format",
            "json",
            "--out",
            path(&target_json),
        ],
    ));

    // Through the binary: markdown and JSON, to files.
    let mut exports = Vec::new();
    for format in ["markdown", "json"] {
        let file = root.path().join(format!("full-cli.{format}"));
        let out = ok(&hindsight(
            source.dir.path(),
            &[
                "export",
                "--id",
                &full_id.to_string(),
                "--format",
                format,
                "--out",
                path(&file),
            ],
        ));
        assert!(out.contains(&format!("exported #{full_id}")), "{out}");
        let ext = if format == "markdown" { "md" } else { "json" };
        let named = root.path().join(format!("full-cli-{format}.{ext}"));
        std::fs::rename(&file, &named).unwrap();
        exports.push(named);
    }
    // Through the HTTP route: the same formats, as downloaded.
    for (format, ext) in [("markdown", "md"), ("json", "json")] {
        let reply = source
            .get(&format!(
                "/api/v1/incidents/{full_id}/export?format={format}"
            ))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let file = root.path().join(format!("full-http-{format}.{ext}"));
        std::fs::write(&file, &reply.body).unwrap();
        exports.push(file);
    }
    // The binary and the route write the same file.
    assert_eq!(
        std::fs::read_to_string(&exports[0]).unwrap(),
        std::fs::read_to_string(&exports[2]).unwrap()
    );
    assert_eq!(
        std::fs::read_to_string(&exports[1]).unwrap(),
        std::fs::read_to_string(&exports[3]).unwrap()
    );
    let markdown = std::fs::read_to_string(&exports[0]).unwrap();
    assert!(
        markdown.starts_with("---\nhindsight_format: 1\nid: rt-full\n"),
        "{markdown}"
    );

    for (n, file) in exports.iter().enumerate() {
        let data = fresh_instance_with_target(root.path(), &format!("into-{n}"), &target_json);
        let out = ok(&hindsight(&data, &["import", path(file)]));
        assert!(
            out.contains("added 1, updated 0, unchanged 0, skipped 0"),
            "{}: {out}",
            file.display()
        );
        assert!(!out.contains("unknown keys"), "{}: {out}", file.display());
        // Importing it again changes nothing.
        let again = ok(&hindsight(&data, &["import", path(file)]));
        assert!(
            again.contains("added 0, updated 0, unchanged 1, skipped 0"),
            "{}: {again}",
            file.display()
        );

        let copy = stored(&data, "rt-full").await;
        assert_eq!(
            comparable(&copy),
            comparable(&original),
            "{}",
            file.display()
        );
        // The link points at the target in the new instance, whose id
        // differs from the source's.
        let copied_target = stored(&data, "rt-earlier").await;
        assert_ne!(copied_target.id, target.id);
        assert!(
            copy.related
                .iter()
                .any(|r| r.id == copied_target.id && r.outgoing && r.kind == "earlier_occurrence"),
            "{}: {:?}",
            file.display(),
            copy.related
        );
    }

    // Back into the source itself: the action item ids in the export make
    // it the same record, so nothing changes.
    let out = ok(&hindsight(
        source.dir.path(),
        &["import", path(&exports[0])],
    ));
    assert!(
        out.contains("added 0, updated 0, unchanged 1, skipped 0"),
        "{out}"
    );
    let after = source.postmortem(full_id).await;
    assert_eq!(after.content(), original.content());
}

#[tokio::test]
async fn a_folder_of_markdown_and_json_lines_import_everything() {
    let source = common::app().await;
    let root = tempfile::tempdir().unwrap();
    source.create(earlier()).await;
    source.create(full()).await;
    source.create(unrelated()).await;
    let mut originals = Vec::new();
    for ext in ["rt-earlier", "rt-full", "rt-unrelated"] {
        originals.push(find(&source.state.services, ext).await);
    }

    let folder = root.path().join("export");
    let out = export_markdown(source.dir.path(), &folder);
    assert!(out.contains("exported 3 postmortems"), "{out}");
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "000001-payment-timeouts-exhaust-the-connection-pool.md",
            "000002-checkout-fails-every-20-minutes.md",
            "000003-dns-resolution-failed.md"
        ]
    );

    let lines = root.path().join("all.jsonl");
    ok(&hindsight(
        source.dir.path(),
        &["export", "--all", "--format", "json", "--out", path(&lines)],
    ));
    let stdout = ok(&hindsight(
        source.dir.path(),
        &["export", "--all", "--format", "json"],
    ));
    assert_eq!(stdout, std::fs::read_to_string(&lines).unwrap());
    assert_eq!(stdout.lines().count(), 3);
    let http = source.get("/api/v1/export?format=json").await;
    assert_eq!(http.body, stdout);

    for (name, what) in [("from-folder", &folder), ("from-lines", &lines)] {
        let data = root.path().join(name);
        let out = ok(&hindsight(&data, &["import", path(what)]));
        assert!(
            out.contains("added 3, updated 0, unchanged 0, skipped 0"),
            "{name}: {out}"
        );
        let again = ok(&hindsight(&data, &["import", path(what)]));
        assert!(
            again.contains("added 0, updated 0, unchanged 3, skipped 0"),
            "{name}: {again}"
        );
        for original in &originals {
            let ext = original.external_id.as_deref().unwrap();
            let copy = stored(&data, ext).await;
            assert_eq!(comparable(&copy), comparable(original), "{name}: {ext}");
        }
    }
}

#[test]
fn demo_loads_six_postmortems_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let first = hindsight(&data, &["demo"]);
    let stdout = ok(&first);
    assert!(
        stdout.contains("added 6, updated 0, unchanged 0, skipped 0"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(!stdout.contains("unknown keys"), "{stdout}");
    let stdout = ok(&hindsight(&data, &["demo"]));
    assert!(
        stdout.contains("added 0, updated 0, unchanged 6, skipped 0"),
        "{stdout}"
    );

    // Loaded in order, so the later ones' links found their targets.
    let lines = ok(&hindsight(&data, &["export", "--all", "--format", "json"]));
    let ids = external_ids(&lines);
    assert_eq!(
        ids,
        [
            "demo-payment-timeout-cascade",
            "demo-inventory-staging-sync",
            "demo-checkout-redis-cache-warming",
            "demo-oversell-2024-01-15",
            "demo-oversell-2024-01-28",
            "demo-flash-sale-oversell"
        ]
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let linked = stored(&data, "demo-flash-sale-oversell").await;
        assert!(
            linked.related.iter().any(|r| r.outgoing),
            "{:?}",
            linked.related
        );
        let input = PostmortemInput::from(&linked.content());
        assert!(!input.parts.timeline.is_empty());
    });
}

#[tokio::test]
async fn the_demo_postmortems_survive_a_markdown_folder_round_trip() {
    // Real, long write-ups: tables, code blocks, quotes, unicode, verbatim
    // evidence. Out as a folder of markdown files, into a fresh instance.
    let root = tempfile::tempdir().unwrap();
    let source = root.path().join("source");
    ok(&hindsight(&source, &["demo"]));
    let folder = root.path().join("md");
    export_markdown(&source, &folder);
    let copy = root.path().join("copy");
    let out = ok(&hindsight(&copy, &["import", path(&folder)]));
    assert!(
        out.contains("added 6, updated 0, unchanged 0, skipped 0"),
        "{out}"
    );
    for (name, _) in hindsight::cli::DEMO {
        let external_id = format!("demo-{}", name.trim_end_matches(".json"));
        let original = stored(&source, &external_id).await;
        let copied = stored(&copy, &external_id).await;
        assert_eq!(comparable(&copied), comparable(&original), "{name}");
    }
}
