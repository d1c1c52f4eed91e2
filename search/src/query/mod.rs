//! Turning whatever a user pastes into a tantivy query.
//!
//! There is deliberately no query language: the text goes through the same analyzer
//! as the documents and every resulting term becomes an optional clause. Quotes,
//! colons, brackets, `AND` and pages of log lines are all just text, so no input can
//! be a syntax error, and an incident's error message pasted verbatim finds the
//! postmortems that quote it.
//!
//! Long pastes are reduced first ([`reduce`]): a log line repeated a thousand times
//! (with different timestamps and request ids, which the analyzer drops) counts
//! once, and a term's weight grows with its repetitions only up to a cap, so one
//! chatty line cannot drown the rest; of a stack trace only the top frames
//! are read (see `trace`). Then only the [`MAX_QUERY_TERMS`] terms that
//! weigh most (by repetitions and rarity) are searched for: a pasted alert has a
//! few telling words among many ordinary ones, and every clause costs time.
//!
//! This module holds the terms and what they weigh; `reduction` reads a paste
//! into them, and `clauses` builds the incident, probe and pattern queries
//! from them.

mod clauses;
mod reduction;
#[cfg(test)]
mod tests;

pub(crate) use clauses::{incidents, pattern_clauses, patterns, probe, text_clauses};
pub(crate) use reduction::reduce_all;

/// At most this many distinct terms are searched for. A pasted log can contain
/// thousands; the first ones are the most likely to be what the user looked at, and
/// the cap bounds the cost of a query (terms x fields clauses).
pub(crate) const MAX_TERMS: usize = 256;

/// At most this many of the reduced terms become clauses: those that weigh most.
/// On the corpus dev queries 96 scored the same as 48.
pub(crate) const MAX_QUERY_TERMS: usize = 48;

/// At most this many word pairs become clauses. On the corpus dev queries, 24
/// pairs cost task 2 0.02 MRR@10 against 64; 256 scored as 64, slower.
pub(crate) const MAX_QUERY_PAIRS: usize = 64;

/// A term's weight stops growing after this many occurrences (in distinct lines).
const MAX_REPEATS: u32 = 3;

/// One term of a reduced query.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct QueryTerm {
    /// The analyzed term.
    pub(crate) text: String,
    /// How it was first written in the query, to tell the user what matched.
    pub(crate) surface: String,
    /// Occurrences in the distinct lines of the input, capped at [`MAX_REPEATS`].
    pub(crate) count: u32,
    /// Extra weight from the term's rarity in the index (1 until [`weigh_by_rarity`]).
    pub(crate) rarity: f32,
}

impl QueryTerm {
    /// The clause weight: repeated terms count more, with diminishing returns.
    fn weight(&self) -> f32 {
        1.0 + (self.count as f32).ln()
    }

    /// How much the term counts in the query as a whole.
    pub(crate) fn importance(&self) -> f32 {
        self.weight() * self.rarity
    }
}

/// How much more than BM25's own IDF a rare term counts: its clauses are boosted
/// by `idf^RARITY_POWER`. Long pastes are mostly ordinary words; the few rare
/// ones (a product name, an error code) are what ties them to a postmortem.
/// Tuned on the corpus dev queries (0.5 beat 0, 1 and 2).
const RARITY_POWER: f32 = 0.5;

/// Weighs `terms` by their rarity in the index of `num_docs` documents;
/// `doc_freq` gives a term's document frequency. Terms no document has are
/// dropped: they cannot match, and as the rarest of all they would take the
/// places of words that can (a pasted host name, a request id the masking
/// did not catch).
///
/// `num_docs` must count what `doc_freq` counts: a deleted document keeps
/// its terms' frequencies until a merge drops it. A frequency above the
/// count (they disagreed) is taken as the count, so a weight is never the
/// square root of a negative IDF: that NaN once made every word shared
/// with a deleted postmortem match nothing until the merge landed.
pub(crate) fn weigh_by_rarity(
    mut terms: Vec<QueryTerm>,
    num_docs: u64,
    mut doc_freq: impl FnMut(&str) -> u64,
) -> Vec<QueryTerm> {
    if num_docs == 0 {
        return terms;
    }
    let n = num_docs as f64;
    terms.retain_mut(|term| {
        let df = doc_freq(&term.text);
        // BM25's non-negative IDF, as tantivy computes it.
        let seen = df.min(num_docs) as f64;
        let idf = (1.0 + (n - seen + 0.5) / (seen + 0.5)).ln() as f32;
        term.rarity = idf.powf(RARITY_POWER);
        df > 0
    });
    terms
}

/// Keeps the `max` terms that weigh most, most important first (first-seen order
/// among equals).
pub(crate) fn select(mut terms: Vec<QueryTerm>, max: usize) -> Vec<QueryTerm> {
    // A stable sort keeps first-seen order among equals, so ties go to what the
    // user wrote first.
    terms.sort_by(|a, b| b.importance().total_cmp(&a.importance()));
    terms.truncate(max);
    terms
}
