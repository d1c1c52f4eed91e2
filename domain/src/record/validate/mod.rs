//! Checking and normalizing the parts of a postmortem: every row's fields,
//! canonical names for kinds and statuses, and the limits on sizes.
//!
//! [`Parts::validate`] checks the fields of the parts themselves and the
//! lists' sizes here; `row` checks one row of each list.

use super::*;
use crate::postmortem::{ValidationErrors, MAX_NAME, MAX_NAMES, MAX_TEXT};

mod row;

impl Parts {
    /// Checks every part, adding problems to `errors` under dotted field
    /// names (`timeline.2.at`, `hypotheses.0.confidence.1`), and returns the
    /// normalized parts.
    pub fn validate(&self, errors: &mut ValidationErrors) -> Parts {
        let mut out = Parts {
            status: canonical::<WriteupStatus>(
                "status",
                &self.status,
                WriteupStatus::DEFAULT,
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
        clock_order(&out, errors);

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

        out.timeline = rows(errors, "timeline", &self.timeline, row::timeline_entry);
        sort_timeline(&mut out.timeline, out.started_at.as_deref());
        out.evidence = rows(errors, "evidence", &self.evidence, row::evidence);
        out.hypotheses = rows(errors, "hypotheses", &self.hypotheses, row::hypothesis);
        out.whys = rows(errors, "whys", &self.whys, row::why);
        out.causes = rows(errors, "causes", &self.causes, row::cause);
        out.mitigations = rows(errors, "mitigations", &self.mitigations, row::mitigation);
        out.learnings = rows(errors, "learnings", &self.learnings, row::learning);
        out.action_items = rows(errors, "action_items", &self.action_items, row::action_item);
        out.links = rows(errors, "links", &self.links, row::link);
        // A duplicate is a fault of the list, not of one row.
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

/// The clock runs forwards: nothing before the start, and the resolution
/// after the detection and the mitigation. A mitigation may come before
/// the detection (a failover that worked before anyone was paged). Each
/// field reports the first time it precedes. Compared to the minute, as
/// people type them: "resolved 14:10" after an alert detected at 14:10:23
/// is in order.
fn clock_order(p: &Parts, errors: &mut ValidationErrors) {
    let at = |v: &Option<String>| {
        v.as_deref()
            .and_then(epoch_seconds)
            .map(|s| s.div_euclid(60))
    };
    let earlier = [
        (at(&p.started_at), "started"),
        (at(&p.detected_at), "was detected"),
        (at(&p.mitigated_at), "was mitigated"),
    ];
    for (field, value, what, after) in [
        ("detected_at", &p.detected_at, "detected", 1),
        ("mitigated_at", &p.mitigated_at, "mitigated", 1),
        ("resolved_at", &p.resolved_at, "resolved", 3),
    ] {
        let Some(t) = at(value) else { continue };
        if let Some((_, before)) = earlier[..after]
            .iter()
            .find(|(e, _)| e.is_some_and(|e| t < e))
        {
            errors.push(field, format!("it cannot be {what} before it {before}"));
        }
    }
}
