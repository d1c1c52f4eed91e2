//! Hidden postmortems, panics on the workers, and the two-stage search of a
//! long query against the one-stage search it stands for.

use std::collections::HashMap;

use super::hits::{matched_terms, surfaces};
use super::rescore::{PROBE_PAIRS, PROBE_TERMS};
use super::*;
use crate::{Change, IndexDoc};

/// Words that every document has one of, so the probe's candidates are
/// every document that matches at all.
const COMMON: [&str; 4] = ["outage", "timeout", "latency", "error"];

fn index() -> SearchIndex {
    index_without(60, &[])
}

/// `count` test postmortems, without those of `absent`.
fn index_without(count: i64, absent: &[i64]) -> SearchIndex {
    let index = SearchIndex::in_ram().unwrap();
    let docs = (0..count)
        .filter(|id| !absent.contains(id))
        .map(|id| {
            let at = id as usize;
            let words: Vec<String> = (0..12)
                .map(|k| format!("word{}", (at * 7 + k * 3) % 40))
                .collect();
            IndexDoc {
                id,
                title: format!("{} in region{}", COMMON[at % 4], at % 5),
                // Lengths repeat every 7 and words every 40, so no two
                // of up to 280 postmortems tie.
                summary: format!(
                    "{} {} {}",
                    COMMON[(at + 1) % 4],
                    words.join(" "),
                    "detail ".repeat(at % 7)
                ),
                symptoms: format!("{} then {}", words[0], words[5]),
                ..IndexDoc::default()
            }
        })
        .map(Change::Upsert)
        .collect();
    index.apply(docs, 1).unwrap();
    index
}

#[test]
fn hidden_postmortems_are_left_out_as_if_absent() {
    // Every postmortem has one of these words, so more match than are
    // ranked: a hidden one must not take a visible one's place.
    let text = "word3 word10 word17 word24 region2 outage timeout latency error";
    let ids =
        |results: &SearchResults| -> Vec<i64> { results.hits.iter().map(|hit| hit.id).collect() };
    let count = 2 * MAX_CANDIDATES as i64;
    let everyone = index_without(count, &[]);
    let best = ids(&everyone.search(text, 10).unwrap());
    // The best matches: each must be passed over without taking a
    // visible one's place.
    let hidden = &best[..4];
    let seen = everyone
        .search_with(&SearchRequest {
            exclude: hidden,
            ..SearchRequest::new(text, 10)
        })
        .unwrap();
    let absent = index_without(count, hidden).search(text, 10).unwrap();
    assert_eq!(seen.hits.len(), 10);
    assert_eq!((seen.total, seen.capped), (MAX_CANDIDATES, true));
    assert_eq!(seen.total, absent.total);
    // The same postmortems with the same scores in the same order: the
    // hidden ones' tokens are taken out of the average length exactly
    // (their counts are kept, see `schema::TOKENS_SUFFIX`).
    assert_eq!(ids(&seen), ids(&absent));
    for (seen, absent) in seen.hits.iter().zip(&absent.hits) {
        assert!(
            (seen.score - absent.score).abs() <= 1e-6 * absent.score,
            "{} vs {}",
            seen.score,
            absent.score
        );
    }
}

#[test]
fn a_panic_on_the_workers_ends_only_its_own_work() {
    use std::sync::mpsc;
    use std::time::Duration;

    let (lost, never) = mpsc::channel::<()>();
    spawn(move || {
        let _lost = lost;
        panic!("a bug in one search");
    });
    // Its caller sees the answer never come...
    assert_eq!(
        never.recv_timeout(Duration::from_secs(30)),
        Err(mpsc::RecvTimeoutError::Disconnected)
    );
    // ...and the workers (and the process) go on answering the others.
    let (answer, answered) = mpsc::channel();
    spawn(move || {
        answer
            .send(index().search("outage", 3).map(|r| r.hits.len()))
            .unwrap()
    });
    let found = answered.recv_timeout(Duration::from_secs(30)).unwrap();
    assert_eq!(found.unwrap(), 3);
}

#[test]
fn a_long_query_ranks_as_the_whole_query_would() {
    let index = index();
    let searcher = index.reader.searcher();
    let fields = index.fields;
    // The words of a few documents, in their order, so the pairs exist.
    let text: String = (0..6)
        .map(|at: usize| {
            let words: Vec<String> = (0..12)
                .map(|k| format!("word{}", (at * 7 + k * 3) % 40))
                .collect();
            format!("{} {}\n", COMMON[(at + 1) % 4], words.join(" "))
        })
        .collect();
    let visible = Visible::all(&searcher);
    let (words, pairs) = query::reduce_all(&text);
    let terms = weigh(&visible, fields.all, words, MAX_QUERY_TERMS);
    let pairs = weigh(&visible, fields.pairs, pairs, MAX_QUERY_PAIRS);
    assert!(terms.len() > PROBE_TERMS && pairs.len() > PROBE_PAIRS);

    let (two_stage, matched) = index
        .candidates(&visible, &terms, &pairs, &Filters::default())
        .unwrap();
    let whole = query::incidents(&fields, &terms, &pairs, &Filters::default()).unwrap();
    let one_stage = top(&visible, &whole, MAX_CANDIDATES).unwrap();

    // Every candidate has the score the whole query gives it...
    let whole_scores: HashMap<DocAddress, f32> = one_stage
        .iter()
        .map(|&(score, address)| (address, score))
        .collect();
    assert!(two_stage.len() >= 10);
    for (score, address) in &two_stage {
        let whole = whole_scores[address];
        assert!((score - whole).abs() <= 1e-4 * whole, "{score} vs {whole}");
    }
    // ...and the best of them are the whole query's best, with the same
    // score at every rank (sums in another order may swap exact ties).
    for (rescored, scored) in two_stage.iter().zip(&one_stage).take(10) {
        assert!(
            (rescored.0 - scored.0).abs() <= 1e-4 * scored.0,
            "{rescored:?} vs {scored:?}"
        );
    }
    let best = |found: &[(f32, DocAddress)]| -> Vec<DocAddress> {
        let mut best: Vec<DocAddress> = found.iter().take(10).map(|&(_, a)| a).collect();
        best.sort();
        best
    };
    assert_eq!(best(&two_stage), best(&one_stage));

    // The terms the rescoring saw each candidate have are those its
    // postings list, as the one-stage query's hits are explained.
    let addresses: Vec<DocAddress> = two_stage.iter().map(|&(_, a)| a).collect();
    let seen = surfaces(
        &matched.expect("the query was rescored"),
        &terms,
        &addresses,
    );
    let listed = matched_terms(&searcher, fields.all, &terms, &addresses).unwrap();
    assert_eq!(seen, listed);
    assert!(seen.iter().all(|words| !words.is_empty()));
}
