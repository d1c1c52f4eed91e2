//! Hindsight's Investigate feature: reads incident evidence (a paste, or
//! a postmortem's whole record) and states findings, each with the lines
//! it rests on, so a person can check it in seconds.
//!
//! Everything here is a pure function of its input: no I/O, no clock, no
//! randomness, so the same evidence always reads the same way and any
//! finding can be replayed in a test. What the rest of the knowledge base
//! knows (matching postmortems, their lessons, earlier occurrences) is
//! looked up by the caller and passed in as [`Known`]. Pastes are
//! untrusted and may be huge or binary; reading is capped (see
//! [`MAX_LINES`], [`MAX_READ_BYTES`] and [`MAX_LINE_BYTES`]) and never panics on odd input. It
//! depends on serde and `kb-domain` only, so it builds anywhere,
//! WebAssembly included (the pages use its types).
//!
//! - `clock`: timestamps in a line ([`read_stamp`]) and the placing of
//!   consecutive lines' stamps on one time axis ([`place_times`]).
//! - `line`: a paste read into [`LogLine`]s: time, [`Level`], component,
//!   message, its gist and signature ([`read_lines`]).
//! - `signature`: a message with its volatile words masked ([`signature`]).
//! - `signals`: lines grouped by what they say ([`group`] into [`Signal`]s).
//! - `level`: the four levels every logging library's fold into.
//! - `findings`: every kind of [`Finding`] and the facts they share.
//! - `record`: a postmortem's timeline, evidence and mitigations read as
//!   one sequence of lines with a source map ([`investigate_record`]).
//! - `chart`: the swimlane chart as SVG and as table rows ([`swimlanes`]).
//! - `update`: the stakeholder update drafted from a record
//!   ([`stakeholder_update`]).
//! - `report`: all of it as the Investigate panel shows it ([`report`]).

#![warn(missing_docs)]

mod chart;
mod clock;
mod findings;
mod level;
mod line;
mod record;
mod report;
mod signals;
mod signature;
mod update;
#[cfg(test)]
mod update_tests;

pub use chart::{escape, swimlanes, Lane, MAX_LANES};
pub use clock::{place_times, read_stamp, Stamp, StampKind};
pub use findings::{attempt_findings, attempts, hold_findings, HOLD_TERMS};
pub use findings::{
    challenge_findings, confidence_findings, seen_before_findings, why_chain_findings,
    HIGH_CONFIDENCE, MAX_CHALLENGE_FINDINGS, MAX_CONFIDENCE_FINDINGS, MAX_LESSONS,
    MAX_PAST_MATCHES, MAX_WHY_CHAIN_FINDINGS, OBSERVATION_WORDS, SHALLOW_DEPTH, SYSTEMIC_TERMS,
};
pub use findings::{
    change_findings, duration_words, findings, investigate, mitigation_findings, rhythm_findings,
    sequence_findings, time_of_day, Attempt, AttemptOutcome, Cited, Finding, FindingKind,
    Investigation, Known, Lesson, Occurrence, Onset, PastMatch, BURST_GAP_MS, CHANGE_TERMS,
    CHANGE_WINDOW_MS, MAX_CHANGE_FINDINGS, MAX_CITED_CHARS, MAX_CITED_LINES, MAX_DIFF_KEYS,
    MAX_MITIGATION_FINDINGS, MAX_RATIO_TENTHS, MAX_SEQUENCE_FINDINGS, MITIGATION_TERMS, NEGATIONS,
    NO_EFFECT_TERMS, OUTCOME_WINDOW_MS, PARTLY_TERMS, RESOURCE_TERMS, SIZED_NOUNS, WORKED_TERMS,
};
pub use findings::{flip_findings, onsets, EVENT_KEYS, MAX_FLIP_FINDINGS, MIN_FLIPS, WRITER_KEYS};
pub use level::Level;
pub use line::{read_lines, within_caps, LogLine, MAX_LINES, MAX_LINE_BYTES, MAX_READ_BYTES};
pub use record::{
    investigate_record, read_record, Reading, RecordInvestigation, Source, MAX_CAPTION_CHARS,
};
pub use report::{report, Report, Shown};
pub use signals::{group, Signal, MAX_EXAMPLE_CHARS, MAX_SIGNAL_LINES, MAX_SIGNAL_TIMES};
pub use signature::{signature, MAX_SIGNATURE_CHARS};
pub use update::stakeholder_update;
