//! The store's error type.

/// What a store operation can fail with.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The row asked for does not exist (or no longer does).
    #[error("not found")]
    NotFound,
    /// The edit was based on an older version than the one stored: someone
    /// else saved in between. Nothing was written.
    #[error("stale edit: based on version {expected}, but version {current} is stored")]
    Conflict {
        /// The version the edit was based on.
        expected: i64,
        /// The version now stored.
        current: i64,
    },
    /// A change to an action item was based on an older version of the
    /// item than the one stored: someone else changed it in between.
    /// Nothing was written (not even the other items of a bulk change).
    #[error("stale change: action item {item} is at version {current}, the change was based on version {expected}")]
    StaleItem {
        /// The item.
        item: i64,
        /// The version the change was based on.
        expected: i64,
        /// The version now stored.
        current: i64,
    },
    /// The content names something the database cannot accept: a link to a
    /// postmortem that does not exist, or to the postmortem itself. Nothing
    /// was written. `field` is the input field in the dotted form of
    /// [`kb_domain::ValidationErrors`] (`links.2.target`), so the caller can
    /// show it beside the field like any validation error.
    #[error("{field}: {message}")]
    Invalid {
        /// The input field, e.g. `links.0.target`.
        field: String,
        /// What is wrong, in words a user can act on.
        message: String,
    },
    /// A copy's target already holds data (`rows` rows in `table`):
    /// instances are copied only into an empty database. Nothing was
    /// written.
    #[error(
        "the target database already holds data ({rows} rows in {table}); copy into an empty one"
    )]
    NotEmpty {
        /// The first table found holding rows.
        table: String,
        /// How many.
        rows: i64,
    },
    /// An account with this name exists already (names ignore case).
    #[error("an account named {0} exists already")]
    NameTaken(String),
    /// An integration with this name exists already (names ignore case).
    #[error("an integration named {0} exists already")]
    IntegrationExists(String),
    /// The first administrator can be created only while there is none.
    #[error("an administrator exists already")]
    AdminExists,
    /// The change would leave no enabled administrator. Nothing changed.
    #[error("the last administrator cannot be demoted or disabled")]
    LastAdmin,
    /// A stored revision could not be read back.
    #[error("revision snapshot is unreadable: {0}")]
    Snapshot(#[from] serde_json::Error),
    /// The database could not be opened at the given location.
    #[error("cannot open the database at {location}: {source}")]
    Open {
        /// Path or URL, with any password removed.
        location: String,
        /// The underlying cause.
        source: sqlx::Error,
    },
    /// The schema could not be brought up to date.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Any other database failure; the caller should log it and show a
    /// generic message.
    #[error("database error: {0}")]
    Sqlx(sqlx::Error),
}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => DbError::NotFound,
            other => DbError::Sqlx(other),
        }
    }
}

/// Result alias of the store.
pub type Result<T, E = DbError> = std::result::Result<T, E>;
