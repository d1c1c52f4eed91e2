//! Reducing pastes (held to the plain reference reduction), weighing and
//! selecting terms, and queries that have nothing to search for.

use super::reduction::reduce;
use super::*;
use crate::analyzer::ops_analyzer;
use crate::search::Filters;

fn terms_of(text: &str) -> Vec<QueryTerm> {
    reduce_all(text).0
}

fn texts(terms: &[QueryTerm]) -> Vec<&str> {
    terms.iter().map(|term| term.text.as_str()).collect()
}

/// Texts of every kind `reduce_all` must reduce as the analyzers do.
fn samples() -> Vec<String> {
    let mut log = String::new();
    for i in 0..120 {
        log.push_str(&format!(
            "2025-01-07T09:{:02}:{:02}Z WARN HikariPool-1 pool exhausted conn={i:08x} \
             user_{} io.grpc.Status DEADLINE_EXCEEDED on payment-service\n",
            i / 60 % 60,
            i % 60,
            i % 7
        ));
    }
    let long: String = (0..1000)
        .map(|i| format!("word{i} other{} ", i % 3))
        .collect();
    let lines: String = (0..400)
        .map(|i| format!("line {i} has words{i} and more{}\n", i % 5))
        .collect();
    // Past the cap no line is read: "alpha" is counted once.
    let capped = format!(
        "alpha first\n{}alpha again\n",
        (0..300).map(|i| format!("unique{i}\n")).collect::<String>()
    );
    vec![
        log,
        long,
        lines,
        capped,
        "Timeout, then TIMEOUTS; then disk".into(),
        "get_the DBPool readTimeout 1.2.3 ORA-00060 p99 5xx ü über-Größe".into(),
        "single\n\nword\n the of and \n".into(),
        "  []{}^~*:! ".into(),
        String::new(),
    ]
}

#[test]
fn one_analysis_reduces_as_both_analyzers() {
    for text in samples() {
        let (terms, pairs) = reduce_all(&text);
        assert_eq!(terms, reduce(&mut ops_analyzer(), &text), "{text:.60}");
        assert_eq!(
            pairs,
            reduce(&mut crate::analyzer::pairs_analyzer(), &text),
            "{text:.60}"
        );
    }
}

#[test]
fn a_frequency_above_the_count_still_weighs_a_word() {
    let terms = terms_of("dns resolver");
    let weighed = weigh_by_rarity(terms, 1, |_| 2);
    assert_eq!(weighed.len(), 2);
    for term in &weighed {
        assert!(term.rarity.is_finite() && term.rarity > 0.0, "{term:?}");
    }
}

#[test]
fn dedupes_keeping_first_seen_order() {
    let got = reduce(&mut ops_analyzer(), "Timeout, then TIMEOUTS; then disk");
    assert_eq!(texts(&got), ["timeout", "disk"]);
    assert_eq!(got[0].count, 2);
}

#[test]
fn caps_the_number_of_terms() {
    let text: String = (0..1000).map(|i| format!("word{i} ")).collect();
    let got = reduce(&mut ops_analyzer(), &text);
    assert_eq!(got.len(), MAX_TERMS);
    assert_eq!(got[0].text, "word0");
    assert_eq!(got[MAX_TERMS - 1].text, format!("word{}", MAX_TERMS - 1));
}

#[test]
fn syntax_is_just_text() {
    let got = reduce(&mut ops_analyzer(), r#"title:foo AND (bar "baz"#);
    assert_eq!(texts(&got), ["title:foo", "titl", "foo", "bar", "baz"]);
}

#[test]
fn repeated_log_lines_count_once() {
    let mut log = String::new();
    for i in 0..500 {
        log.push_str(&format!(
            "2025-01-07T09:{:02}:{:02}Z WARN pool exhausted conn={i:08x} host=10.1.2.{}\n",
            i / 60 % 60,
            i % 60,
            i % 250
        ));
    }
    log.push_str("ERROR payment gateway returned 502\n");
    let got = reduce(&mut ops_analyzer(), &log);
    assert_eq!(
        texts(&got),
        [
            "warn", "pool", "exhaust", "conn", "host", "error", "payment", "gateway", "return",
            "502"
        ]
    );
    assert!(got.iter().all(|term| term.count == 1), "{got:?}");
}

#[test]
fn repetitions_are_capped() {
    let text = "disk full\ndisk slow\ndisk gone\ndisk again\ndisk once more";
    let got = reduce(&mut ops_analyzer(), text);
    assert_eq!(got[0].text, "disk");
    assert_eq!(got[0].count, MAX_REPEATS);
}

#[test]
fn nothing_to_search_builds_no_query() {
    let fields = crate::schema::Fields::from_schema(&crate::schema::build()).unwrap();
    let none = Filters::default();
    let junk = reduce(&mut ops_analyzer(), "  []{}^~*:! ");
    assert!(incidents(&fields, &junk, &[], &none).is_none());
    assert!(patterns(&fields.pattern, &junk).is_none());
    let disk = reduce(&mut ops_analyzer(), "disk");
    assert!(incidents(&fields, &disk, &[], &none).is_some());
}

#[test]
fn keeps_the_surface_form_of_each_term() {
    let got = reduce(&mut ops_analyzer(), "Pool EXHAUSTED on DBPool");
    let surfaces: Vec<&str> = got.iter().map(|term| term.surface.as_str()).collect();
    assert_eq!(texts(&got)[..2], ["pool", "exhaust"]);
    assert_eq!(surfaces[..2], ["Pool", "EXHAUSTED"]);
}

#[test]
fn selection_keeps_the_heaviest_terms_in_first_seen_order_among_equals() {
    let mut terms = reduce(&mut ops_analyzer(), "alpha beta gamma delta");
    terms[2].rarity = 3.0;
    let got = select(terms, 3);
    assert_eq!(texts(&got), ["gamma", "alpha", "beta"]);
}

#[test]
fn deep_frames_of_a_pasted_trace_are_not_searched() {
    let paste = "java.io.IOException: boom\n\
                 \tat a.B.one(B.java:1)\n\tat a.B.two(B.java:2)\n\tat a.B.three(B.java:3)\n\
                 \tat zebra.Deep.frame(Deep.java:4)\n";
    let (terms, _) = reduce_all(paste);
    let texts: Vec<&str> = terms.iter().map(|term| term.text.as_str()).collect();
    assert!(texts.contains(&"three"), "{texts:?}");
    assert!(!texts.contains(&"zebra"), "{texts:?}");
}
