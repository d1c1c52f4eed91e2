//! The clauses of the incident, probe and pattern queries: each term (and
//! word pair) an optional clause weighted by field and importance, each
//! filter a required one that does not score.

use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::QueryTerm;
use crate::schema::{Fields, PatternFields};
use crate::search::Filters;

/// The weightiest terms also searched in the title: a hand-written title
/// names the incident, and a match there says more than one in the body.
/// Only the first few, since every clause costs time and long pastes match
/// titles by their telling words anyway.
const TITLE_TERMS: usize = 16;

/// Weight of a title match, on top of the match in `all`. On the dev
/// queries of the recurrence corpus 2 beat 1 (MRR@10 +0.01) and 4 (task 2
/// lost 0.01).
const TITLE_WEIGHT: f32 = 2.0;

/// Weight of a shared pair of neighbouring words, relative to a word in `all`.
/// Tuned on the corpus dev queries (task 2 MRR@10 0.445 without pairs, 0.465
/// at 2, 0.478 at 1 with the title at 2); on the recurrence corpus 1 beat 2
/// by 0.03 MRR@10, and 0.5 lost task 2 0.02.
const PAIR_WEIGHT: f32 = 1.0;

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
fn weighted_fields(fields: &Fields) -> [(Field, f32); 1] {
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
/// whole query). Without terms it matches nothing.
pub(crate) fn probe(
    fields: &Fields,
    terms: &[QueryTerm],
    pairs: &[QueryTerm],
    filters: &Filters,
) -> Box<dyn Query> {
    let mut clauses = should(&weighted_fields(fields), terms);
    clauses.extend(should(&[(fields.pairs, PAIR_WEIGHT)], pairs));
    with_filters(Box::new(BooleanQuery::new(clauses)), fields, filters)
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
