//! Accounts, their sign-in sessions and their API tokens.
//!
//! The store keeps what it is given: a password *hash* (hashing is the
//! caller's, so the store never sees a password) and a session token's
//! *hash* (so a copy of the database signs no one in). Names ignore case.

use crate::sql;
use crate::{DbError, Result, Store};
use kb_domain::accounts::{Account, ApiToken, Role, TokenScope};
use sqlx::any::AnyRow;
use sqlx::Row;

/// An account with what signing in checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAccount {
    /// Who it is.
    pub account: Account,
    /// The argon2 PHC string to verify a password against.
    pub password_hash: String,
    /// True when an admin turned the account off.
    pub disabled: bool,
}

/// The columns [`read_account`] reads, as a literal so queries stay static
/// text (sqlx refuses dynamic SQL unless it is marked as audited).
macro_rules! account_columns {
    () => {
        "account_id, name, role, password_hash, disabled_at"
    };
}

fn read_account(row: &AnyRow) -> Result<StoredAccount> {
    let role: String = row.try_get("role")?;
    Ok(StoredAccount {
        account: Account {
            id: row.try_get("account_id")?,
            name: row.try_get("name")?,
            // The CHECK constraint admits only the three names.
            role: Role::parse(&role).unwrap_or(Role::Viewer),
        },
        password_hash: row.try_get("password_hash")?,
        disabled: row.try_get::<Option<String>, _>("disabled_at")?.is_some(),
    })
}

/// Maps a unique-name violation to [`DbError::NameTaken`].
fn name_taken(name: &str) -> impl FnOnce(sqlx::Error) -> DbError + '_ {
    move |e| match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            DbError::NameTaken(name.to_string())
        }
        _ => e.into(),
    }
}

/// Ends every session of `account_id`, inside the caller's transaction.
/// Ends every session of `account_id` and revokes every API token of
/// theirs: whoever held a password that was changed, or an account that
/// was disabled, keeps no way in. (A token minted by an intruder before
/// the change would otherwise outlive it.)
async fn lock_out(tx: &mut sqlx::AnyConnection, account_id: i64) -> Result<()> {
    sql::query("delete from session where account_id = ?")
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    sql::query(
        "update api_token set revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
         where account_id = ? and revoked_at is null",
    )
    .bind(account_id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

impl Store {
    /// Creates an account; [`DbError::NameTaken`] when the name (ignoring
    /// case) is in use.
    pub async fn create_account(
        &self,
        name: &str,
        password_hash: &str,
        role: Role,
    ) -> Result<Account> {
        let id: i64 = sql::query_scalar(
            "insert into account (name, password_hash, role) values (?, ?, ?) \
             returning account_id",
        )
        .bind(name)
        .bind(password_hash)
        .bind(role.as_str())
        .fetch_one(&self.pool)
        .await
        .map_err(name_taken(name))?;
        tracing::info!(account = id, role = role.as_str(), "account created");
        Ok(Account {
            id,
            name: name.to_string(),
            role,
        })
    }

    /// Creates the first administrator, only while there is none
    /// ([`DbError::AdminExists`] otherwise). The check and the insert are one
    /// write transaction, so two people racing through the setup page
    /// cannot both become admin.
    pub async fn create_first_admin(&self, name: &str, password_hash: &str) -> Result<Account> {
        let mut tx = self.write().await?;
        let admins: i64 = sql::query_scalar("select count(*) from account where role = 'admin'")
            .fetch_one(&mut *tx)
            .await?;
        if admins > 0 {
            return Err(DbError::AdminExists);
        }
        let id: i64 = sql::query_scalar(
            "insert into account (name, password_hash, role) values (?, ?, 'admin') \
             returning account_id",
        )
        .bind(name)
        .bind(password_hash)
        .fetch_one(&mut *tx)
        .await
        .map_err(name_taken(name))?;
        tx.commit().await?;
        tracing::info!(account = id, "first administrator created");
        Ok(Account {
            id,
            name: name.to_string(),
            role: Role::Admin,
        })
    }

    /// True once any administrator exists (the setup page then closes).
    pub async fn has_admin(&self) -> Result<bool> {
        let found: Option<i64> =
            sql::query_scalar("select 1 from account where role = 'admin' limit 1")
                .fetch_optional(&self.pool)
                .await?;
        Ok(found.is_some())
    }

    /// The account signing in as `name` (any case), if there is one.
    pub async fn account_for_sign_in(&self, name: &str) -> Result<Option<StoredAccount>> {
        let row = sql::query(concat!(
            "select ",
            account_columns!(),
            " from account where lower(name) = lower(?)"
        ))
        .bind(name.trim())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(read_account).transpose()
    }

    /// Every account, by name.
    pub async fn accounts(&self) -> Result<Vec<StoredAccount>> {
        let rows = sql::query(concat!(
            "select ",
            account_columns!(),
            " from account order by name"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(read_account).collect()
    }

    /// Changes account `id`'s role and whether it is disabled (`None`
    /// leaves either as it is). Refused with [`DbError::LastAdmin`] when it
    /// would leave no enabled administrator; [`DbError::NotFound`] for an
    /// unknown id. Disabling also ends the account's sessions and revokes
    /// its API tokens: enabling it again restores neither.
    pub async fn change_account(
        &self,
        id: i64,
        role: Option<Role>,
        disabled: Option<bool>,
    ) -> Result<()> {
        let mut tx = self.write().await?;
        let done = sql::query(
            "update account set role = coalesce(?, role), \
             disabled_at = case when ? is null then disabled_at \
                                when ? <> 0 then coalesce(disabled_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) \
                                else null end \
             where account_id = ?",
        )
        .bind(role.map(Role::as_str))
        .bind(disabled.map(i64::from))
        .bind(disabled.map(i64::from))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound);
        }
        let admins: i64 = sql::query_scalar(
            "select count(*) from account where role = 'admin' and disabled_at is null",
        )
        .fetch_one(&mut *tx)
        .await?;
        if admins == 0 {
            // Dropping the transaction rolls the change back.
            return Err(DbError::LastAdmin);
        }
        if disabled == Some(true) {
            lock_out(&mut tx, id).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Replaces `name`'s password hash, ends all their sessions and
    /// revokes all their API tokens, so a password changed because it
    /// leaked locks out whoever used it, and whatever token they made.
    pub async fn set_password_hash(&self, name: &str, password_hash: &str) -> Result<()> {
        let mut tx = self.write().await?;
        let id: i64 = sql::query_scalar(
            "update account set password_hash = ? where lower(name) = lower(?) returning account_id",
        )
        .bind(password_hash)
        .bind(name.trim())
        .fetch_one(&mut *tx)
        .await?;
        lock_out(&mut tx, id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a session for `account_id`, valid for `lifetime_secs`.
    pub async fn start_session(
        &self,
        token_hash: &str,
        account_id: i64,
        lifetime_secs: i64,
    ) -> Result<()> {
        sql::query(
            "insert into session (token_hash, account_id, expires_at) \
             values (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', printf('%+d seconds', ?)))",
        )
        .bind(token_hash)
        .bind(account_id)
        .bind(lifetime_secs)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The account of a live session: known, not expired, its account not
    /// disabled.
    pub async fn session_account(&self, token_hash: &str) -> Result<Option<Account>> {
        let row = sql::query(
            "select a.account_id, a.name, a.role, a.password_hash, a.disabled_at \
             from session s join account a using (account_id) \
             where s.token_hash = ? and s.expires_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
               and a.disabled_at is null",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row
            .as_ref()
            .map(read_account)
            .transpose()?
            .map(|stored| stored.account))
    }

    /// Ends a session (signing out). Ending one that does not exist is fine.
    pub async fn end_session(&self, token_hash: &str) -> Result<()> {
        sql::query("delete from session where token_hash = ?")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Forgets expired sessions; returns how many.
    pub async fn end_expired_sessions(&self) -> Result<u64> {
        let done = sql::query(
            "delete from session where expires_at <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
        )
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }
}

/// A live API token's account and scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenOwner {
    /// The account the token acts for.
    pub account: Account,
    /// What the token may do.
    pub scope: TokenScope,
}

fn read_token(row: &AnyRow) -> Result<ApiToken> {
    Ok(ApiToken {
        id: row.try_get("api_token_id")?,
        name: row.try_get("name")?,
        scope: row.try_get("scope")?,
        created_at: row.try_get("created_at")?,
        last_used_at: row.try_get("last_used_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

impl Store {
    /// Records a new API token (its hash) for `account_id`.
    pub async fn create_api_token(
        &self,
        account_id: i64,
        name: &str,
        token_hash: &str,
        scope: TokenScope,
    ) -> Result<ApiToken> {
        let row = sql::query(
            "insert into api_token (account_id, name, token_hash, scope) values (?, ?, ?, ?) \
             returning api_token_id, name, scope, created_at, last_used_at, revoked_at",
        )
        .bind(account_id)
        .bind(name)
        .bind(token_hash)
        .bind(scope.as_str())
        .fetch_one(&self.pool)
        .await?;
        read_token(&row)
    }

    /// The API tokens of `account_id`, newest first, revoked ones included.
    pub async fn api_tokens(&self, account_id: i64) -> Result<Vec<ApiToken>> {
        let rows = sql::query(
            "select api_token_id, name, scope, created_at, last_used_at, revoked_at \
             from api_token where account_id = ? order by api_token_id desc",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(read_token).collect()
    }

    /// Revokes token `id` of `account_id`; [`DbError::NotFound`] when they
    /// have no such token (someone else's is not theirs to revoke).
    pub async fn revoke_api_token(&self, account_id: i64, id: i64) -> Result<()> {
        let done = sql::query(
            "update api_token set revoked_at = coalesce(revoked_at, \
             strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) where api_token_id = ? and account_id = ?",
        )
        .bind(id)
        .bind(account_id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }

    /// The owner of a live token (not revoked, account enabled), noting
    /// its use at most once a minute so API traffic is not a write each.
    pub async fn api_token_owner(&self, token_hash: &str) -> Result<Option<TokenOwner>> {
        let row = sql::query(
            "select t.api_token_id, t.scope, a.account_id, a.name, a.role, a.password_hash, \
             a.disabled_at from api_token t join account a using (account_id) \
             where t.token_hash = ? and t.revoked_at is null and a.disabled_at is null",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let id: i64 = row.try_get("api_token_id")?;
        let scope: String = row.try_get("scope")?;
        sql::query(
            "update api_token set last_used_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
             where api_token_id = ? and (last_used_at is null \
               or last_used_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-60 seconds'))",
        )
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(Some(TokenOwner {
            account: read_account(&row)?.account,
            // The CHECK constraint admits only the two names.
            scope: TokenScope::parse(&scope).unwrap_or(TokenScope::Read),
        }))
    }
}
