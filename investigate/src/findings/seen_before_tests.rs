//! Seen-before findings on knowledge shaped like real recurrences.

use super::*;

fn past(id: i64, title: &str, patterns: &[&str], why: &str, fixed_by: &str) -> PastMatch {
    PastMatch {
        id,
        title: title.into(),
        patterns: patterns.iter().map(|p| p.to_string()).collect(),
        why: why.into(),
        fixed_by: fixed_by.into(),
    }
}

fn earlier(id: i64, date: &str, impact: &str) -> Occurrence {
    Occurrence {
        id,
        title: format!("Flash sale oversold ({date})"),
        date: Some(date.into()),
        impact: impact.into(),
    }
}

fn statements(found: &[Finding]) -> Vec<&str> {
    found.iter().map(|f| f.statement.as_str()).collect()
}

fn sources(finding: &Finding) -> Vec<(String, usize)> {
    finding
        .evidence
        .iter()
        .map(|c| (c.source.clone(), c.line))
        .collect()
}

#[test]
fn matching_postmortems_with_their_patterns_and_fixes() {
    let known = Known {
        matches: vec![
            past(
                12,
                "Checkout stalls on pool exhaustion",
                &["Aggressive timeout cascade", "Pool exhaustion as a symptom"],
                "the same error signature",
                "Rolled back the payment deploy",
            ),
            past(15, "Payments slow during a Stripe incident", &[], "", ""),
        ],
        ..Known::default()
    };
    let found = seen_before_findings(&known, "");
    assert!(found.iter().all(|f| f.kind == FindingKind::SeenBefore));
    assert_eq!(
        statements(&found),
        [
            "Seen before: #12 (\"Checkout stalls on pool exhaustion\") matches on the same \
             error signature; its patterns: \"Aggressive timeout cascade\" and \"Pool \
             exhaustion as a symptom\"; what fixed it: \"Rolled back the payment deploy\". \
             Does it apply here?",
            "Seen before: #15 (\"Payments slow during a Stripe incident\"). Does it apply here?",
        ]
    );
    assert_eq!(sources(&found[0]), [("Postmortem #12".into(), 1)]);
    assert_eq!(
        found[0].evidence[0].text,
        "Checkout stalls on pool exhaustion"
    );
}

#[test]
fn only_the_best_matches_are_stated() {
    let known = Known {
        matches: (1..=6)
            .map(|id| past(id, "Similar outage", &["One pattern"], "", ""))
            .collect(),
        ..Known::default()
    };
    let found = seen_before_findings(&known, "");
    assert_eq!(found.len(), MAX_PAST_MATCHES);
    assert!(found[0].statement.contains("its pattern: \"One pattern\""));
}

/// Three flash sales oversold this quarter, the third far worse.
#[test]
fn an_oversell_that_grows_from_one_occurrence_to_the_next() {
    let known = Known {
        earlier: vec![
            earlier(
                101,
                "2024-01-15",
                "Jan 15: 12 oversold units (lower traffic event)",
            ),
            earlier(102, "2024-01-28", "8 oversold units, regional sale"),
        ],
        ..Known::default()
    };
    let impact = "2024-02-10 11:02: 47 units oversold; 147 orders for 100 jackets";
    let found = seen_before_findings(&known, impact);
    assert_eq!(
        statements(&found),
        [
            "The same problem recurs: 12, 8, then 47 units oversold (#101 on 2024-01-15, #102 \
          on 2024-01-28, this incident): it grows, the latest about 4.7× the mean of the \
          earlier ones. What makes it larger this time?"
        ]
    );
    assert_eq!(
        sources(&found[0]),
        [
            ("Postmortem #101".into(), 1),
            ("Postmortem #102".into(), 1),
            ("Impact".into(), 1)
        ]
    );
    assert_eq!(found[0].evidence[2].text, impact);
}

#[test]
fn growth_with_each_occurrence_only_when_every_one_is_larger() {
    let known = Known {
        earlier: vec![
            earlier(1, "2024-01-02", "5 failed payments"),
            earlier(2, "2024-01-09", "9 failed payments"),
        ],
        ..Known::default()
    };
    let found = seen_before_findings(&known, "30 failed payments");
    assert_eq!(
        statements(&found),
        [
            "The same problem recurs: 5, 9, then 30 failed payments (#1 on 2024-01-02, #2 on \
          2024-01-09, this incident): it grows with each occurrence, the latest about 4.3× \
          the mean of the earlier ones. What makes it larger this time?"
        ]
    );
}

#[test]
fn a_shrinking_or_steady_impact_is_said_so() {
    let credits = Known {
        earlier: vec![earlier(7, "2024-03-01", "$4,700 in goodwill credits")],
        ..Known::default()
    };
    assert_eq!(
        statements(&seen_before_findings(&credits, "About $900 in credits.")),
        [
            "The same problem recurs: $4,700, then $900 (#7 on 2024-03-01, this incident): it \
          shrinks. What made it smaller this time?"
        ]
    );
    let errors = Known {
        earlier: vec![
            earlier(1, "2024-01-02", "error rate 45% for an hour"),
            earlier(2, "2024-02-02", "error rate peaked at 40%"),
        ],
        ..Known::default()
    };
    assert_eq!(
        statements(&seen_before_findings(&errors, "Errors reached 50%.")),
        [
            "The same problem recurs: 45%, 40%, then 50% (#1 on 2024-01-02, #2 on 2024-02-02, \
          this incident): it holds steady. What keeps bringing it back?"
        ]
    );
}

#[test]
fn earlier_occurrences_without_a_shared_quantity_are_named() {
    let known = Known {
        earlier: vec![Occurrence {
            id: 7,
            title: "Oversell in the spring sale".into(),
            date: None,
            impact: String::new(),
        }],
        ..Known::default()
    };
    let found = seen_before_findings(&known, "47 units oversold");
    assert_eq!(
        statements(&found),
        [
            "This has happened before: 1 earlier occurrence is linked (#7 \"Oversell in the \
          spring sale\"). What did the fixes then leave in place?"
        ]
    );
    // With no impact recorded, the occurrence is cited by its title.
    assert_eq!(found[0].evidence[0].text, "Oversell in the spring sale");
}

#[test]
fn nothing_known_gives_nothing() {
    assert_eq!(seen_before_findings(&Known::default(), ""), []);
    assert_eq!(
        seen_before_findings(&Known::default(), "47 units oversold"),
        []
    );
}

#[test]
fn dates_times_and_bare_labels_are_not_quantities() {
    let known = Known {
        earlier: vec![earlier(
            3,
            "2024-01-15",
            "2024-01-15 11:02 Orders Affected: 147",
        )],
        ..Known::default()
    };
    // Neither text has a number with a unit: no series.
    let found = seen_before_findings(&known, "Orders Affected: 12");
    assert!(found[0].statement.starts_with("This has happened before"));
}
