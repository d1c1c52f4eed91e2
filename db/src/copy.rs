//! Moving an instance between databases (`hindsight migrate-data`): every
//! row of every table, ids kept, from one store into an empty one, on
//! either engine.
//!
//! Owns the list of tables in the order their foreign keys allow, and which
//! tables the triggers keep (those are not copied: inserting the rows they
//! follow rebuilds them, as it did the first time).

use crate::sql::Engine;
use crate::{DbError, Result, Store};
use sqlx::any::{AnyRow, AnyTypeInfoKind};
use sqlx::{AssertSqlSafe, Column, Row, TypeInfo};

/// Every table holding the instance's data, parents before children.
pub const TABLES: &[&str] = &[
    "postmortem",
    "postmortem_service",
    "postmortem_label",
    "postmortem_team",
    "postmortem_author",
    "change_log",
    "postmortem_revision",
    "timeline_entry",
    "evidence",
    "hypothesis",
    "hypothesis_confidence",
    "why_step",
    "root_cause",
    "mitigation_attempt",
    "learning",
    "action_item",
    "postmortem_link",
    "action_item_change",
    "account",
    "session",
    "api_token",
    "account_group",
    "group_member",
    "postmortem_reader",
    "access_log",
    "integration",
    "intake_group",
    "intake_alert",
    "suggestion",
    "chat_request",
    "finding_decision",
    "sign_in_failure",
    "reindex_request",
];

/// Tables the triggers keep from the others: rebuilt by the copy itself.
pub const DERIVED: &[&str] = &[
    "action_item_status_count",
    "action_item_group",
    "action_item_group_count",
];

impl Store {
    /// Copies everything this store holds into `target`, which must hold
    /// no postmortem, account or integration yet; answers the rows copied
    /// per table. One transaction on the target: a failure leaves it as it
    /// was. On PostgreSQL the identity sequences then continue after the
    /// highest id copied.
    pub async fn copy_into(&self, target: &Store) -> Result<Vec<(&'static str, u64)>> {
        let mut tx = target.write().await?;
        for table in ["postmortem", "account", "integration"] {
            let rows: i64 =
                sqlx::query_scalar(AssertSqlSafe(format!("select count(*) from {table}")))
                    .fetch_one(&mut *tx)
                    .await?;
            if rows > 0 {
                return Err(DbError::NotEmpty {
                    table: table.to_string(),
                    rows,
                });
            }
        }
        // Tables a fresh schema fills (a migration's seed rows) are emptied
        // first: the copy brings the source's.
        for table in TABLES.iter().rev() {
            sqlx::query(AssertSqlSafe(format!("delete from {table}")))
                .execute(&mut *tx)
                .await?;
        }
        let mut copied = Vec::new();
        for &table in TABLES {
            let rows = sqlx::query(AssertSqlSafe(format!("select * from {table}")))
                .fetch_all(&self.pool)
                .await?;
            for row in &rows {
                insert(&mut tx, table, row).await?;
            }
            copied.push((table, rows.len() as u64));
        }
        if target.engine == Engine::Postgres {
            let identities: Vec<(String, String)> = sqlx::query_as(
                "select table_name::text, column_name::text from information_schema.columns
                  where is_identity = 'YES' and table_schema = current_schema()",
            )
            .fetch_all(&mut *tx)
            .await?;
            for (table, column) in identities {
                sqlx::query(AssertSqlSafe(format!(
                    "select setval(pg_get_serial_sequence('{table}', '{column}'),
                                   coalesce((select max({column}) from {table}), 0) + 1, false)"
                )))
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(copied)
    }
}

/// Inserts `row` (read from `table` in the other database) as it is.
async fn insert(conn: &mut sqlx::AnyConnection, table: &str, row: &AnyRow) -> Result<()> {
    let columns: Vec<&str> = row.columns().iter().map(|c| c.name()).collect();
    let marks: Vec<String> = (1..=columns.len()).map(|n| format!("${n}")).collect();
    let text = format!(
        "insert into {table} ({}) values ({})",
        columns.join(", "),
        marks.join(", ")
    );
    let mut query = sqlx::query(AssertSqlSafe(text));
    for (i, column) in row.columns().iter().enumerate() {
        // The value's own kind; a null takes its column's, which is what
        // PostgreSQL checks a parameter against.
        query = if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
            match v {
                Some(v) => query.bind(v),
                None => match column.type_info().kind() {
                    AnyTypeInfoKind::Text => query.bind(None::<String>),
                    AnyTypeInfoKind::Double | AnyTypeInfoKind::Real => query.bind(None::<f64>),
                    _ if column.type_info().name().eq_ignore_ascii_case("text") => {
                        query.bind(None::<String>)
                    }
                    _ => query.bind(None::<i64>),
                },
            }
        } else if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
            query.bind(v)
        } else if let Ok(v) = row.try_get::<Option<String>, _>(i) {
            query.bind(v)
        } else {
            query.bind(row.try_get::<Option<Vec<u8>>, _>(i)?)
        };
    }
    query.execute(&mut *conn).await?;
    Ok(())
}
