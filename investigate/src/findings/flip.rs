//! Flip findings: a value set back and forth, most often by two writers
//! that each believe they own it.
//!
//! An inventory level that reads 38, then 0, then 38 again is not a
//! counter going up and down: something keeps resetting it. When each
//! value always comes from the same source, two writers are fighting over
//! it, and one of them (an old integration, a forgotten job) is often one
//! nobody on the team knows is running. This module finds such values
//! among the `key=value` fields (or JSON fields) of the lines. It states
//! what the lines show and who wrote each value; it cannot tell which
//! writer is right.
//!
//! The rules:
//!
//! - Lines are taken in time order when any has a time (then only timed
//!   ones), otherwise in the paste's order. Their fields are read from
//!   the whole line, so a logfmt or JSON line's fields count beyond its
//!   message.
//! - An entity is a field and value (`sku=TR2-BLU-42`) on more than
//!   [`MIN_FLIPS`] lines; another field on the entity's lines
//!   (`available`) is its value. A field naming a writer
//!   ([`WRITER_KEYS`]), an event ([`EVENT_KEYS`]), a time, a level or a
//!   message is neither. A request id, on one line each, is no entity.
//! - Each entity's values, repeats merged, flip when they alternate
//!   strictly between two values (38, 0, 38, 0) at least [`MIN_FLIPS`]
//!   times; the longest such run counts. A counter going down (41, 37,
//!   30) never returns to a value and does not flip.
//! - A writer field ([`WRITER_KEYS`]) splits the values when every line
//!   of the run has it and each value always came from one writer, a
//!   different one for each. Then the statement says two writers are
//!   setting it. Without such a field the statement only says the values
//!   alternate, and only for numbers and on/off values: a state such as
//!   `open`/`closed` alternates by design.
//! - Flips with a writer come first, then those of entities named by more
//!   than a number (`sku=TR2-BLU-42` over `available=0`), then of the more
//!   specific entity (a field with more distinct values: `sku` over a
//!   `location` all lines share), then the longer. A flip whose lines an
//!   earlier one already cites is dropped. At most [`MAX_FLIP_FINDINGS`], each
//!   citing the lines where the value changed (at most
//!   [`MAX_CITED_LINES`]).

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};

use super::{Cited, Finding, FindingKind, MAX_CITED_LINES};
use crate::line::{meta_key, pairs, raw_lines, LogLine};
use crate::signature::cut;

/// The most flip findings stated for one paste.
pub const MAX_FLIP_FINDINGS: usize = 2;

/// The fewest changes of value, back and forth, that make a flip: three
/// (38, 0, 38, 0) is a pattern; one return (38, 0, 38) may be a fix.
pub const MIN_FLIPS: usize = 3;

/// Fields naming who wrote a line (a client address, an app, a host, an
/// API key), matched in any case: these split a flipping value between
/// writers, and are never the entity or the value.
pub const WRITER_KEYS: [&str; 26] = [
    "src",
    "source",
    "src_ip",
    "source_ip",
    "client_ip",
    "remote_addr",
    "ip",
    "app",
    "app_id",
    "application",
    "client",
    "client_id",
    "host",
    "hostname",
    "pod",
    "instance",
    "node",
    "writer",
    "key",
    "api_key",
    "actor",
    "origin",
    "caller",
    "agent",
    "user_agent",
    "worker",
];

/// Fields that describe an event rather than a value something sets, and
/// so alternate by nature: an attempt number, a status code, a state.
pub const EVENT_KEYS: [&str; 14] = [
    "attempt",
    "attempts",
    "retry",
    "retries",
    "try",
    "page",
    "step",
    "seq",
    "offset",
    "partition",
    "status",
    "code",
    "status_code",
    "state",
];

/// The most fields of one line compared.
const MAX_FIELDS: usize = 24;

/// The longest value quoted in a statement, in characters.
const VALUE_CHARS: usize = 60;

/// An interned key or value.
type Id = u32;

/// Keys and values as numbers, so the many comparisons are cheap.
#[derive(Default)]
struct Names {
    ids: HashMap<String, Id>,
    names: Vec<String>,
}

impl Names {
    fn id(&mut self, name: &str) -> Id {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as Id;
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }

    fn name(&self, id: Id) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }
}

/// A line with its fields, each key once.
struct Row<'a> {
    line: &'a LogLine,
    fields: Vec<(Id, Id)>,
}

impl Row<'_> {
    fn get(&self, key: Id) -> Option<Id> {
        self.fields
            .iter()
            .find(|&&(k, _)| k == key)
            .map(|&(_, v)| v)
    }
}

/// What a key may be.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// An entity or a value.
    Plain,
    /// A writer: splits values.
    Writer,
    /// Neither: a time, level, message or event.
    Other,
}

/// An entity's value alternating.
struct Flip {
    entity: (Id, Id),
    key: Id,
    /// The two values, the first set first.
    values: (Id, Id),
    /// The rows of the run, in order.
    rows: Vec<usize>,
    /// Those where the value changed, the first included.
    changed: Vec<usize>,
    /// The writer field and the writer of each value.
    writer: Option<(Id, Id, Id)>,
}

/// The flip findings of a paste: its text and its lines as
/// [`crate::read_lines`] gives them from that text (fields are read from
/// the whole line, which a logfmt or JSON line's message leaves out); see
/// the module docs for the rules.
pub fn flip_findings(text: &str, lines: &[LogLine]) -> Vec<Finding> {
    let mut names = Names::default();
    let rows = rows(text, lines, &mut names);
    let roles: Vec<Role> = names.names.iter().map(|name| role(name)).collect();
    let role = |id: Id| roles.get(id as usize).copied().unwrap_or(Role::Other);

    let mut counts: HashMap<(Id, Id), usize> = HashMap::new();
    for row in &rows {
        for &field in &row.fields {
            *counts.entry(field).or_default() += 1;
        }
    }
    let mut distinct: HashMap<Id, usize> = HashMap::new();
    for &(key, _) in counts.keys() {
        *distinct.entry(key).or_default() += 1;
    }
    let entity = |field: (Id, Id)| {
        role(field.0) == Role::Plain && counts.get(&field).is_some_and(|&n| n > MIN_FLIPS)
    };

    let mut by_entity: HashMap<(Id, Id), Vec<usize>> = HashMap::new();
    for (index, row) in rows.iter().enumerate() {
        for &field in row.fields.iter().filter(|&&field| entity(field)) {
            by_entity.entry(field).or_default().push(index);
        }
    }

    let mut flips: Vec<Flip> = Vec::new();
    for (entity, entity_rows) in by_entity {
        for values in values_of(&rows, entity, &entity_rows, |key| role(key) == Role::Plain) {
            let Some(mut flip) = alternation(&values) else {
                continue;
            };
            flip.entity = entity;
            flip.writer = writer(&rows, &flip, |id| role(id) == Role::Writer, &names);
            let settings = [flip.values.0, flip.values.1]
                .iter()
                .all(|&value| setting(names.name(value)));
            if flip.writer.is_some() || settings {
                flips.push(flip);
            }
        }
    }
    flips.sort_by_key(|flip| {
        (
            Reverse(flip.writer.is_some()),
            Reverse(!numeric(names.name(flip.entity.1))),
            Reverse(distinct.get(&flip.entity.0).copied().unwrap_or(0)),
            Reverse(flip.changed.len()),
            flip.rows.first().copied(),
            // Equal on all the above: keep the order stable between runs.
            (names.name(flip.entity.0), names.name(flip.key)),
        )
    });

    let mut cited: HashSet<usize> = HashSet::new();
    let mut found = Vec::new();
    for flip in flips {
        if found.len() == MAX_FLIP_FINDINGS {
            break;
        }
        if flip.rows.iter().any(|row| cited.contains(row)) {
            continue;
        }
        cited.extend(flip.rows.iter().copied());
        found.push(finding(&flip, &rows, &names));
    }
    found
}

/// The lines with their fields, in the order the rules take them.
fn rows<'a>(text: &str, lines: &'a [LogLine], names: &mut Names) -> Vec<Row<'a>> {
    let mut by_number = lines.iter().peekable();
    let mut rows = Vec::new();
    for (number, raw) in raw_lines(text) {
        while by_number.next_if(|line| line.number < number).is_some() {}
        let Some(line) = by_number.next_if(|line| line.number == number) else {
            continue;
        };
        if !raw.contains(['=', '{']) {
            continue;
        }
        let mut fields: Vec<(Id, Id)> = Vec::new();
        for (key, value) in pairs(&raw) {
            if fields.len() == MAX_FIELDS {
                break;
            }
            let key = names.id(&key);
            if value.is_empty() || fields.iter().any(|&(k, _)| k == key) {
                continue;
            }
            fields.push((key, names.id(&value)));
        }
        if fields.len() >= 2 {
            rows.push(Row { line, fields });
        }
    }
    if rows.iter().any(|row| row.line.at.is_some()) {
        rows.retain(|row| row.line.at.is_some());
        rows.sort_by_key(|row| (row.line.at, row.line.number));
    }
    rows
}

fn role(key: &str) -> Role {
    let lower = key.to_ascii_lowercase();
    if WRITER_KEYS.contains(&lower.as_str()) {
        Role::Writer
    } else if meta_key(key) || EVENT_KEYS.contains(&lower.as_str()) {
        Role::Other
    } else {
        Role::Plain
    }
}

/// One field's values over an entity's rows.
struct Values {
    key: Id,
    /// The rows having the field, in order.
    seq: Vec<usize>,
    /// Runs of one value merged: the value and where in `seq` it starts.
    segments: Vec<(Id, usize)>,
}

/// The values of each field `is_value` accepts over an entity's rows.
fn values_of(
    rows: &[Row],
    entity: (Id, Id),
    entity_rows: &[usize],
    is_value: impl Fn(Id) -> bool,
) -> Vec<Values> {
    // A line has at most `MAX_FIELDS` fields, so a short list searched
    // in order beats hashing for every field of every row.
    let mut all: Vec<Values> = Vec::new();
    for &row in entity_rows {
        for &(key, value) in &rows[row].fields {
            if key == entity.0 || !is_value(key) {
                continue;
            }
            let at = all.iter().position(|values| values.key == key);
            let values = match at {
                Some(at) => &mut all[at],
                None => {
                    all.push(Values {
                        key,
                        seq: Vec::new(),
                        segments: Vec::new(),
                    });
                    let last = all.len() - 1;
                    &mut all[last]
                }
            };
            if values
                .segments
                .last()
                .is_none_or(|&(last, _)| last != value)
            {
                values.segments.push((value, values.seq.len()));
            }
            values.seq.push(row);
        }
    }
    all
}

/// The longest strict alternation of a field's values, when it changes at
/// least [`MIN_FLIPS`] times.
fn alternation(values: &Values) -> Option<Flip> {
    let (segments, seq) = (&values.segments, &values.seq);
    if segments.len() <= MIN_FLIPS {
        return None;
    }
    // Segments `start..=end` alternate when each equals the one two back.
    let (mut best, mut start) = ((0, 0), 0);
    for end in 1..segments.len() {
        if end >= 2 && segments[end].0 != segments[end - 2].0 {
            start = end - 1;
        }
        if end - start > best.1 - best.0 {
            best = (start, end);
        }
    }
    let (start, end) = best;
    if end - start < MIN_FLIPS {
        return None;
    }
    let until = segments.get(end + 1).map_or(seq.len(), |&(_, at)| at);
    Some(Flip {
        entity: (0, 0),
        key: values.key,
        values: (segments[start].0, segments[start + 1].0),
        rows: seq[segments[start].1..until].to_vec(),
        changed: segments[start..=end]
            .iter()
            .map(|&(_, at)| seq[at])
            .collect(),
        writer: None,
    })
}

/// The first writer field (in [`WRITER_KEYS`] order) present on every row
/// of the flip whose value is one writer per value, a different one for
/// each.
fn writer(
    rows: &[Row],
    flip: &Flip,
    is_writer: impl Fn(Id) -> bool,
    names: &Names,
) -> Option<(Id, Id, Id)> {
    let first = &rows[*flip.rows.first()?];
    let mut keys: Vec<Id> = first
        .fields
        .iter()
        .map(|&(key, _)| key)
        .filter(|&key| is_writer(key))
        .collect();
    let rank = |key: Id| {
        let lower = names.name(key).to_ascii_lowercase();
        WRITER_KEYS.iter().position(|&name| name == lower)
    };
    keys.sort_by_key(|&key| rank(key));
    keys.into_iter().find_map(|key| {
        let (mut of_first, mut of_second) = (None, None);
        for &row in &flip.rows {
            let row = &rows[row];
            let (value, by) = (row.get(flip.key)?, row.get(key)?);
            let slot = if value == flip.values.0 {
                &mut of_first
            } else {
                &mut of_second
            };
            if *slot.get_or_insert(by) != by {
                return None;
            }
        }
        match (of_first, of_second) {
            (Some(a), Some(b)) if a != b => Some((key, a, b)),
            _ => None,
        }
    })
}

/// The finding a flip gives.
fn finding(flip: &Flip, rows: &[Row], names: &Names) -> Finding {
    let name = |id: Id| names.name(id);
    let shown = |id: Id| quoted(name(id));
    let (first, second) = flip.values;
    let mut statement = format!(
        "{} of {}={} flipped {} times between {} and {}",
        name(flip.key),
        name(flip.entity.0),
        shown(flip.entity.1),
        flip.changed.len() - 1,
        shown(first),
        shown(second),
    );
    match flip.writer {
        Some((key, by_first, by_second)) => statement.push_str(&format!(
            "; every {} came from {}={} and every {} from {}={}: two writers are setting it, \
             and one of them may be unaccounted for.",
            shown(first),
            name(key),
            shown(by_first),
            shown(second),
            name(key),
            shown(by_second),
        )),
        None => statement.push_str(
            ": the values alternate, which can mean two writers are setting it; no field of \
             these lines tells them apart.",
        ),
    }
    Finding {
        kind: FindingKind::Change,
        statement,
        evidence: flip
            .changed
            .iter()
            .take(MAX_CITED_LINES)
            .map(|&row| Cited::of(rows[row].line))
            .collect(),
    }
}

/// A value as a statement quotes it: cut, and in quotes when it has
/// spaces or is empty.
fn quoted(value: &str) -> String {
    let value = cut(value.to_string(), VALUE_CHARS);
    if value.is_empty() || value.contains(char::is_whitespace) {
        format!("\"{value}\"")
    } else {
        value
    }
}

/// A number (`38`, `-1`, `12.50`).
fn numeric(value: &str) -> bool {
    let digits = value.strip_prefix('-').unwrap_or(value);
    !digits.is_empty()
        && digits.bytes().any(|b| b.is_ascii_digit())
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// A value something sets rather than a state something passes through:
/// a number or an on/off value.
fn setting(value: &str) -> bool {
    const SWITCHES: [&str; 8] = [
        "true", "false", "on", "off", "yes", "no", "enabled", "disabled",
    ];
    numeric(value) || SWITCHES.contains(&value.to_ascii_lowercase().as_str())
}
