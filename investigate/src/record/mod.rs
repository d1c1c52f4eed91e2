//! A postmortem record read as evidence: its timeline, its evidence blocks
//! and its recorded mitigations turned into the lines and attempts the
//! findings read, so the Investigate panel of a postmortem reads the whole
//! record and not only a paste.
//!
//! This module owns the reading of a record ([`read_record`] into a
//! [`Reading`]), the map from the reading's lines back to where they are
//! in the record ([`Source`], [`Reading::place`]), and the investigation of
//! a record ([`investigate_record`]). The findings themselves are the
//! paste's, run on the reading:
//!
//! - `timeline`: the timeline is the first source, one line per entry,
//!   each placed at its time (`T+mm:ss` from the start when the start is
//!   known, otherwise unplaced). An entry declares a level by its kind:
//!   an alert says the system was failing then, so it is an error; every
//!   other kind is information. Communication entries say what people
//!   told each other, not what the system did, and are not read at all;
//!   only action entries may be attempts to fix.
//! - `evidence`: each evidence body is a source of its own, read as a
//!   paste is, and placed on the record's time axis: a body with times of
//!   day only (a metric table, a page) takes the date of the start.
//! - The order in which error signals began (the sequence finding and
//!   the onsets) is read from the evidence's errors and warnings when it
//!   has any, the timeline's alerts left out: an alert fires some time
//!   after its signal began, a log line says when. Without them, the
//!   alerts are all there is to order.
//! - Levels are each source's own, as read. In a paste that declares no
//!   level at all every line may be an error; in a record the timeline
//!   declares levels, so a block declaring none (a metric table, an
//!   alert's text) is read for its changes, diffs and attempts, never as
//!   errors, and turns no other source's lines into errors either. Only
//!   when nothing in the record declares a level (no timeline, no
//!   levelled block) does the paste's rule hold for all of it.
//! - `mitigations`: the recorded mitigations are attempts too; one that
//!   the timeline or the evidence also shows is kept once.
//!
//! Every citation names its source (`Timeline`, `Evidence 2: Payment
//! logs`, `Mitigation 1`) and its line within it (a timeline entry's
//! number, from 1).

mod evidence;
mod mitigations;
#[cfg(test)]
mod mitigations_tests;
#[cfg(test)]
mod reading_tests;
#[cfg(test)]
mod tests;
mod timeline;

use kb_domain::record::{epoch_seconds, Parts};
use serde::{Deserialize, Serialize};

use crate::findings::{
    attempt_findings, attempts, change_findings, flip_findings, onsets, rhythm_of,
    sequence_findings, Attempt, Cited, Investigation, Onset,
};
use crate::level::Level;
use crate::line::{LogLine, MAX_LINES};
use crate::signals::group;
use crate::signature::cut;

/// The longest evidence caption a source's name quotes, in characters.
pub const MAX_CAPTION_CHARS: usize = 40;

/// A record read as one sequence of lines: the timeline's, then each
/// evidence body's, numbered through the whole reading.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reading {
    /// The record as text, one text line per line number: the timeline
    /// rendered (`2024-04-12T15:17:00Z <text> (<who>)`), then each
    /// evidence body as written. The diff and field readers read it.
    pub text: String,
    /// The lines read, each numbered by its text line in [`Reading::text`],
    /// all times on one axis.
    pub lines: Vec<LogLine>,
    /// Where each range of line numbers comes from, in order, the
    /// timeline first (even when it has no entries).
    pub sources: Vec<Source>,
    /// The numbers of timeline lines that are no attempt to fix (entries
    /// other than actions), ascending.
    #[serde(skip)]
    not_attempts: Vec<usize>,
}

/// A part of the record that lines come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// How a citation names it: `Timeline`, `Evidence 2: Payment logs`.
    pub name: String,
    /// The number, in the reading, of its first text line.
    pub first: usize,
    /// How many text lines it takes, blank ones counted.
    pub len: usize,
}

/// What a record gives: the investigation and the facts the other
/// findings (the challenge of the team's hypotheses) are set against.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordInvestigation {
    /// The findings, every citation with its source, and how much of the
    /// record could be read.
    pub investigation: Investigation,
    /// The attempts to fix, from the timeline's actions, the evidence and
    /// the recorded mitigations, timed ones first in order of time.
    pub attempts: Vec<Attempt>,
    /// When each error signal began, earliest first.
    pub onsets: Vec<Onset>,
    /// The reading the findings were drawn from.
    pub reading: Reading,
}

impl Reading {
    /// Where a line of the reading is: its source's name and its number
    /// within that source, from 1.
    pub fn locate(&self, number: usize) -> Option<(&str, usize)> {
        let at = self.sources.partition_point(|s| s.first <= number);
        let source = self.sources.get(at.checked_sub(1)?)?;
        let within = number - source.first + 1;
        (within <= source.len).then_some((source.name.as_str(), within))
    }

    /// Sets a citation's source and its line within it, unless it already
    /// names one (a citation of a recorded mitigation does).
    pub fn place(&self, cited: &mut Cited) {
        if !cited.source.is_empty() {
            return;
        }
        if let Some((name, line)) = self.locate(cited.line) {
            cited.source = name.to_string();
            cited.line = line;
        }
    }

    /// The lines the order of onsets is read from: all of them, but the
    /// timeline's alerts when the evidence has errors or warnings of its
    /// own, since an alert fires some time after its signal began and a
    /// log line says when.
    fn ordered(&self) -> Vec<LogLine> {
        let timeline = self.sources.first().map_or(0, |source| source.len);
        let from_evidence = |line: &LogLine| line.number > timeline;
        let errors = self.lines.iter().any(|line| {
            from_evidence(line) && matches!(line.level, Some(Level::Error | Level::Warn))
        });
        self.lines
            .iter()
            .filter(|line| !errors || from_evidence(line) || line.level != Some(Level::Error))
            .cloned()
            .collect()
    }

    /// Whether the line of this number may be an attempt to fix.
    fn may_attempt(&self, number: usize) -> bool {
        self.not_attempts.binary_search(&number).is_err()
    }
}

/// Reads a record into one sequence of lines; see the module docs.
pub fn read_record(parts: &Parts) -> Reading {
    let start = parts.started_at.as_deref().and_then(epoch_seconds);
    let timeline = timeline::read(&parts.timeline, start, MAX_LINES);
    let mut budget = MAX_LINES.saturating_sub(timeline.rendered.len());
    let mut bodies = Vec::new();
    for (index, item) in parts.evidence.iter().enumerate() {
        let body = evidence::read(&item.body, budget);
        budget = budget.saturating_sub(body.raw.len());
        bodies.push((index, body));
    }
    let anchor = start
        .map(|seconds| seconds.saturating_mul(1_000))
        .or(timeline.first_dated)
        .or_else(|| bodies.iter().filter_map(|(_, b)| b.first_dated()).min());
    for (_, body) in &mut bodies {
        body.place(anchor, start.is_some());
    }

    let mut reading = Reading::default();
    let mut text: Vec<&str> = Vec::new();
    reading.sources.push(Source {
        name: "Timeline".to_string(),
        first: 1,
        len: timeline.rendered.len(),
    });
    text.extend(timeline.rendered.iter().map(String::as_str));
    reading.lines = timeline.lines;
    reading.not_attempts = timeline.not_attempts;
    for (index, body) in &bodies {
        if body.raw.is_empty() {
            continue;
        }
        let first = text.len() + 1;
        reading.sources.push(Source {
            name: evidence_name(*index, &parts.evidence[*index].caption),
            first,
            len: body.raw.len(),
        });
        text.extend(body.raw.iter().copied());
        reading
            .lines
            .extend(body.lines.iter().cloned().map(|mut line| {
                line.number += first - 1;
                line
            }));
    }
    reading.text = text.join("\n");
    reading
}

/// Reads a record and states its findings: sequence, change, flip,
/// mitigation, then rhythm (of error bursts, or else of holds), every
/// citation with its source; with the record's attempts and onsets.
pub fn investigate_record(parts: &Parts) -> RecordInvestigation {
    let reading = read_record(parts);
    let lines = &reading.lines;
    let ordered = reading.ordered();
    let signals = group(&ordered);

    let from_lines: Vec<Attempt> = attempts(lines)
        .into_iter()
        .filter(|attempt| {
            attempt
                .cited
                .first()
                .is_some_and(|cited| reading.may_attempt(cited.line))
        })
        .map(|attempt| placed(&reading, attempt))
        .collect();
    let attempts = mitigations::merge(from_lines, mitigations::recorded(&parts.mitigations));

    let mut findings = sequence_findings(&ordered, &signals);
    findings.extend(change_findings(&reading.text, lines));
    findings.extend(flip_findings(&reading.text, lines));
    findings.extend(attempt_findings(&attempts));
    findings.extend(rhythm_of(lines, &attempts));
    for cited in findings.iter_mut().flat_map(|f| f.evidence.iter_mut()) {
        reading.place(cited);
    }
    let mut onsets = onsets(&ordered, &signals);
    for onset in &mut onsets {
        reading.place(&mut onset.cited);
    }

    RecordInvestigation {
        investigation: Investigation {
            findings,
            lines: lines.len(),
            timed: lines.iter().filter(|line| line.at.is_some()).count(),
        },
        attempts,
        onsets,
        reading,
    }
}

/// An attempt with its citations placed in the record.
fn placed(reading: &Reading, mut attempt: Attempt) -> Attempt {
    for cited in &mut attempt.cited {
        reading.place(cited);
    }
    attempt
}

/// `Evidence 2: Payment logs`, the caption on one line and cut to
/// [`MAX_CAPTION_CHARS`]; `Evidence 2` without one.
fn evidence_name(index: usize, caption: &str) -> String {
    let caption = one_line(caption);
    match caption.is_empty() {
        true => format!("Evidence {}", index + 1),
        false => format!(
            "Evidence {}: {}",
            index + 1,
            cut(caption, MAX_CAPTION_CHARS)
        ),
    }
}

/// Text on one line: control characters and runs of whitespace as one
/// space, trimmed.
fn one_line(text: &str) -> String {
    let visible: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    visible.split_whitespace().collect::<Vec<_>>().join(" ")
}
