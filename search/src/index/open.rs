//! Opening an index directory: as its one writer (locking it, and clearing
//! and recreating what cannot be used) or read-only beside that writer.

use std::fmt;
use std::path::Path;

use tantivy::directory::error::LockError;
use tantivy::directory::{MmapDirectory, INDEX_WRITER_LOCK};
use tantivy::{Directory, TantivyError};

use super::SearchIndex;
use crate::error::{Result, SearchError};
use crate::schema::SCHEMA_VERSION;
use crate::storage::{self, Inspection};

/// How an index is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Take the writer lock; repair or create the index as needed. For the one
    /// process that owns the index (the server, or `hindsight reindex`).
    Writer,
    /// Search only; never writes, wipes or creates anything. For tools that run
    /// alongside the writer; sees its commits shortly after they happen.
    ReadOnly,
}

/// Why `open` says the index must be rebuilt from the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RebuildReason {
    /// There was no index in the directory; an empty one was created.
    Missing,
    /// The index could not be opened (the message says why); it was cleared and
    /// recreated empty.
    Unreadable(String),
    /// The index was built for another schema version (`found`); it was cleared and
    /// recreated empty.
    SchemaChanged {
        /// The schema version recorded in the index.
        found: u32,
    },
    /// The index exists but no commit of this crate ever completed (e.g. a rebuild was
    /// interrupted), so its high-water mark is unknown.
    NeverCommitted,
}

impl fmt::Display for RebuildReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RebuildReason::Missing => f.write_str("there is no index"),
            RebuildReason::Unreadable(why) => write!(f, "the index is unreadable ({why})"),
            RebuildReason::SchemaChanged { found } => write!(
                f,
                "the index was built with schema version {found}, this build uses {SCHEMA_VERSION}"
            ),
            RebuildReason::NeverCommitted => f.write_str("the index has never been built"),
        }
    }
}

/// The result of [`SearchIndex::open`].
#[derive(Debug)]
pub struct Opened {
    /// The opened index.
    pub index: SearchIndex,
    /// `Some` when the index is empty or stale and the caller must
    /// [`rebuild`](SearchIndex::rebuild) it from the database. Always `None` in
    /// [`Mode::ReadOnly`], which reports such indexes as [`SearchError::NotReady`].
    pub rebuild: Option<RebuildReason>,
}

impl SearchIndex {
    /// Opens (creating if needed) the index in `dir`.
    ///
    /// [`Mode::Writer`] takes tantivy's writer lock ([`SearchError::Locked`] if another
    /// writer holds it), then:
    /// - no index in `dir` (created if missing): creates one, `rebuild = Some(Missing)`;
    /// - an index that cannot be opened, or was built for another
    ///   [`SCHEMA_VERSION`]: clears it and creates an empty one,
    ///   `rebuild = Some(Unreadable(..))` / `Some(SchemaChanged { .. })`;
    /// - an index never committed to: `rebuild = Some(NeverCommitted)`;
    /// - otherwise `rebuild = None`; bring it up to date with [`apply`](Self::apply)
    ///   from [`state`](Self::state)'s high-water mark.
    ///
    /// [`Mode::ReadOnly`] never writes or clears anything: any of the situations above
    /// is [`SearchError::NotReady`], whose message tells the operator to run
    /// `hindsight reindex` or start the server.
    pub fn open(dir: &Path, mode: Mode) -> Result<Opened> {
        match mode {
            Mode::Writer => open_writer(dir),
            Mode::ReadOnly => open_read_only(dir),
        }
    }
}

fn open_writer(dir: &Path) -> Result<Opened> {
    std::fs::create_dir_all(dir).map_err(|source| SearchError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let directory = MmapDirectory::open(dir).map_err(TantivyError::from)?;
    // Inspecting and possibly clearing the directory happens under tantivy's own
    // writer lock, so a second writer can never clear an index that the first is
    // using: it gets `Locked` before touching anything.
    let guard = directory
        .acquire_lock(&INDEX_WRITER_LOCK)
        .map_err(|err| match err {
            LockError::LockBusy => SearchError::Locked {
                dir: dir.to_path_buf(),
            },
            other => TantivyError::from(other).into(),
        })?;
    let (index, rebuild) = match storage::inspect(&directory) {
        Inspection::Usable(index) => (index, None),
        Inspection::NeverCommitted(index) => (index, Some(RebuildReason::NeverCommitted)),
        Inspection::Rebuild(reason) => {
            storage::wipe(dir)?;
            (storage::create(dir)?, Some(reason))
        }
    };
    // tantivy's `IndexWriter` insists on taking the lock itself, so ours is released
    // just before. Should another writer slip into that gap, it finds a valid index
    // and we report `Locked`: nothing is lost either way.
    drop(guard);
    let index = SearchIndex::from_index(index, Mode::Writer, Some(dir))?;
    Ok(Opened { index, rebuild })
}

fn open_read_only(dir: &Path) -> Result<Opened> {
    let not_ready = |reason: &dyn fmt::Display| {
        SearchError::NotReady(format!(
            "search index at {}: {reason}; run `hindsight reindex` or start the server to build it",
            dir.display()
        ))
    };
    let directory = MmapDirectory::open(dir).map_err(|err| not_ready(&err))?;
    match storage::inspect(&directory) {
        Inspection::Usable(index) => Ok(Opened {
            index: SearchIndex::from_index(index, Mode::ReadOnly, Some(dir))?,
            rebuild: None,
        }),
        Inspection::NeverCommitted(_) => Err(not_ready(&RebuildReason::NeverCommitted)),
        Inspection::Rebuild(reason) => Err(not_ready(&reason)),
    }
}
