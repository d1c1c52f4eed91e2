//! The sign-in throttle: failed sign-ins counted per key (an account and
//! address, or an address) over a sliding window, in the database, so
//! every replica on it counts the same attempts and a restart forgets
//! nothing.

use super::{internal, AppError};
use kb_db::{AttemptCount, Store};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Failed sign-ins allowed for one account from one address per window.
pub(crate) const FAILURES_PER_ACCOUNT: usize = 5;
/// Failed sign-ins allowed from one address, whatever the accounts, per
/// window: someone trying many names.
pub(crate) const FAILURES_PER_ADDRESS: usize = 20;
/// The window the failures are counted in.
pub(crate) const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// One attempt to sign in `name` from `address`, counted as failed until
/// it is known not to be.
pub(crate) struct Attempt {
    store: Store,
    account_key: String,
    /// The rows counted: the pair's, then the address's.
    ids: Vec<i64>,
}

impl Attempt {
    /// Counts the attempt, or refuses it (nothing counted) when the pair or
    /// the address has had its allowed failures in the window.
    pub(crate) async fn count(
        store: &Store,
        name: &str,
        address: &str,
    ) -> Result<Attempt, AppError> {
        let account_key = format!("{}|{address}", name.trim().to_lowercase());
        let address_key = format!("|{address}");
        let counted = store
            .count_sign_in_attempt(
                &[
                    (&account_key, FAILURES_PER_ACCOUNT),
                    (&address_key, FAILURES_PER_ADDRESS),
                ],
                FAILURE_WINDOW.as_millis() as i64,
                now_ms(),
            )
            .await
            .map_err(|e| internal("could not count a sign-in attempt", e))?;
        match counted {
            AttemptCount::Counted(ids) => Ok(Attempt {
                store: store.clone(),
                account_key,
                ids,
            }),
            AttemptCount::Wait(ms) => {
                tracing::warn!(address, "sign-in throttled");
                Err(AppError::TooManyAttempts((ms as u64).div_ceil(1000).max(1)))
            }
        }
    }

    /// The password was right: the pair's failures are forgotten, the
    /// address keeps its others.
    pub(crate) async fn succeeded(self) -> Result<(), AppError> {
        self.store
            .forget_sign_in_failures(&self.account_key)
            .await
            .map_err(|e| internal("could not forget sign-in failures", e))?;
        // The address's own row is the second one counted.
        self.take_back(&self.ids[1..]).await
    }

    /// Nothing was checked (the server is busy or failed): the attempt
    /// does not count against the person.
    pub(crate) async fn not_checked(self) -> Result<(), AppError> {
        self.take_back(&self.ids).await
    }

    async fn take_back(&self, ids: &[i64]) -> Result<(), AppError> {
        self.store
            .take_back_sign_in_attempts(ids)
            .await
            .map_err(|e| internal("could not take back a sign-in attempt", e))
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}
