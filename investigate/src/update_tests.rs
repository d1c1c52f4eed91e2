//! The stakeholder update drafted from records shaped like real incidents.

use kb_domain::record::{
    ActionItem, Cause, ConfidenceStep, Hypothesis, MitigationAttempt, Parts, TimelineEntry, Why,
};

use super::*;

fn entry(at: &str, kind: &str, text: &str) -> TimelineEntry {
    TimelineEntry {
        at: at.into(),
        kind: kind.into(),
        text: text.into(),
        who: String::new(),
    }
}

fn hypothesis(statement: &str, outcome: &str, steps: &[(i64, &str)]) -> Hypothesis {
    Hypothesis {
        statement: statement.into(),
        outcome: outcome.into(),
        confidence: steps
            .iter()
            .map(|&(value, note)| ConfidenceStep {
                value,
                note: note.into(),
                ..Default::default()
            })
            .collect(),
        ..Hypothesis::default()
    }
}

fn item(title: &str, owner: &str, due: Option<&str>, status: &str) -> ActionItem {
    ActionItem {
        title: title.into(),
        owner: owner.into(),
        due: due.map(String::from),
        status: status.into(),
        ..ActionItem::default()
    }
}

/// A payment outage five minutes after a deploy, rolled back, mitigated
/// but not yet closed.
fn payment_outage() -> Parts {
    Parts {
        started_at: Some("2024-01-15T09:32:00Z".into()),
        detected_at: Some("2024-01-15T09:33:00Z".into()),
        mitigated_at: Some("2024-01-15T09:37:00Z".into()),
        timeline: vec![
            entry("2024-01-15T09:33:00Z", "alert", "API error rate above 45%"),
            entry("2024-01-15T09:34:00Z", "action", "Paged the payments team"),
            entry(
                "2024-01-15T09:36:00Z",
                "action",
                "Rolled back payment-service to v2.4.1",
            ),
        ],
        mitigations: vec![
            MitigationAttempt {
                action: "Rolled back payment-service to v2.4.1".into(),
                result: "worked".into(),
                note: "Payment errors fell from 45% to 8%\nwithin a minute".into(),
            },
            MitigationAttempt {
                action: "Raised the DB pool from 50 to 100".into(),
                result: "failed".into(),
                note: String::new(),
            },
        ],
        hypotheses: vec![
            hypothesis(
                "The payment-service deploy cut the Stripe timeouts too far",
                "open",
                &[
                    (70, "Deploy two minutes before the first errors"),
                    (
                        95,
                        "Config diff cuts the connect timeout from 5000 to 500 ms",
                    ),
                ],
            ),
            hypothesis("Stripe is having an outage", "refuted", &[(25, "")]),
            hypothesis("Something else is failing too", "open", &[(5, "")]),
        ],
        whys: vec![
            Why {
                question: "Why were the timeouts shortened?".into(),
                answer: "To fail over faster".into(),
                actionable: false,
            },
            Why {
                question: "Why did nobody catch it in review?".into(),
                answer: String::new(),
                actionable: false,
            },
        ],
        causes: vec![
            Cause {
                level: "immediate".into(),
                statement: "Timeouts too short for Stripe's latency".into(),
                prevents: "yes".into(),
                ..Cause::default()
            },
            Cause {
                level: "systemic".into(),
                statement: "Config changes skip review".into(),
                ..Cause::default()
            },
        ],
        action_items: vec![
            item(
                "Require review for config changes",
                "maria",
                Some("2024-01-22"),
                "open",
            ),
            item(
                "Add a load test for timeout changes",
                "",
                None,
                "in_progress",
            ),
            item("Share the learnings", "sam", None, "done"),
        ],
        ..Parts::default()
    }
}

#[test]
fn an_update_from_a_mitigated_outage() {
    let summary =
        "\n  A payment-service deploy shortened its Stripe timeouts;\nmost payment calls \
                   failed and backed up into the database pool.\n\nDetails follow.";
    let update = stakeholder_update(
        "Payments failing after a deploy",
        summary,
        &payment_outage(),
    );
    assert_eq!(
        update,
        "\
## Update: Payments failing after a deploy

**What happened**
A payment-service deploy shortened its Stripe timeouts;
most payment calls failed and backed up into the database pool.

**What we did**
- Worked: Rolled back payment-service to v2.4.1
  Payment errors fell from 45% to 8% within a minute
- Did not work: Raised the DB pool from 50 to 100
- 2024-01-15 09:34 UTC: Paged the payments team

**Current state**
Mitigated at 2024-01-15 09:37 UTC, 5 min after it started; not resolved yet.

**How confident we are and why**
Leading hypothesis (95%, not confirmed yet):
The payment-service deploy cut the Stripe timeouts too far
Why: Config diff cuts the connect timeout from 5000 to 500 ms
Ruled out:
- Stripe is having an outage

**What we do not know yet**
- Still open (5%): Something else is failing too
- Not answered yet: Why did nobody catch it in review?
- Whether fixing this prevents a recurrence: Config changes skip review

**Next steps**
- Require review for config changes (owner maria, due 2024-01-22)
- Add a load test for timeout changes (no owner yet)
"
    );
}

#[test]
fn an_empty_record_says_nothing_is_recorded() {
    let update = stakeholder_update("", " ", &Parts::default());
    let nothing = "Nothing recorded yet.";
    assert_eq!(
        update,
        format!(
            "## Update\n\n**What happened**\n{nothing}\n\n**What we did**\n{nothing}\n\n\
             **Current state**\n{nothing}\n\n**How confident we are and why**\n{nothing}\n\n\
             **What we do not know yet**\n{nothing}\n\n**Next steps**\n{nothing}\n"
        )
    );
}

#[test]
fn without_a_summary_the_first_alert_says_what_happened() {
    let parts = Parts {
        started_at: Some("2024-02-10T11:00:00Z".into()),
        resolved_at: Some("2024-02-10T11:40:00Z".into()),
        timeline: vec![
            entry("2024-02-10T11:01:30Z", "observation", "Stock shows -23"),
            entry(
                "2024-02-10T11:02:00Z",
                "alert",
                "Inventory oversold for a jacket",
            ),
        ],
        hypotheses: vec![
            hypothesis(
                "A race between stock check and decrement",
                "open",
                &[(90, "")],
            ),
            // Confirmed leads over a more confident open one.
            hypothesis("No row lock when reserving stock", "confirmed", &[]),
        ],
        ..Parts::default()
    };
    let update = stakeholder_update("Flash sale oversold", "", &parts);
    assert!(
        update.contains(
            "**What happened**\nThe first alert, at 2024-02-10 11:02 UTC:\nInventory oversold \
             for a jacket\n"
        ),
        "{update}"
    );
    assert!(
        update.contains(
            "**Current state**\nResolved at 2024-02-10 11:40 UTC, 40 min after it started.\n"
        ),
        "{update}"
    );
    assert!(
        update.contains(
            "**How confident we are and why**\nLeading hypothesis (confirmed):\nNo row lock \
             when reserving stock\n\n"
        ),
        "{update}"
    );
    assert!(
        update.contains("- Still open (90%): A race between stock check and decrement\n"),
        "{update}"
    );
}

#[test]
fn an_ongoing_incident_and_long_lists() {
    let parts = Parts {
        started_at: Some("2024-03-08T11:00".into()),
        detected_at: Some("2024-03-08T11:05:30".into()),
        action_items: (1..=10)
            .map(|i| item(&format!("Follow-up {i}"), "ops", None, ""))
            .collect(),
        ..Parts::default()
    };
    let update = stakeholder_update("Checkout failing", "", &parts);
    assert!(
        update.contains(
            "**Current state**\nOngoing: started at 2024-03-08 11:00 UTC, detected at \
             2024-03-08 11:05:30 UTC; not mitigated yet.\n"
        ),
        "{update}"
    );
    assert!(
        update.ends_with("- Follow-up 8 (owner ops)\n- and 2 more\n"),
        "{update}"
    );
}

#[test]
fn user_text_stays_on_its_own_lines() {
    let mut parts = payment_outage();
    parts.mitigations[0].action = "Rolled back\n\n## not a heading".into();
    let update = stakeholder_update("Title\nwith a break", "", &parts);
    assert!(
        update.starts_with("## Update: Title with a break\n"),
        "{update}"
    );
    assert!(
        update.contains("- Worked: Rolled back ## not a heading\n"),
        "{update}"
    );
    assert!(!update.contains("\n## not"), "{update}");
}
