//! Hindsight's reading of pasted incident evidence: the foundation of the
//! Investigate feature, which reads the log lines someone pastes while an
//! incident is on and states what they show.
//!
//! Everything here is a pure function of its input: no I/O, no clock, no
//! randomness, so the same paste always reads the same way and any finding
//! can be replayed in a test. Pastes are untrusted and may be huge or
//! binary; reading is capped (see [`MAX_LINES`] and [`MAX_LINE_BYTES`]) and
//! never panics on odd input. It depends on serde and `kb-domain` only
//! (whose calendar counts its dates), so it builds anywhere, WebAssembly
//! included.
//!
//! - `clock`: timestamps in a line ([`read_stamp`]) and the placing of
//!   consecutive lines' stamps on one time axis ([`place_times`]).
//! - `line`: a paste read into [`LogLine`]s: time, [`Level`], component,
//!   message and signature ([`read_lines`]).
//! - `signature`: a message with its volatile words masked ([`signature`]).
//! - `signals`: lines grouped by what they say ([`group`] into [`Signal`]s).
//! - `level`: the four levels every logging library's fold into.
//! - `findings`: what the lines show, each [`Finding`] stated with the
//!   lines it rests on ([`findings()`]): so far the order in which error
//!   signals began ([`sequence_findings`]), deploys and configuration
//!   changes shortly before the first error and the values a config diff
//!   changed ([`change_findings`]), each mitigation attempt and its
//!   outcome ([`mitigation_findings`]), and errors recurring at a regular
//!   interval ([`rhythm_findings`]).

#![warn(missing_docs)]

mod clock;
mod findings;
mod level;
mod line;
mod signals;
mod signature;

pub use clock::{place_times, read_stamp, Stamp, StampKind};
pub use findings::{
    change_findings, duration_words, findings, investigate, mitigation_findings, rhythm_findings,
    sequence_findings, time_of_day, Attempt, AttemptOutcome, Cited, Finding, FindingKind,
    Investigation, Known, Lesson, Occurrence, Onset, PastMatch, BURST_GAP_MS, CHANGE_TERMS,
    CHANGE_WINDOW_MS, MAX_CHANGE_FINDINGS, MAX_CITED_CHARS, MAX_CITED_LINES, MAX_DIFF_KEYS,
    MAX_MITIGATION_FINDINGS, MAX_RATIO_TENTHS, MAX_SEQUENCE_FINDINGS, MITIGATION_TERMS, NEGATIONS,
    NO_EFFECT_TERMS, OUTCOME_WINDOW_MS, PARTLY_TERMS, RESOURCE_TERMS, SIZED_NOUNS, WORKED_TERMS,
};
pub use level::Level;
pub use line::{read_lines, LogLine, MAX_LINES, MAX_LINE_BYTES};
pub use signals::{group, Signal, MAX_EXAMPLE_CHARS, MAX_SIGNAL_LINES};
pub use signature::{signature, MAX_SIGNATURE_CHARS};
