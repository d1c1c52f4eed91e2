//! Highlighted excerpts of the `body` field for search results.
//!
//! The crate returns plain text plus byte ranges instead of tantivy's HTML so that
//! escaping is done exactly once, by whoever renders it (Leptos escapes text nodes);
//! postmortems quote logs and code, and `<script>` in a body must reach the page as
//! text.

use serde::{Deserialize, Serialize};
use tantivy::snippet::SnippetGenerator;

/// Target length of a snippet, in characters.
pub(crate) const SNIPPET_CHARS: usize = 200;

/// A fragment of plain text (NOT html-escaped) and byte ranges in it to highlight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Snippet {
    /// The excerpt, as stored (not escaped).
    pub text: String,
    /// `(start, end)` byte ranges of `text` to highlight: sorted, non-overlapping, and
    /// on char boundaries, so `&text[start..end]` never panics.
    pub highlights: Vec<(usize, usize)>,
}

/// Builds the snippet for one hit's body.
pub(crate) fn make(generator: &SnippetGenerator, body: &str) -> Snippet {
    // `snippet` rather than `snippet_from_doc`: the latter trims the text it builds,
    // and working on the stored string directly keeps offsets obviously right.
    let snippet = generator.snippet(body);
    if snippet.fragment().is_empty() {
        // The match was in the title, services or labels: show how the body starts.
        return Snippet {
            text: leading(body, SNIPPET_CHARS).to_string(),
            highlights: Vec::new(),
        };
    }
    let highlights = tantivy::snippet::collapse_overlapped_ranges(snippet.highlighted())
        .into_iter()
        .map(|range| (range.start, range.end))
        .collect();
    Snippet {
        text: snippet.fragment().to_string(),
        highlights,
    }
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
