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

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use rayon::prelude::*;

use serde::{Deserialize, Serialize};
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Occur, Query, Scorer};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, DocId, DocSet, Searcher, TantivyDocument, Term, TERMINATED};

use crate::analyzer::FastHash;
use crate::error::{Result, SearchError};
use crate::facets::CandidateValues;
use crate::feedback;
use crate::index::SearchIndex;
use crate::query::{self, QueryTerm, MAX_QUERY_PAIRS, MAX_QUERY_TERMS};
use crate::schema::Fields;
use crate::snippet::{self, Snippet};
use crate::visible::Visible;

/// Ranked results stop here: the page, the filter counts and the total are about
/// the best this many matches. A pasted log shares some word with most
/// postmortems; past a few hundred, matches are noise, and ranking them all
/// would cost time in proportion to the whole index.
pub const MAX_CANDIDATES: usize = 100;

/// Terms and word pairs of the probe query that finds the candidates of a long
/// query, which are then scored by the whole query ([`rescore`]). Every clause
/// of a disjunction costs time on every step of block-max WAND, and with a
/// long paste most are common words that move a postmortem's score little:
/// the weightiest few find the same best matches at a fraction of the cost.
/// On the corpus dev queries 6 and 4 score as 8 and 8 (task 1 nDCG@10 0.646
/// against 0.650, task 2 MRR@10 0.465 either way) and take 15% less time at
/// 100k postmortems, but the synthetic 50-line log pastes then find a
/// postmortem of their own failure mode first 88% of the time instead of 94%:
/// a long log's few weightiest words are more often noise.
const PROBE_TERMS: usize = 8;
const PROBE_PAIRS: usize = 8;

/// Pattern documents fetched before grouping them by name.
const PATTERN_CANDIDATES: usize = 12;

/// Pattern documents the probe query of a long query finds, to be scored by
/// the whole query (see [`PROBE_TERMS`]).
const PATTERN_PROBE: usize = 24;

/// Patterns scoring below this share of the best pattern's score are left
/// out: a pattern is advice, and a weak match is noise next to a strong one.
const PATTERN_MIN_SHARE: f32 = 0.4;

/// Matched terms reported per hit.
const MATCHED_TERMS: usize = 6;

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
    pub hits: Vec<Hit>,
    /// Matches that can be paged through (at most [`MAX_CANDIDATES`]).
    pub total: usize,
    /// Whether more postmortems matched than are ranked (`total` hit the cap).
    pub capped: bool,
    /// Counts of each filter value among the ranked matches.
    pub facets: Facets,
    /// Incident patterns that match, best first, one per name.
    pub patterns: Vec<PatternHit>,
    /// The words searched for, as the user wrote them, most telling first.
    pub terms: Vec<String>,
}

/// Value counts of each filter among the ranked matches, most frequent first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    /// Services and teams.
    pub service: Vec<FacetCount>,
    /// Severities.
    pub severity: Vec<FacetCount>,
    /// Years.
    pub year: Vec<FacetCount>,
    /// Tags and labels.
    pub tag: Vec<FacetCount>,
    /// Write-up statuses.
    pub status: Vec<FacetCount>,
}

/// One filter value and how many ranked matches have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    /// The value, as filtered on.
    pub value: String,
    /// Matches with it.
    pub count: usize,
}

/// One matching postmortem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Database id.
    pub id: i64,
    /// The organisation's own identifier, if any.
    pub external_id: Option<String>,
    /// Title, as indexed.
    pub title: String,
    /// Relevance score; only meaningful relative to other hits of the same search.
    pub score: f32,
    /// Excerpt around the best match, from the prose field that matched best.
    pub snippet: Snippet,
    /// Severity, if rated.
    pub severity: Option<String>,
    /// Incident date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Write-up status.
    pub status: Option<String>,
    /// Services involved.
    pub services: Vec<String>,
    /// What caused it, in a line.
    pub root_cause: String,
    /// What fixed it, in a line.
    pub fix: String,
    /// The query's words found in this postmortem, most telling first.
    pub matched: Vec<String>,
}

/// A postmortem a pattern was named in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatternSource {
    /// Database id of the postmortem.
    pub id: i64,
    /// Its title.
    pub title: String,
}

/// One matching incident pattern.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatternHit {
    /// The pattern's name.
    pub name: String,
    /// What it looks like.
    pub symptoms: String,
    /// Why it happens.
    pub root_cause: String,
    /// How to notice it.
    pub detection: String,
    /// How to fix it.
    pub resolution: String,
    /// Relevance, comparable with other patterns of the same search.
    pub score: f32,
    /// The postmortems that name it, best match first.
    pub seen_in: Vec<PatternSource>,
    /// The query's words found in the best-matching write-up of it.
    pub matched: Vec<String>,
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
            hits: self.hits(searcher, &terms, &page, matched.as_ref())?,
            total: candidates.len(),
            capped: candidates.len() == MAX_CANDIDATES,
            facets,
            patterns: Vec::new(),
            terms: terms.iter().map(|term| term.surface.clone()).collect(),
        })
    }

    /// The best [`MAX_CANDIDATES`] postmortems that pass `filters`, scored by
    /// the whole query. A long query finds them with a probe of its weightiest
    /// words and pairs, then scores only those ([`PROBE_TERMS`]).
    ///
    /// Rescored candidates come with the terms each has (see [`Rescored`]).
    fn candidates(
        &self,
        visible: &Visible<'_>,
        terms: &[QueryTerm],
        pairs: &[QueryTerm],
        filters: &Filters,
    ) -> Result<(Ranked, Option<Matched>)> {
        let fields = &self.fields;
        let probe_terms = &terms[..PROBE_TERMS.min(terms.len())];
        let probe_pairs = &pairs[..PROBE_PAIRS.min(pairs.len())];
        if probe_terms.len() == terms.len() && probe_pairs.len() == pairs.len() {
            return match query::incidents(fields, terms, pairs, filters) {
                Some(query) => Ok((top(visible, &query, MAX_CANDIDATES)?, None)),
                None => Ok((Vec::new(), None)),
            };
        }
        let probe =
            query::probe(fields, probe_terms, probe_pairs, filters).expect("terms are not empty");
        // `text_clauses` starts with one clause per term, in order.
        let (found, scorers) = rayon::join(
            || top(visible, &probe, MAX_CANDIDATES),
            || Scorers::new(visible, query::text_clauses(fields, terms, pairs)),
        );
        let rescored = rescore(scorers?, terms.len(), found?);
        Ok((rescored.ranked, Some(rescored.matched)))
    }

    /// The first `limit` incidents for `text`: [`search_with`](Self::search_with)
    /// without filters or patterns.
    pub fn search(&self, text: &str, limit: usize) -> Result<SearchResults> {
        self.search_with(&SearchRequest::new(text, limit))
    }

    /// Reads, cuts snippets for and explains the page's documents. The terms
    /// each has come from `matched` when the rescoring found them, else from
    /// the postings.
    fn hits(
        &self,
        searcher: &Searcher,
        terms: &[QueryTerm],
        page: &[(f32, DocAddress)],
        matched: Option<&Matched>,
    ) -> Result<Vec<Hit>> {
        if page.is_empty() {
            return Ok(Vec::new());
        }
        let fields = &self.fields;
        // The query's own weights: looking up every term's document frequency
        // in every field again (as `SnippetGenerator::create` does) would add
        // nothing.
        let words: snippet::Words = terms
            .iter()
            .map(|term| (term.text.clone(), term.importance()))
            .collect();
        let addresses: Vec<DocAddress> = page.iter().map(|&(_, address)| address).collect();
        // Reading a document and cutting its snippet is most of a page's
        // cost, and each hit's is its own; the matched words come from the
        // postings meanwhile.
        let (matched, hits) = rayon::join(
            || match matched {
                Some(matched) => Ok(surfaces(matched, terms, &addresses)),
                None => matched_terms(searcher, fields.all, terms, &addresses),
            },
            || {
                page.par_iter()
                    .map(|&(score, address)| {
                        let doc: TantivyDocument = searcher.doc(address)?;
                        let text = |field| stored_text(&doc, field);
                        let sources = fields.snippet_sources().map(|field| {
                            doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("")
                        });
                        Ok(Hit {
                            id: stored_id(&doc, fields)?,
                            external_id: text(fields.external_id),
                            title: text(fields.heading).unwrap_or_default(),
                            score,
                            snippet: snippet::best(&sources, &words),
                            severity: text(fields.severity),
                            date: text(fields.date),
                            status: text(fields.status),
                            services: doc
                                .get_all(fields.services)
                                .filter_map(|value| value.as_str().map(str::to_owned))
                                .collect(),
                            root_cause: text(fields.cause_line).unwrap_or_default(),
                            fix: text(fields.fix_line).unwrap_or_default(),
                            matched: Vec::new(),
                        })
                    })
                    .collect::<Result<Vec<Hit>>>()
            },
        );
        let mut hits = hits?;
        for (hit, matched) in hits.iter_mut().zip(matched?) {
            hit.matched = matched;
        }
        Ok(hits)
    }

    /// The best `limit` patterns, one per name (compared without case): the best
    /// write-up of a pattern stands for it, the others are listed as seen in.
    fn patterns(
        &self,
        visible: &Visible<'_>,
        terms: &[QueryTerm],
        limit: usize,
    ) -> Result<Vec<PatternHit>> {
        let searcher = visible.searcher;
        let fields = &self.fields.pattern;
        let Some(query) = query::patterns(fields, terms) else {
            return Ok(Vec::new());
        };
        let probe_terms = &terms[..PROBE_TERMS.min(terms.len())];
        let (top, matched) = if probe_terms.len() == terms.len() {
            (top(visible, &query, PATTERN_CANDIDATES)?, None)
        } else {
            let probe = query::patterns(fields, probe_terms).expect("terms are not empty");
            let found = top(visible, &probe, PATTERN_PROBE)?;
            // One clause per term, in order.
            let scorers = Scorers::new(visible, query::pattern_clauses(fields, terms))?;
            let mut rescored = rescore(scorers, terms.len(), found);
            rescored.ranked.truncate(PATTERN_CANDIDATES);
            (rescored.ranked, Some(rescored.matched))
        };
        let mut out: Vec<PatternHit> = Vec::new();
        let mut by_name: HashMap<String, usize, FastHash> = HashMap::default();
        let mut best_addresses = Vec::new();
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field| stored_text(&doc, field).unwrap_or_default();
            let source = PatternSource {
                id: stored_id(&doc, &self.fields)?,
                title: text(fields.incident),
            };
            let name = text(fields.name);
            let key = name.to_lowercase();
            if let Some(&at) = by_name.get(&key) {
                let seen_in = &mut out[at].seen_in;
                if !seen_in.iter().any(|seen| seen.id == source.id) {
                    seen_in.push(source);
                }
                continue;
            }
            let weak = out
                .first()
                .is_some_and(|best| score < best.score * PATTERN_MIN_SHARE);
            if out.len() == limit || weak {
                continue;
            }
            by_name.insert(key, out.len());
            best_addresses.push(address);
            out.push(PatternHit {
                name,
                symptoms: text(fields.symptoms),
                root_cause: text(fields.root_cause),
                detection: text(fields.detection),
                resolution: text(fields.resolution),
                score,
                seen_in: vec![source],
                matched: Vec::new(),
            });
        }
        let matched = match matched {
            Some(matched) => surfaces(&matched, terms, &best_addresses),
            None => matched_terms(searcher, fields.all, terms, &best_addresses)?,
        };
        for (hit, matched) in out.iter_mut().zip(matched) {
            hit.matched = matched;
        }
        Ok(out)
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

/// Documents and their scores, best first.
type Ranked = Vec<(f32, DocAddress)>;

/// For each rescored document, the positions in the query's terms of the
/// first [`MATCHED_TERMS`] it has (most telling first).
type Matched = HashMap<DocAddress, Vec<usize>, FastHash>;

/// Candidates scored by the whole query.
struct Rescored {
    ranked: Ranked,
    /// Which terms each has, seen on the way: reading the postings again to
    /// tell the user what matched cost 5% of a search.
    matched: Matched,
}

/// Each clause's scorer on each segment, made before the candidates are
/// known: opening a term's postings (its BM25 weight, a term dictionary
/// lookup, the first block) does not depend on them, so it runs beside the
/// probe that finds them, on the core the probe leaves idle.
struct Scorers(Vec<Vec<(u32, Box<dyn Scorer>)>>);

impl Scorers {
    fn new(visible: &Visible<'_>, clauses: Vec<(Occur, Box<dyn Query>)>) -> Result<Scorers> {
        let searcher = visible.searcher;
        let per_clause = clauses
            .par_iter()
            .map(
                |(_, clause)| -> tantivy::Result<Vec<(u32, Box<dyn Scorer>)>> {
                    let scoring =
                        EnableScoring::enabled_from_statistics_provider(visible, searcher);
                    let weight = clause.weight(scoring)?;
                    (0u32..)
                        .zip(searcher.segment_readers())
                        .map(|(segment, reader)| Ok((segment, weight.scorer(reader, 1.0)?)))
                        .collect()
                },
            )
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Scorers(per_clause))
    }
}

/// Gives each of `found` its score under the whole query (the sum of the
/// clauses `scorers` were made for, each matched), best first, and notes
/// which of the first `terms` clauses (one per query term, in order) each
/// matches. Walks each clause's postings once per segment, forward through
/// that segment's candidates in order, so its cost grows with clauses x
/// candidates, not with the postings of common words.
fn rescore(scorers: Scorers, terms: usize, found: Vec<(f32, DocAddress)>) -> Rescored {
    let segments = by_segment(found.iter().map(|&(_, address)| address));
    // Each clause's scores are worked out on whichever worker is free, and
    // added up in clause order, so a search's scores do not depend on which
    // worker did what (float addition is not associative, and ties are
    // broken by score first).
    let per_clause: Vec<Vec<Option<f32>>> = scorers
        .0
        .into_par_iter()
        .map(|per_segment| {
            let mut scores = vec![None; found.len()];
            for (segment, mut scorer) in per_segment {
                let Some(docs) = segments.get(&segment) else {
                    continue;
                };
                for &(doc, at) in docs {
                    let mut current = scorer.doc();
                    if current < doc {
                        current = scorer.seek(doc);
                    }
                    if current == TERMINATED {
                        break;
                    }
                    if current == doc {
                        scores[at] = Some(scorer.score());
                    }
                }
            }
            scores
        })
        .collect();
    let mut scores = vec![0.0f32; found.len()];
    let mut has: Vec<Vec<usize>> = vec![Vec::new(); found.len()];
    for (position, clause) in per_clause.iter().enumerate() {
        for (at, score) in clause.iter().enumerate() {
            let Some(score) = score else { continue };
            scores[at] += score;
            if position < terms && has[at].len() < MATCHED_TERMS {
                has[at].push(position);
            }
        }
    }
    let matched = found
        .iter()
        .zip(has)
        .map(|(&(_, address), has)| (address, has))
        .collect();
    let mut ranked: Vec<(f32, DocAddress)> = found
        .into_iter()
        .zip(scores)
        .map(|((_, address), score)| (score, address))
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    Rescored { ranked, matched }
}

/// The surface forms of the terms `matched` notes for each of `addresses`.
fn surfaces(matched: &Matched, terms: &[QueryTerm], addresses: &[DocAddress]) -> Vec<Vec<String>> {
    addresses
        .iter()
        .map(|address| {
            matched.get(address).map_or_else(Vec::new, |has| {
                has.iter().map(|&at| terms[at].surface.clone()).collect()
            })
        })
        .collect()
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

fn stored_text(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|value| value.as_str())
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

fn stored_id(doc: &TantivyDocument, fields: &Fields) -> Result<i64> {
    doc.get_first(fields.id)
        .and_then(|value| value.as_i64())
        .ok_or_else(|| SearchError::Corrupt("a stored document has no id".into()))
}

/// For each of `addresses`, the surface forms of the `terms` that occur in its
/// `field`, most important first (terms come sorted that way). Reads postings,
/// not documents: each term's postings are opened once per segment and walked
/// forward through that segment's documents in order.
fn matched_terms(
    searcher: &Searcher,
    field: Field,
    terms: &[QueryTerm],
    addresses: &[DocAddress],
) -> Result<Vec<Vec<String>>> {
    let mut out = vec![Vec::new(); addresses.len()];
    for (segment, docs) in by_segment(addresses.iter().copied()) {
        let inverted = searcher.segment_reader(segment).inverted_index(field)?;
        for term in terms {
            let key = Term::from_field_text(field, &term.text);
            let Some(mut postings) = inverted
                .read_postings(&key, IndexRecordOption::Basic)
                .map_err(tantivy::TantivyError::from)?
            else {
                continue;
            };
            for &(doc, position) in &docs {
                // Documents come in order, and `seek` only goes forward.
                let found = match postings.doc().cmp(&doc) {
                    std::cmp::Ordering::Equal => true,
                    std::cmp::Ordering::Less => postings.seek(doc) == doc,
                    std::cmp::Ordering::Greater => false,
                };
                if found && out[position].len() < MATCHED_TERMS {
                    out[position].push(term.surface.clone());
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Change, IndexDoc};

    /// Words that every document has one of, so the probe's candidates are
    /// every document that matches at all.
    const COMMON: [&str; 4] = ["outage", "timeout", "latency", "error"];

    fn index() -> SearchIndex {
        index_without(60, &[])
    }

    /// `count` test postmortems, without those of `absent`.
    fn index_without(count: i64, absent: &[i64]) -> SearchIndex {
        let index = SearchIndex::in_ram().unwrap();
        let docs = (0..count)
            .filter(|id| !absent.contains(id))
            .map(|id| {
                let at = id as usize;
                let words: Vec<String> = (0..12)
                    .map(|k| format!("word{}", (at * 7 + k * 3) % 40))
                    .collect();
                IndexDoc {
                    id,
                    title: format!("{} in region{}", COMMON[at % 4], at % 5),
                    // Lengths repeat every 7 and words every 40, so no two
                    // of up to 280 postmortems tie.
                    summary: format!(
                        "{} {} {}",
                        COMMON[(at + 1) % 4],
                        words.join(" "),
                        "detail ".repeat(at % 7)
                    ),
                    symptoms: format!("{} then {}", words[0], words[5]),
                    ..IndexDoc::default()
                }
            })
            .map(Change::Upsert)
            .collect();
        index.apply(docs, 1).unwrap();
        index
    }

    #[test]
    fn hidden_postmortems_are_left_out_as_if_absent() {
        // Every postmortem has one of these words, so more match than are
        // ranked: a hidden one must not take a visible one's place.
        let text = "word3 word10 word17 word24 region2 outage timeout latency error";
        let ids = |results: &SearchResults| -> Vec<i64> {
            results.hits.iter().map(|hit| hit.id).collect()
        };
        let count = 2 * MAX_CANDIDATES as i64;
        let everyone = index_without(count, &[]);
        let best = ids(&everyone.search(text, 10).unwrap());
        // The best matches: each must be passed over without taking a
        // visible one's place.
        let hidden = &best[..4];
        let seen = everyone
            .search_with(&SearchRequest {
                exclude: hidden,
                ..SearchRequest::new(text, 10)
            })
            .unwrap();
        let absent = index_without(count, hidden).search(text, 10).unwrap();
        assert_eq!(seen.hits.len(), 10);
        assert_eq!((seen.total, seen.capped), (MAX_CANDIDATES, true));
        assert_eq!(seen.total, absent.total);
        // The same postmortems with the same score at every rank; the order
        // of near-ties may differ, since the average length the hidden ones
        // are taken out of is read from compressed field norms (about 3
        // significant digits, see `visible`).
        let sorted = |mut ids: Vec<i64>| {
            ids.sort_unstable();
            ids
        };
        assert_eq!(sorted(ids(&seen)), sorted(ids(&absent)));
        for (seen, absent) in seen.hits.iter().zip(&absent.hits) {
            assert!(
                (seen.score - absent.score).abs() <= 1e-3 * absent.score,
                "{} vs {}",
                seen.score,
                absent.score
            );
        }
    }

    #[test]
    fn a_panic_on_the_workers_ends_only_its_own_work() {
        use std::sync::mpsc;
        use std::time::Duration;

        let (lost, never) = mpsc::channel::<()>();
        spawn(move || {
            let _lost = lost;
            panic!("a bug in one search");
        });
        // Its caller sees the answer never come...
        assert_eq!(
            never.recv_timeout(Duration::from_secs(30)),
            Err(mpsc::RecvTimeoutError::Disconnected)
        );
        // ...and the workers (and the process) go on answering the others.
        let (answer, answered) = mpsc::channel();
        spawn(move || {
            answer
                .send(index().search("outage", 3).map(|r| r.hits.len()))
                .unwrap()
        });
        let found = answered.recv_timeout(Duration::from_secs(30)).unwrap();
        assert_eq!(found.unwrap(), 3);
    }

    #[test]
    fn a_long_query_ranks_as_the_whole_query_would() {
        let index = index();
        let searcher = index.reader.searcher();
        let fields = index.fields;
        // The words of a few documents, in their order, so the pairs exist.
        let text: String = (0..6)
            .map(|at: usize| {
                let words: Vec<String> = (0..12)
                    .map(|k| format!("word{}", (at * 7 + k * 3) % 40))
                    .collect();
                format!("{} {}\n", COMMON[(at + 1) % 4], words.join(" "))
            })
            .collect();
        let visible = Visible::all(&searcher);
        let (words, pairs) = query::reduce_all(&text);
        let terms = weigh(&visible, fields.all, words, MAX_QUERY_TERMS);
        let pairs = weigh(&visible, fields.pairs, pairs, MAX_QUERY_PAIRS);
        assert!(terms.len() > PROBE_TERMS && pairs.len() > PROBE_PAIRS);

        let (two_stage, matched) = index
            .candidates(&visible, &terms, &pairs, &Filters::default())
            .unwrap();
        let whole = query::incidents(&fields, &terms, &pairs, &Filters::default()).unwrap();
        let one_stage = top(&visible, &whole, MAX_CANDIDATES).unwrap();

        // Every candidate has the score the whole query gives it...
        let whole_scores: HashMap<DocAddress, f32> = one_stage
            .iter()
            .map(|&(score, address)| (address, score))
            .collect();
        assert!(two_stage.len() >= 10);
        for (score, address) in &two_stage {
            let whole = whole_scores[address];
            assert!((score - whole).abs() <= 1e-4 * whole, "{score} vs {whole}");
        }
        // ...and the best of them are the whole query's best, with the same
        // score at every rank (sums in another order may swap exact ties).
        for (rescored, scored) in two_stage.iter().zip(&one_stage).take(10) {
            assert!(
                (rescored.0 - scored.0).abs() <= 1e-4 * scored.0,
                "{rescored:?} vs {scored:?}"
            );
        }
        let best = |found: &[(f32, DocAddress)]| -> Vec<DocAddress> {
            let mut best: Vec<DocAddress> = found.iter().take(10).map(|&(_, a)| a).collect();
            best.sort();
            best
        };
        assert_eq!(best(&two_stage), best(&one_stage));

        // The terms the rescoring saw each candidate have are those its
        // postings list, as the one-stage query's hits are explained.
        let addresses: Vec<DocAddress> = two_stage.iter().map(|&(_, a)| a).collect();
        let seen = surfaces(
            &matched.expect("the query was rescored"),
            &terms,
            &addresses,
        );
        let listed = matched_terms(&searcher, fields.all, &terms, &addresses).unwrap();
        assert_eq!(seen, listed);
        assert!(seen.iter().all(|words| !words.is_empty()));
    }
}
