//! Confidence findings on hypotheses whose confidence moved as in real
//! incidents.

use kb_domain::record::{ConfidenceStep, Hypothesis};

use super::*;

fn hypothesis(statement: &str, steps: &[(i64, &str)], evidence_for: &str) -> Hypothesis {
    Hypothesis {
        statement: statement.into(),
        confidence: steps
            .iter()
            .map(|&(value, note)| ConfidenceStep {
                value,
                note: note.into(),
                ..Default::default()
            })
            .collect(),
        evidence_for: evidence_for.into(),
        evidence_against: String::new(),
        outcome: "open".into(),
    }
}

fn statements(found: &[Finding]) -> Vec<&str> {
    found.iter().map(|f| f.statement.as_str()).collect()
}

/// A payment outage's deploy hypothesis, raised step by step as the diff
/// and then the rollback came in: calibrated, so never flagged.
#[test]
fn confidence_raised_with_each_observation_is_not_flagged() {
    let mut deploy = hypothesis(
        "The payment-service deploy cut the Stripe timeouts too far",
        &[
            (
                70,
                "Deploy landed two minutes before the first errors and touched timeouts",
            ),
            (
                95,
                "Config diff cuts the connect timeout from 5000 to 500 ms; Stripe handshakes \
                 take 1-2 s",
            ),
            (
                99,
                "Payment errors fell back to baseline after the rollback",
            ),
        ],
        "Deploy two minutes before the errors; the diff shortens the timeouts tenfold",
    );
    deploy.outcome = "confirmed".into();
    let outage = hypothesis(
        "Stripe is having an outage",
        &[(25, ""), (5, "Status page says operational")],
        "",
    );
    assert_eq!(confidence_findings(&[deploy, outage]), []);
}

#[test]
fn a_raise_to_high_without_an_observation_is_flagged() {
    let pool = hypothesis(
        "DB connection pool too small",
        &[
            (40, "The alert names the pool"),
            (60, ""),
            (90, "Feels right, everyone on the call agrees"),
        ],
        "Pool alert fired",
    );
    let found = confidence_findings(&[pool]);
    assert_eq!(
        statements(&found),
        [
            "Hypothesis 1 (\"DB connection pool too small\"): confidence rose from 60% to 90% in \
          step 3 and its note (\"Feels right, everyone on the call agrees\") records no new \
          observation: what was seen that raised it?"
        ]
    );
    assert_eq!(found[0].kind, FindingKind::Confidence);
    assert_eq!(
        found[0].evidence,
        [Cited {
            line: 3,
            text: "Step 3: 90%: Feels right, everyone on the call agrees".into(),
            source: "Hypothesis 1".into(),
        }]
    );
}

#[test]
fn an_empty_note_or_only_the_new_value_is_no_observation() {
    let found = confidence_findings(&[
        hypothesis(
            "Redis saturated",
            &[(50, "slow cache calls"), (85, " ")],
            "Slow calls",
        ),
        hypothesis(
            "Lock contention",
            &[(70, "waits"), (90, "bumped to 90 from 70")],
            "Waits",
        ),
    ]);
    assert_eq!(
        statements(&found),
        [
            "Hypothesis 1 (\"Redis saturated\"): confidence rose from 50% to 85% in step 2 \
             with no note: what was seen that raised it?",
            "Hypothesis 2 (\"Lock contention\"): confidence rose from 70% to 90% in step 2 and \
             its note (\"bumped to 90 from 70\") records no new observation: what was seen \
             that raised it?",
        ]
    );
    assert_eq!(found[0].evidence[0].text, "Step 2: 85%");
}

#[test]
fn a_number_a_time_or_a_quote_counts_as_an_observation() {
    let notes = [
        "bumped to 90 after 3 more timeouts",
        "at 09:32 the pool was full",
        "the gateway said “upstream reset”",
        "reproduced it in staging",
        "Grafana shows the waits climbing",
    ];
    for note in notes {
        let h = hypothesis("Pool exhausted", &[(60, "alert"), (90, note)], "Alert");
        assert_eq!(confidence_findings(&[h]), [], "{note}");
    }
}

#[test]
fn lowered_or_moderate_confidence_is_not_flagged() {
    let found = confidence_findings(&[
        hypothesis(
            "Cache stampede",
            &[(95, "graphs match"), (90, "")],
            "Graphs",
        ),
        hypothesis("Bad deploy", &[(40, ""), (79, "")], ""),
        hypothesis("Nothing yet", &[], ""),
    ]);
    assert_eq!(found, []);
}

#[test]
fn high_confidence_with_nothing_under_evidence_for() {
    let mut race = hypothesis(
        "Two reservations read the same stock",
        &[(90, "gut feeling")],
        "  ",
    );
    race.outcome = "refuted".into();
    let found = confidence_findings(&[race]);
    assert_eq!(
        statements(&found),
        [
            "Hypothesis 1 (\"Two reservations read the same stock\"): confidence was stated \
             at 90% from the start and its note (\"gut feeling\") records no new observation: \
             what was seen that raised it?",
            "Hypothesis 1 (\"Two reservations read the same stock\") stands at 90% with \
             nothing written under evidence for it: what shows it?",
        ]
    );
    let cited: Vec<(&str, usize)> = found[1]
        .evidence
        .iter()
        .map(|c| (c.source.as_str(), c.line))
        .collect();
    assert_eq!(cited, [("Hypothesis 1", 1), ("Hypothesis 1", 1)]);
    assert_eq!(found[1].evidence[1].text, "Step 1: 90%: gut feeling");
}

#[test]
fn the_count_is_capped() {
    let many: Vec<Hypothesis> = (0..10)
        .map(|i| hypothesis(&format!("Guess {i}"), &[(90, "")], ""))
        .collect();
    assert_eq!(confidence_findings(&many).len(), MAX_CONFIDENCE_FINDINGS);
}
