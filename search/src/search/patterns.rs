//! The incident patterns that match: scored as incidents are (a long query
//! in two stages), then grouped by name, the best write-up of each standing
//! for it.

use std::collections::HashMap;

use tantivy::TantivyDocument;

use super::hits::{matched_terms, stored_id, stored_text, surfaces};
use super::rescore::{rescore, Scorers, PROBE_TERMS};
use super::{top, PatternHit, PatternSource};
use crate::analyzer::FastHash;
use crate::error::Result;
use crate::index::SearchIndex;
use crate::query::{self, QueryTerm};
use crate::visible::Visible;

/// Pattern documents fetched before grouping them by name.
const PATTERN_CANDIDATES: usize = 12;

/// Pattern documents the probe query of a long query finds, to be scored by
/// the whole query (see [`PROBE_TERMS`]).
const PATTERN_PROBE: usize = 24;

/// Patterns scoring below this share of the best pattern's score are left
/// out: a pattern is advice, and a weak match is noise next to a strong one.
const PATTERN_MIN_SHARE: f32 = 0.4;

impl SearchIndex {
    /// The best `limit` patterns, one per name (compared without case): the best
    /// write-up of a pattern stands for it, the others are listed as seen in.
    pub(super) fn patterns(
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
