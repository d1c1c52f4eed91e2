//! Findings: what the evidence shows, each stated in plain English with the
//! lines it rests on, so a person can check it in seconds.
//!
//! This module owns the data model ([`Finding`], [`FindingKind`],
//! [`Cited`]), the facts several kinds share (`facts`: attempts, onsets,
//! what the knowledge base knows), the wording helpers ([`duration_words`],
//! [`time_of_day`]) and [`findings`], which reads a paste and gathers the
//! findings the paste alone gives. Each kind has its own module:
//!
//! - `sequence`: the order in which error signals first appeared, and
//!   which of them more likely follow from another ([`sequence_findings`],
//!   and the [`onsets`] the challenge uses).
//! - `change`: deploys and configuration changes shortly before the first
//!   error, and the values a pasted config diff changed
//!   ([`change_findings`]); `flip`: a value two writers keep setting
//!   ([`flip_findings`]).
//! - `mitigation`: each attempt to fix and its outcome ([`attempts`],
//!   [`mitigation_findings`]).
//! - `rhythm`: errors recurring in bursts at a regular interval, or
//!   different fixes that each held about as long ([`rhythm_findings`],
//!   [`hold_findings`]).
//! - `challenge`: the team's hypotheses set against the rest, as questions
//!   ([`challenge_findings`]).
//! - `seen_before`: matching past postmortems and the trend of earlier
//!   occurrences' impact ([`seen_before_findings`]).
//! - `why_chain`: the chain's depth, whether it reaches a systemic cause,
//!   and each root cause's verification ([`why_chain_findings`]).
//! - `confidence`: confidence raised with no new evidence
//!   ([`confidence_findings`]).
//!
//! A statement never claims more than its evidence gives: it says what
//! came first and what is "more likely", and where to "look", never what
//! the cause is.

mod challenge;
#[cfg(test)]
mod challenge_tests;
mod change;
#[cfg(test)]
mod change_tests;
mod confidence;
#[cfg(test)]
mod confidence_tests;
mod facts;
mod flip;
#[cfg(test)]
mod flip_tests;
mod mitigation;
#[cfg(test)]
mod mitigation_tests;
mod rhythm;
#[cfg(test)]
mod rhythm_tests;
mod seen_before;
#[cfg(test)]
mod seen_before_tests;
mod sequence;
#[cfg(test)]
mod sequence_tests;
#[cfg(test)]
mod tests;
mod why_chain;
#[cfg(test)]
mod why_chain_tests;

use serde::{Deserialize, Serialize};

use crate::level::Level;
use crate::line::{read_lines, LogLine};
use crate::signals::group;
use crate::signature::cut;

pub use challenge::{challenge_findings, MAX_CHALLENGE_FINDINGS, MAX_LESSONS};
pub use change::{
    change_findings, CHANGE_TERMS, CHANGE_WINDOW_MS, MAX_CHANGE_FINDINGS, MAX_DIFF_KEYS, NEGATIONS,
};
pub use confidence::{
    confidence_findings, HIGH_CONFIDENCE, MAX_CONFIDENCE_FINDINGS, OBSERVATION_WORDS,
};
pub use facts::{Attempt, AttemptOutcome, Known, Lesson, Occurrence, Onset, PastMatch};
pub use flip::{flip_findings, EVENT_KEYS, MAX_FLIP_FINDINGS, MIN_FLIPS, WRITER_KEYS};
pub(crate) use mitigation::stated_outcome;
pub use mitigation::{
    attempt_findings, attempts, mitigation_findings, HOLD_TERMS, MAX_MITIGATION_FINDINGS,
    MITIGATION_TERMS, NO_EFFECT_TERMS, OUTCOME_WINDOW_MS, PARTLY_TERMS, SIZED_NOUNS, WORKED_TERMS,
};
pub(crate) use rhythm::rhythm_of;
pub use rhythm::{hold_findings, rhythm_findings, BURST_GAP_MS, MAX_RATIO_TENTHS};
pub use seen_before::{seen_before_findings, MAX_PAST_MATCHES};
pub use sequence::{onsets, sequence_findings, MAX_SEQUENCE_FINDINGS, RESOURCE_TERMS};
pub use why_chain::{why_chain_findings, MAX_WHY_CHAIN_FINDINGS, SHALLOW_DEPTH, SYSTEMIC_TERMS};

/// Milliseconds in a second, minute, hour and day.
const SECOND: i64 = 1_000;
const MINUTE: i64 = 60 * SECOND;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// The longest cited text, in characters.
pub const MAX_CITED_CHARS: usize = 200;

/// The most lines one finding cites.
pub const MAX_CITED_LINES: usize = 10;

/// One thing the evidence shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// What kind of finding this is.
    pub kind: FindingKind,
    /// What it shows, in plain English, as sure as the evidence allows and
    /// no surer.
    pub statement: String,
    /// The lines it rests on, in the order the statement names them.
    pub evidence: Vec<Cited>,
}

/// The kinds of finding, as the JSON API names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// The order in which signals first appeared.
    Sequence,
    /// A deploy or configuration change shortly before the first error.
    Change,
    /// Errors, or fixes that held, recurring at a regular interval.
    Rhythm,
    /// A mitigation attempt and its outcome.
    Mitigation,
    /// The team's hypothesis, set against the other findings.
    Challenge,
    /// Earlier postmortems and patterns matching the evidence.
    SeenBefore,
    /// How deep the why-chain goes, and whether it reaches a systemic cause.
    WhyChain,
    /// Confidence raised without new evidence.
    Confidence,
}

impl FindingKind {
    /// The kind's name as serialised (`sequence`, `seen_before`).
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Sequence => "sequence",
            FindingKind::Change => "change",
            FindingKind::Rhythm => "rhythm",
            FindingKind::Mitigation => "mitigation",
            FindingKind::Challenge => "challenge",
            FindingKind::SeenBefore => "seen_before",
            FindingKind::WhyChain => "why_chain",
            FindingKind::Confidence => "confidence",
        }
    }
}

/// A line of the paste a finding rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cited {
    /// The line's number in the paste, from 1, blank lines counted; in a
    /// record, the number within its `source`.
    pub line: usize,
    /// The line's message, cut to [`MAX_CITED_CHARS`].
    pub text: String,
    /// Where in a record the line is (`Timeline`, `Evidence 2: Payment
    /// logs`, `Hypothesis 1`); empty for a paste, which is one source.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

impl Cited {
    /// The citation of a read line.
    pub fn of(line: &LogLine) -> Cited {
        Cited {
            line: line.number,
            text: cut(line.message.clone(), MAX_CITED_CHARS),
            source: String::new(),
        }
    }
}

/// The findings of every kind in a paste: sequence, change, mitigation,
/// then rhythm.
pub fn findings(text: &str) -> Vec<Finding> {
    investigate(text).findings
}

/// What a paste gives: its findings, and how much of it could be read, so
/// an empty answer says whether there was nothing to find or nothing to
/// read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Investigation {
    /// The findings, sequence first, then change, mitigation and rhythm.
    pub findings: Vec<Finding>,
    /// Lines read (blank ones and any past the cap left out).
    pub lines: usize,
    /// Of those, lines whose time could be read.
    pub timed: usize,
}

/// Reads a paste and states its findings.
pub fn investigate(text: &str) -> Investigation {
    let lines = read_lines(text);
    let signals = group(&lines);
    let mut findings = sequence_findings(&lines, &signals);
    findings.extend(change_findings(text, &lines));
    findings.extend(flip_findings(text, &lines));
    findings.extend(mitigation_findings(&lines));
    findings.extend(rhythm_findings(&lines));
    Investigation {
        timed: lines.iter().filter(|l| l.at.is_some()).count(),
        lines: lines.len(),
        findings,
    }
}

/// A duration in words: `0.4 s`, `3 s`, `2 min 15 s`, `1 h 5 min`.
///
/// Under a second it is given to a tenth; up to an hour to the nearest
/// second; from an hour on in hours and whole minutes, since seconds no
/// longer matter. A negative duration reads as its length.
pub fn duration_words(ms: i64) -> String {
    let ms = ms.saturating_abs();
    // Tenths, rounded; 0.95 s and up reads as a whole second.
    if ms < SECOND - 50 {
        let tenths = (ms + 50) / 100;
        return if tenths == 0 {
            "0 s".to_string()
        } else {
            format!("0.{tenths} s")
        };
    }
    let seconds = ms.saturating_add(SECOND / 2) / SECOND;
    let (minutes, hours) = (seconds / 60, seconds / 3600);
    match (hours, minutes % 60, seconds % 60) {
        (0, 0, s) => format!("{s} s"),
        (0, m, 0) => format!("{m} min"),
        (0, m, s) => format!("{m} min {s} s"),
        (h, 0, _) => format!("{h} h"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

/// A placed time as its time of day, `HH:MM:SS` (UTC, seconds cut, not
/// rounded, so it reads as the log line wrote it).
///
/// Works on every axis [`crate::place_times`] gives: Unix milliseconds,
/// and milliseconds from midnight of day 0 for pastes with times of day
/// only. On the relative axis (`T+05:30`) it reads as time since T+0.
pub fn time_of_day(ms: i64) -> String {
    let in_day = ms.rem_euclid(DAY);
    format!(
        "{:02}:{:02}:{:02}",
        in_day / HOUR,
        in_day % HOUR / MINUTE,
        in_day % MINUTE / SECOND
    )
}

/// Whether any line declares a level. When none does, the paste is read
/// as all of a piece: every timed line may be an error.
fn any_level(lines: &[LogLine]) -> bool {
    lines.iter().any(|line| line.level.is_some())
}

/// Whether a line or signal of this level counts as an error, given
/// whether the paste declares levels at all.
fn counts(level: Option<Level>, levelled: bool, warnings_too: bool) -> bool {
    match level {
        _ if !levelled => true,
        Some(Level::Error) => true,
        Some(Level::Warn) => warnings_too,
        _ => false,
    }
}
