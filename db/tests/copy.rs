//! `hindsight migrate-data`'s copy: an instance in a SQLite file, with
//! every kind of row, copied into an empty database on the engine the
//! tests run on (`common`: PostgreSQL when `HINDSIGHT_TEST_DATABASE` names
//! one). Every table must then hold the same rows, ids included, and the
//! copy must go on numbering after them.

mod common;

use kb_db::{DbError, Store, Viewer, DERIVED, TABLES};
use kb_domain::accounts::{Role, TokenScope};
use kb_domain::{NewPostmortem, PostmortemInput};
use sqlx::{Column, Row};

fn record(title: &str, private_to: Option<&str>) -> NewPostmortem {
    let mut input: PostmortemInput = serde_json::from_value(serde_json::json!({
        "id": format!("ext-{title}"), "title": title, "severity": "SEV2",
        "summary": "The pool ran dry.", "services": ["payments"], "labels": ["config"],
        "status": "draft", "teams": ["payments-oncall"], "authors": ["dana"],
        "started_at": "2026-03-15 14:00", "resolved_at": "2026-03-15 15:10",
        "users_affected": 1200, "narrative": "## What happened",
        "timeline": [{"at": "T+00:00", "kind": "alert", "text": "Alert fired", "who": "pager"}],
        "evidence": [{"kind": "log", "caption": "api log", "body": "ERROR pool"}],
        "hypotheses": [{"statement": "Pool too small", "outcome": "confirmed",
            "confidence": [{"value": 40, "note": "metrics"}, {"value": 85, "note": "diff"}]}],
        "whys": [{"question": "Why?", "answer": "Config", "actionable": true}],
        "causes": [{"level": "immediate", "statement": "Timeout raised", "confidence": 90}],
        "mitigations": [{"action": "Roll back", "result": "worked"}],
        "learnings": [{"kind": "pattern", "title": "Pool starvation", "symptoms": "timeouts"}],
        "action_items": [
            {"title": "Alert on saturation", "owner": "dana", "due": "2026-04-01", "status": "open"},
            {"title": "Load-test config", "owner": "lee", "status": "done", "kind": "process"}
        ]
    }))
    .unwrap();
    if let Some(reader) = private_to {
        input.parts.access.private = true;
        input.parts.access.users = vec![reader.into()];
        input.parts.links = vec![kb_domain::record::Link {
            target: "#1".into(),
            kind: "earlier_occurrence".into(),
            note: "the same pool".into(),
        }];
    }
    input.validate().unwrap()
}

/// A source instance with rows in every table the store writes.
async fn source() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_file(&dir.path().join("source.db"))
        .await
        .unwrap();
    let admin = store.create_first_admin("root", "hash-r").await.unwrap();
    let ada = store
        .create_account("ada", "hash-a", Role::Editor)
        .await
        .unwrap();
    store
        .start_session("session-hash", ada.id, 3600)
        .await
        .unwrap();
    store
        .create_api_token(ada.id, "deploy", "token-hash", TokenScope::Write)
        .await
        .unwrap();
    let group = store.create_group("sre").await.unwrap();
    store.set_member(group, "ada", true).await.unwrap();
    let (first, _) = store.create(&record("first", None), "root").await.unwrap();
    let (hidden, _) = store
        .create(&record("hidden", Some("ada")), "root")
        .await
        .unwrap();
    // Revisions and item changes: edit the first twice, closing an item.
    let mut edit = record("first", None);
    edit.parts.action_items = store.get(first).await.unwrap().parts.action_items;
    edit.parts.action_items[0].status = "done".into();
    edit.summary = "Edited once.".into();
    store.update(first, 1, &edit, "ada").await.unwrap();
    edit.summary = "Edited twice.".into();
    store.update(first, 2, &edit, "ada").await.unwrap();
    store
        .log_access(Some(admin.id), "root", hidden, "read")
        .await
        .unwrap();
    store.request_reindex().await.unwrap();
    (dir, store)
}

/// Every row of `table`, as text, sorted.
async fn rows(store_url: &str, table: &str) -> Vec<Vec<String>> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(store_url).await.unwrap();
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!("select * from {table}")))
        .fetch_all(&pool)
        .await
        .unwrap();
    let mut out: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            (0..row.columns().len())
                .map(|i| {
                    let name = row.columns()[i].name().to_string();
                    let value = if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
                        format!("{v:?}")
                    } else if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
                        format!("{v:?}")
                    } else {
                        format!("{:?}", row.try_get::<Option<String>, _>(i).unwrap())
                    };
                    format!("{name}={value}")
                })
                .collect()
        })
        .collect();
    out.sort();
    pool.close().await;
    out
}

#[tokio::test]
async fn an_instance_is_copied_whole_with_its_ids() {
    let (dir, from) = source().await;
    let from_url = format!("sqlite://{}", dir.path().join("source.db").display());
    let db = common::TestDb::new().await;
    let to = db.store().await;

    let copied = from.copy_into(&to).await.unwrap();
    assert_eq!(copied.len(), TABLES.len());
    for &table in TABLES.iter().chain(DERIVED) {
        let (a, b) = (rows(&from_url, table).await, rows(&db.url, table).await);
        assert_eq!(a, b, "{table}");
        if TABLES.contains(&table)
            && ![
                "sign_in_failure",
                "chat_request",
                "intake_group",
                "intake_alert",
                "integration",
                "suggestion",
                "finding_decision",
            ]
            .contains(&table)
        {
            assert!(
                !a.is_empty(),
                "the source wrote no {table} row: the test proves nothing there"
            );
        }
    }

    // The copy reads as the source did, and numbers on after it.
    let first = to.get(1).await.unwrap();
    assert_eq!(first.summary, "Edited twice.");
    assert_eq!(to.revisions(1).await.unwrap().len(), 3);
    let hidden = to.hidden(Viewer::Public).await.unwrap();
    assert!(hidden.contains(2));
    let (next, _) = to.create(&record("next", None), "root").await.unwrap();
    assert_eq!(next, 3);

    // A second copy into it is refused, writing nothing.
    let again = from.copy_into(&to).await;
    assert!(matches!(again, Err(DbError::NotEmpty { .. })), "{again:?}");
    assert_eq!(to.get(3).await.unwrap().title, "next");
}

#[tokio::test]
async fn the_copy_knows_every_table() {
    let db = common::TestDb::new().await;
    db.store().await;
    let mut conn = db.connect().await;
    let listed: Vec<String> = match db.engine {
        kb_db::Engine::Sqlite => sqlx::query_scalar(
            "select name from sqlite_master where type = 'table'
              and name not like 'sqlite_%' and name not like '_sqlx%'",
        ),
        kb_db::Engine::Postgres => sqlx::query_scalar(
            "select table_name::text from information_schema.tables
              where table_schema = current_schema() and table_name not like '_sqlx%'",
        ),
    }
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let mut known: Vec<&str> = TABLES.iter().chain(DERIVED).copied().collect();
    known.sort();
    let mut listed: Vec<&str> = listed.iter().map(String::as_str).collect();
    listed.sort();
    assert_eq!(
        listed, known,
        "a table is missing from kb_db::TABLES or DERIVED"
    );
}
