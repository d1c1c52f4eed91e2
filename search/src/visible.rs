//! Searching as a caller who may not see some postmortems (private ones
//! they are not a reader of). Leaving their documents out of the results
//! is not enough: a word only they contain would still count as "found"
//! when terms are weighed, and every score's rarity and length statistics
//! would include them, so comparing answers could tell that they exist.
//! [`Visible`] gives the term weighing and BM25 the statistics of the index
//! without them.

use tantivy::collector::DocSetCollector;
use tantivy::query::{Bm25StatisticsProvider, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Searcher, Term};

/// The index as one caller sees it.
pub(crate) struct Visible<'s> {
    /// The whole index.
    pub(crate) searcher: &'s Searcher,
    /// Every document (incident and pattern) of the postmortems the caller
    /// may not see.
    hidden: Vec<DocAddress>,
}

impl<'s> Visible<'s> {
    /// The whole index, hiding nothing: statistics are the searcher's own.
    pub(crate) fn all(searcher: &'s Searcher) -> Self {
        Visible {
            searcher,
            hidden: Vec::new(),
        }
    }

    /// The index without the documents of postmortems `exclude`.
    pub(crate) fn without(
        searcher: &'s Searcher,
        id_field: Field,
        exclude: &[i64],
    ) -> tantivy::Result<Self> {
        let mut hidden = Vec::new();
        for &id in exclude {
            let query =
                TermQuery::new(Term::from_field_i64(id_field, id), IndexRecordOption::Basic);
            hidden.extend(searcher.search(&query, &DocSetCollector)?);
        }
        hidden.sort();
        Ok(Visible { searcher, hidden })
    }

    /// Documents a caller may see.
    pub(crate) fn num_docs(&self) -> u64 {
        self.searcher.num_docs() - self.hidden.len() as u64
    }

    /// Hidden documents that contain `term`.
    fn hidden_with(&self, term: &Term) -> tantivy::Result<u64> {
        let mut n = 0;
        for address in &self.hidden {
            let reader = self.searcher.segment_reader(address.segment_ord);
            let postings = reader
                .inverted_index(term.field())?
                .read_postings(term, IndexRecordOption::Basic)?;
            if let Some(mut postings) = postings {
                if postings.seek(address.doc_id) == address.doc_id {
                    n += 1;
                }
            }
        }
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
        let mut hidden = 0u64;
        for address in &self.hidden {
            let reader = self.searcher.segment_reader(address.segment_ord);
            if let Ok(norms) = reader.get_fieldnorms_reader(field) {
                hidden += u64::from(norms.fieldnorm(address.doc_id));
            }
        }
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
