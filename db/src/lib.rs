//! The store: SQLite or PostgreSQL through sqlx's `Any` driver, the source
//! of truth for every postmortem.
//!
//! Every write runs in one transaction that also appends to `change_log`, so
//! the search index (derived data, owned elsewhere) can follow the log and
//! catch up after a crash or after another process wrote.
//!
//! # Layout
//! - [`Store`] (`store`): the intent-named reads and writes, each one
//!   transaction; `open`: opening and migrating either engine.
//! - `postmortem`: the postmortem row (header, status, clock, impact,
//!   narrative, published stamp, name lists) and whole-record reads/saves.
//! - `parts`: the lists replaced on every save (timeline, evidence,
//!   hypotheses, whys, causes, mitigations, learnings).
//! - `action_items`: the list whose rows keep their ids across edits.
//! - `tracking`: action items across postmortems: filtered lists, counts,
//!   checked changes with their history, numbers, the recurrence view.
//! - `accounts`: accounts and their sign-in sessions (hashes only; hashing
//!   and tokens are the caller's).
//! - `links`: links between postmortems, resolved on save, read both ways.
//! - `integrations`: the alert sources allowed to post, with their secrets.
//! - `intake`: a delivery applied to its group's incident (open, add
//!   entries, resolve, reopen) in one transaction, and its suggestions.
//! - `suggestions`: an incident's suggestions read, accepted or dismissed;
//!   the ongoing incidents.
//! - `findings`: decisions on the Investigate panel's findings.
//! - `insights`: the facts the insights page is computed from, per reader.
//! - `throttle`: the sign-in throttle's failures and the requests to
//!   rebuild the search index, shared by every process on the database.
//! - `access`: private postmortems (readers, [`Hidden`] for a [`Viewer`]),
//!   groups and the audit log.
//! - `copy`: every table into another (empty) store, ids kept, for
//!   `hindsight migrate-data`.
//! - [`DbError`]: what can go wrong, by meaning rather than by sqlx variant.
//!
//! Queries are checked at run time (`sql::query`), not by the `query!`
//! macros: those need a live `DATABASE_URL` or a committed cache at build
//! time, and for one engine. `sql` numbers their placeholders and spells
//! what the engines spell differently.
#![warn(missing_docs)]

mod access;
mod accounts;
mod action_items;
mod chat;
mod copy;
mod error;
mod findings;
mod insights;
mod intake;
mod integrations;
mod links;
mod open;
mod parts;
mod postmortem;
mod sql;
mod store;
mod suggestions;
mod throttle;
mod tracking;

pub use access::{Hidden, Viewer};
pub use accounts::{StoredAccount, TokenOwner};
pub use chat::NewChatRequest;
pub use copy::{DERIVED, TABLES};
pub use error::{DbError, Result};
pub use intake::{
    opens_incident, GroupIncident, IntakeEvent, IntakeOutcome, IntakeState, IntakeWrite,
    MAX_ALERT_ENTRIES, MAX_ALERT_EVIDENCE,
};
pub use integrations::{Integration, IntegrationSecret, NewIntegration};
pub use sql::{new_postgres_database, Engine};
pub use store::{ChangeEntry, ChangeOp, ImportOutcome, Store};
pub use suggestions::MAX_ONGOING;
pub use throttle::AttemptCount;

/// The embedded SQLite migrations, public so tests can build databases with
/// exactly the production schema.
pub static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");

/// The embedded PostgreSQL migrations: the same schema, file by file.
pub static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");
