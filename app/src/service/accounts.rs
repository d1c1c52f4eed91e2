//! Accounts: the first admin, new accounts, signing in and out, and the
//! session behind a cookie.
//!
//! Owns everything secret: passwords are hashed here with argon2id (on a
//! blocking thread, a bounded number at once: see `super::hash_gate`), session
//! tokens are drawn here from the operating system's generator and only
//! their SHA-256 reaches the store. Failed sign-ins are counted per account
//! and address and per address (`super::throttle`), so guessing is slow;
//! an attempt counts as a failure from before its password is checked, so
//! attempts sent side by side cannot all slip under the limit.

use super::hash_gate::HashGate;
use super::throttle::Attempt;
use crate::error::AppError;
use crate::service::internal;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use kb_db::{DbError, Store};
use kb_domain::accounts::{
    password_problem, validate_new_account, Account, ApiToken, Role, TokenScope, MAX_ACCOUNT_NAME,
};
use kb_domain::ValidationErrors;
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a sign-in lasts.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(30 * 24 * 3600);

/// What every API token starts with: tells it apart from a session token,
/// and lets secret scanners recognise a leaked one.
pub const TOKEN_PREFIX: &str = "hs_";

/// A session token as the browser holds it: 256 random bits, in hex.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(pub String);

impl std::fmt::Debug for SessionToken {
    // Tokens are credentials: never in a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(..)")
    }
}

impl SessionToken {
    fn new() -> Result<Self, AppError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| internal("no randomness for a session", e))?;
        Ok(SessionToken(hex(&bytes)))
    }

    /// What the store keeps: the token's SHA-256, so a copy of the database
    /// holds no working token.
    fn stored(&self) -> String {
        hex(&Sha256::digest(self.0.as_bytes()))
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Accounts over the store, with the sign-in throttle.
#[derive(Debug, Clone)]
pub struct Accounts {
    store: Store,
    /// Every password hash and check goes through it.
    gate: Arc<HashGate>,
    /// Set once an administrator is known to exist: accounts are then in
    /// force for good (administrators are never removed), and the store
    /// need not be asked again on every request.
    admin_seen: Arc<AtomicBool>,
    /// When the store last said there is no administrator. Trusted for
    /// [`OPEN_RECHECK`], so an open instance does not ask on every request
    /// (searches answered from the cache would otherwise each wait for it).
    open_since: Arc<Mutex<Option<Instant>>>,
}

/// How long "no administrator yet" is believed before the store is asked
/// again: an administrator added by `hindsight user add` in another
/// process takes effect within this. One made through this server takes
/// effect at once.
const OPEN_RECHECK: Duration = Duration::from_secs(1);

impl Accounts {
    /// Accounts kept in `store`.
    pub fn new(store: Store) -> Self {
        Accounts {
            store,
            gate: Arc::default(),
            admin_seen: Arc::default(),
            open_since: Arc::default(),
        }
    }

    /// True once an administrator exists: from then on, only signed-in
    /// accounts get in (see `access`).
    pub async fn enforced(&self) -> Result<bool, AppError> {
        if self.admin_seen.load(Ordering::Relaxed) {
            return Ok(true);
        }
        let checked = *self.open_since.lock().unwrap_or_else(|e| e.into_inner());
        if checked.is_some_and(|at| at.elapsed() < OPEN_RECHECK) {
            return Ok(false);
        }
        let open = self.setup_open().await?;
        if open {
            *self.open_since.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
        } else {
            self.admin_seen.store(true, Ordering::Relaxed);
        }
        Ok(!open)
    }

    /// True while no administrator exists: the setup page is open.
    pub async fn setup_open(&self) -> Result<bool, AppError> {
        let has = self
            .store
            .has_admin()
            .await
            .map_err(|e| internal("could not read the accounts", e))?;
        Ok(!has)
    }

    /// Creates the first administrator from the setup form and signs them
    /// in. Refused once any administrator exists.
    pub async fn set_up(
        &self,
        name: &str,
        password: &str,
        confirm: &str,
    ) -> Result<(Account, SessionToken), AppError> {
        let name = validate_new_account(name, password, confirm)?;
        let hash = self.hash(password).await?;
        let account = self
            .store
            .create_first_admin(&name, &hash)
            .await
            .map_err(account_error)?;
        self.admin_seen.store(true, Ordering::Relaxed);
        let token = self.start_session(&account).await?;
        Ok((account, token))
    }

    /// Creates an account (the CLI and the admin page).
    pub async fn add(&self, name: &str, password: &str, role: Role) -> Result<Account, AppError> {
        let name = validate_new_account(name, password, password)?;
        let hash = self.hash(password).await?;
        let account = self
            .store
            .create_account(&name, &hash, role)
            .await
            .map_err(account_error)?;
        if role == Role::Admin {
            self.admin_seen.store(true, Ordering::Relaxed);
        }
        Ok(account)
    }

    /// Changes account `id`: its role (a role name) and whether it is
    /// disabled. Refused when it would leave no enabled administrator.
    pub async fn change(
        &self,
        id: i64,
        role: Option<&str>,
        disabled: Option<bool>,
    ) -> Result<(), AppError> {
        let role = match role.map(|r| (r, Role::parse(r))) {
            Some((_, Some(role))) => Some(role),
            Some((text, None)) => {
                let mut errors = ValidationErrors::default();
                errors.push(
                    "role",
                    format!("{text:?} is not a role; one of {}.", Role::names()),
                );
                return Err(errors.into());
            }
            None => None,
        };
        match self.store.change_account(id, role, disabled).await {
            Ok(()) => {
                tracing::info!(account = id, ?role, ?disabled, "account changed");
                Ok(())
            }
            Err(DbError::LastAdmin) => {
                let mut errors = ValidationErrors::default();
                errors.push(
                    "form",
                    "That would leave no administrator; make someone else an administrator first.",
                );
                Err(errors.into())
            }
            Err(DbError::NotFound) => Err(AppError::NotFound),
            Err(e) => Err(internal("could not change the account", e)),
        }
    }

    /// Sets `name`'s password; every session of theirs ends and every API
    /// token of theirs is revoked.
    pub async fn set_password(&self, name: &str, password: &str) -> Result<(), AppError> {
        if let Some(message) = password_problem(password) {
            let mut errors = ValidationErrors::default();
            errors.push("password", message);
            return Err(errors.into());
        }
        let hash = self.hash(password).await?;
        self.store
            .set_password_hash(name, &hash)
            .await
            .map_err(account_error)
    }

    /// Every account, by name, with whether it is disabled.
    pub async fn list(&self) -> Result<Vec<(Account, bool)>, AppError> {
        let all = self
            .store
            .accounts()
            .await
            .map_err(|e| internal("could not read the accounts", e))?;
        Ok(all.into_iter().map(|a| (a.account, a.disabled)).collect())
    }

    /// Checks a name and password from `address` and starts a session.
    /// Every refusal says the same ("wrong name or password") whether the
    /// name exists or not, and takes as long; after too many failures the
    /// pair (and then the address) must wait, even with the right password.
    pub async fn sign_in(
        &self,
        name: &str,
        password: &str,
        address: &str,
    ) -> Result<(Account, SessionToken), AppError> {
        // Counted as failed until it succeeds: attempts sent side by side
        // (to this process or another on the database) each see the ones
        // before them, so no more than the limit are ever checked.
        let attempt = Attempt::count(&self.store, name, address).await?;
        let stored = match self.check_password(name, password).await {
            Ok(Some(stored)) => {
                attempt.succeeded().await?;
                stored
            }
            Ok(None) => {
                tracing::info!(address, "sign-in refused");
                return Err(AppError::Unauthorized(
                    "Wrong name or password.".to_string(),
                ));
            }
            Err(e) => {
                attempt.not_checked().await?;
                return Err(e);
            }
        };
        let token = self.start_session(&stored.account).await?;
        tracing::info!(account = stored.account.id, "signed in");
        Ok((stored.account, token))
    }

    /// The enabled account `name` when `password` is its password. Every
    /// refusal takes as long as a check: the answer's timing does not tell
    /// which names exist.
    async fn check_password(
        &self,
        name: &str,
        password: &str,
    ) -> Result<Option<kb_db::StoredAccount>, AppError> {
        let stored = self
            .store
            .account_for_sign_in(name)
            .await
            .map_err(|e| internal("could not read the accounts", e))?;
        let password_ok = match &stored {
            Some(s) if !s.disabled && password.len() <= kb_domain::accounts::MAX_PASSWORD => {
                let (password, hash) = (password.to_string(), s.password_hash.clone());
                self.gate
                    .run(move || verify_password(&password, &hash))
                    .await?
                    .map_err(|e| internal("a stored password hash is unreadable", e))?
            }
            _ => {
                let _ = self.hash("timing equaliser").await?;
                false
            }
        };
        Ok(stored.filter(|_| password_ok))
    }

    /// Makes an API token for `account`; returns it and its secret, which
    /// is shown once and kept only as a hash.
    pub async fn create_token(
        &self,
        account: &Account,
        name: &str,
        scope: &str,
    ) -> Result<(ApiToken, String), AppError> {
        let mut errors = ValidationErrors::default();
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_ACCOUNT_NAME {
            errors.push(
                "name",
                format!("A token needs a name of 1 to {MAX_ACCOUNT_NAME} characters."),
            );
        }
        let scope = TokenScope::parse(scope);
        if scope.is_none() {
            errors.push(
                "scope",
                format!("The scope is one of {}.", TokenScope::names()),
            );
        }
        let (Some(scope), true) = (scope, errors.is_empty()) else {
            return Err(errors.into());
        };
        let secret = SessionToken::new()?;
        let secret = SessionToken(format!("{TOKEN_PREFIX}{}", secret.0));
        let token = self
            .store
            .create_api_token(account.id, name, &secret.stored(), scope)
            .await
            .map_err(|e| internal("could not save the token", e))?;
        tracing::info!(account = account.id, token = token.id, "API token created");
        Ok((token, secret.0))
    }

    /// `account`'s API tokens, newest first.
    pub async fn tokens(&self, account: &Account) -> Result<Vec<ApiToken>, AppError> {
        self.store
            .api_tokens(account.id)
            .await
            .map_err(|e| internal("could not read the tokens", e))
    }

    /// Revokes `account`'s token `id`.
    pub async fn revoke_token(&self, account: &Account, id: i64) -> Result<(), AppError> {
        match self.store.revoke_api_token(account.id, id).await {
            Ok(()) => {
                tracing::info!(account = account.id, token = id, "API token revoked");
                Ok(())
            }
            Err(DbError::NotFound) => Err(AppError::NotFound),
            Err(e) => Err(internal("could not revoke the token", e)),
        }
    }

    /// The account an API token acts for, its role capped by the token's
    /// scope; `None` for an unknown or revoked token.
    pub async fn token_account(&self, secret: &str) -> Result<Option<Account>, AppError> {
        if !secret.starts_with(TOKEN_PREFIX) || secret.len() != TOKEN_PREFIX.len() + 64 {
            return Ok(None);
        }
        let owner = self
            .store
            .api_token_owner(&SessionToken(secret.to_string()).stored())
            .await
            .map_err(|e| internal("could not read the token", e))?;
        Ok(owner.map(|owner| Account {
            role: owner.scope.cap(owner.account.role),
            ..owner.account
        }))
    }

    /// The account a session token belongs to, while the session lives.
    pub async fn session(&self, token: &str) -> Result<Option<Account>, AppError> {
        // Anything that cannot be a token is not looked up.
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        self.store
            .session_account(&SessionToken(token.to_string()).stored())
            .await
            .map_err(|e| internal("could not read the session", e))
    }

    /// Ends the session of `token` (signing out).
    pub async fn sign_out(&self, token: &str) -> Result<(), AppError> {
        self.store
            .end_session(&SessionToken(token.to_string()).stored())
            .await
            .map_err(|e| internal("could not end the session", e))
    }

    async fn start_session(&self, account: &Account) -> Result<SessionToken, AppError> {
        let token = SessionToken::new()?;
        self.store
            .start_session(
                &token.stored(),
                account.id,
                SESSION_LIFETIME.as_secs() as i64,
            )
            .await
            .map_err(|e| internal("could not start a session", e))?;
        // Expired sessions are swept as new ones start: no timer needed.
        if let Err(e) = self.store.end_expired_sessions().await {
            tracing::warn!(error = %e, "could not sweep expired sessions");
        }
        Ok(token)
    }
}

/// A store refusal about an account as the user should see it.
fn account_error(e: DbError) -> AppError {
    let mut errors = ValidationErrors::default();
    match e {
        DbError::NameTaken(_) => errors.push("name", "That name is taken."),
        DbError::AdminExists => {
            return AppError::Forbidden(
                "An administrator exists already; sign in instead.".to_string(),
            )
        }
        DbError::NotFound => errors.push("name", "There is no account with that name."),
        other => return internal("could not save the account", other),
    }
    AppError::Invalid(errors)
}

impl Accounts {
    /// `password`'s argon2id hash, in PHC form, through the gate.
    async fn hash(&self, password: &str) -> Result<String, AppError> {
        let password = password.to_string();
        self.gate
            .run(move || {
                Argon2::default()
                    .hash_password(password.as_bytes())
                    .map(|hash| hash.to_string())
            })
            .await?
            .map_err(|e| internal("could not hash the password", e))
    }
}

fn verify_password(password: &str, stored: &str) -> Result<bool, argon2::password_hash::Error> {
    let hash = PasswordHash::new(stored)?;
    Ok(Argon2::default()
        .verify_password(password.as_bytes(), &hash)
        .is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_stored_hashed() {
        let a = SessionToken::new().unwrap();
        let b = SessionToken::new().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.0.len(), 64);
        assert!(a.0.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(a.stored().len(), 64);
        assert_ne!(a.stored(), a.0);
        assert_eq!(a.stored(), a.stored());
    }
}
