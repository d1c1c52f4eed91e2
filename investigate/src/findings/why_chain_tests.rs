//! Why-chain findings on chains shaped like real postmortems.

use kb_domain::record::{Cause, Why};

use super::why_chain::is_systemic;
use super::*;

fn why(question: &str, answer: &str) -> Why {
    Why {
        question: question.into(),
        answer: answer.into(),
        actionable: false,
    }
}

fn cause(level: &str, statement: &str, prevents: &str) -> Cause {
    Cause {
        level: level.into(),
        statement: statement.into(),
        prevents: prevents.into(),
        ..Cause::default()
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

/// Checkout failing every twenty minutes, asked why five times over, down
/// to a catalog that grew fourfold without anyone telling engineering.
fn checkout_whys() -> Vec<Why> {
    vec![
        why(
            "Why do checkouts fail again after each fix?",
            "They fail at regular intervals, whatever the traffic",
        ),
        why(
            "Why at regular intervals?",
            "A cache warming job runs every 20 minutes",
        ),
        why(
            "Why would warming break checkout?",
            "Warming and checkout share one Redis cluster, and warming saturates its connections",
        ),
        why(
            "Why does warming saturate it now?",
            "The catalog grew fourfold last week; warming takes 18 minutes instead of 5",
        ),
        why(
            "Why was Redis not sized for the bigger catalog?",
            "Marketing expanded the catalog and engineering was not told, so no capacity \
             planning happened",
        ),
    ]
}

#[test]
fn a_chain_that_reaches_a_systemic_cause() {
    let causes = vec![
        cause(
            "immediate",
            "Cache warming saturates the shared Redis connection pool",
            "partly",
        ),
        cause(
            "systemic",
            "Catalog changes are not shared with engineering",
            "yes",
        ),
    ];
    let found = why_chain_findings(&checkout_whys(), &causes);
    assert!(found.iter().all(|f| f.kind == FindingKind::WhyChain));
    assert_eq!(
        statements(&found),
        [
            "The why-chain goes 5 levels deep and reaches a systemic cause (\"Marketing \
             expanded the catalog and engineering was not told, so no capacity planning \
             happened\").",
            "Root cause 1 (\"Cache warming saturates the shared Redis connection pool\", \
             immediate): if we fix this, does it prevent a recurrence? The team answered \
             partly: what would the rest take?",
            "Root cause 2 (\"Catalog changes are not shared with engineering\", systemic): if \
             we fix this, does it prevent a recurrence? The team answered yes.",
        ]
    );
    assert_eq!(
        sources(&found[0]),
        (1..=5).map(|n| (format!("Why {n}"), n)).collect::<Vec<_>>()
    );
    assert_eq!(
        found[0].evidence[1].text,
        "A cache warming job runs every 20 minutes"
    );
    assert_eq!(sources(&found[2]), [("Root cause 2".into(), 2)]);
}

#[test]
fn a_chain_that_stops_at_a_technical_cause_asks_the_next_why() {
    let mut whys = checkout_whys();
    whys.truncate(3);
    whys.push(why("Why does warming take longer than it did?", ""));
    let causes = vec![cause("immediate", "Redis saturated", "yes")];
    let found = why_chain_findings(&whys, &causes);
    assert_eq!(
        statements(&found),
        [
            "The why-chain goes 3 levels deep and stops at a technical cause (\"Warming and \
             checkout share one Redis cluster, and warming saturates its connections\"): what \
             let that happen, and which process, review, plan or communication missed it? \
             Why 4 (\"Why does warming take longer than it did?\") has no answer yet.",
            // Only the part that broke, answered "yes", and nothing systemic.
            "Root cause 1 (\"Redis saturated\", immediate): if we fix this, does it prevent a \
             recurrence? The team answered yes. With nothing systemic recorded, what would \
             stop the next incident like it, by another path?",
        ]
    );
    // The unanswered row is cited by its question.
    assert_eq!(
        found[0].evidence[3].text,
        "Why does warming take longer than it did?"
    );
}

#[test]
fn a_systemic_cause_outside_the_chain_is_pointed_to() {
    let whys = vec![
        why(
            "Why did payments fail?",
            "Stripe calls timed out after 500 ms",
        ),
        why(
            "Why so short?",
            "Deploy v2.4.2 cut the connect timeout tenfold",
        ),
    ];
    let causes = vec![
        cause("immediate", "Timeout too short", "yes"),
        cause("systemic", "Config changes skip review", ""),
    ];
    let found = why_chain_findings(&whys, &causes);
    assert_eq!(
        statements(&found),
        [
            "The why-chain is shallow (2 levels) and stops at a technical cause (\"Deploy \
             v2.4.2 cut the connect timeout tenfold\"): what let that happen, and which \
             process, review, plan or communication missed it? Root cause 2 is systemic \
             (\"Config changes skip review\"): does the chain lead there?",
            // A systemic cause is recorded: no nudge on the "yes".
            "Root cause 1 (\"Timeout too short\", immediate): if we fix this, does it prevent \
             a recurrence? The team answered yes.",
            "Root cause 2 (\"Config changes skip review\", systemic): if we fix this, does it \
             prevent a recurrence? Not answered yet.",
        ]
    );
    assert_eq!(
        sources(&found[0]),
        [
            ("Why 1".into(), 1),
            ("Why 2".into(), 2),
            ("Root cause 2".into(), 2)
        ]
    );
}

#[test]
fn a_short_chain_ending_in_a_process_asks_about_the_steps_between() {
    let whys = vec![why(
        "Why did the oversell happen?",
        "Nobody reviewed the reservation code for concurrency",
    )];
    let found = why_chain_findings(&whys, &[cause("", "No row lock on stock", "no")]);
    assert_eq!(
        statements(&found),
        [
            "The why-chain is shallow (1 level), though its deepest answer names something \
             systemic (\"Nobody reviewed the reservation code for concurrency\"): were steps \
             skipped on the way there?",
            "Root cause 1 (\"No row lock on stock\"): if we fix this, does it prevent a \
             recurrence? The team answered no: what else would bring it back, and is that a \
             root cause too?",
        ]
    );
}

#[test]
fn without_whys_the_first_why_is_invited_from_a_root_cause() {
    let causes = vec![cause(
        "immediate",
        "Stock checked and decremented apart",
        "",
    )];
    let found = why_chain_findings(&[why("", "  ")], &causes);
    assert_eq!(
        statements(&found),
        [
            "No why-chain is recorded yet: ask why \"Stock checked and decremented apart\" \
             happened, then why again, until the answer names a process or a decision rather \
             than a part.",
            "Root cause 1 (\"Stock checked and decremented apart\", immediate): if we fix \
             this, does it prevent a recurrence? Not answered yet.",
        ]
    );
    assert_eq!(sources(&found[0]), [("Root cause 1".into(), 1)]);
}

#[test]
fn nothing_to_cite_gives_nothing() {
    assert_eq!(why_chain_findings(&[], &[]), []);
    assert_eq!(
        why_chain_findings(&[why(" ", "")], &[cause("", " ", "")]),
        []
    );
}

#[test]
fn questions_without_answers_are_named() {
    let whys = vec![why("Why did stock go negative?", "")];
    let found = why_chain_findings(&whys, &[]);
    assert_eq!(
        statements(&found),
        ["The why-chain asks \"Why did stock go negative?\" but has no answer yet."]
    );
    assert_eq!(sources(&found[0]), [("Why 1".into(), 1)]);
}

#[test]
fn systemic_words_are_whole_words() {
    assert!(is_systemic("Engineering wasn't told about the catalog"));
    assert!(is_systemic("No one owned the cache cluster"));
    assert!(is_systemic("Config changes can skip review"));
    assert!(is_systemic("The team assumed staging matched production"));
    // `processing` is a part at work, not a process.
    assert!(!is_systemic("Payment processing backed up behind the pool"));
    assert!(!is_systemic("Redis saturated"));
    assert!(!is_systemic(""));
}
