//! [`SearchIndex`]: opening (with locking and self-repair), writing, and searching.
//!
//! Concurrency model: one `SearchIndex` is shared (in an `Arc`) by every request
//! handler. Searches take a fresh `Searcher` each, so they never block each other or
//! the writer. Writes serialize on a mutex around tantivy's `IndexWriter`, and each
//! `apply`/`rebuild` is exactly one commit, so a reader sees a batch entirely or not
//! at all.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use tantivy::directory::error::LockError;
use tantivy::directory::{MmapDirectory, INDEX_WRITER_LOCK};
use tantivy::directory::{WatchCallback, WatchHandle};
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::{Directory, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyError, Term};

use crate::analyzer;
use crate::document::{self, Change, IndexDoc};
use crate::error::{Result, SearchError};
use crate::order;
use crate::schema::{self, Fields, SCHEMA_VERSION};
use crate::state::IndexState;
use crate::storage::{self, Inspection};

/// Memory the writer may buffer before flushing a segment. Postmortems are small;
/// this is tantivy's customary budget and keeps a full rebuild to a segment or two.
const WRITER_MEMORY_BYTES: usize = 50_000_000;

/// Below this many documents an index is not worth regrouping: at 1,000 a
/// rebuild takes well under a second, and a search of it a fraction of a
/// millisecond whatever the order.
pub const REGROUP_MIN: u64 = 1_000;

/// Whether a commit's operations regrouped the whole index by topic.
enum Regrouped {
    No,
    /// Yes, adding this many documents.
    All(u64),
}

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

    /// Applies `changes` in one commit recording `high_water`, then makes them visible
    /// to the next search.
    ///
    /// An upsert deletes and re-adds within the commit, so searches see the old or
    /// the new version, never neither. When an id appears several times, the last
    /// change wins. Fails with [`SearchError::ReadOnly`] in read-only mode.
    pub fn apply(&self, changes: Vec<Change>, high_water: i64) -> Result<()> {
        let fields = self.fields;
        self.commit(high_water, move |writer| {
            for change in last_change_per_id(changes) {
                writer.delete_term(Term::from_field_i64(fields.id, change.id()));
                if let Change::Upsert(doc) = change {
                    for doc in document::to_tantivy(&fields, doc) {
                        writer.add_document(doc)?;
                    }
                }
            }
            Ok(Regrouped::No)
        })
    }

    /// Replaces the whole content with `docs` (ids must be unique) in one commit
    /// recording `high_water`. Searches keep seeing the old content until it is done.
    pub fn rebuild(&self, docs: impl IntoIterator<Item = IndexDoc>, high_water: i64) -> Result<()> {
        let fields = self.fields;
        let writer = self.writer.as_ref().ok_or(SearchError::ReadOnly)?;
        // The rebuild's own segments are merged into one below, all at once;
        // merging them pairwise as they appear would copy the data repeatedly.
        lock_writer(writer)?.set_merge_policy(Box::new(NoMergePolicy));
        let built = self.commit(high_water, move |writer| {
            writer.delete_all_documents()?;
            let mut added = 0;
            for doc in order::by_topic(docs.into_iter().collect()) {
                for doc in document::to_tantivy(&fields, doc) {
                    writer.add_document(doc)?;
                    added += 1;
                }
            }
            Ok(Regrouped::All(added))
        });
        let mut writer = lock_writer(writer)?;
        writer.set_merge_policy(Box::<LogMergePolicy>::default());
        built?;
        // One segment: every query opens each term's postings once per
        // segment, so a rebuilt index of many segments searches slower.
        // Merging keeps the commit's payload (the high-water mark).
        let segments = self.index.searchable_segment_ids()?;
        if segments.len() > 1 {
            // Not an error if it fails (a merge begun before the rebuild may
            // hold a segment): the index is complete, only slower to search.
            let _ = writer.merge(&segments).wait();
        }
        self.reloads.reload(&self.reader)?;
        Ok(())
    }

    /// Whether the index has at least doubled (to [`REGROUP_MIN`] documents
    /// or more) since a rebuild last grouped it by topic: writes add
    /// documents after the groups, where searches skip less of their
    /// postings (see the `order` module). Rebuilding at each doubling keeps
    /// most of the index grouped and costs, over the index's life, about
    /// two rebuilds of its final size.
    pub fn should_regroup(&self) -> Result<bool> {
        let grouped = self.state()?.map_or(0, |state| state.grouped);
        let now = self.num_docs();
        Ok(now >= REGROUP_MIN && now >= grouped.saturating_mul(2))
    }

    /// Runs `operations` and commits them with `high_water` in the payload.
    fn commit(
        &self,
        high_water: i64,
        operations: impl FnOnce(&mut IndexWriter) -> tantivy::Result<Regrouped>,
    ) -> Result<()> {
        let writer = self.writer.as_ref().ok_or(SearchError::ReadOnly)?;
        let mut writer = lock_writer(writer)?;
        // The last commit's count, carried forward by writes that add to
        // it. A payload that cannot be read only costs an early regrouping;
        // it must not stop the write.
        let grouped = self.state().ok().flatten().map_or(0, |state| state.grouped);
        let outcome = operations(&mut writer).and_then(|regrouped| {
            let state = IndexState {
                schema_version: SCHEMA_VERSION,
                high_water,
                grouped: match regrouped {
                    Regrouped::No => grouped,
                    Regrouped::All(added) => added,
                },
            };
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(&state.to_payload());
            prepared.commit().map(drop)
        });
        if let Err(err) = outcome {
            // Drop whatever was queued, so a later commit cannot publish half of this
            // batch under its own high-water mark. If the rollback fails too the writer
            // is unusable and will say so next time; the first error is the useful one.
            let _ = writer.rollback();
            return Err(err.into());
        }
        // Still holding the writer: reloads happen in commit order.
        self.reloads.reload(&self.reader)?;
        Ok(())
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

    /// Commits an arbitrary state, to simulate indexes written by other versions.
    #[cfg(test)]
    pub(crate) fn commit_state_for_tests(&self, state: IndexState) -> Result<()> {
        let writer = self.writer.as_ref().ok_or(SearchError::ReadOnly)?;
        let mut writer = lock_writer(writer)?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&state.to_payload());
        prepared.commit()?;
        Ok(())
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

/// Locks the writer, recovering from a panic in an earlier write.
fn lock_writer(writer: &Mutex<IndexWriter>) -> Result<MutexGuard<'_, IndexWriter>> {
    match writer.lock() {
        Ok(guard) => Ok(guard),
        Err(poisoned) => {
            // The panicking write may have queued operations without committing them;
            // roll them back so they are not published by the next commit.
            let mut guard = poisoned.into_inner();
            guard.rollback()?;
            writer.clear_poison();
            Ok(guard)
        }
    }
}

/// Keeps only the last change for each id, in their original order.
fn last_change_per_id(changes: Vec<Change>) -> Vec<Change> {
    let last: HashMap<i64, usize> = changes
        .iter()
        .enumerate()
        .map(|(position, change)| (change.id(), position))
        .collect();
    changes
        .into_iter()
        .enumerate()
        .filter(|(position, change)| last.get(&change.id()) == Some(position))
        .map(|(_, change)| change)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: i64, title: &str) -> IndexDoc {
        IndexDoc {
            id,
            external_id: None,
            title: title.into(),
            ..IndexDoc::default()
        }
    }

    #[test]
    fn is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<SearchIndex>();
    }

    #[test]
    fn last_change_per_id_keeps_the_last_one_in_order() {
        let changes = vec![
            Change::Upsert(doc(1, "first")),
            Change::Delete(2),
            Change::Upsert(doc(3, "three")),
            Change::Upsert(doc(1, "second")),
            Change::Upsert(doc(2, "back")),
        ];
        assert_eq!(
            last_change_per_id(changes),
            [
                Change::Upsert(doc(3, "three")),
                Change::Upsert(doc(1, "second")),
                Change::Upsert(doc(2, "back")),
            ]
        );
    }

    #[test]
    fn schema_version_change_wipes_and_asks_for_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        {
            let opened = SearchIndex::open(dir.path(), Mode::Writer).unwrap();
            opened
                .index
                .apply(vec![Change::Upsert(doc(1, "disk full"))], 5)
                .unwrap();
            opened
                .index
                .commit_state_for_tests(IndexState {
                    schema_version: 999,
                    high_water: 5,
                    grouped: 0,
                })
                .unwrap();
        }

        let err = SearchIndex::open(dir.path(), Mode::ReadOnly).unwrap_err();
        match err {
            SearchError::NotReady(message) => {
                assert!(message.contains("schema version 999"), "{message}");
                assert!(message.contains("hindsight reindex"), "{message}");
            }
            other => panic!("expected NotReady, got {other:?}"),
        }

        let opened = SearchIndex::open(dir.path(), Mode::Writer).unwrap();
        assert_eq!(
            opened.rebuild,
            Some(RebuildReason::SchemaChanged { found: 999 })
        );
        assert_eq!(opened.index.num_docs(), 0);
        assert_eq!(opened.index.state().unwrap(), None);
    }

    #[test]
    fn poisoned_writer_discards_the_half_written_batch() {
        let index = SearchIndex::in_ram().unwrap();
        index
            .apply(vec![Change::Upsert(doc(1, "kept"))], 1)
            .unwrap();
        let panicked =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let docs = [doc(2, "half")].into_iter().chain(std::iter::from_fn(
                    || -> Option<IndexDoc> { panic!("the database went away mid-rebuild") },
                ));
                let _ = index.rebuild(docs, 2);
            }));
        assert!(panicked.is_err());

        index
            .apply(vec![Change::Upsert(doc(3, "later"))], 3)
            .unwrap();
        let mut ids: Vec<i64> = ["kept", "half", "later"]
            .iter()
            .flat_map(|word| index.search(word, 10).unwrap().hits)
            .map(|hit| hit.id)
            .collect();
        ids.sort_unstable();
        assert_eq!(ids, [1, 3]);
        assert_eq!(index.state().unwrap().unwrap().high_water, 3);
    }
}
