//! The page's documents read into hits: their stored fields, a snippet cut
//! from the field that matched best, the query's words each has and what
//! else it shares with the query (`signals`).

use rayon::prelude::*;
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, DocId, DocSet, Searcher, TantivyDocument, Term};

use super::rescore::Matched;
use super::signals::signals;
use super::{by_segment, SearchHit};
use crate::error::{Result, SearchError};
use crate::index::SearchIndex;
use crate::query::QueryTerm;
use crate::schema::Fields;
use crate::snippet;
use crate::trace::Clues;

/// Matched terms reported per hit.
pub(super) const MATCHED_TERMS: usize = 6;

impl SearchIndex {
    /// Reads, cuts snippets for and explains the page's documents. The terms
    /// each has come from `matched` when the rescoring found them, else from
    /// the postings.
    pub(super) fn hits(
        &self,
        searcher: &Searcher,
        terms: &[QueryTerm],
        page: &[(f32, DocAddress)],
        matched: Option<&Matched>,
        text: &str,
    ) -> Result<Vec<SearchHit>> {
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
            || -> Result<_> {
                let matched = match matched {
                    Some(matched) => surfaces(matched, terms, &addresses),
                    None => matched_terms(searcher, fields.all, terms, &addresses)?,
                };
                let clues = Clues::read(text);
                let signals = signals(searcher, fields, &clues, terms, &addresses)?;
                Ok((matched, signals))
            },
            || {
                page.par_iter()
                    .map(|&(score, address)| {
                        let doc: TantivyDocument = searcher.doc(address)?;
                        let text = |field| stored_text(&doc, field);
                        let sources = fields.snippet_sources().map(|field| {
                            doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("")
                        });
                        let snippet = snippet::best(&sources, &words);
                        Ok(SearchHit {
                            id: stored_id(&doc, fields)?,
                            external_id: text(fields.external_id),
                            title: text(fields.heading).unwrap_or_default(),
                            score,
                            snippet: snippet.text,
                            highlights: snippet.highlights,
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
                            signals: Vec::new(),
                        })
                    })
                    .collect::<Result<Vec<SearchHit>>>()
            },
        );
        let mut hits = hits?;
        let (matched, signals) = matched?;
        for ((hit, matched), signals) in hits.iter_mut().zip(matched).zip(signals) {
            hit.matched = matched;
            hit.signals = signals;
        }
        Ok(hits)
    }
}

/// The surface forms of the terms `matched` notes for each of `addresses`.
pub(super) fn surfaces(
    matched: &Matched,
    terms: &[QueryTerm],
    addresses: &[DocAddress],
) -> Vec<Vec<String>> {
    addresses
        .iter()
        .map(|address| {
            matched.get(address).map_or_else(Vec::new, |has| {
                has.iter().map(|&at| terms[at].surface.clone()).collect()
            })
        })
        .collect()
}

pub(super) fn stored_text(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|value| value.as_str())
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

pub(super) fn stored_id(doc: &TantivyDocument, fields: &Fields) -> Result<i64> {
    doc.get_first(fields.id)
        .and_then(|value| value.as_i64())
        .ok_or_else(|| SearchError::Corrupt("a stored document has no id".into()))
}

/// For each of `addresses`, the surface forms of the `terms` that occur in its
/// `field`, most important first (terms come sorted that way). Reads postings,
/// not documents: each term's postings are opened once per segment and walked
/// forward through that segment's documents in order.
pub(super) fn matched_terms(
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
                if reaches(&mut postings, doc) && out[position].len() < MATCHED_TERMS {
                    out[position].push(term.surface.clone());
                }
            }
        }
    }
    Ok(out)
}

/// Whether `postings` has `doc`. Ask in increasing order of documents:
/// `seek` only goes forward.
pub(super) fn reaches(postings: &mut impl DocSet, doc: DocId) -> bool {
    match postings.doc().cmp(&doc) {
        std::cmp::Ordering::Equal => true,
        std::cmp::Ordering::Less => postings.seek(doc) == doc,
        std::cmp::Ordering::Greater => false,
    }
}
