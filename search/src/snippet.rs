//! Highlighted excerpts of a hit's best-matching prose field for search results.
//!
//! The crate returns plain text plus byte ranges instead of tantivy's HTML so that
//! escaping is done exactly once, by whoever renders it (Leptos escapes text nodes);
//! postmortems quote logs and code, and `<script>` in a body must reach the page as
//! text.

use serde::{Deserialize, Serialize};
use tantivy::snippet::SnippetGenerator;

/// Target length of a snippet, in characters.
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

/// Builds the snippet for one hit from the field that matched best: the one whose
/// excerpt highlights the most distinct words (ties go to the earlier source, see
/// `Fields::snippet_sources`), stopping at the first that highlights
/// [`GOOD_ENOUGH_WORDS`]. When no prose field matched (only the title, services or
/// labels did), shows how the first non-empty field starts.
pub(crate) fn best(sources: &[(String, &SnippetGenerator)]) -> Snippet {
    let mut best: Option<(usize, Snippet)> = None;
    let mut budget = SNIPPET_BUDGET_BYTES;
    for (text, generator) in sources {
        if text.is_empty() {
            continue;
        }
        if budget == 0 {
            break;
        }
        // `snippet` rather than `snippet_from_doc`: the latter trims the text it
        // builds, and working on the stored string directly keeps offsets right.
        let scanned = &text[..floor_char_boundary(text, SNIPPET_SCAN_BYTES.min(budget))];
        budget -= scanned.len();
        let snippet = generator.snippet(scanned);
        if snippet.fragment().is_empty() {
            continue;
        }
        let fragment = snippet.fragment();
        // A whole identifier overlaps its words, so its range can run past the end
        // of a fragment that was cut after one of them: clip to the fragment.
        let highlights: Vec<(usize, usize)> =
            tantivy::snippet::collapse_overlapped_ranges(snippet.highlighted())
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
        .map(|(text, _)| text.as_str())
        .find(|text| !text.trim().is_empty())
        .unwrap_or_default();
    Snippet {
        text: leading(first, SNIPPET_CHARS).to_string(),
        highlights: Vec::new(),
    }
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
    use super::leading;

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
