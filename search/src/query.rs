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
//! chatty line cannot drown the rest. Rarity is left to BM25's IDF.

use std::collections::{HashMap, HashSet};

use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

use crate::schema::Fields;

/// At most this many distinct terms are searched for. A pasted log can contain
/// thousands; the first ones are the most likely to be what the user looked at, and
/// the cap bounds the cost of a query (terms x fields clauses).
pub(crate) const MAX_TERMS: usize = 256;

/// A term's weight stops growing after this many occurrences (in distinct lines).
const MAX_REPEATS: u32 = 3;

/// One term of a reduced query.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct QueryTerm {
    /// The analyzed term.
    pub(crate) text: String,
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
}

/// Reduces `text` to its distinct terms, in first-seen order, at most [`MAX_TERMS`]:
/// lines that analyze to the same terms (the same log line with another timestamp,
/// id or address) are read once, and counts are capped.
pub(crate) fn reduce(analyzer: &mut TextAnalyzer, text: &str) -> Vec<QueryTerm> {
    let mut seen_lines = HashSet::new();
    let mut position: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<QueryTerm> = Vec::new();
    for line in text.lines() {
        let mut stream = analyzer.token_stream(line);
        let mut line_terms = Vec::new();
        while let Some(token) = stream.next() {
            line_terms.push(token.text.clone());
        }
        if line_terms.is_empty() || !seen_lines.insert(line_terms.join(" ")) {
            continue;
        }
        for term in line_terms {
            match position.get(&term) {
                Some(&at) => {
                    let count = &mut out[at].count;
                    *count = (*count + 1).min(MAX_REPEATS);
                }
                // Stop taking new terms at the cap, so a megabyte paste costs no more
                // than its first few hundred distinct words in the query.
                None if out.len() < MAX_TERMS => {
                    position.insert(term.clone(), out.len());
                    out.push(QueryTerm {
                        text: term,
                        count: 1,
                        rarity: 1.0,
                    });
                }
                None => {}
            }
        }
        if out.len() >= MAX_TERMS {
            break;
        }
    }
    out
}

/// How much more than BM25's own IDF a rare term counts: its clauses are boosted
/// by `idf^RARITY_POWER`. Long pastes are mostly ordinary words; the few rare
/// ones (a product name, an error code) are what ties them to a postmortem.
/// Tuned on the corpus dev queries (0.5 beat 0, 1 and 2).
const RARITY_POWER: f32 = 0.5;

/// Weighs `terms` by their rarity in the index of `num_docs` documents;
/// `doc_freq` gives a term's document frequency.
pub(crate) fn weigh_by_rarity(
    mut terms: Vec<QueryTerm>,
    num_docs: u64,
    mut doc_freq: impl FnMut(&str) -> u64,
) -> Vec<QueryTerm> {
    if num_docs == 0 {
        return terms;
    }
    let n = num_docs as f64;
    for term in &mut terms {
        let df = doc_freq(&term.text) as f64;
        // BM25's non-negative IDF, as tantivy computes it.
        let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln() as f32;
        term.rarity = idf.powf(RARITY_POWER);
    }
    terms
}

/// Weight of a shared pair of neighbouring words, relative to a word in `all`.
/// Tuned on the corpus dev queries (task 2 MRR@10 0.445 without pairs, 0.47 at 2).
const PAIR_WEIGHT: f32 = 2.0;

/// Per-field weights. `all` scores the term against the whole postmortem, like
/// plain BM25; the part fields add what a match there says beyond that. A shared
/// service name or title word says most about whether it is the same kind of
/// incident; what was seen (patterns' symptoms, evidence) comes next, then summary,
/// causes and impact; the timeline, what was done and the story least.
///
/// Measured on the corpus dev queries (header fields only): services 2 over 0.5
/// lifts task 1; a title weight of 1 costs task 2 about 0.006 MRR@10 against 0.5 and
/// is kept for real, hand-written titles (the corpus' task 2 titles are just the
/// first words of the text); any resolution weight costs task 2.
pub(crate) fn weighted_fields(fields: &Fields) -> [(Field, f32); 11] {
    [
        (fields.all, 1.0),
        (fields.symptoms, 0.8),
        (fields.title, 1.0),
        (fields.summary, 0.4),
        (fields.causes, 0.5),
        (fields.services, 2.0),
        (fields.labels, 0.5),
        (fields.impact, 0.4),
        (fields.timeline, 0.2),
        (fields.resolution, 0.1),
        (fields.narrative, 0.1),
    ]
}

/// Builds the query: any term in any searched field and any pair of neighbouring
/// words, weighted by field, repetitions and rarity. `None` when there is nothing
/// to search for (a lone word makes no pair, so `terms` decides).
pub(crate) fn build(
    fields: &Fields,
    terms: &[QueryTerm],
    pairs: &[QueryTerm],
) -> Option<BooleanQuery> {
    if terms.is_empty() {
        return None;
    }
    let weighted = weighted_fields(fields);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        Vec::with_capacity(terms.len() * weighted.len());
    for term in terms {
        for (field, boost) in weighted {
            let query = TermQuery::new(
                Term::from_field_text(field, &term.text),
                IndexRecordOption::WithFreqs,
            );
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(query),
                    boost * term.weight() * term.rarity,
                )),
            ));
        }
    }
    for pair in pairs {
        let query = TermQuery::new(
            Term::from_field_text(fields.pairs, &pair.text),
            IndexRecordOption::WithFreqs,
        );
        clauses.push((
            Occur::Should,
            Box::new(BoostQuery::new(
                Box::new(query),
                PAIR_WEIGHT * pair.weight() * pair.rarity,
            )),
        ));
    }
    Some(BooleanQuery::new(clauses))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyzer::ops_analyzer;

    fn texts(terms: &[QueryTerm]) -> Vec<&str> {
        terms.iter().map(|term| term.text.as_str()).collect()
    }

    #[test]
    fn dedupes_keeping_first_seen_order() {
        let got = reduce(&mut ops_analyzer(), "Timeout, then TIMEOUTS; then disk");
        assert_eq!(texts(&got), ["timeout", "disk"]);
        assert_eq!(got[0].count, 2);
    }

    #[test]
    fn caps_the_number_of_terms() {
        let text: String = (0..1000).map(|i| format!("word{i} ")).collect();
        let got = reduce(&mut ops_analyzer(), &text);
        assert_eq!(got.len(), MAX_TERMS);
        assert_eq!(got[0].text, "word0");
        assert_eq!(got[MAX_TERMS - 1].text, format!("word{}", MAX_TERMS - 1));
    }

    #[test]
    fn syntax_is_just_text() {
        let got = reduce(&mut ops_analyzer(), r#"title:foo AND (bar "baz"#);
        assert_eq!(texts(&got), ["title:foo", "titl", "foo", "bar", "baz"]);
    }

    #[test]
    fn repeated_log_lines_count_once() {
        let mut log = String::new();
        for i in 0..500 {
            log.push_str(&format!(
                "2025-01-07T09:{:02}:{:02}Z WARN pool exhausted conn={i:08x} host=10.1.2.{}\n",
                i / 60 % 60,
                i % 60,
                i % 250
            ));
        }
        log.push_str("ERROR payment gateway returned 502\n");
        let got = reduce(&mut ops_analyzer(), &log);
        assert_eq!(
            texts(&got),
            [
                "warn", "pool", "exhaust", "conn", "host", "error", "payment", "gateway", "return",
                "502"
            ]
        );
        assert!(got.iter().all(|term| term.count == 1), "{got:?}");
    }

    #[test]
    fn repetitions_are_capped() {
        let text = "disk full\ndisk slow\ndisk gone\ndisk again\ndisk once more";
        let got = reduce(&mut ops_analyzer(), text);
        assert_eq!(got[0].text, "disk");
        assert_eq!(got[0].count, MAX_REPEATS);
    }

    #[test]
    fn nothing_to_search_builds_no_query() {
        let fields = crate::schema::Fields::from_schema(&crate::schema::build()).unwrap();
        assert!(build(&fields, &reduce(&mut ops_analyzer(), "  []{}^~*:! "), &[]).is_none());
        let disk = QueryTerm {
            text: "disk".into(),
            count: 1,
            rarity: 1.0,
        };
        assert!(build(&fields, &[disk], &[]).is_some());
    }
}
