//! What a search returns, as the browser and `GET /api/v1/search` see it.

use serde::{Deserialize, Serialize};

/// One matching postmortem.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
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
    /// `SEV1`..`SEV4`, if rated.
    pub severity: Option<String>,
    /// Postmortem date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Write-up status name.
    pub status: Option<String>,
    /// Services involved.
    pub services: Vec<String>,
    /// What caused it, in a line (plain text).
    pub root_cause: String,
    /// What fixed it, in a line (plain text).
    pub fix: String,
    /// The query's words found in this postmortem, most telling first: why it
    /// matched.
    pub matched: Vec<String>,
    /// What the match rests on beyond words, strongest first: the same
    /// exception, the same stack frames, the same error message, the same
    /// service.
    pub signals: Vec<MatchSignal>,
}

/// One thing a postmortem shares with the query that says it may be the
/// same failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchSignal {
    /// What kind of thing.
    pub kind: SignalKind,
    /// It as the query wrote it (a message with its volatile parts left out).
    pub text: String,
}

/// The kinds of [`MatchSignal`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    /// An exception or error class (`UnknownHostException`).
    Exception,
    /// A stack frame, class and method without package or line (`DFSClient.create`).
    Frame,
    /// An error or log message, every word of it in order.
    Message,
    /// A service or component the postmortem is about.
    Service,
}

impl SignalKind {
    /// How a page names it: "Same exception", "Same frame", ...
    pub fn label(self) -> &'static str {
        match self {
            SignalKind::Exception => "Same exception",
            SignalKind::Frame => "Same frame",
            SignalKind::Message => "Same message",
            SignalKind::Service => "Same service",
        }
    }
}

impl SearchHit {
    /// The signals grouped by kind, kinds in the order first seen.
    pub fn signal_groups(&self) -> Vec<(SignalKind, Vec<String>)> {
        let mut groups: Vec<(SignalKind, Vec<String>)> = Vec::new();
        for signal in &self.signals {
            match groups.iter_mut().find(|(kind, _)| *kind == signal.kind) {
                Some((_, texts)) => texts.push(signal.text.clone()),
                None => groups.push((signal.kind, vec![signal.text.clone()])),
            }
        }
        groups
    }

    /// The signals as one line: `Same exception: A; Same frame: B, C`.
    pub fn signals_line(&self) -> String {
        self.signal_groups()
            .iter()
            .map(|(kind, texts)| format!("{}: {}", kind.label(), texts.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Why it matched, in a line: the signals, then the words.
    pub fn match_line(&self) -> String {
        let words = self.matched.join(", ");
        match (self.signals.is_empty(), words.is_empty()) {
            (true, _) => words,
            (false, true) => self.signals_line(),
            (false, false) => format!("{}; words: {words}", self.signals_line()),
        }
    }
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

/// A postmortem that names a pattern.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PatternSource {
    /// Hindsight's id of the postmortem.
    pub id: i64,
    /// Its title.
    pub title: String,
}

/// A named incident pattern whose symptoms match.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PatternHit {
    /// The pattern's name.
    pub name: String,
    /// What it looks like (plain text).
    pub symptoms: String,
    /// Why it happens.
    pub root_cause: String,
    /// How to notice it.
    pub detection: String,
    /// How to fix it.
    pub resolution: String,
    /// Relevance among the patterns of the same search.
    pub score: f32,
    /// The postmortems that name it, best match first.
    pub seen_in: Vec<PatternSource>,
    /// The query's words found in it.
    pub matched: Vec<String>,
}

/// One filter value and how many ranked matches have it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    /// The value.
    pub value: String,
    /// Ranked matches with it.
    pub count: usize,
}

/// Counts of each filter's values among the ranked matches, most frequent first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Facets {
    /// Services and teams.
    pub service: Vec<FacetCount>,
    /// Severities.
    pub severity: Vec<FacetCount>,
    /// Years.
    pub year: Vec<FacetCount>,
    /// Tags.
    pub tag: Vec<FacetCount>,
    /// Write-up statuses.
    pub status: Vec<FacetCount>,
}

/// Exact values the incidents of a search must have; `None` is any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchFilters {
    /// A service or team.
    pub service: Option<String>,
    /// `SEV1`..`SEV4`.
    pub severity: Option<String>,
    /// `YYYY`.
    pub year: Option<String>,
    /// A tag.
    pub tag: Option<String>,
    /// A write-up status name.
    pub status: Option<String>,
}

impl SearchFilters {
    /// Each filter as `(name, value)`, for URLs and labels.
    pub fn pairs(&self) -> [(&'static str, Option<&str>); 5] {
        [
            ("service", self.service.as_deref()),
            ("severity", self.severity.as_deref()),
            ("year", self.year.as_deref()),
            ("tag", self.tag.as_deref()),
            ("status", self.status.as_deref()),
        ]
    }

    /// The filter called `name`, for setting it from a URL.
    pub fn slot(&mut self, name: &str) -> Option<&mut Option<String>> {
        match name {
            "service" => Some(&mut self.service),
            "severity" => Some(&mut self.severity),
            "year" => Some(&mut self.year),
            "tag" => Some(&mut self.tag),
            "status" => Some(&mut self.status),
            _ => None,
        }
    }

    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        self.pairs().iter().all(|(_, value)| value.is_none())
    }
}

/// One search: text, filters and which page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchQuery {
    /// Whatever was pasted.
    pub text: String,
    /// Restrictions on the postmortems (patterns are not filtered).
    pub filters: SearchFilters,
    /// Ranked matches to skip.
    pub offset: usize,
    /// Postmortems to return.
    pub limit: usize,
    /// Patterns to return.
    pub patterns: usize,
}

/// The answer to one search.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchResponse {
    /// The requested page of postmortems, best first.
    pub incidents: Vec<SearchHit>,
    /// Matching incident patterns, best first, one per name.
    pub patterns: Vec<PatternHit>,
    /// Ranked matches that can be paged through.
    pub total: usize,
    /// Whether more postmortems matched than are ranked.
    pub capped: bool,
    /// Position of the first hit of `incidents` among all ranked matches.
    pub offset: usize,
    /// Filter value counts among the ranked matches.
    pub facets: Facets,
    /// The words searched for, as written, most telling first.
    pub terms: Vec<String>,
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
            ..SearchHit::default()
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
