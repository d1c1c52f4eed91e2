//! Filter counts: the service, severity, year, tag and status of each
//! ranked candidate, read from the fast-field columns, and how often each
//! value occurs among them. The tags also feed the reranking (`feedback`).

use std::collections::HashMap;

use tantivy::{DocAddress, Searcher};

use crate::analyzer::FastHash;
use crate::error::Result;
use crate::schema;
use crate::search::{by_segment, FacetCount, Facets};

/// The facet columns, in the order of [`CandidateValues::of`].
const FACET_COLUMNS: [&str; 5] = [
    schema::FACET_SERVICE,
    schema::FACET_SEVERITY,
    schema::FACET_YEAR,
    schema::FACET_TAG,
    schema::FACET_STATUS,
];

/// Position of the tags in [`FACET_COLUMNS`].
const TAG: usize = 3;

/// The filter values of each candidate, read from the fast-field columns. Values
/// are interned: ordinals are collected per segment first and turned into strings
/// once each, in one sorted pass over the column's dictionary (looking values up
/// one by one decodes a dictionary block per lookup).
pub(crate) struct CandidateValues {
    /// Interned values.
    names: Vec<String>,
    /// Per column of [`FACET_COLUMNS`], per candidate: indexes into `names`.
    pub(crate) of: [Vec<Vec<u32>>; 5],
}

impl CandidateValues {
    pub(crate) fn read(searcher: &Searcher, candidates: &[(f32, DocAddress)]) -> Result<Self> {
        let mut names: Vec<String> = Vec::new();
        let mut ids: HashMap<String, u32, FastHash> = HashMap::default();
        let mut of: [Vec<Vec<u32>>; 5] = Default::default();
        for values in &mut of {
            values.resize(candidates.len(), Vec::new());
        }
        for (segment, docs) in by_segment(candidates.iter().map(|&(_, address)| address)) {
            let fast = searcher.segment_reader(segment).fast_fields();
            for (name, values) in FACET_COLUMNS.iter().zip(of.iter_mut()) {
                let Some(column) = fast.str(name)? else {
                    continue;
                };
                let per_doc: Vec<Vec<u64>> = docs
                    .iter()
                    .map(|&(doc, _)| column.term_ords(doc).collect())
                    .collect();
                let mut ords: Vec<u64> = per_doc.iter().flatten().copied().collect();
                ords.sort_unstable();
                ords.dedup();
                let mut interned = Vec::with_capacity(ords.len());
                column
                    .dictionary()
                    .sorted_ords_to_term_cb(&ords, |bytes| {
                        let value = String::from_utf8_lossy(bytes).into_owned();
                        let id = *ids.entry(value.clone()).or_insert_with(|| {
                            names.push(value);
                            (names.len() - 1) as u32
                        });
                        interned.push(id);
                    })
                    .map_err(tantivy::TantivyError::from)?;
                for ((_, position), doc_ords) in docs.iter().zip(per_doc) {
                    values[*position] = doc_ords
                        .iter()
                        .filter_map(|ord| {
                            let at = ords.binary_search(ord).ok()?;
                            interned.get(at).copied()
                        })
                        .collect();
                }
            }
        }
        Ok(CandidateValues { names, of })
    }

    /// Each candidate's tags.
    pub(crate) fn tags(&self) -> Vec<Vec<&str>> {
        self.of[TAG]
            .iter()
            .map(|ids| {
                ids.iter()
                    .map(|&id| self.names[id as usize].as_str())
                    .collect()
            })
            .collect()
    }

    /// Counts each column's values over the candidates in `order`.
    pub(crate) fn count(&self, order: &[(usize, f32)]) -> Facets {
        let counts = self.of.each_ref().map(|values| {
            let mut counts: HashMap<u32, usize, FastHash> = HashMap::default();
            for &(at, _) in order {
                for &id in &values[at] {
                    *counts.entry(id).or_default() += 1;
                }
            }
            sorted(
                counts
                    .into_iter()
                    .map(|(id, count)| (self.names[id as usize].clone(), count))
                    .collect(),
            )
        });
        let [service, severity, year, tag, status] = counts;
        Facets {
            service,
            severity,
            year,
            tag,
            status,
        }
    }
}

/// Most frequent first, then by value, so the order is stable.
fn sorted(counts: Vec<(String, usize)>) -> Vec<FacetCount> {
    let mut out: Vec<FacetCount> = counts
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    out
}
