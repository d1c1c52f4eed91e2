//! What each hit shares with the query beyond words: the query's
//! [`Clues`](crate::trace::Clues) (exceptions, top frames, error messages)
//! found in the postmortem, and the query's words that name one of its
//! services. Read from the postings of the page's documents only.

use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, Searcher, Term};

use super::by_segment;
use super::hits::reaches;
use crate::error::Result;
use crate::query::QueryTerm;
use crate::schema::Fields;
use crate::trace::{Clue, Clues};
use kb_domain::search::{MatchSignal, SignalKind};

/// Services named per hit, at most.
const MAX_SERVICES: usize = 3;

/// For each of `addresses`, the signals it shares with the query, strongest first.
pub(super) fn signals(
    searcher: &Searcher,
    fields: &Fields,
    clues: &Clues,
    terms: &[QueryTerm],
    addresses: &[DocAddress],
) -> Result<Vec<Vec<MatchSignal>>> {
    let mut out = vec![Vec::new(); addresses.len()];
    let kinds = [
        (SignalKind::Exception, fields.all, &clues.exceptions),
        (SignalKind::Frame, fields.all, &clues.frames),
        (SignalKind::Message, fields.pairs, &clues.messages),
    ];
    for (kind, field, clues) in kinds {
        for clue in clues.iter() {
            let has = all_present(searcher, field, &clue.terms, addresses)?;
            push(&mut out, &has, kind, clue);
        }
    }
    let services: Vec<Vec<String>> = terms.iter().map(|t| vec![t.text.clone()]).collect();
    let mut named = vec![0; addresses.len()];
    for (term, texts) in terms.iter().zip(&services) {
        let has = all_present(searcher, fields.services, texts, addresses)?;
        for (at, has) in has.into_iter().enumerate() {
            if has && named[at] < MAX_SERVICES {
                named[at] += 1;
                out[at].push(MatchSignal {
                    kind: SignalKind::Service,
                    text: term.surface.clone(),
                });
            }
        }
    }
    Ok(out)
}

fn push(out: &mut [Vec<MatchSignal>], has: &[bool], kind: SignalKind, clue: &Clue) {
    for (signals, &has) in out.iter_mut().zip(has) {
        if has {
            signals.push(MatchSignal {
                kind,
                text: clue.surface.clone(),
            });
        }
    }
}

/// Whether each of `addresses` has every one of `texts` in `field`.
fn all_present(
    searcher: &Searcher,
    field: Field,
    texts: &[String],
    addresses: &[DocAddress],
) -> Result<Vec<bool>> {
    let mut out = vec![!texts.is_empty(); addresses.len()];
    for (segment, docs) in by_segment(addresses.iter().copied()) {
        let inverted = searcher.segment_reader(segment).inverted_index(field)?;
        for text in texts {
            let key = Term::from_field_text(field, text);
            let postings = inverted
                .read_postings(&key, IndexRecordOption::Basic)
                .map_err(tantivy::TantivyError::from)?;
            let Some(mut postings) = postings else {
                for &(_, position) in &docs {
                    out[position] = false;
                }
                continue;
            };
            for &(doc, position) in &docs {
                out[position] &= reaches(&mut postings, doc);
            }
        }
    }
    Ok(out)
}
