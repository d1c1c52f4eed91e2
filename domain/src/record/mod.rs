//! The structured parts of a postmortem beyond its header: clock, impact
//! figures, narrative, timeline, evidence, hypotheses, why-chain, root
//! causes, mitigations, learnings, action items and links.
//!
//! The same types serve as input and as the validated record: kinds and
//! statuses travel as text so that an unknown one (from the API, an import
//! or a hand-edited export) becomes a field error naming the row, not a
//! deserialization failure. [`Parts::validate`] checks every row and returns
//! a normalized copy: trimmed, canonical names, timeline sorted.
//!
//! - `kinds`: the closed sets of names kinds and statuses are stored as.
//! - `validate`: [`Parts::validate`] and the per-field checks it is made of.
//! - `clock`: UTC timestamps, times relative to the start, timeline order.

use serde::{Deserialize, Serialize};

/// Most rows in any one list (timeline, hypotheses, ...).
pub const MAX_ROWS: usize = 500;
/// Most confidence steps on one hypothesis.
pub const MAX_STEPS: usize = 20;
/// Longest one-line field (a why question, an action item title), in characters.
pub const MAX_LINE: usize = 500;

/// Declares a closed set of values stored as text, with its canonical names
/// and the labels the UI shows.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident default $default:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal, $label:literal;)+ }) => {
        text_enum! { $(#[$meta])* $name { $($(#[$vmeta])* $variant = $text, $label;)+ } }

        impl $name {
            /// What a blank name stands for: validation stores it, and a
            /// form shows it chosen.
            pub const DEFAULT: $name = $name::$default;
        }
    };
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in the order forms offer them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The canonical stored name, e.g. `in_review`.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }

            /// The name shown to people, e.g. `In review`.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// Reads a stored or typed name; case, spaces and hyphens are
            /// forgiven (`In review`, `in-review`, `IN_REVIEW`).
            pub fn parse(text: &str) -> Option<$name> {
                let key: String = text
                    .trim()
                    .chars()
                    .map(|c| if c == ' ' || c == '-' { '_' } else { c.to_ascii_lowercase() })
                    .collect();
                Self::ALL.iter().copied().find(|v| v.as_str() == key)
            }

            /// The accepted names, for error messages.
            pub fn names() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

// After the macro: it declares every set with it.
mod kinds;

pub use kinds::{
    ActionKind, ActionStatus, CauseLevel, EvidenceKind, HypothesisOutcome, LearningKind, LinkKind,
    MitigationResult, Prevents, Priority, TimelineKind, WriteupStatus,
};

/// One line of the timeline.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TimelineEntry {
    /// `YYYY-MM-DDTHH:MM[:SS]` (UTC), or `T+mm:ss` / `T+hh:mm:ss` from the start.
    pub at: String,
    /// A [`TimelineKind`] name.
    pub kind: String,
    /// What happened (markdown).
    pub text: String,
    /// Who did or saw it.
    pub who: String,
}

/// Material kept verbatim: alert text, log lines, a metric reading, a diff.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Evidence {
    /// An [`EvidenceKind`] name.
    pub kind: String,
    /// One line saying what this is.
    pub caption: String,
    /// The material itself, never reformatted.
    pub body: String,
}

/// One step of a hypothesis' confidence, as evidence arrived.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConfidenceStep {
    /// 0 to 100.
    pub value: i64,
    /// What moved it.
    pub note: String,
    /// Who stated it (a person's name), for the calibration per person;
    /// empty when the record does not say.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub by: String,
}

/// A candidate explanation and how belief in it changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Hypothesis {
    /// The claim.
    pub statement: String,
    /// Oldest first.
    pub confidence: Vec<ConfidenceStep>,
    /// Markdown.
    pub evidence_for: String,
    /// Markdown.
    pub evidence_against: String,
    /// A [`HypothesisOutcome`] name.
    pub outcome: String,
}

/// One level of the why-chain.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Why {
    /// Why did ...?
    pub question: String,
    /// Because ...
    pub answer: String,
    /// Something actionable was found at this level.
    pub actionable: bool,
}

/// A root cause at one level.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Cause {
    /// A [`CauseLevel`] name.
    pub level: String,
    /// The cause.
    pub statement: String,
    /// 0 to 100, if estimated.
    pub confidence: Option<i64>,
    /// Markdown: what shows it.
    pub evidence: String,
    /// A [`Prevents`] name: the team's answer to "if we fix this, does it
    /// prevent a recurrence?"; empty until they answer.
    pub prevents: String,
}

/// Something tried to stop the impact, and whether it did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MitigationAttempt {
    /// What was done.
    pub action: String,
    /// A [`MitigationResult`] name.
    pub result: String,
    /// Markdown.
    pub note: String,
}

/// A lesson. A pattern has a name (its title), symptoms, root cause,
/// detection and resolution; the other kinds use title and text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Learning {
    /// A [`LearningKind`] name.
    pub kind: String,
    /// The pattern's name, or the lesson in one line.
    pub title: String,
    /// Markdown.
    pub text: String,
    /// Pattern: what it looks like from the outside.
    pub symptoms: String,
    /// Pattern: why it happens.
    pub root_cause: String,
    /// Pattern: how to notice it.
    pub detection: String,
    /// Pattern: how to fix it.
    pub resolution: String,
}

/// A follow-up that should prevent the next incident.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActionItem {
    /// Hindsight's id once saved; kept across edits so the item's history
    /// follows it. Unknown ids are treated as new items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// What to do.
    pub title: String,
    /// Who is on it.
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub due: Option<String>,
    /// A [`Priority`] name.
    pub priority: String,
    /// An [`ActionStatus`] name.
    pub status: String,
    /// An [`ActionKind`] name.
    pub kind: String,
    /// An outside tracker's key (`OPS-123`) or an http(s) URL.
    pub tracker: String,
    /// What doing it should change.
    pub expected_effect: String,
}

/// A link from this postmortem to another.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Link {
    /// The other postmortem: `#12` for Hindsight's id 12, or its external
    /// id (`aws-10`, `demo-redis-warmup`) so links survive export and
    /// import into another instance. Kept as written.
    pub target: String,
    /// A [`LinkKind`] name.
    pub kind: String,
    /// Why they are linked.
    pub note: String,
}

/// Everything of a postmortem beyond the skeleton's header and text fields.
/// Flattened into [`crate::PostmortemInput`], [`crate::NewPostmortem`] and
/// [`crate::Postmortem`], so the import and export shapes stay flat.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Parts {
    /// A [`WriteupStatus`] name; empty means draft.
    pub status: String,
    /// Teams involved.
    pub teams: Vec<String>,
    /// Who wrote the postmortem.
    pub authors: Vec<String>,
    /// When it began, `YYYY-MM-DDTHH:MM[:SS]` UTC.
    pub started_at: Option<String>,
    /// When someone or something noticed.
    pub detected_at: Option<String>,
    /// When the impact stopped.
    pub mitigated_at: Option<String>,
    /// When it was fully fixed.
    pub resolved_at: Option<String>,
    /// Users affected.
    pub users_affected: Option<i64>,
    /// Requests or orders that failed.
    pub requests_failed: Option<i64>,
    /// Money lost, in whole units of `currency`.
    pub money_lost: Option<i64>,
    /// ISO 4217 code of `money_lost`, e.g. `USD`.
    pub currency: Option<String>,
    /// Markdown: the story.
    pub narrative: String,
    /// Sorted by time.
    pub timeline: Vec<TimelineEntry>,
    /// Verbatim material.
    pub evidence: Vec<Evidence>,
    /// Candidate explanations.
    pub hypotheses: Vec<Hypothesis>,
    /// The five whys, outermost first.
    pub whys: Vec<Why>,
    /// Root causes.
    pub causes: Vec<Cause>,
    /// What was tried.
    pub mitigations: Vec<MitigationAttempt>,
    /// Lessons and patterns.
    pub learnings: Vec<Learning>,
    /// Follow-ups.
    pub action_items: Vec<ActionItem>,
    /// Links to other postmortems.
    pub links: Vec<Link>,
    /// Who may see it: everyone, or only the people and groups named.
    pub access: crate::accounts::Access,
}

impl Parts {
    /// The write-up status (draft when unset).
    pub fn writeup_status(&self) -> WriteupStatus {
        WriteupStatus::parse(&self.status).unwrap_or(WriteupStatus::Draft)
    }

    /// Minutes from start to detection, mitigation and resolution, where
    /// both ends are known.
    pub fn durations(&self) -> Durations {
        let start = self.started_at.as_deref().and_then(epoch_seconds);
        let since = |t: &Option<String>| -> Option<i64> {
            Some((epoch_seconds(t.as_deref()?)? - start?) / 60)
        };
        Durations {
            to_detect: since(&self.detected_at),
            to_mitigate: since(&self.mitigated_at),
            to_resolve: since(&self.resolved_at),
        }
    }
}

/// `#12` → 12: a link target naming Hindsight's own id.
pub fn link_target_id(target: &str) -> Option<i64> {
    target
        .trim()
        .strip_prefix('#')?
        .parse()
        .ok()
        .filter(|id| *id > 0)
}

/// Minutes from the start to each milestone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Durations {
    /// Start to detection.
    pub to_detect: Option<i64>,
    /// Start to mitigation.
    pub to_mitigate: Option<i64>,
    /// Start to resolution.
    pub to_resolve: Option<i64>,
}

/// `95` → `1 h 35 min`.
pub fn format_minutes(minutes: i64) -> String {
    match (minutes / (60 * 24), (minutes / 60) % 24, minutes % 60) {
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

mod clock;
mod validate;

pub use clock::{
    epoch_seconds, format_relative, normalize_datetime, relative_seconds, sort_timeline,
};
pub(crate) use validate::names;

#[cfg(test)]
mod tests;
