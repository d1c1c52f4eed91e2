//! The store's SQL on two engines: SQLite (the default) and PostgreSQL,
//! through sqlx's `Any` driver.
//!
//! Owns: how a query's text reaches the engine, and the few fragments the
//! engines spell differently. Queries are written once, with `?`
//! placeholders; [`query`] and [`query_scalar`] number them (`$1`, `$2`,
//! which both engines read), so a query assembled from pieces needs no
//! counting. The SQLite functions the queries call (`strftime` for now,
//! `printf`, `json_each` over a JSON list of ids, `julianday`) PostgreSQL's
//! migrations define for the forms used; ids read from `json_each` are
//! cast to bigint, which both engines compare with an id. What cannot be
//! said the same way (starting a write) is asked of [`Engine`].

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::AnyConnection;
use sqlx::{Any, AnyPool, AssertSqlSafe, FromRow, Transaction};

/// The database behind a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Engine {
    /// The engine a `DATABASE_URL` names, if it names one this store runs on.
    pub fn of_url(url: &str) -> Option<Engine> {
        let scheme = url.split(':').next()?;
        match scheme {
            "sqlite" => Some(Engine::Sqlite),
            "postgres" | "postgresql" => Some(Engine::Postgres),
            _ => None,
        }
    }

    /// The statement that starts a write transaction: on SQLite it takes
    /// the write lock up front (a deferred transaction that reads, then
    /// writes, fails when another process wrote between).
    fn begin_write(self) -> &'static str {
        match self {
            Engine::Sqlite => "begin immediate",
            Engine::Postgres => "begin",
        }
    }

    /// Starts a write transaction on `pool`. Writes take turns on both
    /// engines: SQLite has one writer at a time, and on PostgreSQL every
    /// write transaction first takes one transaction-scoped advisory lock.
    /// So a check and the write it guards (a stale edit, the sign-in
    /// throttle's count) see no other writer between them, whichever
    /// replica wrote, and change-log entries commit in the order of their
    /// numbers: a follower reading above its mark cannot skip one that
    /// commits later.
    pub async fn write(self, pool: &AnyPool) -> crate::Result<Transaction<'static, Any>> {
        let mut tx = pool.begin_with(self.begin_write()).await?;
        if self == Engine::Postgres {
            sqlx::query("select pg_advisory_xact_lock(7301)")
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx)
    }
}

/// Creates a new, empty database on the PostgreSQL server at `server` (a
/// `postgres://` URL naming any database the user may connect to, with the
/// right to create databases); answers its URL. For tests, each on a
/// database of its own.
pub async fn new_postgres_database(server: &str) -> crate::Result<String> {
    use sqlx::Connection;
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    sqlx::any::install_default_drivers();
    let name = format!(
        "t{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .subsec_nanos()
    );
    let mut admin = AnyConnection::connect(server).await?;
    sqlx::raw_sql(AssertSqlSafe(format!("create database {name}")))
        .execute(&mut admin)
        .await?;
    let base = server.rsplit_once('/').map_or(server, |(base, _)| base);
    Ok(format!("{base}/{name}"))
}

/// `sqlx::query` on `text`, its `?` placeholders numbered.
pub fn query<'q>(text: impl AsRef<str>) -> sqlx::query::Query<'q, Any, AnyArguments> {
    sqlx::query(AssertSqlSafe(numbered(text.as_ref())))
}

/// `sqlx::query_scalar` on `text`, its `?` placeholders numbered.
pub fn query_scalar<'q, O>(
    text: impl AsRef<str>,
) -> sqlx::query::QueryScalar<'q, Any, O, AnyArguments>
where
    (O,): for<'r> FromRow<'r, AnyRow>,
{
    sqlx::query_scalar(AssertSqlSafe(numbered(text.as_ref())))
}

/// A flag column (stored as 0 or 1) or a comparison's answer (an integer
/// on SQLite, a boolean on PostgreSQL) as a `bool`.
pub fn flag(row: &AnyRow, column: &str) -> crate::Result<bool> {
    use sqlx::Row;
    match row.try_get::<Option<i64>, _>(column) {
        Ok(n) => Ok(n.is_some_and(|n| n != 0)),
        Err(_) => Ok(row.try_get::<Option<bool>, _>(column)?.unwrap_or(false)),
    }
}

/// `text` with each `?` outside quotes as `$n`: a bare `?` is one more
/// than the highest number so far and `?n` is `$n`, as SQLite numbers
/// them.
pub fn numbered(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut highest = 0u32;
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                let n = match digits.parse::<u32>() {
                    Ok(n) => n,
                    Err(_) => highest + 1,
                };
                highest = highest.max(n);
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_outside_quotes() {
        assert_eq!(
            numbered("select ? where a = '?' and b in (?, ?)"),
            "select $1 where a = '?' and b in ($2, $3)"
        );
        assert_eq!(numbered("?1 and ?1 limit ?2"), "$1 and $1 limit $2");
        assert_eq!(numbered("?2, ?"), "$2, $3");
    }
}
