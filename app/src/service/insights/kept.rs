//! The insights facts of every postmortem, kept in memory per replica and
//! brought up to date from the change log before each use, as the search
//! index is: a write re-reads only its own postmortem's facts, so the page
//! never scans the database. Who may see what is not kept here: each
//! request leaves out what its reader may not see.

use kb_db::{ChangeEntry, ChangeOp, Result, Store};
use kb_domain::insights::PostmortemFacts;
use std::collections::BTreeMap;
use std::sync::RwLock;

/// Change-log entries read at a time.
const BATCH: i64 = 2_000;
/// Batches read in one catch-up; more waiting than this, and the whole
/// set is read again instead (after a large import, say).
const MAX_BATCHES: usize = 10;

/// The facts and the change-log position they include.
#[derive(Debug, Default)]
struct Kept {
    /// `None` until first read.
    seq: Option<i64>,
    by_id: BTreeMap<i64, PostmortemFacts>,
}

/// Every postmortem's insights facts, as of the change log's latest entry
/// the last [`KeptFacts::catch_up`] saw.
#[derive(Debug)]
pub struct KeptFacts {
    /// One catch-up at a time: two would read the same changes twice.
    turn: tokio::sync::Mutex<()>,
    kept: RwLock<Kept>,
    /// Change-log entries read at a time.
    batch: i64,
}

impl Default for KeptFacts {
    fn default() -> Self {
        KeptFacts::with_batch(BATCH)
    }
}

impl KeptFacts {
    /// Reads what changed since the last catch-up (everything, the first
    /// time): afterwards every write committed before the call is in.
    pub async fn catch_up(&self, store: &Store) -> Result<()> {
        let _turn = self.turn.lock().await;
        self.catch_up_in_turn(store).await
    }

    /// Catches up and holds the facts still until the answer is dropped:
    /// no write reaches them meanwhile, so what the caller reads from the
    /// database afterwards (who may see what) is at least as new as they
    /// are. A postmortem made private after they were read is then hidden
    /// from them, never counted.
    pub async fn current(&self, store: &Store) -> Result<Current<'_>> {
        let turn = self.turn.lock().await;
        self.catch_up_in_turn(store).await?;
        Ok(Current {
            _turn: turn,
            kept: self,
        })
    }

    async fn catch_up_in_turn(&self, store: &Store) -> Result<()> {
        let Some(mut seq) = self.read().seq else {
            return self.reload(store).await;
        };
        for _ in 0..MAX_BATCHES {
            let entries = store.changes_since(seq, self.batch).await?;
            let Some(last) = entries.last().map(|e| e.seq) else {
                return Ok(());
            };
            let mut ids: Vec<i64> = entries.iter().map(|e| e.postmortem_id).collect();
            ids.extend(self.pointing_at_deleted(&entries));
            let fresh = store.insight_facts_of(&ids).await?;
            let mut kept = self.write();
            // What was deleted is absent from `fresh`.
            for id in &ids {
                kept.by_id.remove(id);
            }
            for f in fresh {
                kept.by_id.insert(f.incident.id, f);
            }
            kept.seq = Some(last);
            seq = last;
            if (entries.len() as i64) < self.batch {
                return Ok(());
            }
        }
        self.reload(store).await
    }

    /// The postmortems whose links or suggestions point at one deleted in
    /// `entries`: the database dropped those rows with it, unlogged.
    fn pointing_at_deleted(&self, entries: &[ChangeEntry]) -> Vec<i64> {
        let deleted: Vec<i64> = entries
            .iter()
            .filter(|e| e.op == ChangeOp::Delete)
            .map(|e| e.postmortem_id)
            .collect();
        if deleted.is_empty() {
            return Vec::new();
        }
        self.read()
            .by_id
            .values()
            .filter(|p| {
                p.incident.earlier.iter().any(|id| deleted.contains(id))
                    || p.suggestions.iter().any(|s| deleted.contains(&s.target_id))
            })
            .map(|p| p.incident.id)
            .collect()
    }

    async fn reload(&self, store: &Store) -> Result<()> {
        let (seq, all) = store.insight_facts().await?;
        let mut kept = self.write();
        kept.by_id = all.into_iter().map(|f| (f.incident.id, f)).collect();
        kept.seq = Some(seq);
        Ok(())
    }

    /// Kept facts reading the change log `batch` entries at a time (tests
    /// use a small batch to cross batches with a few writes).
    pub fn with_batch(batch: i64) -> Self {
        KeptFacts {
            turn: tokio::sync::Mutex::default(),
            kept: RwLock::default(),
            batch: batch.max(1),
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Kept> {
        self.kept.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Kept> {
        self.kept.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// The kept facts, held still: see [`KeptFacts::current`].
pub struct Current<'a> {
    _turn: tokio::sync::MutexGuard<'a, ()>,
    kept: &'a KeptFacts,
}

impl Current<'_> {
    /// Runs `f` over the facts, ordered by postmortem id.
    pub fn with<T>(&self, f: impl FnOnce(&mut dyn Iterator<Item = &PostmortemFacts>) -> T) -> T {
        let kept = self.kept.read();
        f(&mut kept.by_id.values())
    }
}
