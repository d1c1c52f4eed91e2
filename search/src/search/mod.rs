//! Searching: pasted text and filters to a page of ranked postmortems, the counts
//! of the filter values among the best matches, and the incident patterns that
//! match.
//!
//! Costs are bounded by design, whatever the index size: the query has at most
//! [`MAX_QUERY_TERMS`](crate::query::MAX_QUERY_TERMS) terms; a long one finds its
//! candidates with a probe of its few weightiest words and pairs (tantivy's
//! block-max WAND skips what cannot reach the best [`MAX_CANDIDATES`], and skips
//! far more with few clauses), and only those candidates are scored by the whole
//! query; counts come from columnar fast fields of the candidates, and only the
//! page's documents are read, cut into snippets and explained.
//!
//! This module holds the request and result types and the incident side of a
//! search (candidates, reranking, filter counts, the page); the pattern side
//! runs beside it. The steps that stand on their own are submodules:
//!
//! - `rescore`: the two-stage search of a long query, a probe of its
//!   weightiest clauses, then the whole query's scores for what it found.
//! - `hits`: the page's documents read into hits, with snippets and the words
//!   each matched.
//! - `patterns`: the patterns that match, one per name.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use tantivy::query::{Bm25StatisticsProvider, Query};
use tantivy::schema::Field;
use tantivy::{DocAddress, DocId, Searcher, Term};

use crate::error::Result;
use crate::facets::CandidateValues;
use crate::feedback;
use crate::index::SearchIndex;
use crate::query::{self, QueryTerm, MAX_QUERY_PAIRS, MAX_QUERY_TERMS};
use crate::visible::Visible;
// The shapes a search answers with are the domain's: one definition for
// the index, the services, the pages and the JSON API.
pub use kb_domain::search::{
    FacetCount, Facets, MatchSignal, PatternHit, PatternSource, SearchHit, SignalKind,
};

mod hits;
mod patterns;
mod rescore;
mod signals;
#[cfg(test)]
mod tests;

/// Ranked results stop here: the page, the filter counts and the total are about
/// the best this many matches. A pasted log shares some word with most
/// postmortems; past a few hundred, matches are noise, and ranking them all
/// would cost time in proportion to the whole index.
pub const MAX_CANDIDATES: usize = 100;

/// The threads searches run their independent parts on (incidents and
/// patterns, the clauses of the rescoring, the page's snippets): one per
/// core, shared by every index, so an on-call engineer's search gets the
/// whole machine and concurrent searches take turns rather than pile up
/// threads. They live as long as the process, which keeps their stem
/// caches warm.
fn workers() -> &'static rayon::ThreadPool {
    static WORKERS: LazyLock<rayon::ThreadPool> = LazyLock::new(|| {
        rayon::ThreadPoolBuilder::new()
            .thread_name(|at| format!("search-{at}"))
            // A panic in work handed over by `spawn` is reported by the
            // panic hook and ends that work only (its caller sees the
            // answer never come), not the process.
            .panic_handler(|_| {})
            .build()
            .expect("the search threads start")
    });
    &WORKERS
}

/// Runs `work` on the search workers and returns at once: for an async
/// caller, which waits for the answer on a channel instead of blocking a
/// thread of its own that would only hand the search over to the workers.
/// If `work` panics, it is dropped unfinished (so is its channel's sender).
pub fn spawn(work: impl FnOnce() + Send + 'static) {
    workers().spawn(work);
}

/// Exact values that results must have. `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct Filters {
    /// A service (or team) involved.
    pub service: Option<String>,
    /// `SEV1`..`SEV4`.
    pub severity: Option<String>,
    /// `YYYY` of the incident date.
    pub year: Option<String>,
    /// A label or tag.
    pub tag: Option<String>,
    /// Write-up status.
    pub status: Option<String>,
}

/// What to search for and which part of the results to return.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest<'a> {
    /// Whatever the user pasted.
    pub text: &'a str,
    /// Restrictions on the incidents (not on patterns).
    pub filters: Filters,
    /// Hits to skip (paging).
    pub offset: usize,
    /// Hits to return.
    pub limit: usize,
    /// Patterns to return (0 for none).
    pub patterns: usize,
    /// Postmortems the caller may not see: left out of the results, the
    /// counts, the patterns and the statistics scores are computed from.
    pub exclude: &'a [i64],
}

impl<'a> SearchRequest<'a> {
    /// The first `limit` incidents for `text`, no filters, no patterns.
    pub fn new(text: &'a str, limit: usize) -> Self {
        SearchRequest {
            text,
            filters: Filters::default(),
            offset: 0,
            limit,
            patterns: 0,
            exclude: &[],
        }
    }
}

/// Search results.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// The requested page of hits, best first.
    pub hits: Vec<SearchHit>,
    /// Matches that can be paged through (at most [`MAX_CANDIDATES`]).
    pub total: usize,
    /// Whether more postmortems matched than are ranked (`total` hit the cap).
    pub capped: bool,
    /// Counts of each filter value among the ranked matches.
    pub facets: Facets,
    /// Postmortem patterns that match, best first, one per name.
    pub patterns: Vec<PatternHit>,
    /// The words searched for, as the user wrote them, most telling first.
    pub terms: Vec<String>,
}

impl SearchIndex {
    /// Searches any text a user pastes, with filters and paging. Never fails
    /// because of the text's syntax: there is none (see the `query` module). Text
    /// without a single word gives empty results.
    ///
    /// Every call searches; a caller that answers repeated searches from a
    /// [`ResultCache`](crate::ResultCache) keys it by [`Self::generation`].
    /// The incidents and the patterns are independent and run side by side
    /// on the search workers.
    pub fn search_with(&self, request: &SearchRequest<'_>) -> Result<SearchResults> {
        self.compute(&self.reader.searcher(), request)
    }

    /// The view of the index searches see now. It changes with every commit
    /// or merge the reader picks up; an answer found in one view is the
    /// answer to the same request until it changes. Read it before
    /// searching: an answer stored under an older view can only be newer
    /// than that view, never older.
    pub fn generation(&self) -> u64 {
        self.reader.searcher().generation().generation_id()
    }

    fn compute(&self, searcher: &Searcher, request: &SearchRequest<'_>) -> Result<SearchResults> {
        let fields = self.fields;
        let visible = if request.exclude.is_empty() {
            Visible::all(searcher)
        } else {
            let known = self
                .hidden_counts
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .of(searcher.generation().generation_id(), request.exclude);
            Visible::without(searcher, fields.id, request.exclude, known)?
        };
        // The `all` field's analyzer and the `pairs` field's, in one pass.
        let (words, pairs) = query::reduce_all(request.text);
        let (incidents, patterns) = workers().install(|| {
            rayon::join(
                || self.incidents(&visible, words.clone(), pairs, request),
                || {
                    if request.patterns == 0 {
                        return Ok(Vec::new());
                    }
                    // Weighed by their rarity among patterns, and kept if a
                    // pattern has them even when no write-up's text does.
                    let terms = weigh(&visible, fields.pattern.all, words.clone(), MAX_QUERY_TERMS);
                    self.patterns(&visible, &terms, request.patterns)
                },
            )
        });
        Ok(SearchResults {
            patterns: patterns?,
            ..incidents?
        })
    }

    /// The incident side of a search: everything but the patterns.
    fn incidents(
        &self,
        visible: &Visible<'_>,
        words: Vec<QueryTerm>,
        pairs: Vec<QueryTerm>,
        request: &SearchRequest<'_>,
    ) -> Result<SearchResults> {
        let fields = self.fields;
        let searcher = visible.searcher;
        let terms = weigh(visible, fields.all, words, MAX_QUERY_TERMS);
        let pairs = weigh(visible, fields.pairs, pairs, MAX_QUERY_PAIRS);
        let (mut candidates, matched) =
            self.candidates(visible, &terms, &pairs, &request.filters)?;
        let values = CandidateValues::read(searcher, &candidates)?;
        let scores: Vec<f32> = candidates.iter().map(|&(score, _)| score).collect();
        let order = feedback::rerank(&scores, &values.tags());
        candidates = order
            .iter()
            .map(|&(at, score)| (score, candidates[at].1))
            .collect();
        let facets = values.count(&order);
        let page: Vec<(f32, DocAddress)> = candidates
            .iter()
            .skip(request.offset)
            .take(request.limit)
            .copied()
            .collect();
        Ok(SearchResults {
            hits: self.hits(searcher, &terms, &page, matched.as_ref(), request.text)?,
            total: candidates.len(),
            capped: candidates.len() == MAX_CANDIDATES,
            facets,
            patterns: Vec::new(),
            terms: terms.iter().map(|term| term.surface.clone()).collect(),
        })
    }

    /// The first `limit` incidents for `text`: [`search_with`](Self::search_with)
    /// without filters or patterns.
    pub fn search(&self, text: &str, limit: usize) -> Result<SearchResults> {
        self.search_with(&SearchRequest::new(text, limit))
    }
}

/// The `max` of `terms` that weigh most by their rarity in `field`, without
/// those `field` never has.
fn weigh(visible: &Visible<'_>, field: Field, terms: Vec<QueryTerm>, max: usize) -> Vec<QueryTerm> {
    // The count BM25 itself uses: deleted documents still in their segment
    // are in it, as they are in the frequencies until a merge.
    let count = visible
        .total_num_docs()
        .unwrap_or_else(|_| visible.num_docs());
    let terms = query::weigh_by_rarity(terms, count, |text| {
        visible
            .visible_doc_freq(&Term::from_field_text(field, text))
            .unwrap_or(0)
    });
    query::select(terms, max)
}

/// The best `limit` documents for `query` that `visible`'s caller may see.
fn top(visible: &Visible<'_>, query: &dyn Query, limit: usize) -> Result<Vec<(f32, DocAddress)>> {
    Ok(visible.top(query, limit)?)
}

/// `addresses` grouped by segment, each segment's documents in order (postings
/// are read forward), with their positions in `addresses`.
pub(crate) fn by_segment(
    addresses: impl Iterator<Item = DocAddress>,
) -> BTreeMap<u32, Vec<(DocId, usize)>> {
    let mut out: BTreeMap<u32, Vec<(DocId, usize)>> = BTreeMap::new();
    for (position, address) in addresses.enumerate() {
        out.entry(address.segment_ord)
            .or_default()
            .push((address.doc_id, position));
    }
    for docs in out.values_mut() {
        docs.sort_unstable();
    }
    out
}
