//! The postmortem editor's HTML form: its field names and the conversion
//! between the name/value pairs a browser posts (`FormData`, in document
//! order) and a [`PostmortemInput`].
//!
//! This module owns the editor's field names. They are dotted paths, the
//! same paths validation reports its errors under: `title`,
//! `access.private`, `timeline.2.at`, `hypotheses.0.confidence.1.note`.
//! [`apply_fields`] reads them, [`to_fields`] writes them, and
//! [`clear_section`] resets what one section of the form shows, so a post
//! of that section gives exactly what the form held.

use super::{split_list, PostmortemInput, ValidationErrors};
use crate::record::{MAX_ROWS, MAX_STEPS};

/// The editor's sections, by the anchor the postmortem page and the editor use.
#[rustfmt::skip]
pub const SECTIONS: &[&str] = &[
    "header", "access", "clock", "impact", "summary", "narrative", "timeline", "evidence",
    "hypotheses", "whys", "causes", "mitigations", "learnings", "action_items", "links",
];

/// The lists whose rows the form posts as `list.N.field`.
#[rustfmt::skip]
const LISTS: &[&str] = &[
    "timeline", "evidence", "hypotheses", "whys", "causes", "mitigations", "learnings",
    "action_items", "links",
];

/// Longest part of an unknown field's name repeated in its error, in characters.
const MAX_NAME_IN_ERROR: usize = 100;

/// Resets what the section `anchor`'s form shows to its default, so applying
/// the form's fields gives exactly what the form holds (an unchecked box
/// posts nothing; a removed row posts nothing). Returns false for an unknown
/// anchor (and changes nothing).
pub fn clear_section(input: &mut PostmortemInput, anchor: &str) -> bool {
    let p = &mut input.parts;
    match anchor {
        "header" => {
            input.title.clear();
            input.severity = None;
            p.status.clear();
            input.services.clear();
            p.teams.clear();
            input.labels.clear();
            p.authors.clear();
        }
        "access" => p.access = Default::default(),
        "clock" => {
            p.started_at = None;
            p.detected_at = None;
            p.mitigated_at = None;
            p.resolved_at = None;
        }
        "impact" => {
            p.users_affected = None;
            p.requests_failed = None;
            p.money_lost = None;
            p.currency = None;
            input.impact.clear();
        }
        "summary" => input.summary.clear(),
        "narrative" => p.narrative.clear(),
        "timeline" => p.timeline.clear(),
        "evidence" => p.evidence.clear(),
        "hypotheses" => p.hypotheses.clear(),
        "whys" => p.whys.clear(),
        "causes" => {
            input.root_cause.clear();
            p.causes.clear();
        }
        "mitigations" => {
            input.mitigation.clear();
            p.mitigations.clear();
        }
        "learnings" => p.learnings.clear(),
        "action_items" => p.action_items.clear(),
        "links" => p.links.clear(),
        _ => return false,
    }
    true
}

/// Every section (clear_section for each of SECTIONS). Leaves external_id,
/// date, url untouched.
pub fn clear_all(input: &mut PostmortemInput) {
    for anchor in SECTIONS {
        clear_section(input, anchor);
    }
}

/// Applies the fields in order (a later pair with the same name wins).
/// Every bad pair is reported; good ones are still applied.
pub fn apply_fields(
    input: &mut PostmortemInput,
    fields: &[(String, String)],
) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::default();
    for (name, value) in fields {
        apply_one(input, name, value, &mut errors);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// One pair: a scalar, or a row's field.
fn apply_one(input: &mut PostmortemInput, name: &str, value: &str, errors: &mut ValidationErrors) {
    let segments: Vec<&str> = name.split('.').collect();
    let text = value.to_string();
    let p = &mut input.parts;
    match segments.as_slice() {
        ["title"] => input.title = text,
        ["severity"] => input.severity = optional(value),
        ["summary"] => input.summary = text,
        ["impact"] => input.impact = text,
        ["root_cause"] => input.root_cause = text,
        ["mitigation"] => input.mitigation = text,
        ["services"] => input.services = split_list(value),
        ["labels"] => input.labels = split_list(value),
        ["teams"] => p.teams = split_list(value),
        ["authors"] => p.authors = split_list(value),
        ["status"] => p.status = text,
        ["narrative"] => p.narrative = text,
        ["started_at"] => p.started_at = optional(value),
        ["detected_at"] => p.detected_at = optional(value),
        ["mitigated_at"] => p.mitigated_at = optional(value),
        ["resolved_at"] => p.resolved_at = optional(value),
        ["users_affected"] => set_number(&mut p.users_affected, name, value, errors),
        ["requests_failed"] => set_number(&mut p.requests_failed, name, value, errors),
        ["money_lost"] => set_number(&mut p.money_lost, name, value, errors),
        ["currency"] => p.currency = optional(value),
        ["access", "private"] => {
            if let Some(on) = checkbox(name, value, errors) {
                p.access.private = on;
            }
        }
        ["access", "users"] => p.access.users = split_list(value),
        ["access", "groups"] => p.access.groups = split_list(value),
        [list, index, rest @ ..] if LISTS.contains(list) && !rest.is_empty() => {
            let Some(i) = row_index(index, MAX_ROWS) else {
                errors.push(list, format!("at most {MAX_ROWS} rows"));
                return;
            };
            apply_row(input, list, i, rest, name, value, errors);
        }
        _ => unknown(errors, name),
    }
}

/// The field `rest` of row `i` of `list`; `name` is the whole field name.
fn apply_row(
    input: &mut PostmortemInput,
    list: &str,
    i: usize,
    rest: &[&str],
    name: &str,
    value: &str,
    errors: &mut ValidationErrors,
) {
    let p = &mut input.parts;
    let text = value.to_string();
    match (list, rest) {
        ("timeline", ["at"]) => row(&mut p.timeline, i).at = text,
        ("timeline", ["kind"]) => row(&mut p.timeline, i).kind = text,
        ("timeline", ["text"]) => row(&mut p.timeline, i).text = text,
        ("timeline", ["who"]) => row(&mut p.timeline, i).who = text,
        ("evidence", ["kind"]) => row(&mut p.evidence, i).kind = text,
        ("evidence", ["caption"]) => row(&mut p.evidence, i).caption = text,
        ("evidence", ["body"]) => row(&mut p.evidence, i).body = text,
        ("hypotheses", ["statement"]) => row(&mut p.hypotheses, i).statement = text,
        ("hypotheses", ["outcome"]) => row(&mut p.hypotheses, i).outcome = text,
        ("hypotheses", ["evidence_for"]) => row(&mut p.hypotheses, i).evidence_for = text,
        ("hypotheses", ["evidence_against"]) => row(&mut p.hypotheses, i).evidence_against = text,
        ("hypotheses", ["confidence", step, more @ ..])
            if matches!(more, [] | ["note"] | ["by"]) =>
        {
            let Some(m) = row_index(step, MAX_STEPS) else {
                let field = format!("hypotheses.{i}.confidence");
                errors.push(&field, format!("at most {MAX_STEPS} steps"));
                return;
            };
            let number = if more.is_empty() {
                match whole_number(name, value, errors) {
                    Some(number) => Some(number.unwrap_or(0)),
                    None => return,
                }
            } else {
                None
            };
            let step = row(&mut row(&mut p.hypotheses, i).confidence, m);
            match (more, number) {
                ([], Some(number)) => step.value = number,
                (["note"], _) => step.note = text,
                _ => step.by = text,
            }
        }
        ("whys", ["question"]) => row(&mut p.whys, i).question = text,
        ("whys", ["answer"]) => row(&mut p.whys, i).answer = text,
        ("whys", ["actionable"]) => {
            if let Some(on) = checkbox(name, value, errors) {
                row(&mut p.whys, i).actionable = on;
            }
        }
        ("causes", ["level"]) => row(&mut p.causes, i).level = text,
        ("causes", ["statement"]) => row(&mut p.causes, i).statement = text,
        ("causes", ["evidence"]) => row(&mut p.causes, i).evidence = text,
        ("causes", ["prevents"]) => row(&mut p.causes, i).prevents = text,
        ("causes", ["confidence"]) => {
            if let Some(number) = whole_number(name, value, errors) {
                row(&mut p.causes, i).confidence = number;
            }
        }
        ("mitigations", ["action"]) => row(&mut p.mitigations, i).action = text,
        ("mitigations", ["result"]) => row(&mut p.mitigations, i).result = text,
        ("mitigations", ["note"]) => row(&mut p.mitigations, i).note = text,
        ("learnings", ["kind"]) => row(&mut p.learnings, i).kind = text,
        ("learnings", ["title"]) => row(&mut p.learnings, i).title = text,
        ("learnings", ["text"]) => row(&mut p.learnings, i).text = text,
        ("learnings", ["symptoms"]) => row(&mut p.learnings, i).symptoms = text,
        ("learnings", ["root_cause"]) => row(&mut p.learnings, i).root_cause = text,
        ("learnings", ["detection"]) => row(&mut p.learnings, i).detection = text,
        ("learnings", ["resolution"]) => row(&mut p.learnings, i).resolution = text,
        ("action_items", ["title"]) => row(&mut p.action_items, i).title = text,
        ("action_items", ["owner"]) => row(&mut p.action_items, i).owner = text,
        ("action_items", ["priority"]) => row(&mut p.action_items, i).priority = text,
        ("action_items", ["status"]) => row(&mut p.action_items, i).status = text,
        ("action_items", ["kind"]) => row(&mut p.action_items, i).kind = text,
        ("action_items", ["tracker"]) => row(&mut p.action_items, i).tracker = text,
        ("action_items", ["expected_effect"]) => row(&mut p.action_items, i).expected_effect = text,
        ("action_items", ["due"]) => row(&mut p.action_items, i).due = optional(value),
        ("action_items", ["id"]) => match value.trim() {
            "" => row(&mut p.action_items, i).id = None,
            id => match id.parse::<i64>() {
                Ok(id) if id > 0 => row(&mut p.action_items, i).id = Some(id),
                _ => errors.push(name, "must be a positive whole number"),
            },
        },
        ("links", ["target"]) => row(&mut p.links, i).target = text,
        ("links", ["kind"]) => row(&mut p.links, i).kind = text,
        ("links", ["note"]) => row(&mut p.links, i).note = text,

        _ => unknown(errors, name),
    }
}

/// Row `i` of `list`, growing it with default rows up to `i`.
fn row<T: Default>(list: &mut Vec<T>, i: usize) -> &mut T {
    if list.len() <= i {
        list.resize_with(i + 1, T::default);
    }
    &mut list[i]
}

/// A row or step index as the form writes it: decimal digits, no sign, no
/// leading zero, below `max`.
fn row_index(segment: &str, max: usize) -> Option<usize> {
    let digits = !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit());
    let canonical = segment == "0" || !segment.starts_with('0');
    if !(digits && canonical) {
        return None;
    }
    segment.parse().ok().filter(|i| *i < max)
}

/// Blank → None; anything else as given.
fn optional(value: &str) -> Option<String> {
    (!value.trim().is_empty()).then(|| value.to_string())
}

/// Blank → `Some(None)`; a whole number → `Some(Some(n))`; anything else
/// is an error under `name` and gives `None`.
fn whole_number(name: &str, value: &str, errors: &mut ValidationErrors) -> Option<Option<i64>> {
    let value = value.trim();
    if value.is_empty() {
        return Some(None);
    }
    match value.parse() {
        Ok(n) => Some(Some(n)),
        Err(_) => {
            errors.push(name, "must be a whole number");
            None
        }
    }
}

/// Sets an optional figure, unless the value is not a whole number.
fn set_number(slot: &mut Option<i64>, name: &str, value: &str, errors: &mut ValidationErrors) {
    if let Some(number) = whole_number(name, value, errors) {
        *slot = number;
    }
}

/// A checkbox's value: `on` (what a browser posts) or `true` is checked;
/// `false`, `off` or empty is not; anything else is an error.
fn checkbox(name: &str, value: &str, errors: &mut ValidationErrors) -> Option<bool> {
    match value {
        "on" | "true" => Some(true),
        "" | "false" | "off" => Some(false),
        _ => {
            errors.push(name, "must be on or off");
            None
        }
    }
}

fn unknown(errors: &mut ValidationErrors, name: &str) {
    let shown: String = name.chars().take(MAX_NAME_IN_ERROR).collect();
    errors.push("form", format!("unknown field: {shown}"));
}

/// The fields a form showing `input` posts, in the order above (scalars,
/// then rows): the inverse of apply_fields. Checkboxes appear only when
/// true (value "on"); Option fields that are None and lists give "" /
/// "a, b" (joined with ", "); a confidence value as its number.
pub fn to_fields(input: &PostmortemInput) -> Vec<(String, String)> {
    let p = &input.parts;
    let mut out = Fields::default();
    out.text("title", &input.title);
    out.option("severity", &input.severity);
    out.text("summary", &input.summary);
    out.text("impact", &input.impact);
    out.text("root_cause", &input.root_cause);
    out.text("mitigation", &input.mitigation);
    out.list("services", &input.services);
    out.list("labels", &input.labels);
    out.list("teams", &p.teams);
    out.list("authors", &p.authors);
    out.text("status", &p.status);
    out.text("narrative", &p.narrative);
    out.option("started_at", &p.started_at);
    out.option("detected_at", &p.detected_at);
    out.option("mitigated_at", &p.mitigated_at);
    out.option("resolved_at", &p.resolved_at);
    out.number("users_affected", p.users_affected);
    out.number("requests_failed", p.requests_failed);
    out.number("money_lost", p.money_lost);
    out.option("currency", &p.currency);
    out.checkbox("access.private", p.access.private);
    out.list("access.users", &p.access.users);
    out.list("access.groups", &p.access.groups);

    for (i, r) in p.timeline.iter().enumerate() {
        let f = format!("timeline.{i}");
        out.text(&format!("{f}.at"), &r.at);
        out.text(&format!("{f}.kind"), &r.kind);
        out.text(&format!("{f}.text"), &r.text);
        out.text(&format!("{f}.who"), &r.who);
    }
    for (i, r) in p.evidence.iter().enumerate() {
        let f = format!("evidence.{i}");
        out.text(&format!("{f}.kind"), &r.kind);
        out.text(&format!("{f}.caption"), &r.caption);
        out.text(&format!("{f}.body"), &r.body);
    }
    for (i, r) in p.hypotheses.iter().enumerate() {
        let f = format!("hypotheses.{i}");
        out.text(&format!("{f}.statement"), &r.statement);
        out.text(&format!("{f}.outcome"), &r.outcome);
        out.text(&format!("{f}.evidence_for"), &r.evidence_for);
        out.text(&format!("{f}.evidence_against"), &r.evidence_against);
        for (m, step) in r.confidence.iter().enumerate() {
            out.text(&format!("{f}.confidence.{m}"), &step.value.to_string());
            out.text(&format!("{f}.confidence.{m}.note"), &step.note);
            out.text(&format!("{f}.confidence.{m}.by"), &step.by);
        }
    }
    for (i, r) in p.whys.iter().enumerate() {
        let f = format!("whys.{i}");
        out.text(&format!("{f}.question"), &r.question);
        out.text(&format!("{f}.answer"), &r.answer);
        out.checkbox(&format!("{f}.actionable"), r.actionable);
    }
    for (i, r) in p.causes.iter().enumerate() {
        let f = format!("causes.{i}");
        out.text(&format!("{f}.level"), &r.level);
        out.text(&format!("{f}.statement"), &r.statement);
        out.text(&format!("{f}.evidence"), &r.evidence);
        out.text(&format!("{f}.prevents"), &r.prevents);
        out.number(&format!("{f}.confidence"), r.confidence);
    }
    for (i, r) in p.mitigations.iter().enumerate() {
        let f = format!("mitigations.{i}");
        out.text(&format!("{f}.action"), &r.action);
        out.text(&format!("{f}.result"), &r.result);
        out.text(&format!("{f}.note"), &r.note);
    }
    for (i, r) in p.learnings.iter().enumerate() {
        let f = format!("learnings.{i}");
        out.text(&format!("{f}.kind"), &r.kind);
        out.text(&format!("{f}.title"), &r.title);
        out.text(&format!("{f}.text"), &r.text);
        out.text(&format!("{f}.symptoms"), &r.symptoms);
        out.text(&format!("{f}.root_cause"), &r.root_cause);
        out.text(&format!("{f}.detection"), &r.detection);
        out.text(&format!("{f}.resolution"), &r.resolution);
    }
    for (i, r) in p.action_items.iter().enumerate() {
        let f = format!("action_items.{i}");
        out.text(&format!("{f}.title"), &r.title);
        out.text(&format!("{f}.owner"), &r.owner);
        out.text(&format!("{f}.priority"), &r.priority);
        out.text(&format!("{f}.status"), &r.status);
        out.text(&format!("{f}.kind"), &r.kind);
        out.text(&format!("{f}.tracker"), &r.tracker);
        out.text(&format!("{f}.expected_effect"), &r.expected_effect);
        out.option(&format!("{f}.due"), &r.due);
        out.number(&format!("{f}.id"), r.id);
    }
    for (i, r) in p.links.iter().enumerate() {
        let f = format!("links.{i}");
        out.text(&format!("{f}.target"), &r.target);
        out.text(&format!("{f}.kind"), &r.kind);
        out.text(&format!("{f}.note"), &r.note);
    }
    out.0
}

/// The pairs [`to_fields`] collects, with one writer per kind of field.
#[derive(Default)]
struct Fields(Vec<(String, String)>);

impl Fields {
    fn text(&mut self, name: &str, value: &str) {
        self.0.push((name.to_string(), value.to_string()));
    }

    fn option(&mut self, name: &str, value: &Option<String>) {
        self.text(name, value.as_deref().unwrap_or(""));
    }

    fn number(&mut self, name: &str, value: Option<i64>) {
        self.text(name, &value.map(|n| n.to_string()).unwrap_or_default());
    }

    fn list(&mut self, name: &str, values: &[String]) {
        self.text(name, &values.join(", "));
    }

    fn checkbox(&mut self, name: &str, on: bool) {
        if on {
            self.text(name, "on");
        }
    }
}

#[cfg(test)]
#[path = "form_tests.rs"]
mod form_tests;
