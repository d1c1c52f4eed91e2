//! The four demo postmortems (`server/demo`, written from the seeds'
//! facts) give the findings the issue names for them.

use super::*;
use kb_domain::PostmortemInput;

use crate::findings::Occurrence;

fn demo(name: &str) -> PostmortemInput {
    let text = match name {
        "cascade" => include_str!("../../server/demo/payment-timeout-cascade.json"),
        "warming" => include_str!("../../server/demo/checkout-redis-cache-warming.json"),
        "oversell" => include_str!("../../server/demo/flash-sale-oversell.json"),
        _ => include_str!("../../server/demo/inventory-staging-sync.json"),
    };
    serde_json::from_str(text).expect("a demo postmortem")
}

fn panel(name: &str, known: &Known) -> Report {
    let p = demo(name);
    report(&p.title, &p.summary, &p.impact, &p.parts, known)
}

/// The statements of kind `kind`.
fn said(report: &Report, kind: FindingKind) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|s| s.finding.kind == kind)
        .map(|s| s.finding.statement.clone())
        .collect()
}

fn any(statements: &[String], all: &[&str]) -> bool {
    statements
        .iter()
        .any(|s| all.iter().all(|part| s.contains(part)))
}

#[test]
fn the_timeout_cascade_gives_its_sequence_and_the_change_before_it() {
    let report = panel("cascade", &Known::default());
    let sequence = said(&report, FindingKind::Sequence);
    assert!(
        any(
            &sequence,
            &[
                "payment-service: connect timed out after 500ms (first 09:32:15) began 3 s before \
                 orders-db-pool",
                "more likely a consequence"
            ]
        ),
        "{sequence:#?}"
    );
    let change = said(&report, FindingKind::Change);
    assert!(
        any(&change, &["v2.4.2", "2 min 15 s before the first error"]),
        "{change:#?}"
    );
    assert!(
        any(&change, &["connect_timeout_ms 5000 → 500 (10× lower)"]),
        "{change:#?}"
    );
    // Every citation says where in the record its line is.
    for shown in &report.findings {
        for cited in &shown.finding.evidence {
            assert!(!cited.source.is_empty(), "{:?}", shown.finding);
            assert!(cited.line >= 1);
        }
    }
    assert!(!report.chart.is_empty());
    assert_eq!(
        report.lanes[0].label,
        "payment-service: connect timed out after 500ms"
    );
}

#[test]
fn the_cache_warming_incident_gives_the_rhythm_and_challenges_the_database() {
    let report = panel("warming", &Known::default());
    let rhythm = said(&report, FindingKind::Rhythm);
    assert!(
        any(
            &rhythm,
            &["25, 30 and 20 minutes", "something on a schedule"]
        ),
        "{rhythm:#?}"
    );
    let challenge = said(&report, FindingKind::Challenge);
    assert!(
        any(
            &challenge,
            &[
                "The database is the bottleneck",
                "why did",
                "servers",
                "help for 20 minutes"
            ]
        ),
        "{challenge:#?}"
    );
}

#[test]
fn the_oversell_gives_no_effect_and_its_growing_recurrence() {
    let earlier = |id: i64, date: &str, n: i64| Occurrence {
        id,
        title: format!("Oversold jackets ({date})"),
        date: Some(date.to_string()),
        impact: format!("- **{n} customers** bought a jacket that was not in stock; refunded."),
    };
    let known = Known {
        earlier: vec![earlier(7, "2024-01-15", 12), earlier(8, "2024-01-28", 8)],
        ..Known::default()
    };
    let report = panel("oversell", &known);
    let mitigation = said(&report, FindingKind::Mitigation);
    assert!(
        any(
            &mitigation,
            &["from 40 to 80", "had no effect: the pool is not the limit"]
        ),
        "{mitigation:#?}"
    );
    let seen = said(&report, FindingKind::SeenBefore);
    assert!(any(&seen, &["12, 8", "47"]), "{seen:#?}");
    let cited: Vec<&str> = report
        .findings
        .iter()
        .filter(|s| s.finding.kind == FindingKind::SeenBefore)
        .flat_map(|s| s.finding.evidence.iter().map(|c| c.source.as_str()))
        .collect();
    assert!(cited.contains(&"Postmortem #7"), "{cited:?}");
}

#[test]
fn the_staging_sync_gives_the_second_writer_and_the_key_that_stopped_it() {
    let report = panel("sync", &Known::default());
    let change = said(&report, FindingKind::Change);
    assert!(
        any(&change, &["flipped", "between 38 and 0", "two writers"]),
        "{change:#?}"
    );
    let mitigation = said(&report, FindingKind::Mitigation);
    assert!(
        any(&mitigation, &["newly issued key", "worked"]),
        "{mitigation:#?}"
    );
}

#[test]
fn the_panel_orders_kinds_and_drafts_the_update() {
    let report = panel("cascade", &Known::default());
    let ranks: Vec<u8> = report
        .findings
        .iter()
        .map(|s| rank(s.finding.kind))
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
    assert!(report.update.contains("What happened"), "{}", report.update);
    assert!(report.findings.iter().all(|s| s.decision.is_none()));
}

#[test]
fn an_empty_record_gives_an_empty_panel() {
    let report = report("", "", "", &Parts::default(), &Known::default());
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    assert!(report.lanes.is_empty());
    assert!(report.chart.is_empty());
}
