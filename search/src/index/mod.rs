//! [`SearchIndex`]: opening (with locking and self-repair), writing, and searching.
//!
//! Concurrency model: one `SearchIndex` is shared (in an `Arc`) by every request
//! handler. Searches take a fresh `Searcher` each, so they never block each other or
//! the writer. Writes serialize on a mutex around tantivy's `IndexWriter`, and each
//! `apply`/`rebuild` is exactly one commit, so a reader sees a batch entirely or not
//! at all.
//!
//! This module holds the handle and its reader; `open` finds, repairs or
//! creates the index on disk, and `write` applies changes and rebuilds, one
//! commit each. Searching is the `search` module's.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tantivy::directory::error::LockError;
use tantivy::directory::{WatchCallback, WatchHandle};
use tantivy::{Directory, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyError};

use crate::analyzer;
use crate::error::{Result, SearchError};
use crate::schema::{self, Fields};
use crate::state::IndexState;

mod open;
#[cfg(test)]
mod tests;
mod write;

pub use open::{Mode, Opened, RebuildReason};
pub use write::REGROUP_MIN;

/// Memory the writer may buffer before flushing a segment. Postmortems are small;
/// this is tantivy's customary budget and keeps a full rebuild to a segment or two.
const WRITER_MEMORY_BYTES: usize = 50_000_000;

/// The postmortem index. `Send + Sync`; share it in an `Arc` and call its (blocking)
/// methods from `spawn_blocking`.
pub struct SearchIndex {
    pub(crate) index: Index,
    pub(crate) fields: Fields,
    pub(crate) reader: IndexReader,
    /// `None` in read-only mode.
    writer: Option<Mutex<IndexWriter>>,
    /// Serializes the writer's reloads (see [`Reloads`]).
    reloads: Reloads,
    /// What searches by callers who may not see some postmortems have
    /// counted about those postmortems' documents.
    pub(crate) hidden_counts: Mutex<crate::visible::Counts>,
    /// The directory, for messages; `None` in RAM.
    dir: Option<PathBuf>,
}

/// A writer's reader reloads after each of its own commits (read-your-writes)
/// and whenever the index's meta file changes, so searches see the segments
/// background merges make: a reader left on many small segments makes every
/// query pay for each. Reloads take turns, so a reload started before a
/// commit cannot land after that commit's own reload and step back in time.
#[derive(Default)]
struct Reloads {
    turn: Arc<Mutex<()>>,
    /// Keeps the meta-file watch alive.
    _watch: Option<Arc<WatchHandle>>,
}

impl Reloads {
    fn watch(index: &Index, reader: &IndexReader) -> Result<Reloads> {
        let turn = Arc::new(Mutex::new(()));
        let (watch_turn, watch_reader) = (turn.clone(), reader.clone());
        let watch = index.directory().watch(WatchCallback::new(move || {
            let _turn = watch_turn
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            // A failed reload leaves the previous view, which is still valid;
            // the next commit or change tries again.
            let _ = watch_reader.reload();
        }))?;
        Ok(Reloads {
            turn,
            _watch: Some(Arc::new(watch)),
        })
    }

    fn reload(&self, reader: &IndexReader) -> Result<()> {
        let _turn = self
            .turn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        reader.reload()?;
        Ok(())
    }
}

impl fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.dir)
            .field("writable", &self.writer.is_some())
            .field("num_docs", &self.num_docs())
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// An in-RAM writer index, for tests.
    pub fn in_ram() -> Result<SearchIndex> {
        let index = Index::builder()
            .schema(schema::build())
            .settings(schema::settings())
            .create_in_ram()?;
        SearchIndex::from_index(index, Mode::Writer, None)
    }

    fn from_index(index: Index, mode: Mode, dir: Option<&Path>) -> Result<SearchIndex> {
        analyzer::register(&index);
        let fields = Fields::from_schema(&index.schema())?;
        let (writer, reload_policy) = match mode {
            Mode::Writer => {
                let writer = index.writer(WRITER_MEMORY_BYTES).map_err(|err| match err {
                    TantivyError::LockFailure(LockError::LockBusy, _) => SearchError::Locked {
                        dir: dir.map(Path::to_path_buf).unwrap_or_default(),
                    },
                    other => other.into(),
                })?;
                // Reloaded by `Reloads`.
                (Some(Mutex::new(writer)), ReloadPolicy::Manual)
            }
            // Another process commits; pick its commits up as they land.
            Mode::ReadOnly => (None, ReloadPolicy::OnCommitWithDelay),
        };
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(reload_policy)
            .try_into()?;
        let reloads = match writer {
            Some(_) => Reloads::watch(&index, &reader)?,
            None => Reloads::default(),
        };
        Ok(SearchIndex {
            index,
            fields,
            reader,
            writer,
            reloads,
            hidden_counts: Mutex::default(),
            dir: dir.map(Path::to_path_buf),
        })
    }

    /// The state recorded by the last commit (`None` if never committed).
    pub fn state(&self) -> Result<Option<IndexState>> {
        // Read from `meta.json` rather than the reader, so a read-only handle reports
        // the writer's latest commit even before its reader has reloaded.
        let metas = self.index.load_metas()?;
        metas
            .payload
            .as_deref()
            .map(IndexState::from_payload)
            .transpose()
    }

    /// Number of segments searches go through (each costs every query a
    /// dictionary lookup per term).
    pub fn segment_count(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    /// Number of documents visible to searches.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}
