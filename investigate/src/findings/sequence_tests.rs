//! Sequence findings on pastes modelled on real incidents.

use super::*;
use crate::Signal;

/// The sequence findings of a paste.
fn sequence(paste: &str) -> Vec<Finding> {
    let lines = read_lines(paste);
    sequence_findings(&lines, &group(&lines))
}

fn statements(found: &[Finding]) -> Vec<&str> {
    found.iter().map(|f| f.statement.as_str()).collect()
}

fn cited_lines(finding: &Finding) -> Vec<usize> {
    finding.evidence.iter().map(|c| c.line).collect()
}

/// A payment cascade: calls to the card processor time out, three seconds
/// later the database pool runs dry, then the gateway gives up.
const CASCADE: &str = "\
[ERROR] 09:32:15 - PaymentService: connection timeout to stripe after 500ms
[ERROR] 09:32:15 - PaymentService: connection timeout to stripe after 500ms
[INFO] 09:32:16 - CheckoutService: order 8812 handed to payments
[ERROR] 09:32:16 - PaymentService: connection timeout to stripe after 500ms

[ERROR] 09:32:18 - DBPool: no available connections (50 of 50 busy)
[ERROR] 09:32:19 - APIGateway: gave up waiting on PaymentService
[WARN] 09:32:20 - DBPool: handed out a connection after an 8.5s wait
";

#[test]
fn the_payment_cascade_reads_the_pool_as_a_consequence() {
    let found = sequence(CASCADE);
    assert_eq!(
        statements(&found),
        [
            "PaymentService: connection timeout to stripe after 500ms (first 09:32:15) began \
             3 s before DBPool: no available connections (50 of 50 busy) (first 09:32:18): \
             the pool exhaustion is more likely a consequence than the cause.",
            "DBPool: no available connections (50 of 50 busy) (first 09:32:18) began 1 s \
             before APIGateway: gave up waiting on PaymentService (first 09:32:19).",
        ]
    );
    assert!(found.iter().all(|f| f.kind == FindingKind::Sequence));
    // Blank line 5 is counted: the pool error is line 6.
    assert_eq!(cited_lines(&found[0]), [1, 6]);
    assert_eq!(
        found[0].evidence[1].text,
        "no available connections (50 of 50 busy)"
    );
    assert_eq!(cited_lines(&found[1]), [6, 7]);
}

#[test]
fn the_cascade_in_iso_stamps_with_milliseconds() {
    let paste = "\
2024-01-15T09:32:18.410Z ERROR DBPool: no available connections, all 50 in use
2024-01-15T09:32:15.120Z ERROR PaymentService: stripe connect timed out after 500ms
2024-01-15T09:32:15.980Z ERROR PaymentService: stripe connect timed out after 500ms
";
    let found = sequence(paste);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].statement,
        "PaymentService: stripe connect timed out after 500ms (first 09:32:15) began 3 s \
         before DBPool: no available connections, all 50 in use (first 09:32:18): the pool \
         exhaustion is more likely a consequence than the cause."
    );
    // Cited in the statement's order, not the paste's.
    assert_eq!(cited_lines(&found[0]), [2, 1]);
}

#[test]
fn unrelated_errors_are_ordered_without_a_verdict() {
    let paste = "\
[ERROR] 10:00:00 - search: index shard 3 did not answer
[ERROR] 10:00:40 - mailer: template render failed
";
    assert_eq!(
        statements(&sequence(paste)),
        [
            "search: index shard 3 did not answer (first 10:00:00) began 40 s before \
          mailer: template render failed (first 10:00:40)."
        ]
    );
}

#[test]
fn a_pool_warning_then_a_pool_error_is_not_cause_and_effect() {
    let paste = "\
[WARN] 10:00:00 - DBPool: pool nearly full, 48 of 50 in use
[ERROR] 10:00:05 - DBPool: no available connections
";
    let found = sequence(paste);
    assert_eq!(found.len(), 1);
    assert!(!found[0].statement.contains("consequence"), "{found:?}");
}

#[test]
fn a_later_exhausted_resource_is_set_against_the_earliest_signal() {
    // Three signals are ordered first; the queue filling up comes fourth.
    let paste = "\
[ERROR] 11:00:00 - api: upstream returned 502
[ERROR] 11:00:02 - api: retry budget spent
[ERROR] 11:00:02 - worker: job queue backlog above threshold
[ERROR] 11:00:04 - web: render failed
";
    let found = sequence(paste);
    assert_eq!(found.len(), 3);
    assert_eq!(cited_lines(&found[0]), [1, 2]);
    assert_eq!(cited_lines(&found[1]), [2, 4]);
    assert_eq!(cited_lines(&found[2]), [1, 3]);
    assert!(
        found[2].statement.ends_with(
            "(first 11:00:02): the queue build-up is more likely a consequence than the cause."
        ),
        "{}",
        found[2].statement
    );
}

#[test]
fn at_most_three_findings() {
    // Twelve signals two seconds apart, the later ones naming a pool.
    let paste: String = (0..12)
        .map(|i| {
            let what = if i < 5 {
                "step failed"
            } else {
                "worker pool saturated"
            };
            format!("[ERROR] 12:00:{:02} - svc{i}: {what}\n", i * 2)
        })
        .collect();
    let found = sequence(&paste);
    assert_eq!(found.len(), MAX_SEQUENCE_FINDINGS);
    assert_eq!(cited_lines(&found[0]), [1, 2]);
    assert_eq!(cited_lines(&found[1]), [2, 3]);
    assert_eq!(cited_lines(&found[2]), [1, 6]);
}

#[test]
fn one_signal_gives_no_sequence() {
    let paste = "\
[ERROR] 09:32:15 - PaymentService: connection timeout to stripe after 500ms
[ERROR] 09:32:17 - PaymentService: connection timeout to stripe after 800ms
[INFO] 09:32:19 - CheckoutService: retrying order
[ERROR] 09:32:21 - PaymentService: connection timeout to stripe after 500ms
";
    assert_eq!(sequence(paste), []);
}

#[test]
fn errors_within_one_second_have_no_order() {
    let paste = "\
2024-01-15T09:32:15.100Z ERROR PaymentService: stripe timed out
2024-01-15T09:32:15.900Z ERROR DBPool: no available connections
2024-01-15T09:32:16.050Z ERROR APIGateway: upstream gave up
";
    assert_eq!(sequence(paste), []);
}

#[test]
fn untimed_and_quiet_lines_give_no_sequence() {
    let untimed = "\
ERROR PaymentService: connection timeout to stripe
ERROR DBPool: no available connections
";
    assert_eq!(sequence(untimed), []);
    // Info and debug lines are not errors, however many there are.
    let quiet = "\
[INFO] 09:00:00 - web: started
[DEBUG] 09:05:00 - web: cache primed
";
    assert_eq!(sequence(quiet), []);
}

#[test]
fn without_levels_every_timed_signal_counts() {
    let paste = "\
09:32:15 payments timed out talking to stripe
09:32:18 request queue backlog growing
";
    assert_eq!(
        statements(&sequence(paste)),
        [
            "payments timed out talking to stripe (first 09:32:15) began 3 s before request \
          queue backlog growing (first 09:32:18): the queue build-up is more likely a \
          consequence than the cause."
        ]
    );
}

#[test]
fn across_midnight() {
    let paste = "\
[ERROR] 23:59:58 - PaymentService: connection timeout to stripe
[ERROR] 00:00:01 - DBPool: too many clients waiting
";
    let found = sequence(paste);
    assert_eq!(
        statements(&found),
        [
            "PaymentService: connection timeout to stripe (first 23:59:58) began 3 s before \
          DBPool: too many clients waiting (first 00:00:01): the pool exhaustion is more \
          likely a consequence than the cause."
        ]
    );
}

#[test]
fn resource_terms_match_where_a_word_begins() {
    let signal = |component: Option<&str>, message: &str| Signal {
        signature: crate::signature(message),
        component: component.map(str::to_string),
        level: Some(Level::Error),
        first: Some(0),
        last: Some(0),
        times: vec![0],
        count: 1,
        lines: vec![1],
        example: message.to_string(),
        label: message.to_string(),
    };
    let named = |component, message| sequence::resource(&signal(component, message));
    assert_eq!(
        named(None, "thread pool exhausted"),
        Some("the pool exhaustion")
    );
    assert_eq!(
        named(Some("DBPool"), "no available connections"),
        Some("the pool exhaustion")
    );
    assert_eq!(
        named(None, "no available connections"),
        Some("the connection shortage")
    );
    assert_eq!(
        named(None, "java.lang.OutOfMemoryError: heap"),
        Some("the memory pressure")
    );
    assert_eq!(
        named(None, "container OOMKilled"),
        Some("the memory pressure")
    );
    assert_eq!(
        named(None, "Out of memory: killed"),
        Some("the memory pressure")
    );
    assert_eq!(
        named(None, "rate limited by upstream"),
        Some("the limit being reached")
    );
    // A failure to connect is not a shortage, and a pool name alone says
    // nothing ran out.
    assert_eq!(named(None, "connection timeout to stripe"), None);
    assert_eq!(named(Some("DBPool"), "connection reset by peer"), None);
    assert_eq!(named(None, "unlimited retries"), None);
    assert_eq!(named(None, "spool file missing"), None);
    assert_eq!(named(None, "zoom call dropped"), None);
}

/// Services writing `time LEVEL service fields message`: calls to the card
/// processor time out (two requests, then a read timeout), then the
/// orders database pool runs dry.
const SERVICES: &str = "\
2024-01-15T09:32:15.208Z ERROR payment-service req=pay-7f21c0 processor.authorize attempt=1/4 error=\"connect timed out after 500ms\" host=api.stripe.com
2024-01-15T09:32:15.731Z ERROR payment-service req=pay-80aa13 processor.authorize attempt=2/4 error=\"connect timed out after 500ms\" host=api.stripe.com
2024-01-15T09:32:16.020Z INFO  checkout req=co-8e41f0 order handed to payments
2024-01-15T09:32:18.377Z ERROR orders-db-pool  req=ord-11b4d2 acquire failed: connection pool exhausted (size=50 in_use=50 waiting=61)
2024-01-15T09:32:18.900Z ERROR payment-service req=pay-1c0e9b processor.authorize attempt=1/4 error=\"read timeout after 3000ms\" host=api.stripe.com
";

#[test]
fn services_are_named_by_component_and_what_they_say() {
    let found = sequence(SERVICES);
    assert_eq!(
        statements(&found),
        [
            "payment-service: connect timed out after 500ms (first 09:32:15) began 3 s before \
          orders-db-pool: acquire failed: connection pool exhausted (first 09:32:18): the pool \
          exhaustion is more likely a consequence than the cause."
        ]
    );
    assert_eq!(cited_lines(&found[0]), [1, 4]);
    // The citation keeps the whole message, ids and all.
    assert_eq!(
        found[0].evidence[1].text,
        "req=ord-11b4d2 acquire failed: connection pool exhausted (size=50 in_use=50 waiting=61)"
    );
}

#[test]
fn long_labels_are_cut() {
    let long = "x".repeat(100);
    let paste = format!(
        "[ERROR] 10:00:00 - search: {long}\n[ERROR] 10:00:05 - MailService: error=\"{long}\" id=7\n"
    );
    let found = sequence(&paste);
    // `search:` is a plain word, so part of the message; `MailService` is
    // a component, outside the 80 characters.
    let (first, second) = (
        format!("search: {}…", "x".repeat(71)),
        format!("{}…", "x".repeat(79)),
    );
    assert_eq!(
        statements(&found),
        [format!(
            "{first} (first 10:00:00) began 5 s before MailService: {second} (first 10:00:05)."
        )]
    );
}

#[test]
fn onsets_are_the_error_signals_in_order_with_their_first_line() {
    let lines = read_lines(SERVICES);
    let found = onsets(&lines, &group(&lines));
    let read: Vec<(Option<&str>, &str, String, usize)> = found
        .iter()
        .map(|o| {
            (
                o.component.as_deref(),
                o.message.as_str(),
                time_of_day(o.first),
                o.cited.line,
            )
        })
        .collect();
    assert_eq!(
        read,
        [
            (
                Some("payment-service"),
                "connect timed out after 500ms",
                "09:32:15".to_string(),
                1
            ),
            (
                Some("orders-db-pool"),
                "acquire failed: connection pool exhausted",
                "09:32:18".to_string(),
                4
            ),
            (
                Some("payment-service"),
                "read timeout after 3000ms",
                "09:32:18".to_string(),
                5
            ),
        ]
    );
    assert_eq!(found[0].first, 1_705_311_135_208);
    assert!(found[0].cited.text.starts_with("req=pay-7f21c0"));
}

#[test]
fn onsets_take_the_earliest_line_and_count_errors_as_the_sequence_does() {
    // Out of order: the earliest timeout is the paste's second line.
    let paste = "\
[ERROR] 09:32:17 - PaymentService: connection timeout to stripe after 500ms
[ERROR] 09:32:15 - PaymentService: connection timeout to stripe after 800ms
[WARN] 09:32:16 - DBPool: pool nearly full
[INFO] 09:32:14 - web: started
ERROR untimed failure
";
    let lines = read_lines(paste);
    let found = onsets(&lines, &group(&lines));
    let cited: Vec<usize> = found.iter().map(|o| o.cited.line).collect();
    assert_eq!(cited, [2, 3]);
    assert_eq!(found[1].component.as_deref(), Some("DBPool"));
    // Without levels every timed signal counts.
    let lines = read_lines("09:00:00 cache cold\n09:00:05 queue backlog growing\n");
    assert_eq!(onsets(&lines, &group(&lines)).len(), 2);
    assert!(onsets(&[], &[]).is_empty());
    let quiet = read_lines("[INFO] 09:00:00 - web: started\n");
    assert!(onsets(&quiet, &group(&quiet)).is_empty());
}
