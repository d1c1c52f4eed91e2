//! Writes: changes applied and the whole content rebuilt, each in one commit
//! that records the high-water mark, and the writer recovered after a panic.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::{IndexWriter, Term};

use super::SearchIndex;
use crate::document::{self, Change, IndexDoc};
use crate::error::{Result, SearchError};
use crate::order;
use crate::schema::SCHEMA_VERSION;
use crate::state::IndexState;

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

impl SearchIndex {
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
pub(super) fn last_change_per_id(changes: Vec<Change>) -> Vec<Change> {
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
