//! The answer to one search as the pages and the API see it, kept with its
//! JSON. The indexer caches answers (see `kb_search::ResultCache`), so a
//! repeated search (a whole team pasting the same alert, a shared results
//! link reloaded) is answered without searching, converting or rendering
//! JSON again: only its timing is new.

use kb_domain::SearchResponse;
use std::sync::OnceLock;

/// How an answer's JSON ends before each request writes its own timing:
/// `took_ms` is the last field of [`SearchResponse`], and a stored answer
/// has 0.
const UNTIMED_END: &[u8] = b"\"took_ms\":0.0}";

/// One search's answer, without the time it took (each request has its own).
#[derive(Debug)]
pub struct Answer {
    /// With `took_ms` 0.
    response: SearchResponse,
    /// The JSON of `response` up to its timing, made when first asked for;
    /// `None` if it did not end as expected (then every request renders it).
    json_head: OnceLock<Option<Vec<u8>>>,
}

impl Answer {
    /// The index's results for a page starting at `offset`.
    pub(crate) fn new(results: kb_search::SearchResults, offset: usize) -> Answer {
        Answer {
            response: response(results, offset),
            json_head: OnceLock::new(),
        }
    }

    /// The answer as pages see it, having taken `took_ms`.
    pub fn response(&self, took_ms: f64) -> SearchResponse {
        SearchResponse {
            took_ms,
            ..self.response.clone()
        }
    }

    /// The JSON of [`Self::response`]`(took_ms)`.
    pub fn json(&self, took_ms: f64) -> serde_json::Result<Vec<u8>> {
        let head = self.json_head.get_or_init(|| {
            let whole = serde_json::to_vec(&self.response).ok()?;
            let head = whole.strip_suffix(UNTIMED_END)?;
            Some(head.to_vec())
        });
        let Some(head) = head else {
            return serde_json::to_vec(&self.response(took_ms));
        };
        let mut body = Vec::with_capacity(head.len() + 32);
        body.extend_from_slice(head);
        body.extend_from_slice(b"\"took_ms\":");
        serde_json::to_writer(&mut body, &took_ms)?;
        body.push(b'}');
        Ok(body)
    }
}

/// The index's results as the browser and the API see them.
fn response(results: kb_search::SearchResults, offset: usize) -> SearchResponse {
    SearchResponse {
        incidents: results.hits,
        patterns: results.patterns,
        total: results.total,
        capped: results.capped,
        offset,
        facets: results.facets,
        terms: results.terms,
        took_ms: 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer() -> Answer {
        let results = kb_search::SearchResults {
            total: 2,
            terms: vec!["pool".into(), "exhausted \"quoted\"".into()],
            ..kb_search::SearchResults::default()
        };
        Answer::new(results, 10)
    }

    #[test]
    fn its_json_is_the_json_of_the_timed_response() {
        let answer = answer();
        for took_ms in [0.0, 0.0123, 1.5, 7.0, 1234.5678, 1e-9] {
            let expected = serde_json::to_vec(&answer.response(took_ms)).unwrap();
            assert_eq!(
                String::from_utf8(answer.json(took_ms).unwrap()).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
        assert!(
            answer.json_head.get().unwrap().is_some(),
            "rendered once, then only timed"
        );
    }

    #[test]
    fn a_timed_response_keeps_everything_else() {
        let answer = answer();
        let response = answer.response(3.5);
        assert_eq!(response.took_ms, 3.5);
        assert_eq!(response.total, 2);
        assert_eq!(response.offset, 10);
        assert_eq!(response.terms.len(), 2);
    }
}
