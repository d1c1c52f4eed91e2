//! A paste read into its distinct terms and word pairs, with their
//! repetitions: the same log line with another timestamp or id is read once,
//! and a stack trace's deep frames not at all.

use std::collections::{HashMap, HashSet};

#[cfg(test)]
use tantivy::tokenizer::TextAnalyzer;

use super::{QueryTerm, MAX_REPEATS, MAX_TERMS};
use crate::analyzer::FastHash;
use crate::trace::DeepFrames;

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
    let mut deep = DeepFrames::default();
    for line in text.lines() {
        if terms.full && pairs.full {
            break;
        }
        if deep.skips(line) {
            continue;
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
pub(super) fn reduce(analyzer: &mut TextAnalyzer, text: &str) -> Vec<QueryTerm> {
    let mut seen_lines = HashSet::new();
    let mut position: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<QueryTerm> = Vec::new();
    let mut deep = DeepFrames::default();
    for line in text.lines() {
        if deep.skips(line) {
            continue;
        }
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
