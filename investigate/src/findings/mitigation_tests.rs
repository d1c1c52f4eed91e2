//! Mitigation findings on pastes modelled on real incidents.

use super::mitigation::is_attempt;
use super::*;

fn mitigations(paste: &str) -> Vec<Finding> {
    mitigation_findings(&read_lines(paste))
}

fn statements(found: &[Finding]) -> Vec<&str> {
    found.iter().map(|f| f.statement.as_str()).collect()
}

fn cited_lines(finding: &Finding) -> Vec<usize> {
    finding.evidence.iter().map(|c| c.line).collect()
}

/// A flash sale overselling stock: someone doubles the database pool and
/// the same errors keep coming at the same pace.
const FLASH_SALE: &str = "\
2024-02-10T11:01:05Z ERROR inventory: reservation raced, stock went negative
2024-02-10T11:01:40Z ERROR inventory: reservation raced, stock went negative
2024-02-10T11:02:00Z WARN ops: db connection pool raised from 50 to 100
2024-02-10T11:02:30Z ERROR inventory: reservation raced, stock went negative
2024-02-10T11:03:10Z ERROR inventory: reservation raced, stock went negative
";

#[test]
fn a_bigger_pool_that_changed_nothing_is_not_the_limit() {
    let found = mitigations(FLASH_SALE);
    assert_eq!(
        statements(&found),
        ["Raising the pool from 50 to 100 at 11:02:00 had no effect: the pool is not the limit."]
    );
    assert_eq!(found[0].kind, FindingKind::Mitigation);
    assert_eq!(cited_lines(&found[0]), [3]);
}

/// Checkout failing on a Friday: a restart, a cache flush and more
/// servers each quiet the errors, which come back 20, 25 and 30 minutes
/// later.
const CHECKOUT: &str = "\
2024-03-08T13:58:00Z ERROR checkout: order submit failed: upstream timed out
2024-03-08T13:59:30Z ERROR checkout: order submit failed: upstream timed out
2024-03-08T14:00:00Z INFO ops: restarted checkout service
2024-03-08T14:20:00Z ERROR checkout: order submit failed: upstream timed out
2024-03-08T14:21:00Z ERROR checkout: order submit failed: upstream timed out
2024-03-08T14:22:00Z INFO ops: flushed the session cache
2024-03-08T14:47:00Z ERROR checkout: order submit failed: upstream timed out
2024-03-08T14:48:00Z INFO ops: scaled out checkout to 6 instances
2024-03-08T15:18:00Z ERROR checkout: order submit failed: upstream timed out
";

#[test]
fn three_fixes_that_each_held_a_similar_time() {
    let found = mitigations(CHECKOUT);
    assert_eq!(
        statements(&found),
        [
            "\"ops: restarted checkout service\" at 14:00:00 held 20 minutes, then errors resumed.",
            "\"ops: flushed the session cache\" at 14:22:00 held 25 minutes, then errors resumed.",
            "\"ops: scaled out checkout to 6 instances\" at 14:48:00 held 30 minutes, then \
             errors resumed.",
        ]
    );
    // Each fix, then the error that came back after it.
    assert_eq!(cited_lines(&found[0]), [3, 4]);
    // From three fixes on, the rhythm of their holds says what they share.
    let holds = hold_findings(&attempts(&read_lines(CHECKOUT)));
    assert_eq!(
        statements(&holds),
        [
            "Failures resumed 20, 25 and 30 minutes after three different fixes (a restart, a \
          flush, scaling out): look for something on a schedule or something that accumulates \
          (jobs, cache warming, TTLs, queues)."
        ]
    );
    assert_eq!(holds[0].kind, FindingKind::Rhythm);
    assert_eq!(cited_lines(&holds[0]), [3, 4, 6, 7, 8, 9]);
    // The errors' own bursts ask the same question, so the paste's rhythm
    // asks it once, from them.
    let rhythm = rhythm_findings(&read_lines(CHECKOUT));
    assert_eq!(rhythm.len(), 1);
    assert!(
        rhythm[0].statement.starts_with("Errors came in 4 bursts"),
        "{rhythm:?}"
    );
}

#[test]
fn two_fixes_that_each_held_a_similar_time_reset_a_state() {
    let paste = "\
[ERROR] 10:00:00 - api: request failed
[INFO] 10:01:00 - ops: restarted api
[ERROR] 10:21:00 - api: request failed
[INFO] 10:22:00 - ops: flushed redis
[ERROR] 10:47:00 - api: request failed
";
    let found = mitigations(paste);
    assert_eq!(
        statements(&found)[2],
        "2 different fixes each held about 23 minutes (20 and 25): they reset a state that \
         builds up again."
    );
    assert_eq!(cited_lines(&found[2]), [2, 3, 4, 5]);
    // Two holds are no rhythm.
    assert_eq!(hold_findings(&attempts(&read_lines(paste))), []);
}

#[test]
fn fixes_that_held_very_different_times_give_no_summary() {
    let paste = "\
[ERROR] 10:00:00 - api: request failed
[INFO] 10:01:00 - ops: restarted api
[ERROR] 10:06:00 - api: request failed
[INFO] 10:07:00 - ops: flushed redis
[ERROR] 10:47:00 - api: request failed
";
    let found = mitigations(paste);
    assert_eq!(found.len(), 2);
    assert!(found.iter().all(|f| f.statement.contains(" held ")));
}

#[test]
fn a_line_saying_no_effect_needs_no_times() {
    let found = mitigations("Increased database connection pool - no improvement\n");
    assert_eq!(
        statements(&found),
        ["Raising the pool had no effect: the pool is not the limit."]
    );
    let found = mitigations("ops: rolled back payments, did not help\n");
    assert_eq!(
        statements(&found),
        ["\"ops: rolled back payments, did not help\" had no effect."]
    );
}

#[test]
fn a_fix_after_which_errors_stop_for_good_worked() {
    let paste = "\
2024-05-01T09:00:00Z ERROR search: query failed: shard unavailable
2024-05-01T09:00:40Z ERROR search: query failed: shard unavailable
2024-05-01T09:01:00Z INFO ops: failed over to the standby cluster
2024-05-01T09:30:00Z INFO search: queries served normally
";
    let found = mitigations(paste);
    assert_eq!(
        statements(&found),
        ["\"ops: failed over to the standby cluster\" at 09:01:00 worked."]
    );
    assert_eq!(cited_lines(&found[0]), [3]);
}

#[test]
fn a_denied_action_is_no_attempt() {
    assert!(!is_attempt(
        "we did not restart the workers, waiting for the vendor"
    ));
    assert!(!is_attempt("haven't rolled back yet"));
    assert!(!is_attempt("alert raised for checkout latency"));
    assert!(is_attempt("restarted the workers"));
    let paste = "\
[ERROR] 10:00:00 - api: request failed
[INFO] 10:01:00 - ops: did not restart api, still investigating
[ERROR] 10:30:00 - api: request failed
";
    assert_eq!(mitigations(paste), []);
}

#[test]
fn without_times_or_levels_only_stated_outcomes_count() {
    let paste = "\
Restarted checkout service (worked 25 min)
Increased DB connection pool from 50 to 100 (worked 30 min)
Added 2 more application servers (worked 20 min)
Disabled the recommendations widget
Added rate limiting on checkout, partly helped
";
    let found = mitigations(paste);
    assert_eq!(
        statements(&found),
        [
            "\"Restarted checkout service (worked 25 min)\" held 25 minutes, then errors resumed.",
            "Raising the pool from 50 to 100 held 30 minutes, then errors resumed.",
            "\"Added 2 more application servers (worked 20 min)\" held 20 minutes, then errors \
             resumed.",
        ]
    );
    // Rate limiting is no attempt by the list; the widget line says nothing
    // of its outcome. With no times there are no bursts, so the rhythm of
    // the paste is that of the holds.
    let rhythm = rhythm_findings(&read_lines(paste));
    assert_eq!(
        statements(&rhythm),
        ["Failures resumed 25, 30 and 20 minutes after three different fixes (a restart, raising \
          the pool, adding servers): look for something on a schedule or something that \
          accumulates (jobs, cache warming, TTLs, queues)."]
    );
    assert_eq!(cited_lines(&rhythm[0]), [1, 2, 3]);
}

#[test]
fn at_most_five_findings() {
    let paste: String = (0..12)
        .map(|i| format!("restarted worker-{i}: no effect\n"))
        .collect();
    assert_eq!(mitigations(&paste).len(), MAX_MITIGATION_FINDINGS);
}

#[test]
fn investigate_states_mitigations_after_changes() {
    let kinds: Vec<FindingKind> = investigate(CHECKOUT)
        .findings
        .iter()
        .map(|f| f.kind)
        .collect();
    let first = kinds.iter().position(|k| *k == FindingKind::Mitigation);
    assert!(first.is_some());
    assert!(kinds[first.unwrap_or(0)..]
        .iter()
        .all(|k| matches!(k, FindingKind::Mitigation | FindingKind::Rhythm)));
}
