//! Integrations: the alert sources allowed to post to the intake, each
//! with its secret (a bearer secret only as its hash), its settings (JSON
//! the store does not read) and the account its searches run as.

use crate::sql;
use crate::{DbError, Result, Store};
use sqlx::any::AnyRow;
use sqlx::Row;

/// An integration as stored. The secrets are never part of it: see
/// [`IntegrationSecret`].
#[derive(Debug, Clone, PartialEq)]
pub struct Integration {
    /// Its id.
    pub id: i64,
    /// The source kind (`alertmanager`, `grafana`, `pagerduty`, `generic`).
    pub kind: String,
    /// Its name, the last part of its endpoint.
    pub name: String,
    /// The settings as JSON (`kb_intake::Settings`).
    pub settings: String,
    /// The account "seen before?" searches as; `None`: public postmortems only.
    pub reader: Option<String>,
    /// The reader's account id.
    pub reader_account_id: Option<i64>,
    /// Whether it accepts deliveries.
    pub enabled: bool,
    /// Who added it.
    pub created_by: String,
    /// When.
    pub created_at: String,
    /// Incidents it has opened.
    pub incidents: i64,
}

/// How an integration's deliveries are authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntegrationSecret {
    /// The SHA-256 (hex) of a bearer secret.
    BearerHash(String),
    /// A secret the sender signs with, kept to verify its signatures.
    Signing(String),
}

/// What adding an integration takes.
#[derive(Debug, Clone)]
pub struct NewIntegration<'a> {
    /// The source kind.
    pub kind: &'a str,
    /// Its name.
    pub name: &'a str,
    /// Its secret, in the form it is kept.
    pub secret: IntegrationSecret,
    /// Settings as JSON.
    pub settings: &'a str,
    /// The reader's account id.
    pub reader_account_id: Option<i64>,
    /// Who adds it.
    pub created_by: &'a str,
}

/// The integration columns, then `$extra` columns and `$tail` (literals,
/// so the query stays a static string).
macro_rules! select_integration {
    ($extra:literal, $tail:literal) => {
        concat!(
            "select i.integration_id, i.kind, i.name, i.settings, i.enabled,
                    i.reader_account_id, a.name as reader, i.created_by, i.created_at,
                    (select count(*) from intake_group g
                      where g.integration_id = i.integration_id) as incidents",
            $extra,
            " from integration i left join account a on a.account_id = i.reader_account_id ",
            $tail
        )
    };
}

fn integration(r: &AnyRow) -> Result<Integration> {
    Ok(Integration {
        id: r.try_get("integration_id")?,
        kind: r.try_get("kind")?,
        name: r.try_get("name")?,
        settings: r.try_get("settings")?,
        reader: r.try_get("reader")?,
        reader_account_id: r.try_get("reader_account_id")?,
        enabled: sql::flag(r, "enabled")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        incidents: r.try_get("incidents")?,
    })
}

impl Store {
    /// Adds an integration; [`DbError::IntegrationExists`] when the name
    /// (ignoring case) is in use.
    pub async fn create_integration(&self, new: &NewIntegration<'_>) -> Result<i64> {
        let (hash, signing) = match &new.secret {
            IntegrationSecret::BearerHash(h) => (Some(h.as_str()), None),
            IntegrationSecret::Signing(s) => (None, Some(s.as_str())),
        };
        sql::query_scalar(
            "insert into integration
                 (kind, name, secret_hash, signing_secret, settings, reader_account_id, created_by)
             values (?, ?, ?, ?, ?, ?, ?) returning integration_id",
        )
        .bind(new.kind)
        .bind(new.name)
        .bind(hash)
        .bind(signing)
        .bind(new.settings)
        .bind(new.reader_account_id)
        .bind(new.created_by)
        .fetch_one(&self.pool)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                DbError::IntegrationExists(new.name.to_string())
            }
            _ => e.into(),
        })
    }

    /// Every integration, by name.
    pub async fn integrations(&self) -> Result<Vec<Integration>> {
        let rows = sql::query(select_integration!("", "order by i.name"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(integration).collect()
    }

    /// The integration `name` of `kind` with its secret, for checking a
    /// delivery; `None` when there is none of that kind and name.
    pub async fn integration_for_intake(
        &self,
        kind: &str,
        name: &str,
    ) -> Result<Option<(Integration, IntegrationSecret)>> {
        let row = sql::query(select_integration!(
            ", i.secret_hash, i.signing_secret",
            "where i.kind = ? and lower(i.name) = lower(?)"
        ))
        .bind(kind)
        .bind(name)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let secret = match (
            row.try_get::<Option<String>, _>("secret_hash")?,
            row.try_get::<Option<String>, _>("signing_secret")?,
        ) {
            (Some(hash), _) => IntegrationSecret::BearerHash(hash),
            (None, Some(secret)) => IntegrationSecret::Signing(secret),
            // The table's CHECK keeps exactly one.
            (None, None) => return Err(DbError::NotFound),
        };
        Ok(Some((integration(&row)?, secret)))
    }

    /// Enables or disables the integration `name`; [`DbError::NotFound`]
    /// when there is none.
    pub async fn set_integration_enabled(&self, name: &str, enabled: bool) -> Result<()> {
        let done = sql::query("update integration set enabled = ? where lower(name) = lower(?)")
            .bind(i64::from(enabled))
            .bind(name)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }
}
