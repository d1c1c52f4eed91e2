//! Challenge findings on hypotheses shaped like real incidents.

use kb_domain::record::{ConfidenceStep, Hypothesis};

use super::*;
use crate::line::read_lines;

fn hypothesis(statement: &str, outcome: &str) -> Hypothesis {
    Hypothesis {
        statement: statement.into(),
        outcome: outcome.into(),
        ..Hypothesis::default()
    }
}

/// Milliseconds from midnight of a time of day.
fn at(h: i64, m: i64, s: i64) -> i64 {
    ((h * 60 + m) * 60 + s) * 1_000
}

fn line(number: usize, text: &str) -> Cited {
    Cited {
        line: number,
        text: text.into(),
        source: String::new(),
    }
}

fn onset(component: &str, message: &str, first: i64, number: usize) -> Onset {
    Onset {
        component: Some(component.into()),
        message: message.into(),
        first,
        cited: line(number, message),
    }
}

fn attempt(action: &str, outcome: AttemptOutcome, number: usize) -> Attempt {
    Attempt {
        action: action.into(),
        at: None,
        outcome,
        cited: vec![line(number, action)],
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

/// A payment outage: payments time out first, the database pool runs dry
/// three seconds later, and a deploy shortened the timeouts just before.
const PAYMENT_LOG: &str = "\
[INFO]  09:30:00 - deployer: payment-service v2.4.1 -> v2.4.2 (shorter stripe timeouts)
[ERROR] 09:32:15 - PaymentService: Connection timeout to payments.stripe.com
[ERROR] 09:32:18 - DBPool: No available connections (pool size: 50, in use: 50)
";

/// The change finding of [`PAYMENT_LOG`]'s deploy, as `change_findings`
/// words it.
fn deploy_change() -> Finding {
    Finding {
        kind: FindingKind::Change,
        statement: "deployer: \"payment-service v2.4.1 -> v2.4.2 (shorter stripe timeouts)\" at \
                    09:30:00, 2 min 15 s before the first error (PaymentService: Connection \
                    timeout to payments.stripe.com, 09:32:15): look at what it changed first."
            .into(),
        evidence: vec![
            line(
                1,
                "payment-service v2.4.1 -> v2.4.2 (shorter stripe timeouts)",
            ),
            line(2, "Connection timeout to payments.stripe.com"),
        ],
    }
}

fn payment_onsets() -> Vec<Onset> {
    vec![
        onset(
            "DBPool",
            "No available connections (pool size: 50, in use: 50)",
            at(9, 32, 18),
            3,
        ),
        onset(
            "PaymentService",
            "Connection timeout to payments.stripe.com",
            at(9, 32, 15),
            2,
        ),
    ]
}

fn payment_attempts() -> Vec<Attempt> {
    vec![
        attempt(
            "Raised the pool from 50 to 100",
            AttemptOutcome::NoEffect,
            4,
        ),
        attempt(
            "Rolled back payment-service to v2.4.1",
            AttemptOutcome::Worked,
            5,
        ),
    ]
}

fn lessons() -> Vec<Lesson> {
    vec![
        Lesson {
            title: "A cache stampede follows a full flush".into(),
            text: "Warm keys gradually.".into(),
            postmortem_id: 9,
            postmortem_title: "Homepage stampede".into(),
        },
        Lesson {
            title: "An exhausted pool is usually a symptom".into(),
            text: "Find what holds the connections before adding more.".into(),
            postmortem_id: 12,
            postmortem_title: "Checkout stalls".into(),
        },
    ]
}

#[test]
fn the_pool_hypothesis_is_asked_whether_it_names_a_consequence() {
    let hypotheses = vec![
        hypothesis(
            "The payment-service deploy cut the Stripe timeouts too far",
            "confirmed",
        ),
        hypothesis("DB connection pool too small", "open"),
    ];
    let found = challenge_findings(
        &hypotheses,
        &payment_onsets(),
        &payment_attempts(),
        &[deploy_change()],
        &lessons(),
    );
    assert!(found.iter().all(|f| f.kind == FindingKind::Challenge));
    // The open hypothesis first: onsets, fixes, the deploy, a lesson.
    assert_eq!(
        statements(&found)[..4],
        [
            "Hypothesis 2 (\"DB connection pool too small\"): it names DB and pool, but the \
             errors it names (DBPool: \"No available connections (pool size: 50, in use: \
             50)\", first 09:32:18) begin 3 s after those of PaymentService: \"Connection \
             timeout to payments.stripe.com\" (first 09:32:15), which it does not name: are \
             they a consequence rather than the cause?",
            "Hypothesis 2 (\"DB connection pool too small\"): if DB connection pool were the \
             cause, why did rolling back payment-service to v2.4.1 work? Raising the pool \
             from 50 to 100 had no effect, which speaks against it.",
            "Hypothesis 2 (\"DB connection pool too small\"): a deploy came 2 min 15 s before \
             the first error (\"payment-service v2.4.1 -> v2.4.2 (shorter stripe timeouts)\"): \
             does the hypothesis explain it?",
            "Hypothesis 2 (\"DB connection pool too small\"): an earlier postmortem learned \
             \"An exhausted pool is usually a symptom\" (#12 \"Checkout stalls\"). Does it \
             hold here?",
        ]
    );
    // The hypothesis first, then what it was set against.
    assert_eq!(
        sources(&found[0]),
        [
            ("Hypothesis 2".into(), 2),
            (String::new(), 3),
            (String::new(), 2)
        ]
    );
    assert_eq!(
        sources(&found[1]),
        [
            ("Hypothesis 2".into(), 2),
            (String::new(), 5),
            (String::new(), 4)
        ]
    );
    assert_eq!(
        sources(&found[2]),
        [
            ("Hypothesis 2".into(), 2),
            (String::new(), 1),
            (String::new(), 2)
        ]
    );
    assert_eq!(
        sources(&found[3]),
        [("Hypothesis 2".into(), 2), ("Postmortem #12".into(), 1)]
    );
}

#[test]
fn a_confirmed_hypothesis_is_read_after_the_fact() {
    let hypotheses = vec![hypothesis(
        "The payment-service deploy cut the Stripe timeouts too far",
        "confirmed",
    )];
    let found = challenge_findings(
        &hypotheses,
        &payment_onsets(),
        &payment_attempts(),
        &[deploy_change()],
        &lessons(),
    );
    let label = "Hypothesis 1 (\"The payment-service deploy cut the Stripe timeouts too far\", \
                 confirmed by the team): ";
    assert_eq!(
        statements(&found),
        [
            format!(
                "{label}it names the earliest error signal (PaymentService: \"Connection \
                 timeout to payments.stripe.com\", first 09:32:15), which speaks for it."
            ),
            format!("{label}rolling back payment-service to v2.4.1 worked, which speaks for it."),
            format!(
                "{label}a deploy came 2 min 15 s before the first error (\"payment-service \
                 v2.4.1 -> v2.4.2 (shorter stripe timeouts)\"), and the hypothesis names what \
                 it touched (payment, deploy, Stripe and timeouts): that speaks for it."
            ),
        ]
    );
}

#[test]
fn the_change_findings_of_a_paste_are_read() {
    let hypotheses = vec![hypothesis("DB connection pool too small", "open")];
    let changes = change_findings(PAYMENT_LOG, &read_lines(PAYMENT_LOG));
    let found = challenge_findings(&hypotheses, &[], &[], &changes, &[]);
    assert_eq!(found.len(), 1);
    let statement = &found[0].statement;
    assert!(
        statement.contains("a deploy came 2 min 15 s before the first error (\"")
            && statement.ends_with("): does the hypothesis explain it?"),
        "{statement}"
    );
}

#[test]
fn a_config_diff_naming_the_subject_speaks_for_it() {
    let hypotheses = vec![hypothesis("The Stripe timeouts are too short", "open")];
    let diff = "-  stripe_read_timeout: 30000\n+  stripe_read_timeout: 3000\n";
    let changes = change_findings(diff, &read_lines(diff));
    let found = challenge_findings(&hypotheses, &[], &[], &changes, &[]);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].statement.starts_with(
            "Hypothesis 1 (\"The Stripe timeouts are too short\"): the evidence holds a change \
             (\"The diff changes 1 key: stripe_read_timeout"
        ) && found[0].statement.ends_with(
            "and the hypothesis names what it touched (Stripe and timeouts): that \
                        speaks for it."
        ),
        "{}",
        found[0].statement
    );
    assert_eq!(found[0].evidence.len(), 3);
}

#[test]
fn a_refuted_hypothesis_is_asked_why_an_unrelated_fix_worked() {
    let hypotheses = vec![hypothesis("Stripe is having an outage", "refuted")];
    let found = challenge_findings(&hypotheses, &[], &payment_attempts(), &[], &[]);
    assert_eq!(
        statements(&found),
        [
            "Hypothesis 1 (\"Stripe is having an outage\", refuted by the team): if Stripe were \
          the cause, why did rolling back payment-service to v2.4.1 work?"
        ]
    );
}

/// Checkout failing on a Friday: three fixes, each buying 20 to 30
/// minutes, and a team sure it is the database.
fn checkout_attempts() -> Vec<Attempt> {
    vec![
        attempt(
            "Restarted the checkout service",
            AttemptOutcome::Held(25 * 60_000),
            1,
        ),
        attempt(
            "Raised the DB connection pool from 50 to 100",
            AttemptOutcome::Held(30 * 60_000),
            2,
        ),
        attempt(
            "Added 2 more application servers",
            AttemptOutcome::Held(20 * 60_000),
            3,
        ),
    ]
}

#[test]
fn adding_servers_helping_speaks_against_the_database() {
    let hypotheses = vec![hypothesis("The database is the bottleneck", "open")];
    let found = challenge_findings(&hypotheses, &[], &checkout_attempts(), &[], &[]);
    assert_eq!(
        statements(&found),
        [
            // The restart is not asked about: a restart relieves any cause.
            "Hypothesis 1 (\"The database is the bottleneck\"): if the database were the \
             cause, why did adding 2 more application servers help for 20 minutes?",
            "Hypothesis 1 (\"The database is the bottleneck\"): 3 different fixes each held \
             for a while (25, 30 and 20 minutes) before the failures came back. One faulty \
             component would hardly give unrelated fixes the same reprieve: does the \
             hypothesis explain it, or is something on a schedule (a job, a cache refresh, a \
             batch) behind it?",
        ]
    );
    assert_eq!(
        sources(&found[0]),
        [("Hypothesis 1".into(), 1), (String::new(), 3)]
    );
    assert_eq!(
        sources(&found[1]),
        [
            ("Hypothesis 1".into(), 1),
            (String::new(), 1),
            (String::new(), 2),
            (String::new(), 3)
        ]
    );
}

#[test]
fn a_schedule_in_the_hypothesis_fits_fixes_that_each_held() {
    let hypotheses = vec![hypothesis(
        "A cache warming job every 20 minutes saturates Redis",
        "open",
    )];
    let found = challenge_findings(&hypotheses, &[], &checkout_attempts(), &[], &[]);
    assert_eq!(
        statements(&found),
        [
            "Hypothesis 1 (\"A cache warming job every 20 minutes saturates Redis\"): if it \
             holds, why did raising the DB connection pool from 50 to 100 help for 30 \
             minutes, and why did adding 2 more application servers help for 20 minutes?",
            "Hypothesis 1 (\"A cache warming job every 20 minutes saturates Redis\"): 3 \
             different fixes each held for a while (25, 30 and 20 minutes) before the \
             failures came back, which fits the recurring cause it names.",
        ]
    );
}

#[test]
fn nothing_is_said_when_nothing_speaks() {
    let onsets = payment_onsets();
    let attempts = payment_attempts();
    // No subject to match.
    let vague = vec![hypothesis("Something else", "open")];
    assert_eq!(
        challenge_findings(&vague, &onsets, &attempts, &[], &lessons()),
        []
    );
    // Nothing to set it against.
    let pool = vec![hypothesis("DB connection pool too small", "open")];
    assert_eq!(challenge_findings(&pool, &[], &[], &[], &[]), []);
    // A single onset it names, and a lesson sharing no word.
    let one = [onsets[0].clone()];
    let unrelated = [lessons()[0].clone()];
    assert_eq!(challenge_findings(&pool, &one, &[], &[], &unrelated), []);
    // No hypotheses at all.
    assert_eq!(challenge_findings(&[], &onsets, &attempts, &[], &[]), []);
}

#[test]
fn fixes_that_relieve_any_cause_or_share_only_a_broad_word_say_nothing() {
    let hypotheses = vec![hypothesis("Lock contention in the database", "open")];
    let attempts = vec![
        attempt("Paused the flash sale", AttemptOutcome::Worked, 1),
        attempt("Added rate limiting on checkout", AttemptOutcome::Partly, 2),
        attempt(
            "Increased the database connection pool",
            AttemptOutcome::NoEffect,
            3,
        ),
    ];
    assert_eq!(
        challenge_findings(&hypotheses, &[], &attempts, &[], &[]),
        []
    );
}

#[test]
fn open_hypotheses_come_first_and_the_count_is_capped() {
    let mut hypotheses = vec![hypothesis("Stripe is having an outage", "refuted")];
    for i in 0..20 {
        let mut h = hypothesis(&format!("The pool of shard {i} is too small"), "");
        h.confidence = vec![ConfidenceStep {
            value: 40,
            note: String::new(),
            ..Default::default()
        }];
        hypotheses.push(h);
    }
    let found = challenge_findings(&hypotheses, &payment_onsets(), &[], &[], &[]);
    assert_eq!(found.len(), MAX_CHALLENGE_FINDINGS);
    assert!(found[0]
        .statement
        .starts_with("Hypothesis 2 (\"The pool of shard 0"));
    assert!(found.iter().all(|f| !f.statement.contains("Stripe")));
}

#[test]
fn lessons_are_ranked_by_the_words_they_share() {
    let hypotheses = vec![hypothesis(
        "The cache flush caused a stampede on the pool",
        "open",
    )];
    let mut lessons = lessons();
    lessons.push(Lesson {
        title: String::new(),
        text: "\nA flush empties the cache at once; the stampede follows.\n".into(),
        postmortem_id: 9,
        postmortem_title: "Homepage stampede".into(),
    });
    let found = challenge_findings(&hypotheses, &[], &[], &[], &lessons);
    assert_eq!(
        statements(&found),
        [
            "Hypothesis 1 (\"The cache flush caused a stampede on the pool\"): earlier \
          postmortems learned \"A cache stampede follows a full flush\" (#9 \"Homepage \
          stampede\"); and \"A flush empties the cache at once; the stampede follows.\" (#9 \
          \"Homepage stampede\"). Do they hold here?"
        ]
    );
    // Each lesson is numbered within its postmortem.
    assert_eq!(
        sources(&found[0]),
        [
            ("Hypothesis 1".into(), 1),
            ("Postmortem #9".into(), 1),
            ("Postmortem #9".into(), 2)
        ]
    );
}

#[test]
fn fixes_that_held_under_a_minute_are_timed_exactly() {
    let hypotheses = vec![hypothesis("The database is the bottleneck", "open")];
    let attempts = vec![
        attempt("Flushed the session cache", AttemptOutcome::Held(20_000), 1),
        attempt("Restarted the workers", AttemptOutcome::Held(25_000), 2),
    ];
    let found = challenge_findings(&hypotheses, &[], &attempts, &[], &[]);
    assert_eq!(found.len(), 2);
    assert!(
        found[0]
            .statement
            .ends_with("why did flushing the session cache help for 20 s?"),
        "{}",
        found[0].statement
    );
    assert!(
        found[1]
            .statement
            .contains("2 different fixes each held for a while (20 s and 25 s)"),
        "{}",
        found[1].statement
    );
}
