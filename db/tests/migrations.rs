//! Migrations applied to a database that already holds data: what an
//! upgrade does to a running installation.

use kb_db::Store;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::ConnectOptions;

/// A database at the first schema, with one postmortem, as an installation
/// of the walking skeleton would have it; then the current schema on top.
#[tokio::test]
async fn upgrading_gives_existing_postmortems_their_first_revision() {
    let dir = tempfile::tempdir().unwrap();
    let first_only = dir.path().join("first");
    std::fs::create_dir(&first_only).unwrap();
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../migrations/sqlite/0001_skeleton.sql"
        ),
        first_only.join("0001_skeleton.sql"),
    )
    .unwrap();
    let path = dir.path().join("old.db");
    {
        let mut conn = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .connect()
            .await
            .unwrap();
        sqlx::migrate::Migrator::new(first_only.as_path())
            .await
            .unwrap()
            .run(&mut conn)
            .await
            .unwrap();
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
