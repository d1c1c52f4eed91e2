//! Rhythm findings on pastes modelled on real incidents.

use super::*;

fn rhythm(paste: &str) -> Vec<Finding> {
    rhythm_findings(&read_lines(paste))
}

fn cited_lines(finding: &Finding) -> Vec<usize> {
    finding.evidence.iter().map(|c| c.line).collect()
}

/// Checkout failing on a Friday afternoon in bursts about twenty minutes
/// apart, with the team's fixes in between each seeming to work.
const CHECKOUT: &str = "\
2024-03-08T14:00:12Z ERROR checkout: submit order failed: cache read timed out
2024-03-08T14:00:31Z ERROR checkout: submit order failed: cache read timed out
2024-03-08T14:02:50Z ERROR checkout: cart lookup gave up after 2000ms
2024-03-08T14:06:00Z INFO ops: restarted the checkout pods, orders going through
2024-03-08T14:20:05Z ERROR checkout: submit order failed: cache read timed out
2024-03-08T14:21:40Z ERROR checkout: cart lookup gave up after 2000ms
2024-03-08T14:25:00Z WARN ops: connection pool raised from 50 to 100
2024-03-08T14:41:02Z ERROR checkout: submit order failed: cache read timed out
2024-03-08T14:44:30Z ERROR checkout: submit order failed: cache read timed out
2024-03-08T14:50:00Z INFO ops: two more app servers in rotation
2024-03-08T15:00:20Z ERROR checkout: submit order failed: cache read timed out
";

#[test]
fn checkout_failures_every_twenty_minutes() {
    let found = rhythm(CHECKOUT);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, FindingKind::Rhythm);
    assert_eq!(
        found[0].statement,
        "Errors came in 4 bursts, 20, 21 and 19 minutes apart (about every 20 minutes): \
         look for something on a schedule or something that accumulates (jobs, cache \
         warming, TTLs, queues)."
    );
    // The first line of each burst; the info and warning lines are not
    // errors, so they neither start nor split a burst.
    assert_eq!(cited_lines(&found[0]), [1, 5, 8, 11]);
    assert_eq!(
        found[0].evidence[0].text,
        "checkout: submit order failed: cache read timed out"
    );
}

#[test]
fn irregular_bursts_are_no_rhythm() {
    let paste = "\
[ERROR] 10:00:00 - checkout: submit failed
[ERROR] 10:07:00 - checkout: submit failed
[ERROR] 10:45:00 - checkout: submit failed
[ERROR] 11:00:00 - checkout: submit failed
";
    assert_eq!(rhythm(paste), []);
}

#[test]
fn the_longest_interval_may_be_half_again_the_shortest() {
    // 20 and 30 minutes: exactly 1.5 times, still regular.
    let regular = "\
[ERROR] 10:00:00 - checkout: submit failed
[ERROR] 10:20:00 - checkout: submit failed
[ERROR] 10:50:00 - checkout: submit failed
";
    let found = rhythm(regular);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].statement.starts_with(
            "Errors came in 3 bursts, 20 and 30 minutes apart (about every 25 minutes)"
        ),
        "{}",
        found[0].statement
    );
    // 20 and 31 minutes: too spread.
    let spread = regular.replace("10:50:00", "10:51:00");
    assert_eq!(rhythm(&spread), []);
}

#[test]
fn two_bursts_are_no_rhythm() {
    let paste = "\
[ERROR] 10:00:00 - checkout: submit failed
[ERROR] 10:01:00 - checkout: submit failed
[ERROR] 10:20:00 - checkout: submit failed
";
    assert_eq!(rhythm(paste), []);
}

#[test]
fn a_gap_of_five_minutes_stays_in_the_burst() {
    // Errors every five minutes are one long burst, not a rhythm.
    let steady: String = (0..12)
        .map(|i| format!("[ERROR] 10:{:02}:00 - checkout: submit failed\n", i * 5))
        .collect();
    assert_eq!(rhythm(&steady), []);
    // Every six minutes they are twelve bursts, given as a range.
    let six: String = (0..12)
        .map(|i| {
            let (hour, minute) = (10 + i * 6 / 60, i * 6 % 60);
            format!("[ERROR] {hour}:{minute:02}:00 - checkout: submit failed\n")
        })
        .collect();
    let found = rhythm(&six);
    assert_eq!(found.len(), 1);
    assert!(
        found[0]
            .statement
            .starts_with("Errors came in 12 bursts, 6 minutes apart (about every 6 minutes)"),
        "{}",
        found[0].statement
    );
    assert_eq!(found[0].evidence.len(), MAX_CITED_LINES);
}

#[test]
fn bursts_across_midnight() {
    let paste = "\
[ERROR] 23:40:10 - billing: invoice export failed
[ERROR] 23:41:00 - billing: invoice export failed
[ERROR] 00:00:05 - billing: invoice export failed
[ERROR] 00:20:00 - billing: invoice export failed
[ERROR] 00:40:20 - billing: invoice export failed
";
    let found = rhythm(paste);
    assert_eq!(found.len(), 1);
    assert!(
        found[0]
            .statement
            .starts_with("Errors came in 4 bursts, 20, 20 and 20 minutes apart"),
        "{}",
        found[0].statement
    );
    assert_eq!(cited_lines(&found[0]), [1, 3, 4, 5]);
}

#[test]
fn hourly_and_longer_schedules_read_in_hours() {
    let paste = "\
2024-03-08T02:00:00Z ERROR backup: snapshot failed
2024-03-08T04:30:00Z ERROR backup: snapshot failed
2024-03-08T07:00:00Z ERROR backup: snapshot failed
2024-03-08T09:00:00Z ERROR backup: snapshot failed
";
    let found = rhythm(paste);
    assert!(
        found[0].statement.starts_with(
            "Errors came in 4 bursts, 2.5, 2.5 and 2 hours apart (about every 2.3 hours)"
        ),
        "{found:?}"
    );
}

#[test]
fn without_levels_all_timed_lines_count_but_are_not_called_errors() {
    let paste = "\
14:00:00 checkout stalled
14:20:00 checkout stalled
14:40:00 checkout stalled
no time on this one
";
    let found = rhythm(paste);
    assert!(
        found[0]
            .statement
            .starts_with("The lines came in 3 bursts, 20 and 20 minutes apart"),
        "{found:?}"
    );
}

#[test]
fn untimed_errors_give_no_rhythm() {
    let paste = "ERROR checkout: submit failed\n".repeat(10);
    assert_eq!(rhythm(&paste), []);
    assert_eq!(rhythm(""), []);
}

fn held(action: &str, minutes: i64, line: usize) -> Attempt {
    Attempt {
        action: action.to_string(),
        at: None,
        outcome: AttemptOutcome::Held(minutes * MINUTE),
        cited: vec![Cited {
            line,
            text: action.to_string(),
            source: "Timeline".to_string(),
        }],
    }
}

#[test]
fn three_different_fixes_that_each_held_about_as_long() {
    let attempts = [
        held(
            "Rolling restart of the checkout service. Errors stop; quiet for about 25 minutes.",
            25,
            2,
        ),
        held(
            "Checkout DB connection pool raised from 50 to 100. Quiet for about 30 minutes.",
            30,
            3,
        ),
        held("Two more checkout application servers added.", 20, 4),
    ];
    let found = hold_findings(&attempts);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, FindingKind::Rhythm);
    assert_eq!(
        found[0].statement,
        "Failures resumed 25, 30 and 20 minutes after three different fixes (a rolling restart, \
         raising the pool, adding servers): look for something on a schedule or something that \
         accumulates (jobs, cache warming, TTLs, queues)."
    );
    assert_eq!(cited_lines(&found[0]), [2, 3, 4]);
    assert!(found[0].evidence.iter().all(|c| c.source == "Timeline"));
}

#[test]
fn holds_need_three_different_fixes_of_a_similar_time() {
    let restart = held("restarted checkout", 20, 1);
    let flush = held("flushed the session cache", 25, 2);
    // The same fix twice is one fix.
    let again = held("restarted checkout", 22, 3);
    assert_eq!(hold_findings(&[restart.clone(), flush.clone(), again]), []);
    // 20 and 31 minutes: too spread.
    let late = held("failed over to the standby", 31, 4);
    assert_eq!(hold_findings(&[restart.clone(), flush.clone(), late]), []);
    // Other outcomes are no holds.
    let mut worked = held("failed over to the standby", 30, 4);
    worked.outcome = AttemptOutcome::Worked;
    assert_eq!(hold_findings(&[restart.clone(), flush.clone(), worked]), []);
    let over = held("failed over to the standby", 30, 4);
    let widget = held(
        "Disabled the recommendations widget entirely for everyone",
        24,
        5,
    );
    let found = hold_findings(&[restart, flush, over, widget]);
    assert!(
        found[0].statement.starts_with(
            "Failures resumed 20, 25, 30 and 24 minutes after four different fixes (a restart, \
             a flush, a failover, \"Disabled the recommendations widget ent…\"):"
        ),
        "{found:?}"
    );
}

#[test]
fn long_holds_read_in_hours() {
    let attempts = [
        held("restarted the scheduler", 150, 1),
        held("scaled out the workers", 180, 2),
        held("rolled back the worker image", 130, 3),
    ];
    let found = hold_findings(&attempts);
    assert!(
        found[0].statement.starts_with(
            "Failures resumed 2.5, 3 and 2.2 hours after three different fixes (a restart, \
             scaling out, a rollback)"
        ),
        "{found:?}"
    );
    assert_eq!(hold_findings(&[]), []);
}
