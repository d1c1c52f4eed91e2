//! Recorded mitigations as attempts, and each attempt kept once.

use kb_domain::record::MitigationAttempt;

use super::mitigations::{merge, recorded};
use crate::findings::AttemptOutcome::{self, Held, NoEffect, Partly, Unknown, Worked};
use crate::findings::{Attempt, Cited};

const MINUTE: i64 = 60_000;

fn mitigation(action: &str, result: &str, note: &str) -> MitigationAttempt {
    MitigationAttempt {
        action: action.to_string(),
        result: result.to_string(),
        note: note.to_string(),
    }
}

/// An attempt read from timeline entry `line`.
fn from_line(action: &str, at: i64, outcome: AttemptOutcome, line: usize) -> Attempt {
    Attempt {
        action: action.to_string(),
        at: Some(at),
        outcome,
        cited: vec![Cited {
            line,
            text: action.to_string(),
            source: "Timeline".to_string(),
        }],
    }
}

fn sources(attempt: &Attempt) -> Vec<&str> {
    attempt.cited.iter().map(|c| c.source.as_str()).collect()
}

#[test]
fn a_result_is_an_outcome_and_a_stated_hold_is_more_precise() {
    let read = recorded(&[
        mitigation("Rolled back to v2.4.1", "worked", ""),
        mitigation("Throttled checkout", "Partly worked", "slowed it"),
        mitigation("Raised the pool from 40 to 80", "failed", "no change"),
        mitigation(
            "Restarted checkout",
            "worked",
            "Quiet for about 20 minutes.",
        ),
        mitigation("Flushed the cache", "unknown", "did not help"),
        mitigation("Killed the job", "", ""),
        mitigation("  \n ", "worked", "no action, no attempt"),
    ]);
    let outcomes: Vec<AttemptOutcome> = read.iter().map(|a| a.outcome).collect();
    assert_eq!(
        outcomes,
        [
            Worked,
            Partly,
            NoEffect,
            Held(20 * MINUTE),
            NoEffect,
            Unknown
        ]
    );
    assert_eq!(read[1].cited[0].source, "Mitigation 2");
    assert_eq!(read[1].cited[0].line, 1);
    assert_eq!(
        read[1].cited[0].text,
        "Throttled checkout (partly worked): slowed it"
    );
    assert_eq!(read[5].cited[0].source, "Mitigation 6");
    assert!(read.iter().all(|a| a.at.is_none()));
}

#[test]
fn the_same_fix_in_the_timeline_and_the_mitigations_is_kept_once() {
    let lines = vec![
        from_line(
            "Rolling restart of the checkout service. Errors stop; quiet for about 25 minutes.",
            1_000,
            Held(25 * MINUTE),
            2,
        ),
        from_line(
            "Failures back at 15:42. Checkout DB connection pool raised from 50 to 100. Quiet \
             for about 30 minutes.",
            2_000,
            Held(30 * MINUTE),
            3,
        ),
    ];
    let merged = merge(
        lines,
        recorded(&[
            mitigation(
                "Restarted the checkout service, then raised its database connection pool \
                 from 50 to 100",
                "failed",
                "",
            ),
            mitigation("Paused the catalog job", "worked", ""),
        ]),
    );
    // The recorded one shares most with the pool raise, and a stated hold
    // is more precise than "failed": the line is kept, citing both.
    assert_eq!(merged.len(), 3);
    assert_eq!(merged[1].outcome, Held(30 * MINUTE));
    assert_eq!(sources(&merged[1]), ["Timeline", "Mitigation 1"]);
    assert_eq!(sources(&merged[0]), ["Timeline"]);
    // What matches nothing comes after the timed attempts.
    assert_eq!(merged[2].action, "Paused the catalog job");
    assert_eq!(merged[2].at, None);
}

#[test]
fn a_stated_outcome_beats_one_judged_from_the_errors() {
    // Judged "worked" because no error followed in the pasted excerpt.
    let lines = vec![from_line("job suspended", 5_000, Worked, 7)];
    let merged = merge(
        lines,
        recorded(&[mitigation(
            "Suspended the catalog-cache-warm CronJob",
            "worked",
            "No errors from the next slot on.",
        )]),
    );
    assert_eq!(merged.len(), 1);
    assert_eq!(merged[0].action, "Suspended the catalog-cache-warm CronJob");
    assert_eq!(merged[0].at, Some(5_000));
    assert_eq!(sources(&merged[0]), ["Mitigation 1", "Timeline"]);

    let judged = vec![from_line("restarted checkout", 5_000, Worked, 2)];
    let merged = merge(
        judged,
        recorded(&[mitigation("Restarted checkout", "failed", "")]),
    );
    assert_eq!(merged[0].outcome, NoEffect);
    assert_eq!(merged[0].at, Some(5_000));
}

#[test]
fn sharing_a_service_name_is_not_being_the_same_fix() {
    let lines = vec![
        from_line(
            "Two more checkout application servers added",
            1_000,
            Held(20 * MINUTE),
            4,
        ),
        from_line(
            "Raised the pool from 50 to 150, no effect",
            2_000,
            NoEffect,
            5,
        ),
    ];
    let merged = merge(
        lines,
        recorded(&[
            mitigation("Restarted the checkout service", "failed", ""),
            mitigation("Raised the pool to 50", "failed", ""),
        ]),
    );
    // "checkout" alone makes no fix the same; "raised the pool" does,
    // all of the shorter one's words but its number (50 is no 150).
    assert_eq!(merged.len(), 3, "{merged:#?}");
    assert_eq!(sources(&merged[0]), ["Timeline"]);
    assert_eq!(sources(&merged[1]), ["Timeline", "Mitigation 2"]);
    assert_eq!(merged[2].action, "Restarted the checkout service");
}
