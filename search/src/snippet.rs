//! Highlighted excerpts of a hit's best-matching prose field for search results.
//!
//! The crate returns plain text plus byte ranges instead of tantivy's HTML so that
//! escaping is done exactly once, by whoever renders it (Leptos escapes text nodes);
//! postmortems quote logs and code, and `<script>` in a body must reach the page as
//! text.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::analyzer::{self, FastHash};

/// Target length of a snippet: bytes around the matches (as tantivy counts
/// them), characters of the start of a field shown when nothing matched.
pub(crate) const SNIPPET_CHARS: usize = 200;

/// Bytes of each field that are looked at for a snippet. Cutting a snippet means
/// analyzing the text again, for every hit on every search; the start of a part
/// of the record is where its point is made, and it bounds the cost.
const SNIPPET_SCAN_BYTES: usize = 2_000;

/// Bytes analyzed for one hit's snippet across all its fields: once spent, the
/// best excerpt so far is it. Bounds the time a page of hits costs whatever the
/// length of the postmortems (analysis is most of a search's fixed cost).
const SNIPPET_BUDGET_BYTES: usize = 4_000;

/// A field whose excerpt highlights this many distinct words is good enough: the
/// later (less preferred) fields are not analyzed.
const GOOD_ENOUGH_WORDS: usize = 3;

/// A fragment of plain text (NOT html-escaped) and byte ranges in it to highlight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Snippet {
    /// The excerpt, as stored (not escaped).
    pub text: String,
    /// `(start, end)` byte ranges of `text` to highlight: sorted, non-overlapping, and
    /// on char boundaries, so `&text[start..end]` never panics.
    pub highlights: Vec<(usize, usize)>,
}

/// The query's terms (as the analyzer makes them) and how much each counts
/// towards an excerpt.
pub(crate) type Words = HashMap<String, f32, FastHash>;

/// Builds the snippet for one hit from the field that matched best: the one whose
/// excerpt highlights the most distinct words (ties go to the earlier source, see
/// `Fields::snippet_sources`), stopping at the first that highlights
/// [`GOOD_ENOUGH_WORDS`]. When no prose field matched (only the title, services or
/// labels did), shows how the first non-empty field starts.
pub(crate) fn best(sources: &[&str], words: &Words) -> Snippet {
    let mut best: Option<(usize, Snippet)> = None;
    let mut budget = SNIPPET_BUDGET_BYTES;
    for text in sources {
        if text.is_empty() {
            continue;
        }
        if budget == 0 {
            break;
        }
        let scanned = &text[..floor_char_boundary(text, SNIPPET_SCAN_BYTES.min(budget))];
        budget -= scanned.len();
        let Some(cut) = cut(scanned, words, SNIPPET_CHARS) else {
            continue;
        };
        let fragment = &scanned[cut.start..cut.stop];
        if fragment.is_empty() {
            continue;
        }
        let highlighted: Vec<std::ops::Range<usize>> = cut
            .highlights
            .iter()
            .map(|&(from, to)| from - cut.start..to - cut.start)
            .collect();
        // A whole identifier overlaps its words, so its range can run past the end
        // of a fragment that was cut after one of them: clip to the fragment.
        let highlights: Vec<(usize, usize)> =
            tantivy::snippet::collapse_overlapped_ranges(&highlighted)
                .into_iter()
                .map(|range| (range.start, floor_char_boundary(fragment, range.end)))
                .filter(|&(start, end)| start < end && fragment.is_char_boundary(start))
                .collect();
        let distinct = highlights
            .iter()
            .map(|&(start, end)| fragment[start..end].to_lowercase())
            .collect::<std::collections::HashSet<_>>()
            .len();
        let good_enough = distinct >= GOOD_ENOUGH_WORDS;
        if best.as_ref().is_none_or(|(most, _)| distinct > *most) {
            best = Some((
                distinct,
                Snippet {
                    text: fragment.to_string(),
                    highlights,
                },
            ));
        }
        if good_enough {
            break;
        }
    }
    if let Some((_, snippet)) = best {
        return snippet;
    }
    let first = sources
        .iter()
        .find(|text| !text.trim().is_empty())
        .copied()
        .unwrap_or_default();
    Snippet {
        text: leading(first, SNIPPET_CHARS).to_string(),
        highlights: Vec::new(),
    }
}

/// The best excerpt of a text: where it starts and stops (bytes) and the
/// ranges of the query's terms in it.
#[derive(Debug, PartialEq)]
struct Cut {
    score: f32,
    start: usize,
    stop: usize,
    highlights: Vec<(usize, usize)>,
}

impl Cut {
    fn at(start: usize) -> Cut {
        Cut {
            score: 0.0,
            start,
            stop: start,
            highlights: Vec::new(),
        }
    }
}

/// The excerpt of `text` that scores best under `words`, `None` when no term
/// of `text` is one of them. Cuts exactly as tantivy's `SnippetGenerator`
/// (consecutive windows of at most `max_bytes` from the first term of each,
/// the earliest of the best-scoring wins; a unit test holds the two to the
/// same answers), but lends each term from the analyzer's stem cache instead
/// of building a token, a lowercase copy and a fragment per window: cutting
/// was the largest single cost of a search.
fn cut(text: &str, words: &Words, max_bytes: usize) -> Option<Cut> {
    let mut best: Option<Cut> = None;
    let mut current = Cut::at(0);
    let mut close = |current: &mut Cut, next_start: usize| {
        let better = current.score > 0.0 && best.as_ref().is_none_or(|b| current.score > b.score);
        if better {
            best = Some(std::mem::replace(current, Cut::at(next_start)));
        } else {
            current.score = 0.0;
            current.start = next_start;
            current.stop = next_start;
            current.highlights.clear();
        }
    };
    analyzer::for_each_term(text, |from, to, term| {
        if to - current.start > max_bytes {
            close(&mut current, from);
        }
        current.stop = to;
        if let Some(&weight) = words.get(term) {
            current.score += weight;
            current.highlights.push((from, to));
        }
    });
    close(&mut current, text.len());
    best
}

/// The largest char boundary of `text` at or below `at`.
fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The start of `text`, at most `max_chars` characters, cut at a word boundary when
/// one is reasonably close to the limit.
pub(crate) fn leading(text: &str, max_chars: usize) -> &str {
    let Some((cut, _)) = text.char_indices().nth(max_chars) else {
        return text;
    };
    let head = &text[..cut];
    // Prefer not to end mid-word, unless that would throw away most of the excerpt
    // (one enormous "word" such as a URL or a stack frame).
    match head.rfind(char::is_whitespace) {
        Some(space) if space >= cut / 2 => head[..space].trim_end(),
        _ => head,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use tantivy::schema::{Schema, TEXT};
    use tantivy::snippet::SnippetGenerator;

    use super::*;

    /// Texts of the kinds hits are cut from: prose, log lines, identifiers
    /// (whose whole token overlaps its words), stopwords, non-ASCII.
    const TEXTS: &[&str] = &[
        "Checkout requests timed out after the payment-service DBPool was exhausted; \
         HikariPool-1 - Connection is not available, request timed out after 30000ms. \
         We raised maximumPoolSize and the timeouts stopped. Later the pool was \
         exhausted again when a retry storm from io.grpc.Status UNAVAILABLE hit it.",
        "2024-05-01T12:00:03Z ERROR stripe_read_timeout upstream=payments 503 \
         2024-05-01T12:00:04Z WARN pool exhausted waiting=57 active=50\n\
         2024-05-01T12:00:05Z ERROR ORA-00060 deadlock detected while waiting for resource",
        "Die Datenbank war überlastet: Verbindungen erschöpft, Zeitüberschreitung beim \
         Bezahlen. The database was overloaded; connections exhausted; payment timeouts.",
        "Nothing here matches at all, it is only words about weather and lunch.",
        "",
    ];

    fn words(of: &[(&str, f32)]) -> Words {
        of.iter().map(|&(w, s)| (w.to_string(), s)).collect()
    }

    #[test]
    fn cuts_as_tantivys_snippet_generator_does() {
        let mut schema = Schema::builder();
        let field = schema.add_text_field("text", TEXT);
        let _ = schema.build();
        let queries: &[&[(&str, f32)]] = &[
            &[("pool", 1.0), ("exhaust", 2.0), ("timeout", 1.5)],
            &[("dbpool", 3.0), ("payment", 1.0), ("servic", 0.5)],
            &[("ora-00060", 4.0), ("deadlock", 2.0), ("503", 1.0)],
            &[("connect", 1.0), ("databas", 1.0), ("überlastet", 2.0)],
            &[
                ("grpc", 1.0),
                ("unavail", 1.0),
                ("retri", 1.0),
                ("storm", 1.0),
            ],
            &[("absent", 1.0)],
        ];
        for query in queries {
            let ours = words(query);
            let theirs: BTreeMap<String, f32> =
                query.iter().map(|&(w, s)| (w.to_string(), s)).collect();
            for max in [40, 120, SNIPPET_CHARS] {
                let generator =
                    SnippetGenerator::new(theirs.clone(), analyzer::ops_analyzer(), field, max);
                for text in TEXTS {
                    let expected = generator.snippet(text);
                    let got = cut(text, &ours, max);
                    let (fragment, highlights) = match &got {
                        Some(cut) => (
                            &text[cut.start..cut.stop],
                            cut.highlights
                                .iter()
                                .map(|&(from, to)| from - cut.start..to - cut.start)
                                .collect(),
                        ),
                        None => ("", Vec::new()),
                    };
                    assert_eq!(fragment, expected.fragment(), "{query:?} {max} {text:?}");
                    assert_eq!(
                        highlights,
                        expected.highlighted().to_vec(),
                        "{query:?} {max} {text:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_best_field_wins_and_a_good_one_ends_the_search() {
        let query = words(&[("pool", 1.0), ("exhaust", 1.0), ("deadlock", 1.0)]);
        let snippet = best(&["", "weather only", TEXTS[1], TEXTS[0]], &query);
        // TEXTS[1] highlights three distinct words: good enough, TEXTS[0] is
        // never cut.
        assert!(snippet.text.contains("ORA-00060 deadlock"), "{snippet:?}");
        for &(from, to) in &snippet.highlights {
            assert!(snippet.text.is_char_boundary(from) && snippet.text.is_char_boundary(to));
        }
        let none = best(&["", "weather only"], &query);
        assert_eq!(none.text, "weather only");
        assert!(none.highlights.is_empty());
    }

    #[test]
    fn leading_keeps_short_text() {
        assert_eq!(leading("short body", 200), "short body");
        assert_eq!(leading("", 200), "");
    }

    #[test]
    fn leading_cuts_at_word_boundary() {
        assert_eq!(leading("alpha beta gamma", 13), "alpha beta");
    }

    #[test]
    fn leading_is_char_boundary_safe() {
        let text = "é".repeat(300);
        let got = leading(&text, 200);
        assert_eq!(got.chars().count(), 200);
        assert!(text.is_char_boundary(got.len()));
    }
}
