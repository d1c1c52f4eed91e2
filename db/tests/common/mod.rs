//! Every store test runs on the engine `HINDSIGHT_TEST_DATABASE` names: a
//! SQLite file in a temporary folder when it is unset, or a fresh database
//! of its own on the PostgreSQL server it points at
//! (`postgres://user@host:port/db`; `scripts/postgres.sh` starts one).
#![allow(dead_code)]

pub mod record;

use kb_db::{Engine, Store};
use sqlx::{AnyConnection, Connection};

/// A database for one test, dropped with it (the folder, or nothing: the
/// PostgreSQL server is thrown away whole).
pub struct TestDb {
    /// Where it is, as `Store::open_url` takes it.
    pub url: String,
    /// Which engine.
    pub engine: Engine,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// A new, empty database.
    pub async fn new() -> TestDb {
        match std::env::var("HINDSIGHT_TEST_DATABASE") {
            Ok(server) if !server.is_empty() => postgres(&server).await,
            _ => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                TestDb {
                    url,
                    engine: Engine::Sqlite,
                    _dir: Some(dir),
                }
            }
        }
    }

    /// A store on it (another one, for two processes on one database).
    pub async fn store(&self) -> Store {
        Store::open_url(&self.url).await.unwrap()
    }

    /// A plain connection, for what a test does behind the store's back
    /// (placeholders are `$1`, which both engines read).
    pub async fn connect(&self) -> AnyConnection {
        sqlx::any::install_default_drivers();
        AnyConnection::connect(&self.url).await.unwrap()
    }
}

/// A new database on the PostgreSQL server at `server`.
async fn postgres(server: &str) -> TestDb {
    TestDb {
        url: kb_db::new_postgres_database(server).await.unwrap(),
        engine: Engine::Postgres,
        _dir: None,
    }
}

/// A store on a new database: the common case.
pub async fn store() -> (TestDb, Store) {
    let db = TestDb::new().await;
    let store = db.store().await;
    (db, store)
}
