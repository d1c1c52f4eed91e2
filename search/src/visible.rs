//! Searching as a caller who may not see some postmortems (private ones
//! they are not a reader of). Leaving their documents out of the results
//! is not enough: a word only they contain would still count as "found"
//! when terms are weighed, and every score's rarity and length statistics
//! would include them, so comparing answers could tell that they exist.
//! [`Visible`] gives the term weighing and BM25 the statistics of the index
//! without them.

use std::collections::HashMap;
use std::sync::Mutex;

use tantivy::collector::DocSetCollector;
use tantivy::postings::SegmentPostings;
use tantivy::query::{Bm25StatisticsProvider, TermSetQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Searcher, Term};

/// The index as one caller sees it.
pub(crate) struct Visible<'s> {
    /// The whole index.
    pub(crate) searcher: &'s Searcher,
    /// Every document (incident and pattern) of the postmortems the caller
    /// may not see, in index order.
    hidden: Vec<DocAddress>,
    /// Hidden documents per term, as worked out: one search asks for the
    /// same term several times (weighing, probe, rescoring).
    counted: Mutex<HashMap<Term, u64>>,
    /// Tokens of the hidden documents per field, likewise.
    tokens: Mutex<HashMap<Field, u64>>,
}

impl<'s> Visible<'s> {
    /// The whole index, hiding nothing: statistics are the searcher's own.
    pub(crate) fn all(searcher: &'s Searcher) -> Self {
        Visible {
            searcher,
            hidden: Vec::new(),
            counted: Mutex::default(),
            tokens: Mutex::default(),
        }
    }

    /// The index without the documents of postmortems `exclude`.
    pub(crate) fn without(
        searcher: &'s Searcher,
        id_field: Field,
        exclude: &[i64],
    ) -> tantivy::Result<Self> {
        let ids = exclude.iter().map(|&id| Term::from_field_i64(id_field, id));
        let mut hidden: Vec<DocAddress> = searcher
            .search(&TermSetQuery::new(ids), &DocSetCollector)?
            .into_iter()
            .collect();
        hidden.sort();
        Ok(Visible {
            searcher,
            hidden,
            counted: Mutex::default(),
            tokens: Mutex::default(),
        })
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
            .counted
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(term)
            .copied();
        if let Some(n) = known {
            return Ok(n);
        }
        let mut n = 0;
        let mut open: Option<(u32, Option<SegmentPostings>)> = None;
        for address in &self.hidden {
            if open.as_ref().map(|(segment, _)| *segment) != Some(address.segment_ord) {
                let postings = self
                    .searcher
                    .segment_reader(address.segment_ord)
                    .inverted_index(term.field())?
                    .read_postings(term, IndexRecordOption::Basic)?;
                open = Some((address.segment_ord, postings));
            }
            if let Some((_, Some(postings))) = open.as_mut() {
                if postings.doc() <= address.doc_id
                    && postings.seek(address.doc_id) == address.doc_id
                {
                    n += 1;
                }
            }
        }
        self.counted
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(term.clone(), n);
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
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        let hidden = match tokens.get(&field) {
            Some(&n) => n,
            None => {
                let mut n = 0u64;
                for address in &self.hidden {
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
