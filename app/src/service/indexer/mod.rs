//! Keeps one search index in step with the database by following its change
//! log.
//!
//! The index stores, in its own commit, the sequence number of the last
//! change it applied (its high-water mark). Catching up means replaying every
//! change-log entry above that mark: re-reading each touched postmortem from
//! the database and upserting it, or deleting it when it is gone. Replaying is
//! idempotent, so a crash between the database commit and the index commit
//! only means some entries are applied again on the next catch-up.
//!
//! Only one process can write an index (tantivy holds a lock file). The
//! process that gets the lock follows the log; any other process on the same
//! data folder (a CLI import beside a running server) opens the index
//! read-only and leaves indexing to the lock holder, which polls the log.
//!
//! [`document`] turns a postmortem into what the index stores.

use super::answer::Answer;
use document::to_doc;
use kb_db::Store;
use kb_domain::SearchQuery;
use kb_search::{Change, Filters, Mode, ResultCache, SearchError, SearchIndex, SearchRequest};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

mod document;

/// Change-log entries read and applied per index commit.
const BATCH: i64 = 500;
/// Postmortems read per page while rebuilding.
const REBUILD_PAGE: i64 = 500;
/// A file in the index folder naming the latest request to rebuild
/// (`hindsight reindex`, a row in the database) that this index's last
/// rebuild answered; a newer request makes the follower rebuild.
const REINDEX_DONE: &str = "reindex.done";

/// What can go wrong while indexing.
#[derive(Debug, thiserror::Error)]
pub enum IndexerError {
    /// The database failed.
    #[error(transparent)]
    Db(#[from] kb_db::DbError),
    /// The index failed.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// A blocking index task panicked or was cancelled.
    #[error("index task failed: {0}")]
    Task(String),
}

type Result<T, E = IndexerError> = std::result::Result<T, E>;

/// One index and the log-following that keeps it current.
pub struct Indexer {
    store: Store,
    index: Arc<SearchIndex>,
    dir: PathBuf,
    writable: bool,
    /// One catch-up or rebuild at a time: two would both read the same
    /// high-water mark and apply the same entries twice, wasting commits.
    busy: tokio::sync::Mutex<()>,
    /// Whether a rebuild is running: a write then leaves its indexing to
    /// the catch-up after it (see [`Indexer::catch_up_after_write`]).
    rebuilding: AtomicBool,
    /// Searches running at once: one per core. A search is CPU work from
    /// start to end; more at once only share the cores, and under a burst
    /// (a team pasting the same alert) every one of them would finish late
    /// while blocking threads pile up. Waiting searches queue in order.
    searches: Arc<tokio::sync::Semaphore>,
    /// Recent answers, per view of the index.
    answers: ResultCache<Answer>,
    /// Searches computed (not answered from `answers`) since the start.
    computed: AtomicU64,
}

/// How long the follow loop waits before trying a failed regrouping again
/// (see [`Indexer::regroup_if_grown`]).
const REGROUP_RETRY: Duration = Duration::from_secs(600);

/// A permit per core for [`Indexer::search`].
fn search_permits() -> Arc<tokio::sync::Semaphore> {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    Arc::new(tokio::sync::Semaphore::new(cores))
}

impl std::fmt::Debug for Indexer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Indexer")
            .field("dir", &self.dir)
            .field("writable", &self.writable)
            .finish()
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> std::result::Result<T, SearchError> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| IndexerError::Task(e.to_string()))?
        .map_err(IndexerError::from)
}

/// Marks a rebuild as running until dropped (also when it fails or its
/// future is dropped).
struct Rebuilding<'a>(&'a AtomicBool);

impl<'a> Rebuilding<'a> {
    fn start(flag: &'a AtomicBool) -> Rebuilding<'a> {
        flag.store(true, Ordering::Release);
        Rebuilding(flag)
    }
}

impl Drop for Rebuilding<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

impl Indexer {
    /// Opens the index in `dir`, as its writer if no other process is, and
    /// brings it up to date: rebuilt from the database when missing,
    /// unreadable or built with another schema, caught up otherwise.
    pub async fn open(store: Store, dir: &Path) -> Result<Indexer> {
        let owned = dir.to_path_buf();
        let opened = match blocking(move || SearchIndex::open(&owned, Mode::Writer)).await {
            Err(IndexerError::Search(SearchError::Locked { .. })) => {
                tracing::info!(dir = %dir.display(), "another process writes this index; opening it read-only");
                let owned = dir.to_path_buf();
                let opened = blocking(move || SearchIndex::open(&owned, Mode::ReadOnly)).await?;
                return Ok(Indexer {
                    store,
                    index: Arc::new(opened.index),
                    dir: dir.to_path_buf(),
                    writable: false,
                    busy: Default::default(),
                    rebuilding: AtomicBool::new(false),
                    searches: search_permits(),
                    answers: ResultCache::default(),
                    computed: AtomicU64::new(0),
                });
            }
            other => other?,
        };
        let indexer = Indexer {
            store,
            index: Arc::new(opened.index),
            dir: dir.to_path_buf(),
            writable: true,
            busy: Default::default(),
            rebuilding: AtomicBool::new(false),
            searches: search_permits(),
            answers: ResultCache::default(),
            computed: AtomicU64::new(0),
        };
        match opened.rebuild {
            Some(reason) => {
                tracing::warn!(?reason, "rebuilding the search index from the database");
                indexer.rebuild().await?;
            }
            None => {
                indexer.catch_up().await?;
            }
        }
        Ok(indexer)
    }

    /// Whether this process writes the index (false: another process does).
    pub fn is_writer(&self) -> bool {
        self.writable
    }

    /// The highest change-log sequence number the index has applied.
    pub async fn high_water(&self) -> Result<i64> {
        let index = self.index.clone();
        Ok(blocking(move || index.state())
            .await?
            .map_or(0, |s| s.high_water))
    }

    /// [`catch_up`](Self::catch_up) after a write, unless a rebuild is
    /// running: at 100k postmortems a rebuild takes about a minute, and
    /// the save that made the write would wait for it. The write is safe
    /// in the database, and the catch-up that follows every rebuild (the
    /// server's next pass, within a second of its end) indexes it.
    pub async fn catch_up_after_write(&self) -> Result<usize> {
        if self.rebuilding.load(Ordering::Acquire) {
            tracing::debug!("a rebuild is running; the write is indexed after it");
            return Ok(0);
        }
        self.catch_up().await
    }

    /// How many searches were computed since the start (the others were
    /// answered from the cache of recent answers).
    pub fn computed_searches(&self) -> u64 {
        self.computed.load(Ordering::Relaxed)
    }

    /// Whether a rebuild is running now.
    pub fn is_rebuilding(&self) -> bool {
        self.rebuilding.load(Ordering::Acquire)
    }

    /// Applies every change-log entry the index has not seen; returns how
    /// many entries were applied. A no-op for a read-only indexer.
    pub async fn catch_up(&self) -> Result<usize> {
        if !self.writable {
            return Ok(0);
        }
        let _busy = self.busy.lock().await;
        let mut mark = self.high_water().await?;
        if self.store.last_seq().await? < mark {
            // The log is behind the index: the database was replaced or
            // restored from an older backup. Only a rebuild is truthful.
            tracing::warn!(mark, "index is ahead of the database; rebuilding");
            drop(_busy);
            self.rebuild().await?;
            return Ok(0);
        }
        let mut applied = 0;
        loop {
            let entries = self.store.changes_since(mark, BATCH).await?;
            let Some(last) = entries.last() else { break };
            let last_seq = last.seq;
            let mut ids: Vec<i64> = entries.iter().map(|e| e.postmortem_id).collect();
            ids.sort_unstable();
            ids.dedup();
            // The database's current state decides, not the logged op: a
            // row that was upserted and then deleted must end up deleted.
            let current = self.store.incidents_by_ids(&ids).await?;
            let mut changes: Vec<Change> = Vec::with_capacity(ids.len());
            for id in &ids {
                if !current.iter().any(|i| i.id == *id) {
                    changes.push(Change::Delete(*id));
                }
            }
            changes.extend(current.into_iter().map(|i| Change::Upsert(to_doc(i))));
            let index = self.index.clone();
            blocking(move || index.apply(changes, last_seq)).await?;
            applied += entries.len();
            mark = last_seq;
        }
        if applied > 0 {
            tracing::debug!(applied, mark, "search index caught up");
        }
        Ok(applied)
    }

    /// Re-creates the index from every postmortem in the database; returns
    /// how many were indexed.
    pub async fn rebuild(&self) -> Result<u64> {
        if !self.writable {
            return Err(SearchError::ReadOnly.into());
        }
        let _busy = self.busy.lock().await;
        let _rebuilding = Rebuilding::start(&self.rebuilding);
        // Every request made before this rebuild starts is answered by it.
        let answers = self.store.latest_reindex_request().await?;
        // Read the mark before the rows: a write that lands while we page
        // through is then replayed by the next catch-up, at worst twice.
        let mark = self.store.last_seq().await?;
        let mut docs = Vec::new();
        let mut after = 0;
        loop {
            let page = self.store.incidents_after(after, REBUILD_PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            docs.extend(page.into_iter().map(to_doc));
        }
        let count = docs.len() as u64;
        let index = self.index.clone();
        blocking(move || index.rebuild(docs, mark)).await?;
        tracing::info!(count, mark, "search index rebuilt");
        if answers > 0 {
            // Lost, it costs one more rebuild, never a missed one.
            if let Err(e) = std::fs::write(self.dir.join(REINDEX_DONE), answers.to_string()) {
                tracing::error!(error = %e, "could not note the rebuild request answered");
            }
        }
        Ok(count)
    }

    /// The latest request to rebuild (`hindsight reindex`) that this
    /// index's last rebuild answered; 0 when none.
    pub fn answered_reindex(&self) -> i64 {
        std::fs::read_to_string(self.dir.join(REINDEX_DONE))
            .ok()
            .and_then(|text| text.trim().parse().ok())
            .unwrap_or(0)
    }

    /// Searches the index as a caller who may not see the postmortems
    /// `exclude` (see `kb_search::SearchRequest::exclude`).
    pub async fn search(&self, query: SearchQuery, exclude: Vec<i64>) -> Result<Arc<Answer>> {
        let f = query.filters;
        let filters = Filters {
            service: f.service,
            severity: f.severity,
            year: f.year,
            tag: f.tag,
            status: f.status,
        };
        let request = SearchRequest {
            text: &query.text,
            filters: filters.clone(),
            offset: query.offset,
            limit: query.limit,
            patterns: query.patterns,
            exclude: &exclude,
        };
        // Read before searching: a search that then sees a newer view
        // stores a newer answer under this one, never an older answer under
        // the new one (a newer view empties the cache).
        let generation = self.index.generation();
        // A repeated search is answered here, without waiting for a core.
        if let Some(answer) = self.answers.get(generation, &request) {
            return Ok(answer);
        }
        let index = self.index.clone();
        let _permit = self
            .searches
            .acquire()
            .await
            .map_err(|e| IndexerError::Task(e.to_string()))?;
        // Again after the wait: in a burst of the same search (a team
        // pasting the same alert), the ones queued behind the first find
        // its answer here instead of computing it once each.
        if let Some(answer) = self.answers.get(generation, &request) {
            return Ok(answer);
        }
        self.computed.fetch_add(1, Ordering::Relaxed);
        let (answer, answered) = tokio::sync::oneshot::channel();
        {
            let (text, offset, limit, patterns) = (
                query.text.clone(),
                query.offset,
                query.limit,
                query.patterns,
            );
            let (filters, exclude) = (filters.clone(), exclude.clone());
            kb_search::spawn(move || {
                let results = index.search_with(&SearchRequest {
                    text: &text,
                    filters,
                    offset,
                    limit,
                    patterns,
                    exclude: &exclude,
                });
                // The receiver is gone only if the request was dropped.
                let _ = answer.send(results.map(|r| Arc::new(Answer::new(r, offset))));
            });
        }
        let answer = answered
            .await
            .map_err(|_| IndexerError::Task("the search stopped without an answer".into()))??;
        self.answers.put(generation, &request, answer.clone());
        Ok(answer)
    }

    /// Keeps at most `entries` recent search answers (0: none, so every
    /// search is computed, as benchmarks need).
    pub fn set_search_cache(&self, entries: usize) {
        self.answers.set_capacity(entries);
    }

    /// Documents visible to searches.
    pub fn num_docs(&self) -> u64 {
        self.index.num_docs()
    }

    /// Runs forever (until the task is dropped): every `every`, answers a
    /// rebuild request (made on any replica) and catches up with writes
    /// made by other processes.
    /// Failures are logged and retried on the next tick.
    pub async fn follow(self: Arc<Self>, every: Duration) {
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // A failed regrouping is a whole failed rebuild: not again at once.
        let mut regroup_from = tokio::time::Instant::now();
        loop {
            ticker.tick().await;
            if self.writable {
                match self.store.latest_reindex_request().await {
                    Ok(asked) if asked > self.answered_reindex() => match self.rebuild().await {
                        Ok(count) => tracing::info!(count, "rebuilt the index on request"),
                        Err(e) => tracing::error!(error = %e, "requested rebuild failed"),
                    },
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "could not read the rebuild requests"),
                }
            }
            if let Err(e) = self.catch_up().await {
                tracing::error!(error = %e, "search index catch-up failed; will retry");
            }
            if tokio::time::Instant::now() >= regroup_from {
                if let Err(e) = self.regroup_if_grown().await {
                    tracing::error!(
                        error = %e,
                        "regrouping the search index failed; will retry in ten minutes"
                    );
                    regroup_from = tokio::time::Instant::now() + REGROUP_RETRY;
                }
            }
        }
    }

    /// Rebuilds the index when it has doubled since a rebuild last grouped
    /// it by topic (see `kb_search::SearchIndex::should_regroup`): a rebuild
    /// adds postmortems grouped by topic, which makes searches skip more,
    /// and writes since then were added after the groups. Searches go on
    /// meanwhile, on the index as it was. Returns how many postmortems were
    /// indexed, `None` when it was not needed.
    pub async fn regroup_if_grown(&self) -> Result<Option<u64>> {
        if !self.writable {
            return Ok(None);
        }
        let index = self.index.clone();
        if !blocking(move || index.should_regroup()).await? {
            return Ok(None);
        }
        let count = self.rebuild().await?;
        tracing::info!(count, "regrouped the search index by topic: it had doubled");
        Ok(Some(count))
    }
}
