//! The facts findings are drawn from, in a shape every kind can share: an
//! attempt to fix and what came of it, the moment an error signal began,
//! and what the rest of the knowledge base knows (lessons, matches,
//! earlier occurrences), which the caller looks up and passes in, since
//! this crate does no I/O.
//!
//! The readers (`mitigation` for pasted lines, `record` for a
//! postmortem's timeline and mitigations) produce [`Attempt`]s and
//! [`Onset`]s; `challenge` sets them against the team's hypotheses.

use serde::{Deserialize, Serialize};

use super::Cited;

/// Something tried to stop the impact, and what came of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    /// What was done, as written (`Raised the pool from 50 to 100`).
    pub action: String,
    /// When, on the investigation's time axis, if known.
    pub at: Option<i64>,
    /// What came of it.
    pub outcome: AttemptOutcome,
    /// The lines that show the attempt and its outcome.
    pub cited: Vec<Cited>,
}

/// What came of an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome", content = "held_ms")]
pub enum AttemptOutcome {
    /// It stopped the impact, and the impact did not come back.
    Worked,
    /// It helped somewhat.
    Partly,
    /// It changed nothing.
    NoEffect,
    /// It stopped the impact for this many milliseconds, then the impact
    /// came back.
    Held(i64),
    /// Not known.
    Unknown,
}

/// The moment an error signal first appeared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Onset {
    /// The component the signal comes from, when known (`orders-db-pool`).
    pub component: Option<String>,
    /// What the signal says, as its first line said it.
    pub message: String,
    /// When it first appeared, on the investigation's time axis.
    pub first: i64,
    /// Its first line.
    pub cited: Cited,
}

/// A lesson an earlier postmortem stored (a learning of kind diagnostic,
/// or a pattern's detection), quoted with its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lesson {
    /// The lesson in one line.
    pub title: String,
    /// The lesson's text (markdown), possibly empty.
    pub text: String,
    /// The postmortem it comes from.
    pub postmortem_id: i64,
    /// That postmortem's title.
    pub postmortem_title: String,
}

/// A past postmortem the evidence matched, from the symptom search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastMatch {
    /// The postmortem's id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// The names of its patterns that matched, if any.
    pub patterns: Vec<String>,
    /// What it matched on, in words (`the same error signature`), if known.
    pub why: String,
    /// What fixed it, in one line, if recorded.
    pub fixed_by: String,
}

/// An earlier occurrence of the same problem, linked from the record
/// (link kind `earlier_occurrence`), with the impact it recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occurrence {
    /// Its id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its date (`YYYY-MM-DD`), if known.
    pub date: Option<String>,
    /// Its impact text, as written (`12 units oversold`).
    pub impact: String,
}

/// What the rest of the knowledge base knows that bears on this
/// investigation, looked up by the caller. Empty when nothing matched.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Known {
    /// Lessons from earlier postmortems whose words match the evidence or
    /// a hypothesis, best first.
    pub lessons: Vec<Lesson>,
    /// The best matching past postmortems, best first.
    pub matches: Vec<PastMatch>,
    /// The record's linked earlier occurrences, oldest first.
    pub earlier: Vec<Occurrence>,
}
