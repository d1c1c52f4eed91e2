//! Opening a [`Store`]: a SQLite file or a `sqlite:`/`postgres:` URL,
//! the engine's settings and migrations; and how writes begin.

use crate::sql::Engine;
use crate::{DbError, Result, Store};
use sqlx::any::AnyPoolOptions;
use std::path::Path;

impl Store {
    /// Opens (creating if needed) the SQLite database file at `path` and
    /// brings its schema up to date.
    pub async fn open_file(path: &Path) -> Result<Store> {
        // The driver reads the file name percent-decoded.
        let name: String = path
            .display()
            .to_string()
            .chars()
            .map(|c| match c {
                '%' => "%25".to_string(),
                '?' => "%3F".to_string(),
                '#' => "%23".to_string(),
                c => c.to_string(),
            })
            .collect();
        Self::open_url(&format!("sqlite://{name}")).await
    }

    /// Opens a `sqlite:` or `postgres:` URL (as in `DATABASE_URL`) and
    /// migrates it. A SQLite file is created if missing.
    pub async fn open_url(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let open_error = |source| DbError::Open {
            location: redacted(url),
            source,
        };
        let engine = Engine::of_url(url).ok_or_else(|| {
            open_error(sqlx::Error::Configuration(
                "the database URL must start with sqlite: or postgres:".into(),
            ))
        })?;
        let mut url = url.to_string();
        if engine == Engine::Sqlite && !url.contains("mode=") {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str("mode=rwc");
        }
        let pool = AnyPoolOptions::new()
            .max_connections(8)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if engine == Engine::Sqlite {
                        // A CLI import beside a running server: wait for the
                        // other writer rather than failing at once. With
                        // WAL, NORMAL is still crash-safe for the database;
                        // only the last commits before a power loss may roll
                        // back, never corrupt.
                        sqlx::raw_sql("pragma busy_timeout = 10000; pragma synchronous = normal; pragma foreign_keys = on")
                            .execute(conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(open_error)?;
        match engine {
            Engine::Sqlite => {
                sqlx::raw_sql("pragma journal_mode = wal")
                    .execute(&pool)
                    .await?;
                crate::SQLITE_MIGRATOR.run(&pool).await?;
            }
            Engine::Postgres => crate::POSTGRES_MIGRATOR.run(&pool).await?,
        }
        Ok(Store { pool, engine })
    }

    /// Which database this is.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// A write transaction (see [`Engine::write`]).
    pub(crate) async fn write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        self.engine.write(&self.pool).await
    }
}

/// `url` without its password, for messages and logs.
fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user = &url[scheme + 3..at];
            let user = user.split(':').next().unwrap_or_default();
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}
