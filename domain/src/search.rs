//! What a search returns, as the browser and `GET /api/v1/search` see it.

use serde::{Deserialize, Serialize};

/// One matching postmortem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    /// Hindsight's id.
    pub id: i64,
    /// The importer's id, if any.
    pub external_id: Option<String>,
    /// Title of the postmortem.
    pub title: String,
    /// Relevance; only meaningful relative to other hits of the same query.
    pub score: f32,
    /// Plain text around the best match (not HTML; escape it to display).
    pub snippet: String,
    /// Byte ranges of `snippet` that matched the query.
    pub highlights: Vec<(usize, usize)>,
}

impl SearchHit {
    /// The snippet cut into `(text, highlighted)` pieces, in order, so a view
    /// can wrap matches in `<mark>` without ever building HTML by hand.
    pub fn snippet_pieces(&self) -> Vec<(&str, bool)> {
        let mut pieces = Vec::new();
        let mut at = 0;
        for &(start, end) in &self.highlights {
            let valid = start >= at
                && end <= self.snippet.len()
                && start < end
                && self.snippet.is_char_boundary(start)
                && self.snippet.is_char_boundary(end);
            if !valid {
                continue;
            }
            if start > at {
                pieces.push((&self.snippet[at..start], false));
            }
            pieces.push((&self.snippet[start..end], true));
            at = end;
        }
        if at < self.snippet.len() {
            pieces.push((&self.snippet[at..], false));
        }
        pieces
    }
}

/// The answer to one search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResponse {
    /// Best first.
    pub incidents: Vec<SearchHit>,
    /// Wall time of the search on the server, in milliseconds.
    pub took_ms: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_pieces_cover_the_text_and_skip_bad_ranges() {
        let hit = SearchHit {
            id: 1,
            external_id: None,
            title: "t".into(),
            score: 1.0,
            snippet: "pool exhausted on db".into(),
            highlights: vec![(0, 4), (2, 3), (8, 40), (18, 20)],
        };
        let pieces = hit.snippet_pieces();
        assert_eq!(
            pieces,
            vec![
                ("pool", true),
                (" exhausted on ", false),
                ("db", true),
                ("", false)
            ]
            .into_iter()
            .filter(|p| !p.0.is_empty())
            .collect::<Vec<_>>()
        );
    }
}
