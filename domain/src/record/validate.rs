//! Checking and normalizing the parts of a postmortem: every row's fields,
//! canonical names for kinds and statuses, and the limits on sizes.

use super::*;
use crate::incident::{ValidationErrors, MAX_NAME, MAX_NAMES, MAX_TEXT};

impl Parts {
    /// Checks every part, adding problems to `errors` under dotted field
    /// names (`timeline.2.at`, `hypotheses.0.confidence.1`), and returns the
    /// normalized parts.
    pub fn validate(&self, errors: &mut ValidationErrors) -> Parts {
        let mut out = Parts {
            status: canonical::<WriteupStatus>(
                "status",
                &self.status,
                WriteupStatus::Draft,
                WriteupStatus::parse,
                WriteupStatus::names,
                errors,
            ),
            teams: names("teams", &self.teams, errors),
            authors: names("authors", &self.authors, errors),
            ..Parts::default()
        };

        let mut clock = |field: &str, value: &Option<String>| -> Option<String> {
            let v = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
            match normalize_datetime(v) {
                Some(n) => Some(n),
                None => {
                    errors.push(
                        field,
                        format!("{v:?} is not a time; use YYYY-MM-DD HH:MM (UTC)"),
                    );
                    None
                }
            }
        };
        out.started_at = clock("started_at", &self.started_at);
        out.detected_at = clock("detected_at", &self.detected_at);
        out.mitigated_at = clock("mitigated_at", &self.mitigated_at);
        out.resolved_at = clock("resolved_at", &self.resolved_at);
        if let Some(start) = out.started_at.as_deref().and_then(epoch_seconds) {
            for (field, value, what) in [
                ("detected_at", &out.detected_at, "detected"),
                ("mitigated_at", &out.mitigated_at, "mitigated"),
                ("resolved_at", &out.resolved_at, "resolved"),
            ] {
                if value
                    .as_deref()
                    .and_then(epoch_seconds)
                    .is_some_and(|t| t < start)
                {
                    errors.push(field, format!("it cannot be {what} before it started"));
                }
            }
        }
        if let (Some(m), Some(r)) = (
            out.mitigated_at.as_deref().and_then(epoch_seconds),
            out.resolved_at.as_deref().and_then(epoch_seconds),
        ) {
            if r < m {
                errors.push(
                    "resolved_at",
                    "it cannot be resolved before it was mitigated",
                );
            }
        }

        for (field, value) in [
            ("users_affected", self.users_affected),
            ("requests_failed", self.requests_failed),
            ("money_lost", self.money_lost),
        ] {
            if value.is_some_and(|v| v < 0) {
                errors.push(field, "cannot be negative");
            }
        }
        out.users_affected = self.users_affected;
        out.requests_failed = self.requests_failed;
        out.money_lost = self.money_lost;
        out.currency = match self.currency.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(c) if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_alphabetic()) => {
                Some(c.to_ascii_uppercase())
            }
            Some(c) => {
                errors.push(
                    "currency",
                    format!("{c:?} is not a currency code like USD or EUR"),
                );
                None
            }
        };

        out.narrative = text(errors, "narrative", &self.narrative, MAX_TEXT);

        out.timeline = rows(errors, "timeline", &self.timeline, |e, f, row| {
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
                    format!(
                        "{at:?} is not a time; use YYYY-MM-DD HH:MM, or T+mm:ss from the start"
                    ),
                );
                at.to_string()
            };
            TimelineEntry {
                at,
                kind: canonical(
                    &format!("{f}.kind"),
                    &row.kind,
                    TimelineKind::Observation,
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
        });
        sort_timeline(&mut out.timeline, out.started_at.as_deref());

        out.evidence = rows(errors, "evidence", &self.evidence, |e, f, row| Evidence {
            kind: canonical(
                &format!("{f}.kind"),
                &row.kind,
                EvidenceKind::Other,
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
        });

        out.hypotheses = rows(errors, "hypotheses", &self.hypotheses, |e, f, row| {
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
                    HypothesisOutcome::Open,
                    HypothesisOutcome::parse,
                    HypothesisOutcome::names,
                    e,
                ),
            }
        });

        out.whys = rows(errors, "whys", &self.whys, |e, f, row| Why {
            question: required(
                e,
                &format!("{f}.question"),
                &row.question,
                MAX_LINE,
                "ask the why",
            ),
            answer: text(e, &format!("{f}.answer"), &row.answer, MAX_TEXT),
            actionable: row.actionable,
        });

        out.causes = rows(errors, "causes", &self.causes, |e, f, row| {
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
                    CauseLevel::Immediate,
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
            }
        });

        out.mitigations = rows(errors, "mitigations", &self.mitigations, |e, f, row| {
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
                    MitigationResult::Unknown,
                    MitigationResult::parse,
                    MitigationResult::names,
                    e,
                ),
                note: text(e, &format!("{f}.note"), &row.note, MAX_TEXT),
            }
        });

        out.learnings = rows(errors, "learnings", &self.learnings, |e, f, row| {
            let kind = canonical(
                &format!("{f}.kind"),
                &row.kind,
                LearningKind::Process,
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
        });

        out.action_items = rows(errors, "action_items", &self.action_items, |e, f, row| {
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
                    Priority::Medium,
                    Priority::parse,
                    Priority::names,
                    e,
                ),
                status: canonical(
                    &format!("{f}.status"),
                    &row.status,
                    ActionStatus::Open,
                    ActionStatus::parse,
                    ActionStatus::names,
                    e,
                ),
                kind: canonical(
                    &format!("{f}.kind"),
                    &row.kind,
                    ActionKind::Prevent,
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
        });

        out.links = rows(errors, "links", &self.links, |e, f, row| {
            let target = line(e, &format!("{f}.target"), &row.target, 201);
            if target.is_empty() {
                e.push(&format!("{f}.target"), "choose the postmortem to link to");
            }
            Link {
                target,
                kind: canonical(
                    &format!("{f}.kind"),
                    &row.kind,
                    LinkKind::Related,
                    LinkKind::parse,
                    LinkKind::names,
                    e,
                ),
                note: line(e, &format!("{f}.note"), &row.note, MAX_LINE),
            }
        });
        let mut seen = Vec::new();
        for (i, l) in out.links.iter().enumerate() {
            if seen.contains(&&l.target) {
                errors.push(&format!("links.{i}.target"), "already linked");
            }
            seen.push(&l.target);
        }
        out.access = self.access.validate(errors);
        out
    }
}

fn rows<T>(
    errors: &mut ValidationErrors,
    list: &str,
    input: &[T],
    mut check: impl FnMut(&mut ValidationErrors, &str, &T) -> T,
) -> Vec<T> {
    if input.len() > MAX_ROWS {
        errors.push(list, format!("at most {MAX_ROWS} rows"));
    }
    input
        .iter()
        .take(MAX_ROWS)
        .enumerate()
        .map(|(i, row)| check(errors, &format!("{list}.{i}"), row))
        .collect()
}

fn canonical<E: Copy + CanonicalName>(
    field: &str,
    value: &str,
    default: E,
    parse: fn(&str) -> Option<E>,
    names: fn() -> String,
    errors: &mut ValidationErrors,
) -> String {
    if value.trim().is_empty() {
        return default.name().to_string();
    }
    match parse(value) {
        Some(v) => v.name().to_string(),
        None => {
            errors.push(
                field,
                format!("unknown value {:?}: use one of {}", value.trim(), names()),
            );
            value.to_string()
        }
    }
}

/// Lets [`canonical`] name any of the text enums.
trait CanonicalName {
    fn name(self) -> &'static str;
}

macro_rules! canonical_name {
    ($($t:ty),+) => { $(impl CanonicalName for $t { fn name(self) -> &'static str { self.as_str() } })+ };
}
canonical_name!(
    WriteupStatus,
    TimelineKind,
    EvidenceKind,
    HypothesisOutcome,
    CauseLevel,
    MitigationResult,
    LearningKind,
    Priority,
    ActionStatus,
    ActionKind,
    LinkKind
);

fn text(errors: &mut ValidationErrors, field: &str, value: &str, max: usize) -> String {
    if value.chars().count() > max {
        errors.push(field, format!("keep this under {max} characters"));
    }
    value.trim().to_string()
}

fn line(errors: &mut ValidationErrors, field: &str, value: &str, max: usize) -> String {
    let v = value.trim();
    if v.chars().count() > max {
        errors.push(field, format!("keep this under {max} characters"));
    }
    v.to_string()
}

fn required(
    errors: &mut ValidationErrors,
    field: &str,
    value: &str,
    max: usize,
    ask: &str,
) -> String {
    let v = text(errors, field, value, max);
    if v.is_empty() {
        errors.push(field, ask.to_string());
    }
    v
}

pub(crate) fn names(field: &str, input: &[String], errors: &mut ValidationErrors) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in input.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        if n.chars().count() > MAX_NAME {
            errors.push(field, format!("{n:?} is longer than {MAX_NAME} characters"));
        } else if !out.iter().any(|o| o.eq_ignore_ascii_case(n)) {
            out.push(n.to_string());
        }
    }
    if out.len() > MAX_NAMES {
        errors.push(field, format!("at most {MAX_NAMES} entries"));
    }
    out
}
