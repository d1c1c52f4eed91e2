//! Searching as a caller who may not see some postmortems (private ones
//! they are not a reader of). Leaving their documents out of the results
//! is not enough: a word only they contain would still count as "found"
//! when terms are weighed, and every score's rarity and length statistics
//! would include them, so comparing answers could tell that they exist.
//! [`Visible`] gives the term weighing and BM25 the statistics of the index
//! without them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::collector::DocSetCollector;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::SegmentPostings;
use tantivy::query::{Bm25StatisticsProvider, Query, TermSetQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Searcher, Term};

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

    /// At most how many hidden documents match `query`: those that have
    /// any of its terms (counted per term, so a document with two is
    /// counted twice). Every clause of a search's text is optional, so a
    /// hidden document with none of them cannot match, let alone outrank
    /// a visible one; the counts are the ones the term weighing keeps.
    pub(crate) fn hidden_matching(&self, query: &dyn Query) -> usize {
        if self.hidden.is_empty() {
            return 0;
        }
        let mut at_most = 0u64;
        query.query_terms(&mut |term, _| {
            at_most += self.hidden_with(term).unwrap_or(self.hidden.len() as u64);
        });
        (at_most as usize).min(self.hidden.len())
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
                let mut n = 0u64;
                for address in self.hidden.iter() {
                    let reader = self.searcher.segment_reader(address.segment_ord);
                    if let Ok(norms) = reader.get_fieldnorms_reader(field) {
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
