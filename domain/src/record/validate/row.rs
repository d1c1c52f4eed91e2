//! The checks of one row of each list of the parts, in the order the
//! record shows them; each returns the row normalized.

use super::{canonical, line, required, text};
use crate::postmortem::{is_calendar_date, ValidationErrors, MAX_NAME, MAX_TEXT};
use crate::record::{
    format_relative, normalize_datetime, relative_seconds, ActionItem, ActionKind, ActionStatus,
    Cause, CauseLevel, ConfidenceStep, Evidence, EvidenceKind, Hypothesis, HypothesisOutcome,
    Learning, LearningKind, Link, LinkKind, MitigationAttempt, MitigationResult, Prevents,
    Priority, TimelineEntry, TimelineKind, Why, MAX_LINE, MAX_STEPS,
};

/// One timeline row: its time made absolute or `T+` relative, kind canonical.
pub(super) fn timeline_entry(
    e: &mut ValidationErrors,
    f: &str,
    row: &TimelineEntry,
) -> TimelineEntry {
    let at = row.at.trim();
    let at = if at.is_empty() {
        e.push(
            &format!("{f}.at"),
            "give a time: YYYY-MM-DD HH:MM, or T+mm:ss from the start",
        );
        String::new()
    } else if let Some(offset) = relative_seconds(at) {
        format_relative(offset)
    } else if let Some(abs) = normalize_datetime(at) {
        abs
    } else {
        e.push(
            &format!("{f}.at"),
            format!("{at:?} is not a time; use YYYY-MM-DD HH:MM, or T+mm:ss from the start"),
        );
        at.to_string()
    };
    TimelineEntry {
        at,
        kind: canonical(
            &format!("{f}.kind"),
            &row.kind,
            TimelineKind::DEFAULT,
            TimelineKind::parse,
            TimelineKind::names,
            e,
        ),
        text: required(
            e,
            &format!("{f}.text"),
            &row.text,
            MAX_TEXT,
            "say what happened",
        ),
        who: line(e, &format!("{f}.who"), &row.who, MAX_NAME),
    }
}

/// One evidence block; its body is verbatim.
pub(super) fn evidence(e: &mut ValidationErrors, f: &str, row: &Evidence) -> Evidence {
    Evidence {
        kind: canonical(
            &format!("{f}.kind"),
            &row.kind,
            EvidenceKind::DEFAULT,
            EvidenceKind::parse,
            EvidenceKind::names,
            e,
        ),
        caption: line(e, &format!("{f}.caption"), &row.caption, MAX_LINE),
        // Verbatim: never trimmed, only refused when empty or huge.
        body: {
            if row.body.trim().is_empty() {
                e.push(&format!("{f}.body"), "paste the material itself");
            } else if row.body.chars().count() > MAX_TEXT {
                e.push(
                    &format!("{f}.body"),
                    format!("keep this under {MAX_TEXT} characters"),
                );
            }
            row.body.clone()
        },
    }
}

/// One hypothesis with its confidence steps.
pub(super) fn hypothesis(e: &mut ValidationErrors, f: &str, row: &Hypothesis) -> Hypothesis {
    if row.confidence.len() > MAX_STEPS {
        e.push(
            &format!("{f}.confidence"),
            format!("at most {MAX_STEPS} steps"),
        );
    }
    let confidence = row
        .confidence
        .iter()
        .enumerate()
        .map(|(i, step)| {
            if !(0..=100).contains(&step.value) {
                e.push(
                    &format!("{f}.confidence.{i}"),
                    format!(
                        "confidence is a percentage from 0 to 100, not {}",
                        step.value
                    ),
                );
            }
            ConfidenceStep {
                value: step.value,
                note: line(e, &format!("{f}.confidence.{i}.note"), &step.note, MAX_LINE),
                by: line(
                    e,
                    &format!("{f}.confidence.{i}.by"),
                    &step.by,
                    crate::postmortem::MAX_NAME,
                ),
            }
        })
        .collect();
    Hypothesis {
        statement: required(
            e,
            &format!("{f}.statement"),
            &row.statement,
            MAX_LINE,
            "state the hypothesis",
        ),
        confidence,
        evidence_for: text(e, &format!("{f}.evidence_for"), &row.evidence_for, MAX_TEXT),
        evidence_against: text(
            e,
            &format!("{f}.evidence_against"),
            &row.evidence_against,
            MAX_TEXT,
        ),
        outcome: canonical(
            &format!("{f}.outcome"),
            &row.outcome,
            HypothesisOutcome::DEFAULT,
            HypothesisOutcome::parse,
            HypothesisOutcome::names,
            e,
        ),
    }
}

/// One level of the why-chain.
pub(super) fn why(e: &mut ValidationErrors, f: &str, row: &Why) -> Why {
    Why {
        question: required(
            e,
            &format!("{f}.question"),
            &row.question,
            MAX_LINE,
            "ask the why",
        ),
        answer: text(e, &format!("{f}.answer"), &row.answer, MAX_TEXT),
        actionable: row.actionable,
    }
}

/// One root cause.
pub(super) fn cause(e: &mut ValidationErrors, f: &str, row: &Cause) -> Cause {
    if row.confidence.is_some_and(|c| !(0..=100).contains(&c)) {
        e.push(
            &format!("{f}.confidence"),
            "confidence is a percentage from 0 to 100",
        );
    }
    Cause {
        level: canonical(
            &format!("{f}.level"),
            &row.level,
            CauseLevel::DEFAULT,
            CauseLevel::parse,
            CauseLevel::names,
            e,
        ),
        statement: required(
            e,
            &format!("{f}.statement"),
            &row.statement,
            MAX_TEXT,
            "state the cause",
        ),
        confidence: row.confidence,
        evidence: text(e, &format!("{f}.evidence"), &row.evidence, MAX_TEXT),
        prevents: prevents(e, &format!("{f}.prevents"), &row.prevents),
    }
}

/// A root cause's verification answer: empty (not answered yet) or a
/// [`Prevents`] name.
fn prevents(e: &mut ValidationErrors, field: &str, value: &str) -> String {
    if value.trim().is_empty() {
        return String::new();
    }
    match Prevents::parse(value) {
        Some(answer) => answer.as_str().to_string(),
        None => {
            e.push(field, format!("answer {}", Prevents::names()));
            value.trim().to_string()
        }
    }
}

/// One mitigation attempt.
pub(super) fn mitigation(
    e: &mut ValidationErrors,
    f: &str,
    row: &MitigationAttempt,
) -> MitigationAttempt {
    MitigationAttempt {
        action: required(
            e,
            &format!("{f}.action"),
            &row.action,
            MAX_LINE,
            "say what was tried",
        ),
        result: canonical(
            &format!("{f}.result"),
            &row.result,
            MitigationResult::DEFAULT,
            MitigationResult::parse,
            MitigationResult::names,
            e,
        ),
        note: text(e, &format!("{f}.note"), &row.note, MAX_TEXT),
    }
}

/// One learning; a pattern needs its symptoms.
pub(super) fn learning(e: &mut ValidationErrors, f: &str, row: &Learning) -> Learning {
    let kind = canonical(
        &format!("{f}.kind"),
        &row.kind,
        LearningKind::DEFAULT,
        LearningKind::parse,
        LearningKind::names,
        e,
    );
    let pattern = kind == LearningKind::Pattern.as_str();
    let learning = Learning {
        title: required(
            e,
            &format!("{f}.title"),
            &row.title,
            MAX_LINE,
            if pattern {
                "name the pattern"
            } else {
                "state the lesson"
            },
        ),
        text: text(e, &format!("{f}.text"), &row.text, MAX_TEXT),
        symptoms: text(e, &format!("{f}.symptoms"), &row.symptoms, MAX_TEXT),
        root_cause: text(e, &format!("{f}.root_cause"), &row.root_cause, MAX_TEXT),
        detection: text(e, &format!("{f}.detection"), &row.detection, MAX_TEXT),
        resolution: text(e, &format!("{f}.resolution"), &row.resolution, MAX_TEXT),
        kind,
    };
    if pattern && learning.symptoms.is_empty() {
        e.push(
            &format!("{f}.symptoms"),
            "a pattern needs its symptoms: they are what search matches",
        );
    }
    learning
}

/// One action item: its due date and tracker checked.
pub(super) fn action_item(e: &mut ValidationErrors, f: &str, row: &ActionItem) -> ActionItem {
    let due = row.due.as_deref().map(str::trim).filter(|d| !d.is_empty());
    if let Some(d) = due {
        if !is_calendar_date(d) {
            e.push(
                &format!("{f}.due"),
                format!("{d:?} is not a date; use YYYY-MM-DD"),
            );
        }
    }
    let tracker = line(e, &format!("{f}.tracker"), &row.tracker, 2_000);
    if tracker.contains(char::is_whitespace) {
        e.push(
            &format!("{f}.tracker"),
            "a tracker key (OPS-123) or a link, without spaces",
        );
    } else if tracker.contains(':') {
        let lower = tracker.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) {
            e.push(
                &format!("{f}.tracker"),
                "a tracker link must start with http:// or https://",
            );
        }
    }
    ActionItem {
        id: row.id,
        title: required(
            e,
            &format!("{f}.title"),
            &row.title,
            MAX_LINE,
            "say what to do",
        ),
        owner: line(e, &format!("{f}.owner"), &row.owner, MAX_NAME),
        due: due.map(str::to_string),
        priority: canonical(
            &format!("{f}.priority"),
            &row.priority,
            Priority::DEFAULT,
            Priority::parse,
            Priority::names,
            e,
        ),
        status: canonical(
            &format!("{f}.status"),
            &row.status,
            ActionStatus::DEFAULT,
            ActionStatus::parse,
            ActionStatus::names,
            e,
        ),
        kind: canonical(
            &format!("{f}.kind"),
            &row.kind,
            ActionKind::DEFAULT,
            ActionKind::parse,
            ActionKind::names,
            e,
        ),
        tracker,
        expected_effect: text(
            e,
            &format!("{f}.expected_effect"),
            &row.expected_effect,
            MAX_TEXT,
        ),
    }
}

/// One link; duplicates are found over the whole list by the caller.
pub(super) fn link(e: &mut ValidationErrors, f: &str, row: &Link) -> Link {
    let target = line(e, &format!("{f}.target"), &row.target, 201);
    if target.is_empty() {
        e.push(&format!("{f}.target"), "choose the postmortem to link to");
    }
    Link {
        target,
        kind: canonical(
            &format!("{f}.kind"),
            &row.kind,
            LinkKind::DEFAULT,
            LinkKind::parse,
            LinkKind::names,
            e,
        ),
        note: line(e, &format!("{f}.note"), &row.note, MAX_LINE),
    }
}
