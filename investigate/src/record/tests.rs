//! The reading of the demo postmortems, whole.

use kb_domain::record::TimelineKind;
use kb_domain::PostmortemInput;

use super::*;
use crate::findings::{AttemptOutcome, Finding, FindingKind};

const PAYMENT: &str = include_str!("../../../server/demo/payment-timeout-cascade.json");
const CHECKOUT: &str = include_str!("../../../server/demo/checkout-redis-cache-warming.json");
const FLASH_SALE: &str = include_str!("../../../server/demo/flash-sale-oversell.json");
const INVENTORY: &str = include_str!("../../../server/demo/inventory-staging-sync.json");

const MINUTE: i64 = 60_000;

fn parts(json: &str) -> Parts {
    let input: PostmortemInput = serde_json::from_str(json).expect("a demo record");
    input.parts
}

fn of_kind(found: &RecordInvestigation, kind: FindingKind) -> Vec<&Finding> {
    found
        .investigation
        .findings
        .iter()
        .filter(|f| f.kind == kind)
        .collect()
}

/// The one finding of `kind` whose statement holds every one of `words`.
fn finding<'a>(found: &'a RecordInvestigation, kind: FindingKind, words: &[&str]) -> &'a Finding {
    let all = of_kind(found, kind);
    let matching: Vec<&&Finding> = all
        .iter()
        .filter(|f| words.iter().all(|w| f.statement.contains(w)))
        .collect();
    assert_eq!(matching.len(), 1, "{words:?} in {all:#?}");
    matching[0]
}

/// `(source, line)` of each citation.
fn cited(finding: &Finding) -> Vec<(&str, usize)> {
    finding
        .evidence
        .iter()
        .map(|c| (c.source.as_str(), c.line))
        .collect()
}

#[test]
fn payment_timeouts_came_before_the_pool_ran_dry_right_after_a_deploy() {
    let found = investigate_record(&parts(PAYMENT));
    let logs = "Evidence 2: payment-service and api-gateway logs in…";

    let sequence = finding(
        &found,
        FindingKind::Sequence,
        &["connect timed out after 500ms", "connection pool exhausted"],
    );
    assert!(
        sequence
            .statement
            .contains("began 3 s before orders-db-pool: acquire failed: connection pool exhausted"),
        "{}",
        sequence.statement
    );
    assert!(sequence
        .statement
        .ends_with("the pool exhaustion is more likely a consequence than the cause."));
    assert_eq!(cited(sequence), [(logs, 1), (logs, 4)]);

    let deploy = finding(
        &found,
        FindingKind::Change,
        &["v2.4.2", "before the first error"],
    );
    assert!(
        deploy
            .statement
            .contains("at 09:30:00, 2 min 15 s before the first error"),
        "{}",
        deploy.statement
    );
    assert_eq!(cited(deploy), [("Timeline", 1), (logs, 1)]);

    let diff = finding(&found, FindingKind::Change, &["The diff changes 2 keys"]);
    assert!(diff.statement.contains(
        "connect_timeout_ms 5000 → 500 (10× lower); read_timeout_ms 30000 → 3000 (10× lower)"
    ));
    let config = "Evidence 3: payment-service config/timeouts.yaml, v…";
    assert_eq!(
        cited(diff),
        [(config, 5), (config, 7), (config, 6), (config, 8)]
    );

    // The rollback is the recorded one; the timeline's `kubectl rollout
    // undo` names no fix, and the update to the CEO is no fix at all.
    let rollback = finding(
        &found,
        FindingKind::Mitigation,
        &["Rolled payment-service back"],
    );
    assert_eq!(
        rollback.statement,
        "\"Rolled payment-service back to v2.4.1\" worked."
    );
    assert_eq!(cited(rollback), [("Mitigation 2", 1)]);
    let outcomes: Vec<AttemptOutcome> = found.attempts.iter().map(|a| a.outcome).collect();
    assert_eq!(outcomes, [AttemptOutcome::Partly, AttemptOutcome::Worked]);

    // The onsets come from the logs, the first cited where it is.
    let first = &found.onsets[0];
    assert_eq!(first.component.as_deref(), Some("payment-service"));
    assert_eq!((first.cited.source.as_str(), first.cited.line), (logs, 1));
}

#[test]
fn checkout_fixes_each_held_until_the_next_run_of_the_job() {
    let found = investigate_record(&parts(CHECKOUT));
    let held: Vec<(i64, &str)> = found
        .attempts
        .iter()
        .filter_map(|a| match a.outcome {
            AttemptOutcome::Held(ms) => Some((ms / MINUTE, a.cited[0].source.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(held, [(25, "Timeline"), (30, "Timeline"), (20, "Timeline")]);

    let restart = finding(&found, FindingKind::Mitigation, &["Rolling restart"]);
    assert_eq!(
        restart.statement,
        "\"Rolling restart of the checkout service.\" at 15:17:00 held 25 minutes, then errors \
         resumed."
    );
    assert_eq!(cited(restart), [("Timeline", 2)]);
    let pool = finding(&found, FindingKind::Mitigation, &["Raising the pool"]);
    assert_eq!(
        pool.statement,
        "Raising the pool from 50 to 100 at 15:52:00 held 30 minutes, then errors resumed."
    );
    // The recorded mitigation is the same fix, kept once.
    assert_eq!(cited(pool), [("Timeline", 3), ("Mitigation 1", 1)]);
    let servers = finding(
        &found,
        FindingKind::Mitigation,
        &["application servers added"],
    );
    assert!(servers
        .statement
        .ends_with("at 16:42:00 held 20 minutes, then errors resumed."));
    assert_eq!(cited(servers), [("Timeline", 4), ("Mitigation 2", 1)]);

    let rhythm = of_kind(&found, FindingKind::Rhythm);
    assert_eq!(rhythm.len(), 1);
    assert_eq!(
        rhythm[0].statement,
        "Failures resumed 25, 30 and 20 minutes after three different fixes (a rolling restart, \
         raising the pool, adding servers): look for something on a schedule or something that \
         accumulates (jobs, cache warming, TTLs, queues)."
    );
    assert_eq!(
        cited(rhythm[0]),
        [
            ("Timeline", 2),
            ("Timeline", 3),
            ("Mitigation 1", 1),
            ("Timeline", 4),
            ("Mitigation 2", 1)
        ]
    );
    // Three holds are the rhythm's to state; no second summary says it.
    assert!(found
        .investigation
        .findings
        .iter()
        .all(|f| !f.statement.contains("reset a state")));

    // The suspended job is in the metric table and in the mitigations: one
    // attempt, at the table's time.
    let suspended = finding(&found, FindingKind::Mitigation, &["Suspended the catalog"]);
    assert!(suspended.statement.ends_with("at 18:44:00 worked."));
    let metric = "Evidence 3: redis-main clients and checkout errors …";
    assert_eq!(cited(suspended), [("Mitigation 3", 1), (metric, 7)]);

    // The alert fired after its signal began: the order is the logs'.
    let sequence = of_kind(&found, FindingKind::Sequence);
    assert_eq!(sequence.len(), 1);
    assert!(sequence[0]
        .statement
        .contains("ERR max number of clients reached"));
}

#[test]
fn a_bigger_pool_did_not_stop_the_oversell() {
    let found = investigate_record(&parts(FLASH_SALE));
    let pool = finding(
        &found,
        FindingKind::Mitigation,
        &["Raising the pool from 40 to 80"],
    );
    assert_eq!(
        pool.statement,
        "Raising the pool from 40 to 80 at 11:03:00 had no effect: the pool is not the limit."
    );
    assert_eq!(cited(pool), [("Timeline", 6), ("Mitigation 1", 1)]);
    let throttle = finding(&found, FindingKind::Mitigation, &["throttle"]);
    assert!(throttle.statement.ends_with("at 11:04:00 partly helped."));
    let pause = finding(&found, FindingKind::Mitigation, &["Paused the flash sale"]);
    assert_eq!(cited(pause), [("Mitigation 3", 1)]);
    let sequence = finding(
        &found,
        FindingKind::Sequence,
        &["negative stock", "row changed"],
    );
    assert!(sequence.evidence[0]
        .source
        .starts_with("Evidence 2: Inventory service reservation"));
}

#[test]
fn the_staging_writer_has_no_errors_to_order() {
    let found = investigate_record(&parts(INVENTORY));
    assert_eq!(
        of_kind(&found, FindingKind::Sequence),
        Vec::<&Finding>::new()
    );
    let script = finding(&found, FindingKind::Mitigation, &["hourly sync script"]);
    assert_eq!(
        script.statement,
        "\"Disabled our internal hourly sync script\" had no effect."
    );
    let diff = finding(&found, FindingKind::Change, &["The diff changes 3 keys"]);
    assert!(diff.evidence[0]
        .source
        .starts_with("Evidence 4: Vendor staging"));
}

#[test]
fn no_finding_rests_on_a_communication() {
    for json in [PAYMENT, CHECKOUT, FLASH_SALE, INVENTORY] {
        let parts = parts(json);
        let said: Vec<usize> = parts
            .timeline
            .iter()
            .enumerate()
            .filter(|(_, e)| TimelineKind::parse(&e.kind) == Some(TimelineKind::Communication))
            .map(|(index, _)| index + 1)
            .collect();
        assert!(!said.is_empty());
        let found = investigate_record(&parts);
        let citations = found
            .investigation
            .findings
            .iter()
            .flat_map(|f| &f.evidence)
            .chain(found.attempts.iter().flat_map(|a| &a.cited))
            .chain(found.onsets.iter().map(|o| &o.cited));
        for cited in citations {
            assert!(
                !(cited.source == "Timeline" && said.contains(&cited.line)),
                "{cited:?}"
            );
        }
        assert!(found
            .investigation
            .findings
            .iter()
            .all(|f| !f.statement.contains("errors already falling")));
    }
}

#[test]
fn every_citation_names_its_source_and_a_line_within_it() {
    for json in [PAYMENT, CHECKOUT, FLASH_SALE, INVENTORY] {
        let parts = parts(json);
        let found = investigate_record(&parts);
        assert!(!found.investigation.findings.is_empty());
        let citations = found
            .investigation
            .findings
            .iter()
            .flat_map(|f| &f.evidence)
            .chain(found.attempts.iter().flat_map(|a| &a.cited))
            .chain(found.onsets.iter().map(|o| &o.cited));
        for cited in citations {
            let within = match cited.source.as_str() {
                "Timeline" => parts.timeline.len(),
                source if source.starts_with("Mitigation ") => 1,
                source => {
                    let number: usize = source
                        .strip_prefix("Evidence ")
                        .and_then(|rest| rest.split(':').next())
                        .and_then(|n| n.parse().ok())
                        .unwrap_or_else(|| panic!("no source: {cited:?}"));
                    parts.evidence[number - 1].body.lines().count()
                }
            };
            assert!((1..=within).contains(&cited.line), "{cited:?}");
        }
    }
}
