//! Confidence findings: belief in a hypothesis raised high without a new
//! observation to carry it.
//!
//! Responders state how sure they are as evidence arrives (70%, then 95%
//! once the diff is read). Confidence that climbs on its own, by
//! repetition or relief, is how a team locks onto the wrong explanation,
//! and how a calibration review later finds it was lucky rather than
//! right. This module owns that check. It reads the notes people wrote
//! and errs on the side of silence: a note that could be recording an
//! observation counts as one.
//!
//! The rules:
//!
//! - A step is flagged when it raises a hypothesis' confidence (the first
//!   step raises it from nothing) to [`HIGH_CONFIDENCE`] or more, and its
//!   note records no observation: the note is empty, or it holds none of
//!   a number (other than the step's own values: `bumped to 90` is no
//!   observation), a time, a quote (`"`, `“`, `` ` ``), or a word of
//!   [`OBSERVATION_WORDS`] (a log, a metric, a diff, a test, a
//!   reproduction, a rollback, something seen, measured or checked).
//! - A hypothesis whose latest confidence is [`HIGH_CONFIDENCE`] or more
//!   with nothing written under its evidence for is flagged too.
//! - Every outcome is read (a refuted hypothesis held at 90% is what a
//!   calibration review looks for). At most [`MAX_CONFIDENCE_FINDINGS`].
//!
//! A flagged step cites the step (source `Hypothesis N`, line: the step's
//! number, text: its value and note); the missing evidence cites the
//! hypothesis (line N) and its latest step.

use kb_domain::record::{ConfidenceStep, Hypothesis};

use super::challenge::{cite, quote};
use super::{Cited, Finding, FindingKind};

/// The confidence, in percent, from which a hypothesis is held as nearly
/// certain.
pub const HIGH_CONFIDENCE: i64 = 80;

/// The most confidence findings stated for one record.
pub const MAX_CONFIDENCE_FINDINGS: usize = 6;

/// Word beginnings by which a note records something observed, matched at
/// the start of its lower-cased words (`log` matches `logs`). Beginnings
/// that would match everyday words are spelt out (`checked`, not `check`,
/// which begins `checkout`; `seen`, not `see`, which begins `seems`).
pub const OBSERVATION_WORDS: &[&str] = &[
    "log",
    "metric",
    "graph",
    "dashboard",
    "chart",
    "diff",
    "test",
    "reproduc",
    "repro",
    "rollback",
    "rolled",
    "revert",
    "trace",
    "stack",
    "profil",
    "dump",
    "alert",
    "error",
    "exception",
    "quer",
    "screenshot",
    "status",
    "grafana",
    "datadog",
    "kibana",
    "sentry",
    "prometheus",
    "latency",
    "rate",
    "saw",
    "seen",
    "show",
    "observ",
    "measur",
    "found",
    "checked",
    "verif",
    "confirm",
    "compar",
    "correlat",
    "match",
    "output",
    "commit",
    "code",
    "review",
    "config",
    "deploy",
    "timeline",
    "packet",
    "tcpdump",
    "curl",
    "ticket",
    "report",
    "customer",
    "drop",
    "fell",
    "rose",
    "spike",
    "stopp",
    "recover",
    "returned",
];

/// The longest hypothesis and note quoted, in characters.
const QUOTE_CHARS: usize = 100;

/// The confidence findings of a record's hypotheses; see the module docs.
pub fn confidence_findings(hypotheses: &[Hypothesis]) -> Vec<Finding> {
    let mut found = Vec::new();
    for (i, hypothesis) in hypotheses.iter().enumerate() {
        let number = i + 1;
        let label = format!(
            "Hypothesis {number} (\"{}\")",
            quote(&hypothesis.statement, QUOTE_CHARS)
        );
        let mut before: Option<i64> = None;
        for (s, step) in hypothesis.confidence.iter().enumerate() {
            let raised = before.is_none_or(|b| step.value > b);
            if raised && step.value >= HIGH_CONFIDENCE && !observes(step, before) {
                found.push(unsupported_step(&label, number, s + 1, step, before));
            }
            before = Some(step.value);
        }
        if let Some((s, last)) = hypothesis.confidence.iter().enumerate().next_back() {
            if last.value >= HIGH_CONFIDENCE && hypothesis.evidence_for.trim().is_empty() {
                found.push(Finding {
                    kind: FindingKind::Confidence,
                    statement: format!(
                        "{label} stands at {}% with nothing written under evidence for it: \
                         what shows it?",
                        last.value
                    ),
                    evidence: vec![
                        cite(
                            format!("Hypothesis {number}"),
                            number,
                            &hypothesis.statement,
                        ),
                        step_cite(number, s + 1, last),
                    ],
                });
            }
        }
    }
    found.truncate(MAX_CONFIDENCE_FINDINGS);
    found
}

/// The finding of a step that raised confidence high with no observation.
fn unsupported_step(
    label: &str,
    number: usize,
    step_number: usize,
    step: &ConfidenceStep,
    before: Option<i64>,
) -> Finding {
    let how = match before {
        Some(b) => format!(
            "confidence rose from {b}% to {}% in step {step_number}",
            step.value
        ),
        None => format!("confidence was stated at {}% from the start", step.value),
    };
    let note = match step.note.trim() {
        "" => "with no note".to_string(),
        note => format!(
            "and its note (\"{}\") records no new observation",
            quote(note, QUOTE_CHARS)
        ),
    };
    Finding {
        kind: FindingKind::Confidence,
        statement: format!("{label}: {how} {note}: what was seen that raised it?"),
        evidence: vec![step_cite(number, step_number, step)],
    }
}

/// A step cited within its hypothesis: `Step 2: 95%: the diff …`.
fn step_cite(number: usize, step_number: usize, step: &ConfidenceStep) -> Cited {
    let text = match step.note.trim() {
        "" => format!("Step {step_number}: {}%", step.value),
        note => format!("Step {step_number}: {}%: {note}", step.value),
    };
    cite(format!("Hypothesis {number}"), step_number, &text)
}

/// Whether a step's note records an observation; see the module docs.
fn observes(step: &ConfidenceStep, before: Option<i64>) -> bool {
    let note = step.note.to_lowercase();
    if note.contains(['"', '“', '”', '`']) {
        return true;
    }
    let own = |n: i64| n == step.value || Some(n) == before;
    let numbers = note
        .split(|c: char| !c.is_ascii_digit())
        .filter(|run| !run.is_empty())
        // A run too long to parse is no confidence value: a measurement.
        .any(|run| run.parse::<i64>().map_or(true, |n| !own(n)));
    numbers
        || note
            .split(|c: char| !c.is_alphanumeric())
            .any(|word| OBSERVATION_WORDS.iter().any(|w| word.starts_with(w)))
}
