//! Markdown with YAML front matter: the narrative is the body, verbatim;
//! every other field is in the front matter, header first, then the clock,
//! the impact, and the lists.
//!
//! ```text
//! ---
//! hindsight_format: 1
//! id: demo-redis-warmup
//! title: Checkout fails every 20 minutes
//! severity: SEV2
//! status: published
//! services:
//! - checkout
//! - redis
//! started_at: 2024-03-15T14:00:00Z
//! users_affected: 1200
//! timeline:
//! - at: T+00:00
//!   kind: alert
//!   text: p99 latency on checkout above 2 s
//! ---
//!
//! At 14:00 the first alert fired ...
//! ```
//!
//! The rules that make reading exact, whatever the texts hold:
//! - the file starts with a line `---`, and the front matter ends at the
//!   next line that is `---` (trailing blanks forgiven, for hand edits);
//!   the writer never puts such a line inside the front matter (YAML block
//!   texts are indented, and the rest stays on one line), and checks it;
//! - the writer adds one blank line after the closing `---` and one newline
//!   at the end; the reader removes exactly those, and everything between
//!   is the narrative, byte for byte, `---` lines and all;
//! - fields at their empty default (no text, no rows, unset) are left out
//!   of the front matter to keep it readable; leaving a key out reads as
//!   that default, so nothing is lost. Numbers and yes/no stay in.

use crate::error::{self, ExportError};
use crate::nesting;
use crate::shape::{check_version, unknown_keys, Header};
use crate::{Parsed, FIELDS, FORMAT_KEY, FORMAT_VERSION};
use kb_domain::record::{
    ActionItem, Cause, ConfidenceStep, Evidence, Hypothesis, Learning, Link, MitigationAttempt,
    Parts, TimelineEntry, Why,
};
use kb_domain::PostmortemInput;
use yaml_serde::{Mapping, Value};

/// Opens and closes the front matter.
const DELIMITER: &str = "---";

/// One postmortem as markdown with front matter.
pub fn write(input: &PostmortemInput) -> Result<String, ExportError> {
    let front = front_matter(input)?;
    let mut yaml = yaml_serde::to_string(&front).map_err(write_error)?;
    if yaml.lines().any(is_delimiter) {
        // The emitter's settings rule this out, but the reader's rule must
        // hold whatever the emitter does. JSON is YAML too, and pretty JSON
        // never has a line that is only `---`.
        yaml = serde_json::to_string_pretty(&front).map_err(write_error)?;
        yaml.push('\n');
    }
    Ok(format!(
        "{DELIMITER}\n{yaml}{DELIMITER}\n\n{}\n",
        input.parts.narrative
    ))
}

/// One postmortem from markdown with front matter.
pub fn read(text: &str) -> Result<Parsed, ExportError> {
    // Editors on some systems start files with a byte-order mark.
    let text = crate::text::without_bom(text);
    let (yaml, body) = split(text)?;
    let narrative = body
        .strip_prefix('\n')
        .or_else(|| body.strip_prefix("\r\n"))
        .unwrap_or(body);
    let narrative = narrative.strip_suffix('\n').unwrap_or(narrative);

    // Front matter starts on the file's line 2. Its nesting is bounded
    // first: the YAML parser's time grows with the square of it.
    nesting::check(yaml, 2)?;
    let source = if yaml.trim().is_empty() { "{}" } else { yaml };
    let value: Value = yaml_serde::from_str(source).map_err(|e| error::yaml(&e, 2))?;
    let map = match value {
        Value::Mapping(map) => map,
        other => {
            return Err(ExportError::FrontMatterNotAMapping {
                found: yaml_kind(&other),
            })
        }
    };
    check_version(map.get(FORMAT_KEY).and_then(Value::as_u64))?;
    if map
        .get("narrative")
        .is_some_and(|v| !(v.is_null() || v.as_str() == Some("")))
    {
        return Err(ExportError::Field {
            field: "narrative".into(),
            line: key_line(yaml, "narrative"),
            message: "the narrative goes below the front matter, not in it".into(),
        });
    }
    let header: Header = yaml_serde::from_str(source).map_err(|e| error::yaml(&e, 2))?;
    let mut parts: Parts = yaml_serde::from_str(source).map_err(|e| error::yaml(&e, 2))?;
    parts.narrative = narrative.to_string();
    let keys: Vec<String> = map.keys().map(key_text).collect();
    Ok(Parsed {
        input: header.join(parts),
        unknown_keys: unknown_keys(keys.iter().map(String::as_str)),
    })
}

fn is_delimiter(line: &str) -> bool {
    line.trim_end() == DELIMITER
}

/// The front matter's text and the body after the closing line.
fn split(text: &str) -> Result<(&str, &str), ExportError> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    if !is_delimiter(first) {
        return Err(ExportError::NoFrontMatter);
    }
    let start = first.len();
    let mut pos = start;
    for line in lines {
        if is_delimiter(line) {
            return Ok((&text[start..pos], &text[pos + line.len()..]));
        }
        pos += line.len();
    }
    Err(ExportError::UnclosedFrontMatter)
}

/// The file line of a top-level `key:` in front matter starting on line 2.
fn key_line(yaml: &str, key: &str) -> Option<usize> {
    let prefix = format!("{key}:");
    yaml.lines()
        .position(|l| l.starts_with(&prefix))
        .map(|i| i + 2)
}

fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        other => yaml_serde::to_string(other)
            .map(|s| s.trim_end().to_string())
            .unwrap_or_default(),
    }
}

fn yaml_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a yes/no",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

fn write_error(e: impl std::fmt::Display) -> ExportError {
    ExportError::Write(e.to_string())
}

/// Every field but the narrative, ordered, defaults left out.
fn front_matter(input: &PostmortemInput) -> Result<Mapping, ExportError> {
    let Value::Mapping(mut all) = yaml_serde::to_value(input).map_err(write_error)? else {
        return Err(write_error("a postmortem is not a mapping"));
    };
    let template = yaml_serde::to_value(template()).map_err(write_error)?;
    all.shift_remove("narrative");
    if input.parts.access == kb_domain::accounts::Access::default() {
        // Public is the default; `private: false` would only be noise.
        all.shift_remove("access");
    }
    let mut out = Mapping::new();
    out.insert(FORMAT_KEY.into(), FORMAT_VERSION.into());
    // A field missing from FIELDS (added to the record later) still
    // travels, after these.
    for key in FIELDS {
        if let Some(value) = all.shift_remove(*key) {
            if let Some(value) = prune(value, template.get(*key)) {
                out.insert((*key).into(), value);
            }
        }
    }
    for (key, value) in all {
        if let Some(value) = prune(value, template.get(&key)) {
            out.insert(key, value);
        }
    }
    Ok(out)
}

/// A record at its defaults with one default row in every list (and one
/// confidence step): what "left at its default" means, row fields included.
fn template() -> PostmortemInput {
    PostmortemInput {
        parts: Parts {
            timeline: vec![TimelineEntry::default()],
            evidence: vec![Evidence::default()],
            hypotheses: vec![Hypothesis {
                confidence: vec![ConfidenceStep::default()],
                ..Hypothesis::default()
            }],
            whys: vec![Why::default()],
            causes: vec![Cause::default()],
            mitigations: vec![MitigationAttempt::default()],
            learnings: vec![Learning::default()],
            action_items: vec![ActionItem::default()],
            links: vec![Link::default()],
            ..Parts::default()
        },
        ..PostmortemInput::default()
    }
}

/// `value` without what equals its default in `template`; `None` when the
/// whole value is the default. Only "nothing" is left out (unset, empty
/// text, no rows), and only where the template says that is the default,
/// so that an explicitly empty optional text stays distinct from an unset
/// one.
fn prune(value: Value, template: Option<&Value>) -> Option<Value> {
    match value {
        Value::Null if template.is_some_and(Value::is_null) => None,
        Value::String(s) if s.is_empty() && template.and_then(Value::as_str) == Some("") => None,
        Value::Sequence(items) if items.is_empty() && template.is_some_and(Value::is_sequence) => {
            None
        }
        Value::Sequence(items) => {
            let row = template
                .and_then(Value::as_sequence)
                .and_then(|rows| rows.first());
            Some(Value::Sequence(
                items
                    .into_iter()
                    .map(|item| match item {
                        Value::Mapping(m) => Value::Mapping(prune_mapping(m, row)),
                        other => other,
                    })
                    .collect(),
            ))
        }
        Value::Mapping(m) => Some(Value::Mapping(prune_mapping(m, template))),
        other => Some(other),
    }
}

fn prune_mapping(map: Mapping, template: Option<&Value>) -> Mapping {
    map.into_iter()
        .filter_map(|(key, value)| {
            let t = template.and_then(|t| t.get(&key));
            prune(value, t).map(|v| (key, v))
        })
        .collect()
}

// Apart from the tests: the records are long, and the JSON tests use them
// too.
#[cfg(test)]
mod fixtures;
#[cfg(test)]
pub(crate) mod tests;
