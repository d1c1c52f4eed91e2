//! Turning whatever a user pastes into a tantivy query.
//!
//! There is deliberately no query language: the text goes through the same analyzer
//! as the documents and every resulting term becomes an optional clause. Quotes,
//! colons, brackets, `AND` and pages of log lines are all just text, so no input can
//! be a syntax error, and an incident's error message pasted verbatim finds the
//! postmortems that quote it.

use std::collections::HashSet;

use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

use crate::schema::Fields;

/// At most this many distinct terms are searched for. A pasted log can contain
/// thousands; the first ones are the most likely to be what the user looked at, and
/// the cap bounds the cost of a query (terms x fields clauses).
pub(crate) const MAX_TERMS: usize = 256;

/// Analyzes `text` into distinct terms, in first-seen order, at most [`MAX_TERMS`].
pub(crate) fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    // Stop reading as soon as the cap is reached, so a megabyte paste costs no more
    // than its first few hundred distinct words.
    while out.len() < MAX_TERMS {
        let Some(token) = stream.next() else { break };
        if seen.insert(token.text.clone()) {
            out.push(token.text.clone());
        }
    }
    out
}

/// Per-field weights: a word in the title says more about what the incident was than
/// the same word somewhere in the prose; a service name is nearly as telling.
fn weighted_fields(fields: &Fields) -> [(Field, f32); 4] {
    [
        (fields.title, 3.0),
        (fields.body, 1.0),
        (fields.services, 2.0),
        (fields.labels, 1.0),
    ]
}

/// Builds the query: any term in any searched field, weighted by field.
/// `None` when there is nothing to search for.
pub(crate) fn build(fields: &Fields, terms: &[String]) -> Option<BooleanQuery> {
    if terms.is_empty() {
        return None;
    }
    let weighted = weighted_fields(fields);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(terms.len() * 4);
    for term in terms {
        for (field, boost) in weighted {
            let query = TermQuery::new(
                Term::from_field_text(field, term),
                IndexRecordOption::WithFreqs,
            );
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(query), boost)),
            ));
        }
    }
    Some(BooleanQuery::new(clauses))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyzer::ops_analyzer;

    #[test]
    fn dedupes_keeping_first_seen_order() {
        let got = terms(&mut ops_analyzer(), "Timeout, then TIMEOUTS; then disk");
        assert_eq!(got, ["timeout", "then", "disk"]);
    }

    #[test]
    fn caps_the_number_of_terms() {
        let text: String = (0..1000).map(|i| format!("word{i} ")).collect();
        let got = terms(&mut ops_analyzer(), &text);
        assert_eq!(got.len(), MAX_TERMS);
        assert_eq!(got[0], "word0");
        assert_eq!(got[MAX_TERMS - 1], format!("word{}", MAX_TERMS - 1));
    }

    #[test]
    fn syntax_is_just_text() {
        let got = terms(&mut ops_analyzer(), r#"title:foo AND (bar "baz"#);
        assert_eq!(got, ["titl", "foo", "and", "bar", "baz"]);
    }

    #[test]
    fn nothing_to_search_builds_no_query() {
        let fields = crate::schema::Fields::from_schema(&crate::schema::build()).unwrap();
        assert!(build(&fields, &terms(&mut ops_analyzer(), "  []{}^~*:! ")).is_none());
        assert!(build(&fields, &["disk".to_string()]).is_some());
    }
}
