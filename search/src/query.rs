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
//! chatty line cannot drown the rest. Then only the [`MAX_QUERY_TERMS`] terms that
//! weigh most (by repetitions and rarity) are searched for: a pasted alert has a
//! few telling words among many ordinary ones, and every clause costs time.

use std::collections::{HashMap, HashSet};

use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
#[cfg(test)]
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

use crate::analyzer::FastHash;
use crate::schema::{Fields, PatternFields};
use crate::search::Filters;

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

/// A pasted text reduced: its distinct terms under the ops analyzer and its
/// distinct word pairs (as the pairs analyzer makes them), each in
/// first-seen order, at most [`MAX_TERMS`] of each: lines that analyze to
/// the same terms (the same log line with another timestamp, id or address)
/// are read once, and counts are capped.
///
/// Both come from one analysis of the text, and a term is copied only when
/// first seen: a 50-line log paste was analyzed twice, a token, a copy of
/// its surface and a joined line key per word, which made reducing it a
/// fifth of the search. [`reduce`] is the reference it must agree with.
pub(crate) fn reduce_all(text: &str) -> (Vec<QueryTerm>, Vec<QueryTerm>) {
    let mut terms = Reduction::default();
    let mut pairs = Reduction::default();
    // Terms and pairs are interned: a line is its sequence of ids.
    let mut term_ids: HashMap<String, usize, FastHash> = HashMap::default();
    let mut term_texts: Vec<String> = Vec::new();
    let mut pair_ids: HashMap<(usize, usize), usize, FastHash> = HashMap::default();
    let mut pair_texts: Vec<String> = Vec::new();
    let mut line_terms: Vec<(usize, usize, usize)> = Vec::new();
    let mut line_pairs: Vec<(usize, usize, usize)> = Vec::new();
    for line in text.lines() {
        if terms.full && pairs.full {
            break;
        }
        line_terms.clear();
        crate::analyzer::for_each_term(line, |from, to, term| {
            let id = match term_ids.get(term) {
                Some(&id) => id,
                None => {
                    let id = term_texts.len();
                    term_texts.push(term.to_owned());
                    term_ids.insert(term.to_owned(), id);
                    id
                }
            };
            line_terms.push((from, to, id));
        });
        if !terms.full {
            terms.line(line, &line_terms, |id| term_texts[id].clone());
        }
        if pairs.full {
            continue;
        }
        // As `PairTokenizer`: the parts of an identifier lie inside the
        // whole one before them and make no pairs of their own.
        line_pairs.clear();
        let mut last: Option<(usize, usize, usize)> = None;
        for &(from, to, id) in &line_terms {
            let Some(previous) = last else {
                last = Some((from, to, id));
                continue;
            };
            if from < previous.1 {
                continue;
            }
            let next = pair_ids.len();
            let pair = *pair_ids.entry((previous.2, id)).or_insert_with(|| {
                pair_texts.push(format!("{} {}", term_texts[previous.2], term_texts[id]));
                next
            });
            line_pairs.push((previous.0, to, pair));
            last = Some((from, to, id));
        }
        pairs.line(line, &line_pairs, |id| pair_texts[id].clone());
    }
    (terms.out, pairs.out)
}

/// The state of one reduction of [`reduce_all`].
#[derive(Default)]
struct Reduction {
    /// Lines read, as their sequences of ids.
    seen_lines: HashSet<Vec<usize>, FastHash>,
    /// Where each id is in `out`.
    position: HashMap<usize, usize, FastHash>,
    out: Vec<QueryTerm>,
    /// Whether it has reached [`MAX_TERMS`] (and reads no more lines).
    full: bool,
}

impl Reduction {
    /// Takes in one line's `(from, to, id)` of each term, `text` giving an
    /// id's term the first time it is seen.
    fn line(&mut self, line: &str, keys: &[(usize, usize, usize)], text: impl Fn(usize) -> String) {
        if keys.is_empty() || !self.seen_lines.insert(keys.iter().map(|k| k.2).collect()) {
            return;
        }
        for &(from, to, id) in keys {
            match self.position.get(&id) {
                Some(&at) => {
                    let count = &mut self.out[at].count;
                    *count = (*count + 1).min(MAX_REPEATS);
                }
                // Stop taking new terms at the cap, so a megabyte paste costs no more
                // than its first few hundred distinct words in the query.
                None if self.out.len() < MAX_TERMS => {
                    let text = text(id);
                    self.position.insert(id, self.out.len());
                    self.out.push(QueryTerm {
                        surface: line.get(from..to).unwrap_or(&text).to_string(),
                        text,
                        count: 1,
                        rarity: 1.0,
                    });
                }
                None => {}
            }
        }
        self.full = self.out.len() >= MAX_TERMS;
    }
}

/// Reduces `text` to its distinct terms under `analyzer`, as [`reduce_all`]
/// does for the ops and pairs analyzers: the plain statement of what it
/// computes, which the tests hold it to.
#[cfg(test)]
pub(crate) fn reduce(analyzer: &mut TextAnalyzer, text: &str) -> Vec<QueryTerm> {
    let mut seen_lines = HashSet::new();
    let mut position: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<QueryTerm> = Vec::new();
    for line in text.lines() {
        let mut stream = analyzer.token_stream(line);
        let mut line_terms = Vec::new();
        while let Some(token) = stream.next() {
            let surface = line
                .get(token.offset_from..token.offset_to)
                .unwrap_or(&token.text);
            line_terms.push((token.text.clone(), surface.to_string()));
        }
        let key: Vec<&str> = line_terms.iter().map(|(text, _)| text.as_str()).collect();
        if line_terms.is_empty() || !seen_lines.insert(key.join(" ")) {
            continue;
        }
        for (term, surface) in line_terms {
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
                        surface,
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

/// The weightiest terms also searched in the title: a hand-written title
/// names the incident, and a match there says more than one in the body.
/// Only the first few, since every clause costs time and long pastes match
/// titles by their telling words anyway.
const TITLE_TERMS: usize = 16;

/// Weight of a title match, on top of the match in `all`.
const TITLE_WEIGHT: f32 = 1.0;

/// Weight of a shared pair of neighbouring words, relative to a word in `all`.
/// Tuned on the corpus dev queries (task 2 MRR@10 0.445 without pairs, 0.47 at 2).
const PAIR_WEIGHT: f32 = 2.0;

/// The fields every term is searched in. `all` scores a term against the
/// whole postmortem, where the parts carry their weights as repetitions
/// (BM25F: what was seen, the patterns' symptoms and the evidence, is in it
/// twice, services three times; see `document`).
///
/// One field, not one per part: every field multiplies the clauses of a query,
/// and each clause costs time on every search (block-max WAND sorts its
/// cursors at every step). On the corpus dev queries eleven per-part fields
/// with tuned weights scored the same as this (task 1 nDCG@10 0.65 either way,
/// task 2 MRR@10 0.467) at twice the time or more.
pub(crate) fn weighted_fields(fields: &Fields) -> [(Field, f32); 1] {
    [(fields.all, 1.0)]
}

/// Builds the incident query: any term in any searched field and any pair of
/// neighbouring words, weighted by field, repetitions and rarity, restricted to
/// the documents that pass `filters`. `None` when there is nothing to search for
/// (a lone word makes no pair, so `terms` decides).
pub(crate) fn incidents(
    fields: &Fields,
    terms: &[QueryTerm],
    pairs: &[QueryTerm],
    filters: &Filters,
) -> Option<Box<dyn Query>> {
    if terms.is_empty() {
        return None;
    }
    let text: Box<dyn Query> = Box::new(BooleanQuery::new(text_clauses(fields, terms, pairs)));
    Some(with_filters(text, fields, filters))
}

/// Builds the probe that finds the candidates of a long query: like
/// [`incidents`], without the title clauses, which add no candidate the
/// same words in `all` do not find (the candidates are then scored by the
/// whole query).
pub(crate) fn probe(
    fields: &Fields,
    terms: &[QueryTerm],
    pairs: &[QueryTerm],
    filters: &Filters,
) -> Option<Box<dyn Query>> {
    if terms.is_empty() {
        return None;
    }
    let mut clauses = should(&weighted_fields(fields), terms);
    clauses.extend(should(&[(fields.pairs, PAIR_WEIGHT)], pairs));
    Some(with_filters(
        Box::new(BooleanQuery::new(clauses)),
        fields,
        filters,
    ))
}

/// `text` restricted to the documents that pass `filters`.
fn with_filters(text: Box<dyn Query>, fields: &Fields, filters: &Filters) -> Box<dyn Query> {
    let filters = filter_clauses(fields, filters);
    if filters.is_empty() {
        return text;
    }
    let mut all = vec![(Occur::Must, text)];
    all.extend(filters);
    Box::new(BooleanQuery::new(all))
}

/// The optional clauses of the incident query, whose scores add up to a
/// postmortem's text score: every term in the searched fields, the weightiest
/// ones in the title, and the word pairs.
pub(crate) fn text_clauses(
    fields: &Fields,
    terms: &[QueryTerm],
    pairs: &[QueryTerm],
) -> Vec<(Occur, Box<dyn Query>)> {
    let mut clauses = should(&weighted_fields(fields), terms);
    let title_terms = &terms[..terms.len().min(TITLE_TERMS)];
    clauses.extend(should(&[(fields.title, TITLE_WEIGHT)], title_terms));
    clauses.extend(should(&[(fields.pairs, PAIR_WEIGHT)], pairs));
    clauses
}

/// Builds the pattern query: the terms against the pattern fields. Filters do not
/// apply: a pattern is knowledge about any service.
pub(crate) fn patterns(fields: &PatternFields, terms: &[QueryTerm]) -> Option<Box<dyn Query>> {
    if terms.is_empty() {
        return None;
    }
    Some(Box::new(BooleanQuery::new(pattern_clauses(fields, terms))))
}

/// The optional clauses of the pattern query.
pub(crate) fn pattern_clauses(
    fields: &PatternFields,
    terms: &[QueryTerm],
) -> Vec<(Occur, Box<dyn Query>)> {
    // One field: the name and symptoms are repeated in it (see `document`).
    should(&[(fields.all, 1.0)], terms)
}

/// One optional clause per term and field.
fn should(weighted: &[(Field, f32)], terms: &[QueryTerm]) -> Vec<(Occur, Box<dyn Query>)> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        Vec::with_capacity(terms.len() * weighted.len());
    for term in terms {
        for &(field, boost) in weighted {
            let query = TermQuery::new(
                Term::from_field_text(field, &term.text),
                IndexRecordOption::WithFreqs,
            );
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(query), boost * term.importance())),
            ));
        }
    }
    clauses
}

/// One required, unscored clause per filter.
fn filter_clauses(fields: &Fields, filters: &Filters) -> Vec<(Occur, Box<dyn Query>)> {
    let facets = &fields.facets;
    [
        (facets.service, &filters.service),
        (facets.severity, &filters.severity),
        (facets.year, &filters.year),
        (facets.tag, &filters.tag),
        (facets.status, &filters.status),
    ]
    .into_iter()
    .filter_map(|(field, value)| {
        let value = value.as_deref()?;
        let term = TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        );
        let clause: Box<dyn Query> = Box::new(ConstScoreQuery::new(Box::new(term), 0.0));
        Some((Occur::Must, clause))
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyzer::ops_analyzer;

    fn terms_of(text: &str) -> Vec<QueryTerm> {
        reduce_all(text).0
    }

    fn texts(terms: &[QueryTerm]) -> Vec<&str> {
        terms.iter().map(|term| term.text.as_str()).collect()
    }

    /// Texts of every kind `reduce_all` must reduce as the analyzers do.
    fn samples() -> Vec<String> {
        let mut log = String::new();
        for i in 0..120 {
            log.push_str(&format!(
                "2025-01-07T09:{:02}:{:02}Z WARN HikariPool-1 pool exhausted conn={i:08x} \
                 user_{} io.grpc.Status DEADLINE_EXCEEDED on payment-service\n",
                i / 60 % 60,
                i % 60,
                i % 7
            ));
        }
        let long: String = (0..1000)
            .map(|i| format!("word{i} other{} ", i % 3))
            .collect();
        let lines: String = (0..400)
            .map(|i| format!("line {i} has words{i} and more{}\n", i % 5))
            .collect();
        // Past the cap no line is read: "alpha" is counted once.
        let capped = format!(
            "alpha first\n{}alpha again\n",
            (0..300).map(|i| format!("unique{i}\n")).collect::<String>()
        );
        vec![
            log,
            long,
            lines,
            capped,
            "Timeout, then TIMEOUTS; then disk".into(),
            "get_the DBPool readTimeout 1.2.3 ORA-00060 p99 5xx ü über-Größe".into(),
            "single\n\nword\n the of and \n".into(),
            "  []{}^~*:! ".into(),
            String::new(),
        ]
    }

    #[test]
    fn one_analysis_reduces_as_both_analyzers() {
        for text in samples() {
            let (terms, pairs) = reduce_all(&text);
            assert_eq!(terms, reduce(&mut ops_analyzer(), &text), "{text:.60}");
            assert_eq!(
                pairs,
                reduce(&mut crate::analyzer::pairs_analyzer(), &text),
                "{text:.60}"
            );
        }
    }

    #[test]
    fn a_frequency_above_the_count_still_weighs_a_word() {
        let terms = terms_of("dns resolver");
        let weighed = weigh_by_rarity(terms, 1, |_| 2);
        assert_eq!(weighed.len(), 2);
        for term in &weighed {
            assert!(term.rarity.is_finite() && term.rarity > 0.0, "{term:?}");
        }
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
        let none = Filters::default();
        let junk = reduce(&mut ops_analyzer(), "  []{}^~*:! ");
        assert!(incidents(&fields, &junk, &[], &none).is_none());
        assert!(patterns(&fields.pattern, &junk).is_none());
        let disk = reduce(&mut ops_analyzer(), "disk");
        assert!(incidents(&fields, &disk, &[], &none).is_some());
    }

    #[test]
    fn keeps_the_surface_form_of_each_term() {
        let got = reduce(&mut ops_analyzer(), "Pool EXHAUSTED on DBPool");
        let surfaces: Vec<&str> = got.iter().map(|term| term.surface.as_str()).collect();
        assert_eq!(texts(&got)[..2], ["pool", "exhaust"]);
        assert_eq!(surfaces[..2], ["Pool", "EXHAUSTED"]);
    }

    #[test]
    fn selection_keeps_the_heaviest_terms_in_first_seen_order_among_equals() {
        let mut terms = reduce(&mut ops_analyzer(), "alpha beta gamma delta");
        terms[2].rarity = 3.0;
        let got = select(terms, 3);
        assert_eq!(texts(&got), ["gamma", "alpha", "beta"]);
    }
}
