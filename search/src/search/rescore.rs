//! The two-stage search of a long query: a probe of its weightiest words
//! and pairs finds the candidates, and only those are scored by the whole
//! query, noting on the way which terms each has.

use std::collections::HashMap;

use rayon::prelude::*;
use tantivy::query::{EnableScoring, Occur, Query, Scorer};
use tantivy::{DocAddress, DocSet, TERMINATED};

use super::hits::MATCHED_TERMS;
use super::{by_segment, top, Filters, MAX_CANDIDATES};
use crate::analyzer::FastHash;
use crate::error::Result;
use crate::index::SearchIndex;
use crate::query::{self, QueryTerm};
use crate::visible::Visible;

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
pub(super) const PROBE_TERMS: usize = 8;
pub(super) const PROBE_PAIRS: usize = 8;

impl SearchIndex {
    /// The best [`MAX_CANDIDATES`] postmortems that pass `filters`, scored by
    /// the whole query. A long query finds them with a probe of its weightiest
    /// words and pairs, then scores only those ([`PROBE_TERMS`]).
    ///
    /// Rescored candidates come with the terms each has (see [`Rescored`]).
    pub(super) fn candidates(
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
        let probe = query::probe(fields, probe_terms, probe_pairs, filters);
        // `text_clauses` starts with one clause per term, in order.
        let (found, scorers) = rayon::join(
            || top(visible, &probe, MAX_CANDIDATES),
            || Scorers::new(visible, query::text_clauses(fields, terms, pairs)),
        );
        let rescored = rescore(scorers?, terms.len(), found?);
        Ok((rescored.ranked, Some(rescored.matched)))
    }
}

/// Documents and their scores, best first.
pub(super) type Ranked = Vec<(f32, DocAddress)>;

/// For each rescored document, the positions in the query's terms of the
/// first [`MATCHED_TERMS`] it has (most telling first).
pub(super) type Matched = HashMap<DocAddress, Vec<usize>, FastHash>;

/// Candidates scored by the whole query.
pub(super) struct Rescored {
    pub(super) ranked: Ranked,
    /// Which terms each has, seen on the way: reading the postings again to
    /// tell the user what matched cost 5% of a search.
    pub(super) matched: Matched,
}

/// Each clause's scorer on each segment, made before the candidates are
/// known: opening a term's postings (its BM25 weight, a term dictionary
/// lookup, the first block) does not depend on them, so it runs beside the
/// probe that finds them, on the core the probe leaves idle.
pub(super) struct Scorers(Vec<Vec<(u32, Box<dyn Scorer>)>>);

impl Scorers {
    pub(super) fn new(
        visible: &Visible<'_>,
        clauses: Vec<(Occur, Box<dyn Query>)>,
    ) -> Result<Scorers> {
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
pub(super) fn rescore(scorers: Scorers, terms: usize, found: Vec<(f32, DocAddress)>) -> Rescored {
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
