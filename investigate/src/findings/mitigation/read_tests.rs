//! Attempts and their outcomes read from single lines.

use super::read::{attempts, is_attempt, stated_outcome};
use crate::findings::AttemptOutcome::{self, Held, NoEffect, Partly, Unknown, Worked};
use crate::findings::Cited;
use crate::line::read_lines;

const MINUTE: i64 = 60_000;

fn outcome(text: &str) -> Option<AttemptOutcome> {
    stated_outcome(text)
}

#[test]
fn a_stated_hold_is_a_hold_not_a_fix_that_worked() {
    let cases = [
        (
            "Rolling restart of the checkout service. Errors stop; quiet for about 25 minutes.",
            25,
        ),
        (
            "Checkout DB connection pool raised from 50 to 100. Quiet for about 30 minutes.",
            30,
        ),
        (
            "Two more checkout application servers added. Quiet for about 20 minutes, then \
             failures return at 17:02.",
            20,
        ),
        ("Restarted checkout service (worked 25 min)", 25),
        ("flushed redis, held for 40 minutes", 40),
        ("failover done, stable for ~15min", 15),
        ("restarted the pods: bought roughly 2 hours", 120),
    ];
    for (text, minutes) in cases {
        assert_eq!(outcome(text), Some(Held(minutes * MINUTE)), "{text}");
    }
}

#[test]
fn a_hold_needs_a_time_and_no_denial() {
    assert_eq!(outcome("restarted api, quiet since"), None);
    assert_eq!(outcome("restarted api, not quiet for 5 minutes"), None);
    assert!(!matches!(
        outcome("worked on the fix for 2 hours"),
        Some(Held(_))
    ));
    // A hold beyond a week is no hold anyone writes down.
    assert_eq!(outcome("held for 20000 minutes"), None);
    assert_eq!(outcome("restarted, worked"), Some(Worked));
}

#[test]
fn helping_a_little_is_helping_partly() {
    let cases = [
        "Rate limit on checkout slightly helped",
        "Added a replica; helped a little",
        "Per-customer throttle switched on. Oversell slows slightly.",
        "restarted the workers, somewhat better",
        "cache flushed: latency a little better",
    ];
    for text in cases {
        assert_eq!(outcome(text), Some(Partly), "{text}");
    }
    // No effect comes first: "did not help" is no partial help.
    assert_eq!(
        outcome("restarted the pods, did not help a little"),
        Some(NoEffect)
    );
}

#[test]
fn new_kinds_of_attempt() {
    for text in [
        "Two more checkout application servers added",
        "Per-customer throttle switched on for order placement",
        "Paused the flash sale manually",
        "catalog-cache-warm suspended",
    ] {
        assert!(is_attempt(text), "{text}");
    }
    assert!(!is_attempt("we have not paused the sale"));
    assert!(!is_attempt("servers were added last week"));
}

#[test]
fn attempts_are_data_with_their_lines() {
    let paste = "\
2024-03-08T13:58:00Z ERROR checkout: order submit failed
2024-03-08T14:00:00Z INFO ops: restarted checkout service
2024-03-08T14:20:00Z ERROR checkout: order submit failed
2024-03-08T14:30:00Z INFO ops: raised the pool from 50 to 100 - no effect
2024-03-08T14:31:00Z INFO ops: did not restart the api yet, waiting
";
    let found = attempts(&read_lines(paste));
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].action, "ops: restarted checkout service");
    assert_eq!(found[0].at, Some(1_709_906_400_000));
    assert_eq!(found[0].outcome, Held(20 * MINUTE));
    let lines: Vec<usize> = found[0].cited.iter().map(|c: &Cited| c.line).collect();
    assert_eq!(lines, [2, 3]);
    assert_eq!(found[1].outcome, NoEffect);
    assert!(found.iter().all(|a| a.outcome != Unknown));
}
