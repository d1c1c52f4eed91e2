//! The store's SQL on two engines: SQLite (the default) and PostgreSQL,
//! through sqlx's `Any` driver.
//!
//! Owns: how a query's text reaches the engine, and the few fragments the
//! engines spell differently. Queries are written once, with `?`
//! placeholders; [`query`] and [`query_scalar`] number them (`$1`, `$2`,
//! which both engines read), so a query assembled from pieces needs no
//! counting. What differs (a JSON list of ids, the current time, starting
//! a write) is asked of [`Engine`], named by the connection itself.

use sqlx::any::{AnyArguments, AnyConnection, AnyRow};
use sqlx::{Any, AssertSqlSafe, Connection, FromRow};

/// The database behind a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// A SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Engine {
    /// The engine `conn` talks to.
    pub fn of(conn: &AnyConnection) -> Engine {
        if conn.backend_name().eq_ignore_ascii_case("postgresql") {
            Engine::Postgres
        } else {
            Engine::Sqlite
        }
    }

    /// The engine a `DATABASE_URL` names, if it names one this store runs on.
    pub fn of_url(url: &str) -> Option<Engine> {
        let scheme = url.split(':').next()?;
        match scheme {
            "sqlite" => Some(Engine::Sqlite),
            "postgres" | "postgresql" => Some(Engine::Postgres),
            _ => None,
        }
    }

    /// A subquery giving the ids in a JSON array bound at its `?`
    /// (`in {ids}`): the list travels as one text value, whatever its length.
    pub fn ids(self) -> &'static str {
        match self {
            Engine::Sqlite => "(select value from json_each(?))",
            Engine::Postgres => "(select value::bigint from json_array_elements_text(?::json))",
        }
    }

    /// [`Engine::ids`] for a JSON array of names.
    pub fn texts(self) -> &'static str {
        match self {
            Engine::Sqlite => "(select value from json_each(?))",
            Engine::Postgres => "(select value from json_array_elements_text(?::json))",
        }
    }

    /// The statement that starts a write transaction. SQLite takes the
    /// write lock up front (a deferred transaction that reads, then
    /// writes, fails when another process wrote between); PostgreSQL
    /// starts an ordinary one, and the writes lock their own rows.
    pub fn begin_write(self) -> &'static str {
        match self {
            Engine::Sqlite => "begin immediate",
            Engine::Postgres => "begin",
        }
    }
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

/// Now, as the store writes times: UTC, `2026-03-15T14:02:07.123Z`, the
/// form SQLite's `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')` gives, so times
/// from either compare as text. `offset` seconds are added.
pub fn now(offset: i64) -> String {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let millis = since.as_millis() as i64 + offset * 1000;
    let (secs, ms) = (millis.div_euclid(1000), millis.rem_euclid(1000));
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{ms:03}Z",
        rest / 3600,
        (rest / 60) % 60,
        rest % 60
    )
}

/// The calendar date `days` after 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
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

    #[test]
    fn now_is_written_as_sqlite_writes_it() {
        let t = now(0);
        assert_eq!(t.len(), 24, "{t}");
        assert!(t.ends_with('Z') && &t[10..11] == "T", "{t}");
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_527), (2026, 3, 15));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert!(now(-60) < now(0));
    }
}
