//! Searching as a caller who may not see some postmortems (private ones
//! they are not a reader of). Leaving their documents out of the results
//! is not enough: a word only they contain would still count as "found"
//! when terms are weighed, and every score's rarity and length statistics
//! would include them, so comparing answers could tell that they exist.
//! [`Visible`] gives the term weighing and BM25 the statistics of the index
//! without them.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};
use std::sync::{Arc, Mutex};

use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::SegmentPostings;
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Query, TermSetQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Score, Searcher, Term};

use crate::schema::TOKENS_SUFFIX;

/// The index as one caller sees it.
pub(crate) struct Visible<'s> {
    /// The whole index.
    pub(crate) searcher: &'s Searcher,
    /// Every document (incident and pattern) of the postmortems the caller
    /// may not see, in index order.
    hidden: Arc<Vec<DocAddress>>,
    /// What has been counted for this hidden set in this view of the
    /// index (shared with other searches by [`Counts`]).
    known: Arc<Known>,
}

/// The hidden documents, how many of them have each term and their tokens
/// per field, as worked out:
/// one search asks for the same term several times (weighing, probe,
/// rescoring), and searches by people with the same hidden set share
/// most of their words.
#[derive(Debug, Default)]
pub(crate) struct Known {
    /// The hidden documents, once looked up.
    hidden: Mutex<Option<Arc<Vec<DocAddress>>>>,
    terms: Mutex<HashMap<Term, u64>>,
    tokens: Mutex<HashMap<Field, u64>>,
}

/// A document [`Visible::top`] keeps: better with a higher score, then
/// earlier in the index.
#[derive(Debug, Clone, Copy)]
struct Kept {
    score: Score,
    address: DocAddress,
}

impl Ord for Kept {
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.address.cmp(&self.address))
    }
}

impl PartialOrd for Kept {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Kept {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Kept {}

/// Terms remembered per hidden set before starting over.
const MAX_KNOWN_TERMS: usize = 200_000;
/// Hidden sets remembered per view of the index before starting over.
const MAX_SETS: usize = 16;

/// [`Known`] counts per hidden set, for one view of the index: any
/// commit or merge makes a new view, whose counts may differ.
#[derive(Debug, Default)]
pub(crate) struct Counts {
    generation: u64,
    sets: HashMap<Vec<i64>, Arc<Known>>,
}

impl Counts {
    /// The counts for `exclude` in view `generation`.
    pub(crate) fn of(&mut self, generation: u64, exclude: &[i64]) -> Arc<Known> {
        if generation != self.generation
            || (self.sets.len() >= MAX_SETS && !self.sets.contains_key(exclude))
        {
            self.sets.clear();
            self.generation = generation;
        }
        self.sets.entry(exclude.to_vec()).or_default().clone()
    }
}

impl<'s> Visible<'s> {
    /// The whole index, hiding nothing: statistics are the searcher's own.
    pub(crate) fn all(searcher: &'s Searcher) -> Self {
        Visible {
            searcher,
            hidden: Arc::default(),
            known: Arc::default(),
        }
    }

    /// The index without the documents of postmortems `exclude`.
    pub(crate) fn without(
        searcher: &'s Searcher,
        id_field: Field,
        exclude: &[i64],
        known: Arc<Known>,
    ) -> tantivy::Result<Self> {
        let mut looked_up = known.hidden.lock().unwrap_or_else(|e| e.into_inner());
        let hidden = match looked_up.as_ref() {
            Some(hidden) => hidden.clone(),
            None => {
                let ids = exclude.iter().map(|&id| Term::from_field_i64(id_field, id));
                let mut hidden: Vec<DocAddress> = searcher
                    .search(&TermSetQuery::new(ids), &DocSetCollector)?
                    .into_iter()
                    .collect();
                hidden.sort();
                looked_up.insert(Arc::new(hidden)).clone()
            }
        };
        drop(looked_up);
        Ok(Visible {
            searcher,
            hidden,
            known,
        })
    }

    /// The best `limit` documents for `query` that the caller may see,
    /// best first (equal scores in index order).
    ///
    /// Hidden documents are passed over inside block-max WAND's loop, the
    /// way tantivy passes over deleted ones, so its pruning threshold is
    /// always the `limit`-th best visible score. A must-not clause would
    /// turn block-max WAND off (a search twice as slow), and asking for
    /// `limit` plus as many as might be hidden lowered the threshold: a
    /// search as someone who may not see 100 postmortems took 60% longer
    /// than one that hides none.
    pub(crate) fn top(
        &self,
        query: &dyn Query,
        limit: usize,
    ) -> tantivy::Result<Vec<(Score, DocAddress)>> {
        if self.hidden.is_empty() {
            return self.searcher.search_with_statistics_provider(
                query,
                &TopDocs::with_limit(limit).order_by_score(),
                self,
            );
        }
        if limit == 0 {
            return Ok(Vec::new());
        }
        let weight = query.weight(EnableScoring::enabled_from_statistics_provider(
            self,
            self.searcher,
        ))?;
        // A min-heap: the worst kept document on top.
        let mut kept: BinaryHeap<Reverse<Kept>> = BinaryHeap::with_capacity(limit + 1);
        let threshold_of = |kept: &BinaryHeap<Reverse<Kept>>| match kept.peek() {
            Some(Reverse(worst)) if kept.len() == limit => worst.score,
            _ => Score::MIN,
        };
        for (segment, reader) in (0u32..).zip(self.searcher.segment_readers()) {
            let alive = reader.alive_bitset();
            let mut threshold = threshold_of(&kept);
            weight.for_each_pruning(threshold, reader, &mut |doc, score| {
                let address = DocAddress::new(segment, doc);
                if alive.is_some_and(|alive| alive.is_deleted(doc)) || self.is_hidden(address) {
                    return threshold;
                }
                kept.push(Reverse(Kept { score, address }));
                if kept.len() > limit {
                    kept.pop();
                }
                threshold = threshold_of(&kept);
                threshold
            })?;
        }
        let mut out: Vec<(Score, DocAddress)> = kept
            .into_iter()
            .map(|Reverse(kept)| (kept.score, kept.address))
            .collect();
        out.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        Ok(out)
    }

    /// Whether the document at `address` is hidden.
    pub(crate) fn is_hidden(&self, address: DocAddress) -> bool {
        self.hidden.binary_search(&address).is_ok()
    }

    /// Documents a caller may see.
    pub(crate) fn num_docs(&self) -> u64 {
        self.searcher.num_docs() - self.hidden.len() as u64
    }

    /// Hidden documents that contain `term`: its postings are opened once
    /// per segment and walked forward through the hidden documents, which
    /// are in index order.
    fn hidden_with(&self, term: &Term) -> tantivy::Result<u64> {
        let known = self
            .known
            .terms
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(term)
            .copied();
        if let Some(n) = known {
            return Ok(n);
        }
        let mut n = 0;
        // Per segment: the term's postings, and the field's norms, which
        // say without a seek that a document has no text in the field (a
        // pattern document has none in an incident field, and back).
        let mut open: Option<(u32, Option<SegmentPostings>, Option<FieldNormReader>)> = None;
        for address in self.hidden.iter() {
            if open.as_ref().map(|(segment, _, _)| *segment) != Some(address.segment_ord) {
                let reader = self.searcher.segment_reader(address.segment_ord);
                let postings = reader
                    .inverted_index(term.field())?
                    .read_postings(term, IndexRecordOption::Basic)?;
                let norms = reader.get_fieldnorms_reader(term.field()).ok();
                open = Some((address.segment_ord, postings, norms));
            }
            if let Some((_, Some(postings), norms)) = open.as_mut() {
                if norms
                    .as_ref()
                    .is_some_and(|n| n.fieldnorm_id(address.doc_id) == 0)
                {
                    continue;
                }
                if postings.doc() <= address.doc_id
                    && postings.seek(address.doc_id) == address.doc_id
                {
                    n += 1;
                }
            }
        }
        let mut terms = self.known.terms.lock().unwrap_or_else(|e| e.into_inner());
        if terms.len() >= MAX_KNOWN_TERMS {
            terms.clear();
        }
        terms.insert(term.clone(), n);
        Ok(n)
    }

    /// Documents a caller may see that contain `term`.
    pub(crate) fn visible_doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let all = self.searcher.doc_freq(term)?;
        if self.hidden.is_empty() {
            return Ok(all);
        }
        Ok(all.saturating_sub(self.hidden_with(term)?))
    }
}

impl Bm25StatisticsProvider for Visible<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let all = self.searcher.total_num_tokens(field)?;
        if self.hidden.is_empty() {
            return Ok(all);
        }
        let mut tokens = self.known.tokens.lock().unwrap_or_else(|e| e.into_inner());
        let hidden = match tokens.get(&field) {
            Some(&n) => n,
            None => {
                let schema = self.searcher.schema();
                let counted = format!("{}{}", schema.get_field_name(field), TOKENS_SUFFIX);
                let exact = schema.get_field(&counted).is_ok();
                let mut n = 0u64;
                for address in self.hidden.iter() {
                    let reader = self.searcher.segment_reader(address.segment_ord);
                    if exact {
                        let column = reader.fast_fields().u64(&counted)?;
                        n += column.first(address.doc_id).unwrap_or(0);
                    } else if let Ok(norms) = reader.get_fieldnorms_reader(field) {
                        // Rounded past about 40 tokens; fields BM25
                        // scores have their exact counts.
                        n += u64::from(norms.fieldnorm(address.doc_id));
                    }
                }
                tokens.insert(field, n);
                n
            }
        };
        Ok(all.saturating_sub(hidden))
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self
            .searcher
            .total_num_docs()?
            .saturating_sub(self.hidden.len() as u64))
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.visible_doc_freq(term)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Change, IndexDoc, SearchIndex};
    use tantivy::query::{BooleanQuery, Occur, TermQuery};

    /// Postmortems whose scores for "disk full volume" differ (and some tie).
    fn index() -> SearchIndex {
        let index = SearchIndex::in_ram().unwrap();
        let doc = |id: i64, extra: usize| IndexDoc {
            id,
            title: format!("incident {id}"),
            summary: format!(
                "disk {} volume {}",
                "full ".repeat(extra),
                "pad ".repeat(id as usize % 3)
            ),
            ..IndexDoc::default()
        };
        index
            .apply(
                (0..300)
                    .map(|id| Change::Upsert(doc(id, id as usize % 5)))
                    .collect(),
                1,
            )
            .unwrap();
        // Replaced ones stay in their segment, deleted, until a merge.
        index
            .apply(
                (0..300)
                    .step_by(7)
                    .map(|id| Change::Upsert(doc(id, 9)))
                    .collect(),
                2,
            )
            .unwrap();
        index
    }

    #[test]
    fn the_best_visible_are_the_best_of_all_less_the_hidden_and_deleted() {
        let index = index();
        let searcher = index.reader.searcher();
        let fields = index.fields;
        let query = BooleanQuery::new(
            ["disk", "full", "volum"]
                .iter()
                .map(|word| -> (Occur, Box<dyn Query>) {
                    let term = Term::from_field_text(fields.all, word);
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                    )
                })
                .collect(),
        );
        let exclude: Vec<i64> = (0..300).filter(|id| id % 4 == 0).collect();
        let visible = Visible::without(&searcher, fields.id, &exclude, Arc::default()).unwrap();
        assert!(!visible.hidden.is_empty());
        // Everything that matches, scored with the same statistics, less
        // the hidden, in the same order.
        let mut all = searcher
            .search_with_statistics_provider(
                &query,
                &TopDocs::with_limit(10_000).order_by_score(),
                &visible,
            )
            .unwrap();
        all.retain(|&(_, address)| !visible.is_hidden(address));
        all.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        assert!(all.len() > 100);
        for limit in [1, 10, 100, all.len() + 5] {
            let top = visible.top(&query, limit).unwrap();
            assert_eq!(top, all[..limit.min(all.len())], "limit {limit}");
        }
        assert!(visible.top(&query, 0).unwrap().is_empty());
    }
}
