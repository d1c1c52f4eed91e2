//! The crate's single error type.
//!
//! Variants are split by what the caller should *do*, not by where the failure
//! happened: `Locked` and `NotReady` have a recovery path (fall back to read-only,
//! tell the operator to reindex), the rest are plain failures to report.

use std::path::PathBuf;

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// Another writer (another process, or another handle in this process) holds
    /// tantivy's writer lock on this directory. Open it with
    /// [`Mode::ReadOnly`](crate::Mode::ReadOnly) instead, or stop the other writer.
    #[error("the search index at {} is locked by another writer", dir.display())]
    Locked {
        /// The index directory that is locked.
        dir: PathBuf,
    },
    /// A read-only open found no usable index (missing, unreadable, never built, or
    /// built for another schema version). The message tells the operator how to build
    /// it; a read-only handle never repairs anything itself.
    #[error("{0}")]
    NotReady(String),
    /// A write (`apply`/`rebuild`) was attempted on a handle opened with
    /// [`Mode::ReadOnly`](crate::Mode::ReadOnly).
    #[error("the search index was opened read-only and cannot be written")]
    ReadOnly,
    /// The index holds data this crate did not write (an unparsable commit payload, a
    /// stored document without an id). Rebuilding the index from the database fixes it.
    #[error("the search index is corrupt: {0}")]
    Corrupt(String),
    /// The index directory could not be created or cleared.
    #[error("search index directory {}: {source}", path.display())]
    Io {
        /// The file or directory the operation failed on.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Tantivy itself failed (I/O while indexing or searching, a dead indexing thread).
    #[error("search index failure: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// `Result` with [`SearchError`] as the default error.
pub type Result<T, E = SearchError> = std::result::Result<T, E>;
