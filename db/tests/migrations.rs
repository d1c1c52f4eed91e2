//! Migrations applied to a database that already holds data: what an
//! upgrade does to a running installation.

use kb_db::Hidden;
use kb_db::Store;
use kb_domain::record::Parts;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, SqliteConnection};
use std::path::Path;

/// Opens a new database at `path` with only the given migrations of
/// `migrations/sqlite` applied, as an installation of that release has it.
async fn database_at(dir: &Path, path: &Path, files: &[&str]) -> SqliteConnection {
    let only = dir.join(format!("up-to-{}", files.len()));
    std::fs::create_dir(&only).unwrap();
    for file in files {
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../migrations/sqlite")
                .join(file),
            only.join(file),
        )
        .unwrap();
    }
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .connect()
        .await
        .unwrap();
    sqlx::migrate::Migrator::new(only.as_path())
        .await
        .unwrap()
        .run(&mut conn)
        .await
        .unwrap();
    conn
}

/// A database at the first schema, with one postmortem, as an installation
/// of the walking skeleton would have it; then the current schema on top.
#[tokio::test]
async fn upgrading_gives_existing_postmortems_their_first_revision() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let mut conn = database_at(dir.path(), &path, &["0001_skeleton.sql"]).await;
        sqlx::query(
            "insert into postmortem (postmortem_id, title, severity, summary_md, version)
             values (7, 'Old one', 'SEV3', 'kept *as is*', 4)",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        sqlx::query("insert into postmortem_service (postmortem_id, position, name) values (7, 0, 'api'), (7, 1, 'db')")
            .execute(&mut conn)
            .await
            .unwrap();
    }

    let store = Store::open_file(&path).await.unwrap();
    let history = store.revisions(7).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(
        (history[0].version, history[0].author.as_str()),
        (4, "unknown")
    );
    let content = store.revision_content(7, 4).await.unwrap();
    assert_eq!(content.title, "Old one");
    assert_eq!(content.summary, "kept *as is*");
    assert_eq!(content.services, vec!["api", "db"]);
    assert!(content.labels.is_empty());
    assert_eq!(content.severity.map(|s| s.as_str()), Some("SEV3"));
}

/// A database at the revisions schema (0002), with a postmortem that has
/// been edited, as the skeleton with history left it; then the full record
/// on top. Nothing is lost, and the old postmortem reads as a draft with
/// empty parts that can be filled in.
#[tokio::test]
async fn upgrading_to_the_full_record_keeps_postmortems_and_their_history() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("revisions.db");
    {
        let mut conn = database_at(
            dir.path(),
            &path,
            &["0001_skeleton.sql", "0002_revisions.sql"],
        )
        .await;
        sqlx::query(
            "insert into postmortem (postmortem_id, external_id, title, severity, incident_date,
                                     summary_md, version)
             values (3, 'aws-3', 'Before the record', 'SEV2', '2023-05-01', 'short', 2)",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        sqlx::query(
            "insert into postmortem_service (postmortem_id, position, name) values (3, 0, 'edge')",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        for (version, author, snapshot) in [
            (
                1,
                "alice",
                r#"{"external_id":"aws-3","title":"First draft","severity":null,"date":null,
                    "summary":"","impact":"","root_cause":"","mitigation":"",
                    "services":[],"labels":[],"url":null}"#,
            ),
            (
                2,
                "bob",
                r#"{"external_id":"aws-3","title":"Before the record","severity":"SEV2",
                    "date":"2023-05-01","summary":"short","impact":"","root_cause":"",
                    "mitigation":"","services":["edge"],"labels":[],"url":null}"#,
            ),
        ] {
            sqlx::query(
                "insert into postmortem_revision (postmortem_id, version, author, snapshot)
                 values (3, ?, ?, ?)",
            )
            .bind(version)
            .bind(author)
            .bind(snapshot)
            .execute(&mut conn)
            .await
            .unwrap();
        }
    }

    let store = Store::open_file(&path).await.unwrap();
    let old = store.get(3).await.unwrap();
    assert_eq!(
        (old.title.as_str(), old.version, old.services.as_slice()),
        ("Before the record", 2, &["edge".to_string()][..])
    );
    assert_eq!(old.parts.status, "draft");
    assert_eq!(
        Parts {
            status: String::new(),
            ..old.parts.clone()
        },
        Parts::default()
    );
    assert!(old.related.is_empty() && old.published_at.is_none());
    assert_eq!(store.id_by_external_id("aws-3").await.unwrap(), Some(3));

    let history = store.revisions(3).await.unwrap();
    let authors: Vec<(i64, &str)> = history
        .iter()
        .map(|r| (r.version, r.author.as_str()))
        .collect();
    assert_eq!(authors, vec![(2, "bob"), (1, "alice")]);
    let first = store.revision_content(3, 1).await.unwrap();
    assert_eq!(first.title, "First draft");
    assert_eq!(first.parts, Parts::default());
    // The latest revision and the upgraded row still agree (the row's
    // status is the new column's default).
    let mut current = old.content();
    current.parts.status = String::new();
    assert_eq!(store.revision_content(3, 2).await.unwrap(), current);

    // The upgraded postmortem takes the new parts like any other.
    let mut edit = old.content();
    edit.parts.status = "published".into();
    edit.parts.teams = vec!["Edge".into()];
    store.update(3, 2, &edit, "carol").await.unwrap();
    let now = store.get(3).await.unwrap();
    assert_eq!(now.parts.teams, vec!["Edge"]);
    assert_eq!(now.published_by.as_deref(), Some("carol"));
    assert_eq!(store.revisions(3).await.unwrap().len(), 3);
}

/// Items tracked under migration 0004; 0005 fills the items by team and
/// service from them, so the counts and the summary of an upgraded
/// installation are right from its first start.
#[tokio::test]
async fn upgrading_counts_existing_items_per_team_and_service() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tracked.db");
    {
        let mut conn = database_at(
            dir.path(),
            &path,
            &[
                "0001_skeleton.sql",
                "0002_revisions.sql",
                "0003_record.sql",
                "0004_action_tracking.sql",
            ],
        )
        .await;
        for sql in [
            "insert into postmortem (postmortem_id, title) values (1, 'One'), (2, 'Two')",
            "insert into postmortem_team (postmortem_id, position, name)
             values (1, 0, 'infra'), (2, 0, 'infra'), (2, 1, 'web')",
            "insert into postmortem_service (postmortem_id, position, name) values (1, 0, 'queue')",
            "insert into action_item (postmortem_id, position, title, due, priority, status, kind,
                                      created_at, closed_at)
             values (1, 0, 'late', '2001-01-01', 'high', 'open', 'detect', '2024-01-01T00:00:00Z', null),
                    (1, 1, 'fixed', null, 'low', 'done', 'prevent', '2024-01-01T00:00:00Z', '2024-01-05T00:00:00Z'),
                    (2, 0, 'dropped', null, 'low', 'wont_do', 'process', '2024-01-01T00:00:00Z', '2024-01-03T00:00:00Z')",
        ] {
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        }
    }

    let store = Store::open_file(&path).await.unwrap();
    let sum = store
        .action_summary("2024-06-01", &Hidden::none())
        .await
        .unwrap();
    let figures = |groups: &[kb_domain::actions::GroupStats], name: &str| {
        let g = groups.iter().find(|g| g.name == name).unwrap();
        let s = &g.stats;
        (
            s.total,
            s.open,
            s.overdue,
            s.done,
            s.wont_do,
            s.median_days_to_close,
        )
    };
    assert_eq!(figures(&sum.teams, "infra"), (3, 1, 1, 1, 1, Some(3.0)));
    assert_eq!(figures(&sum.teams, "web"), (1, 0, 0, 0, 1, Some(2.0)));
    assert_eq!(figures(&sum.services, "queue"), (2, 1, 1, 1, 0, Some(4.0)));
    assert_eq!(sum.all.median_days_to_close, Some(3.0));
    let infra = kb_domain::actions::ActionFilters::from_pairs([("team", "infra")])
        .validate()
        .unwrap();
    let (rows, counts) = store
        .action_items(&infra, "2024-06-01", 50, 0, &Hidden::none())
        .await
        .unwrap();
    assert_eq!(rows.len(), 3);
    let counts: Vec<i64> = counts.into_iter().map(|c| c.count).collect();
    assert_eq!(counts, [1, 0, 1, 1]);
}

/// An installation with alert intake (0008): the rebuild of `integration`
/// that lets chat integrations in (0009) keeps every integration and every
/// alert group pointing at it, though the groups are deleted with their
/// integration (`on delete cascade`).
#[tokio::test]
async fn chat_kinds_join_the_integrations_and_no_alert_group_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("intake.db");
    let upto8 = [
        "0001_skeleton.sql",
        "0002_revisions.sql",
        "0003_record.sql",
        "0004_action_tracking.sql",
        "0005_action_item_groups.sql",
        "0006_accounts.sql",
        "0007_private_postmortems.sql",
        "0008_intake.sql",
    ];
    {
        let mut conn = database_at(dir.path(), &path, &upto8).await;
        for statement in [
            "pragma foreign_keys = on",
            "insert into postmortem (postmortem_id, title, severity, summary_md, version)
             values (3, 'Ongoing', 'SEV2', '', 1)",
            "insert into integration (integration_id, kind, name, secret_hash, created_by)
             values (5, 'alertmanager', 'prom', 'ab12', 'ada')",
            "insert into intake_group (integration_id, group_key, postmortem_id, opened_at)
             values (5, '{}:{alertname=\"X\"}', 3, '2026-12-01T00:00:00Z')",
        ] {
            sqlx::query(statement).execute(&mut conn).await.unwrap();
        }
    }

    // Opening the store applies the rest.
    drop(Store::open_file(&path).await.unwrap());
    let mut conn = SqliteConnectOptions::new()
        .filename(&path)
        .foreign_keys(true)
        .connect()
        .await
        .unwrap();
    let pool = &mut conn;
    let groups: i64 =
        sqlx::query_scalar("select count(*) from intake_group where integration_id = 5")
            .fetch_one(&mut *pool)
            .await
            .unwrap();
    assert_eq!(groups, 1);
    // The new kinds are accepted, an unknown one still refused, and the
    // foreign keys are on again and still cascade.
    sqlx::query("insert into integration (kind, name, signing_secret, created_by) values ('slack', 'ops', 's3cret', 'ada')")
        .execute(&mut *pool)
        .await
        .unwrap();
    assert!(sqlx::query("insert into integration (kind, name, secret_hash, created_by) values ('teams', 't', 'x', 'ada')")
        .execute(&mut *pool)
        .await
        .is_err());
    sqlx::query("delete from integration where integration_id = 5")
        .execute(&mut *pool)
        .await
        .unwrap();
    let groups: i64 = sqlx::query_scalar("select count(*) from intake_group")
        .fetch_one(&mut *pool)
        .await
        .unwrap();
    assert_eq!(groups, 0);
}
