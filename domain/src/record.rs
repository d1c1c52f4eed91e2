//! The structured parts of a postmortem beyond its header: clock, impact
//! figures, narrative, timeline, evidence, hypotheses, why-chain, root
//! causes, mitigations, learnings, action items and links.
//!
//! The same types serve as input and as the validated record: kinds and
//! statuses travel as text so that an unknown one (from the API, an import
//! or a hand-edited export) becomes a field error naming the row, not a
//! deserialization failure. [`Parts::validate`] checks every row and returns
//! a normalized copy: trimmed, canonical names, timeline sorted.

use crate::incident::{is_calendar_date, ValidationErrors, MAX_NAME, MAX_NAMES, MAX_TEXT};
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

text_enum! {
    /// Where the write-up stands.
    WriteupStatus {
        /// Being written.
        Draft = "draft", "Draft";
        /// Ready for others to check.
        InReview = "in_review", "In review";
        /// Final; shows who published it and when.
        Published = "published", "Published";
    }
}

text_enum! {
    /// What a timeline entry records.
    TimelineKind {
        /// An alert fired.
        Alert = "alert", "Alert";
        /// Someone noticed something.
        Observation = "observation", "Observation";
        /// Someone did something.
        Action = "action", "Action";
        /// A choice was made.
        Decision = "decision", "Decision";
        /// Someone told someone.
        Communication = "communication", "Communication";
    }
}

text_enum! {
    /// What an evidence block holds.
    EvidenceKind {
        /// Alert text as it fired.
        Alert = "alert", "Alert";
        /// Log excerpt.
        Log = "log", "Log excerpt";
        /// A metric reading.
        Metric = "metric", "Metric";
        /// A configuration diff.
        ConfigDiff = "config_diff", "Config diff";
        /// Anything else kept verbatim.
        Other = "other", "Other";
    }
}

text_enum! {
    /// What became of a hypothesis.
    HypothesisOutcome {
        /// Still being tested.
        Open = "open", "Open";
        /// The evidence bore it out.
        Confirmed = "confirmed", "Confirmed";
        /// The evidence ruled it out.
        Refuted = "refuted", "Refuted";
    }
}

text_enum! {
    /// How deep a root cause lies.
    CauseLevel {
        /// What directly broke.
        Immediate = "immediate", "Immediate";
        /// What made it possible or worse.
        Contributing = "contributing", "Contributing";
        /// The organisational or design reason.
        Systemic = "systemic", "Systemic";
    }
}

text_enum! {
    /// Whether a mitigation attempt helped.
    MitigationResult {
        /// It stopped or reduced the impact.
        Worked = "worked", "Worked";
        /// It helped a little.
        Partial = "partial", "Partly worked";
        /// It did not help.
        Failed = "failed", "Did not work";
        /// Not known.
        Unknown = "unknown", "Unknown";
    }
}

text_enum! {
    /// What kind of lesson a learning is.
    LearningKind {
        /// A named, recognisable incident pattern: symptoms, cause, detection, fix.
        Pattern = "pattern", "Incident pattern";
        /// How to diagnose faster.
        Diagnostic = "diagnostic", "Diagnostic lesson";
        /// How the team works.
        Process = "process", "Process lesson";
        /// How people behave and decide.
        Cultural = "cultural", "Cultural insight";
    }
}

text_enum! {
    /// How urgent an action item is.
    Priority {
        /// Do it now.
        High = "high", "High";
        /// Do it soon.
        Medium = "medium", "Medium";
        /// When there is time.
        Low = "low", "Low";
    }
}

text_enum! {
    /// Where an action item stands.
    ActionStatus {
        /// Not started.
        Open = "open", "Open";
        /// Someone is on it.
        InProgress = "in_progress", "In progress";
        /// Finished.
        Done = "done", "Done";
        /// Decided against.
        WontDo = "wont_do", "Won't do";
    }
}

text_enum! {
    /// What an action item is for.
    ActionKind {
        /// Reduce the impact if it happens again.
        Mitigate = "mitigate", "Mitigate";
        /// Stop it happening again.
        Prevent = "prevent", "Prevent";
        /// Notice it sooner.
        Detect = "detect", "Detect";
        /// Change how the team works.
        Process = "process", "Process";
    }
}

text_enum! {
    /// How two postmortems are related.
    LinkKind {
        /// The target is an earlier occurrence of the same problem.
        EarlierOccurrence = "earlier_occurrence", "Earlier occurrence";
        /// The target is related in another way.
        Related = "related", "Related";
    }
}

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
/// Flattened into [`crate::IncidentInput`], [`crate::NewIncident`] and
/// [`crate::Incident`], so the import and export shapes stay flat.
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

    /// Checks every part, adding problems to `errors` under dotted field
    /// names (`timeline.2.at`, `hypotheses.0.confidence.1`), and returns the
    /// normalized parts.
    pub fn validate(&self, errors: &mut ValidationErrors) -> Parts {
        let mut out = Parts {
            status: canonical::<WriteupStatus>(
                "status",
                &self.status,
                WriteupStatus::Draft,
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
        if let Some(start) = out.started_at.as_deref().and_then(epoch_seconds) {
            for (field, value, what) in [
                ("detected_at", &out.detected_at, "detected"),
                ("mitigated_at", &out.mitigated_at, "mitigated"),
                ("resolved_at", &out.resolved_at, "resolved"),
            ] {
                if value
                    .as_deref()
                    .and_then(epoch_seconds)
                    .is_some_and(|t| t < start)
                {
                    errors.push(field, format!("it cannot be {what} before it started"));
                }
            }
        }
        if let (Some(m), Some(r)) = (
            out.mitigated_at.as_deref().and_then(epoch_seconds),
            out.resolved_at.as_deref().and_then(epoch_seconds),
        ) {
            if r < m {
                errors.push(
                    "resolved_at",
                    "it cannot be resolved before it was mitigated",
                );
            }
        }

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

        out.timeline = rows(errors, "timeline", &self.timeline, |e, f, row| {
            let at = row.at.trim();
            let at = if at.is_empty() {
                e.push(
                    &format!("{f}.at"),
                    "give a time: YYYY-MM-DD HH:MM, or T+mm:ss from the start",
                );
                String::new()
            } else if let Some(offset) = relative_seconds(at) {
                format_relative(offset)
            } else if let Some(abs) = normalize_datetime(at) {
                abs
            } else {
                e.push(
                    &format!("{f}.at"),
                    format!(
                        "{at:?} is not a time; use YYYY-MM-DD HH:MM, or T+mm:ss from the start"
                    ),
                );
                at.to_string()
            };
            TimelineEntry {
                at,
                kind: canonical(
                    &format!("{f}.kind"),
                    &row.kind,
                    TimelineKind::Observation,
                    TimelineKind::parse,
                    TimelineKind::names,
                    e,
                ),
                text: required(
                    e,
                    &format!("{f}.text"),
                    &row.text,
                    MAX_TEXT,
                    "say what happened",
                ),
                who: line(e, &format!("{f}.who"), &row.who, MAX_NAME),
            }
        });
        sort_timeline(&mut out.timeline, out.started_at.as_deref());

        out.evidence = rows(errors, "evidence", &self.evidence, |e, f, row| Evidence {
            kind: canonical(
                &format!("{f}.kind"),
                &row.kind,
                EvidenceKind::Other,
                EvidenceKind::parse,
                EvidenceKind::names,
                e,
            ),
            caption: line(e, &format!("{f}.caption"), &row.caption, MAX_LINE),
            // Verbatim: never trimmed, only refused when empty or huge.
            body: {
                if row.body.trim().is_empty() {
                    e.push(&format!("{f}.body"), "paste the material itself");
                } else if row.body.chars().count() > MAX_TEXT {
                    e.push(
                        &format!("{f}.body"),
                        format!("keep this under {MAX_TEXT} characters"),
                    );
                }
                row.body.clone()
            },
        });

        out.hypotheses = rows(errors, "hypotheses", &self.hypotheses, |e, f, row| {
            if row.confidence.len() > MAX_STEPS {
                e.push(
                    &format!("{f}.confidence"),
                    format!("at most {MAX_STEPS} steps"),
                );
            }
            let confidence = row
                .confidence
                .iter()
                .enumerate()
                .map(|(i, step)| {
                    if !(0..=100).contains(&step.value) {
                        e.push(
                            &format!("{f}.confidence.{i}"),
                            format!(
                                "confidence is a percentage from 0 to 100, not {}",
                                step.value
                            ),
                        );
                    }
                    ConfidenceStep {
                        value: step.value,
                        note: line(e, &format!("{f}.confidence.{i}.note"), &step.note, MAX_LINE),
                    }
                })
                .collect();
            Hypothesis {
                statement: required(
                    e,
                    &format!("{f}.statement"),
                    &row.statement,
                    MAX_LINE,
                    "state the hypothesis",
                ),
                confidence,
                evidence_for: text(e, &format!("{f}.evidence_for"), &row.evidence_for, MAX_TEXT),
                evidence_against: text(
                    e,
                    &format!("{f}.evidence_against"),
                    &row.evidence_against,
                    MAX_TEXT,
                ),
                outcome: canonical(
                    &format!("{f}.outcome"),
                    &row.outcome,
                    HypothesisOutcome::Open,
                    HypothesisOutcome::parse,
                    HypothesisOutcome::names,
                    e,
                ),
            }
        });

        out.whys = rows(errors, "whys", &self.whys, |e, f, row| Why {
            question: required(
                e,
                &format!("{f}.question"),
                &row.question,
                MAX_LINE,
                "ask the why",
            ),
            answer: text(e, &format!("{f}.answer"), &row.answer, MAX_TEXT),
            actionable: row.actionable,
        });

        out.causes = rows(errors, "causes", &self.causes, |e, f, row| {
            if row.confidence.is_some_and(|c| !(0..=100).contains(&c)) {
                e.push(
                    &format!("{f}.confidence"),
                    "confidence is a percentage from 0 to 100",
                );
            }
            Cause {
                level: canonical(
                    &format!("{f}.level"),
                    &row.level,
                    CauseLevel::Immediate,
                    CauseLevel::parse,
                    CauseLevel::names,
                    e,
                ),
                statement: required(
                    e,
                    &format!("{f}.statement"),
                    &row.statement,
                    MAX_TEXT,
                    "state the cause",
                ),
                confidence: row.confidence,
                evidence: text(e, &format!("{f}.evidence"), &row.evidence, MAX_TEXT),
            }
        });

        out.mitigations = rows(errors, "mitigations", &self.mitigations, |e, f, row| {
            MitigationAttempt {
                action: required(
                    e,
                    &format!("{f}.action"),
                    &row.action,
                    MAX_LINE,
                    "say what was tried",
                ),
                result: canonical(
                    &format!("{f}.result"),
                    &row.result,
                    MitigationResult::Unknown,
                    MitigationResult::parse,
                    MitigationResult::names,
                    e,
                ),
                note: text(e, &format!("{f}.note"), &row.note, MAX_TEXT),
            }
        });

        out.learnings = rows(errors, "learnings", &self.learnings, |e, f, row| {
            let kind = canonical(
                &format!("{f}.kind"),
                &row.kind,
                LearningKind::Process,
                LearningKind::parse,
                LearningKind::names,
                e,
            );
            let pattern = kind == LearningKind::Pattern.as_str();
            let learning = Learning {
                title: required(
                    e,
                    &format!("{f}.title"),
                    &row.title,
                    MAX_LINE,
                    if pattern {
                        "name the pattern"
                    } else {
                        "state the lesson"
                    },
                ),
                text: text(e, &format!("{f}.text"), &row.text, MAX_TEXT),
                symptoms: text(e, &format!("{f}.symptoms"), &row.symptoms, MAX_TEXT),
                root_cause: text(e, &format!("{f}.root_cause"), &row.root_cause, MAX_TEXT),
                detection: text(e, &format!("{f}.detection"), &row.detection, MAX_TEXT),
                resolution: text(e, &format!("{f}.resolution"), &row.resolution, MAX_TEXT),
                kind,
            };
            if pattern && learning.symptoms.is_empty() {
                e.push(
                    &format!("{f}.symptoms"),
                    "a pattern needs its symptoms: they are what search matches",
                );
            }
            learning
        });

        out.action_items = rows(errors, "action_items", &self.action_items, |e, f, row| {
            let due = row.due.as_deref().map(str::trim).filter(|d| !d.is_empty());
            if let Some(d) = due {
                if !is_calendar_date(d) {
                    e.push(
                        &format!("{f}.due"),
                        format!("{d:?} is not a date; use YYYY-MM-DD"),
                    );
                }
            }
            let tracker = line(e, &format!("{f}.tracker"), &row.tracker, 2_000);
            if tracker.contains(char::is_whitespace) {
                e.push(
                    &format!("{f}.tracker"),
                    "a tracker key (OPS-123) or a link, without spaces",
                );
            } else if tracker.contains(':') {
                let lower = tracker.to_ascii_lowercase();
                if !(lower.starts_with("https://") || lower.starts_with("http://")) {
                    e.push(
                        &format!("{f}.tracker"),
                        "a tracker link must start with http:// or https://",
                    );
                }
            }
            ActionItem {
                id: row.id,
                title: required(
                    e,
                    &format!("{f}.title"),
                    &row.title,
                    MAX_LINE,
                    "say what to do",
                ),
                owner: line(e, &format!("{f}.owner"), &row.owner, MAX_NAME),
                due: due.map(str::to_string),
                priority: canonical(
                    &format!("{f}.priority"),
                    &row.priority,
                    Priority::Medium,
                    Priority::parse,
                    Priority::names,
                    e,
                ),
                status: canonical(
                    &format!("{f}.status"),
                    &row.status,
                    ActionStatus::Open,
                    ActionStatus::parse,
                    ActionStatus::names,
                    e,
                ),
                kind: canonical(
                    &format!("{f}.kind"),
                    &row.kind,
                    ActionKind::Prevent,
                    ActionKind::parse,
                    ActionKind::names,
                    e,
                ),
                tracker,
                expected_effect: text(
                    e,
                    &format!("{f}.expected_effect"),
                    &row.expected_effect,
                    MAX_TEXT,
                ),
            }
        });

        out.links = rows(errors, "links", &self.links, |e, f, row| {
            let target = line(e, &format!("{f}.target"), &row.target, 201);
            if target.is_empty() {
                e.push(&format!("{f}.target"), "choose the postmortem to link to");
            }
            Link {
                target,
                kind: canonical(
                    &format!("{f}.kind"),
                    &row.kind,
                    LinkKind::Related,
                    LinkKind::parse,
                    LinkKind::names,
                    e,
                ),
                note: line(e, &format!("{f}.note"), &row.note, MAX_LINE),
            }
        });
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

/// `YYYY-MM-DD HH:MM`, `YYYY-MM-DDTHH:MM:SS`, optionally ending in `Z`
/// (all times are UTC) → `YYYY-MM-DDTHH:MM:SSZ`.
pub fn normalize_datetime(text: &str) -> Option<String> {
    let t = text.trim();
    let t = t
        .strip_suffix('Z')
        .or_else(|| t.strip_suffix('z'))
        .unwrap_or(t);
    if t.len() < 16 || !t.is_char_boundary(10) {
        return None;
    }
    let (date, rest) = t.split_at(10);
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    if !is_calendar_date(date) {
        return None;
    }
    let parts: Vec<&str> = rest.split(':').collect();
    let num = |s: &str, max: u32| -> Option<u32> {
        (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
            .filter(|v| *v <= max)
    };
    let (h, m, s) = match parts.as_slice() {
        [h, m] => (num(h, 23)?, num(m, 59)?, 0),
        [h, m, s] => (num(h, 23)?, num(m, 59)?, num(s, 59)?),
        _ => return None,
    };
    Some(format!("{date}T{h:02}:{m:02}:{s:02}Z"))
}

/// Seconds since 1970 of a normalized (or any accepted) date-time.
pub fn epoch_seconds(text: &str) -> Option<i64> {
    let n = normalize_datetime(text)?;
    let y: i64 = n[0..4].parse().ok()?;
    let mo: i64 = n[5..7].parse().ok()?;
    let d: i64 = n[8..10].parse().ok()?;
    let h: i64 = n[11..13].parse().ok()?;
    let mi: i64 = n[14..16].parse().ok()?;
    let s: i64 = n[17..19].parse().ok()?;
    // Days from civil date (Howard Hinnant's algorithm).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3_600 + mi * 60 + s)
}

/// `T+mm:ss`, `T+hh:mm:ss` or `T-mm:ss` → signed seconds from the start.
pub fn relative_seconds(text: &str) -> Option<i64> {
    let t = text.trim();
    let rest = t.strip_prefix(['T', 't'])?;
    let (sign, rest) = match rest.as_bytes().first()? {
        b'+' => (1, &rest[1..]),
        b'-' => (-1, &rest[1..]),
        _ => return None,
    };
    let parts: Vec<&str> = rest.split(':').collect();
    let num = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let secs = match parts.as_slice() {
        [m, s] => {
            let s = num(s).filter(|s| *s < 60)?;
            num(m)? * 60 + s
        }
        [h, m, s] => {
            let m = num(m).filter(|m| *m < 60)?;
            let s = num(s).filter(|s| *s < 60)?;
            num(h)? * 3_600 + m * 60 + s
        }
        _ => return None,
    };
    Some(sign * secs)
}

/// Signed seconds → `T+mm:ss` (or `T+h:mm:ss` past an hour).
pub fn format_relative(seconds: i64) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    if s >= 3_600 {
        format!("T{sign}{}:{:02}:{:02}", s / 3_600, (s / 60) % 60, s % 60)
    } else {
        format!("T{sign}{:02}:{:02}", s / 60, s % 60)
    }
}

/// Orders entries by when they happened. Relative entries are placed from
/// the start time when there is one; without it they come first, in their
/// own order. Entries with unreadable times keep their place at the end.
pub fn sort_timeline(entries: &mut [TimelineEntry], started_at: Option<&str>) {
    let start = started_at.and_then(epoch_seconds);
    let key = |e: &TimelineEntry| -> (u8, i64) {
        match (relative_seconds(&e.at), epoch_seconds(&e.at), start) {
            (Some(off), _, Some(st)) => (1, st + off),
            (Some(off), _, None) => (0, off),
            (None, Some(abs), _) => (1, abs),
            (None, None, _) => (2, 0),
        }
    };
    entries.sort_by_key(key);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_forgive_spelling_and_refuse_the_unknown() {
        assert_eq!(
            WriteupStatus::parse("In review"),
            Some(WriteupStatus::InReview)
        );
        assert_eq!(
            WriteupStatus::parse("IN-REVIEW"),
            Some(WriteupStatus::InReview)
        );
        assert_eq!(WriteupStatus::parse("shipped"), None);
        let parts = Parts {
            status: "shipped".into(),
            ..Parts::default()
        };
        let mut errors = ValidationErrors::default();
        parts.validate(&mut errors);
        assert!(errors
            .for_field("status")
            .unwrap()
            .contains("draft, in_review, published"));
    }

    #[test]
    fn times_normalize_and_relative_times_sort_from_the_start() {
        assert_eq!(
            normalize_datetime("2024-03-15 14:32").as_deref(),
            Some("2024-03-15T14:32:00Z")
        );
        assert_eq!(
            normalize_datetime("2024-03-15T14:32:09Z").as_deref(),
            Some("2024-03-15T14:32:09Z")
        );
        assert_eq!(normalize_datetime("2024-03-15 25:00"), None);
        assert_eq!(relative_seconds("T+05:30"), Some(330));
        assert_eq!(relative_seconds("T+1:02:03"), Some(3_723));
        assert_eq!(relative_seconds("T+5:60"), None);
        let parts = Parts {
            started_at: Some("2024-03-15 14:00".into()),
            timeline: vec![
                TimelineEntry {
                    at: "2024-03-15 14:20".into(),
                    text: "third".into(),
                    ..Default::default()
                },
                TimelineEntry {
                    at: "T+5:00".into(),
                    text: "second".into(),
                    ..Default::default()
                },
                TimelineEntry {
                    at: "2024-03-15 14:01".into(),
                    text: "first".into(),
                    ..Default::default()
                },
            ],
            ..Parts::default()
        };
        let mut errors = ValidationErrors::default();
        let out = parts.validate(&mut errors);
        assert!(errors.is_empty(), "{errors}");
        let texts: Vec<_> = out.timeline.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(texts, ["first", "second", "third"]);
        assert_eq!(out.timeline[1].at, "T+05:00");
        assert_eq!(out.timeline[1].kind, "observation");
    }

    #[test]
    fn each_part_reports_its_own_field() {
        let parts = Parts {
            started_at: Some("2024-03-15 14:00".into()),
            resolved_at: Some("2024-03-15 13:00".into()),
            hypotheses: vec![Hypothesis {
                statement: "pool exhausted".into(),
                confidence: vec![
                    ConfidenceStep {
                        value: 70,
                        note: String::new(),
                    },
                    ConfidenceStep {
                        value: 140,
                        note: String::new(),
                    },
                ],
                ..Default::default()
            }],
            action_items: vec![ActionItem {
                title: "add alert".into(),
                status: "finished".into(),
                due: Some("next week".into()),
                ..Default::default()
            }],
            learnings: vec![Learning {
                kind: "pattern".into(),
                title: "Retry storm".into(),
                ..Default::default()
            }],
            ..Parts::default()
        };
        let mut errors = ValidationErrors::default();
        parts.validate(&mut errors);
        assert_eq!(
            errors.for_field("resolved_at"),
            Some("it cannot be resolved before it started")
        );
        assert!(errors
            .for_field("hypotheses.0.confidence.1")
            .unwrap()
            .contains("0 to 100"));
        assert!(errors.for_field("hypotheses.0.confidence.0").is_none());
        assert!(errors
            .for_field("action_items.0.status")
            .unwrap()
            .contains("wont_do"));
        assert!(errors.for_field("action_items.0.due").is_some());
        assert!(errors.for_field("learnings.0.symptoms").is_some());
    }

    #[test]
    fn durations_count_minutes_from_the_start() {
        let parts = Parts {
            started_at: Some("2024-03-15T14:00:00Z".into()),
            detected_at: Some("2024-03-15T14:12:00Z".into()),
            resolved_at: Some("2024-03-15T16:35:00Z".into()),
            ..Parts::default()
        };
        let d = parts.durations();
        assert_eq!(d.to_detect, Some(12));
        assert_eq!(d.to_mitigate, None);
        assert_eq!(format_minutes(d.to_resolve.unwrap()), "2 h 35 min");
        assert_eq!(epoch_seconds("1970-01-02T00:00:00Z"), Some(86_400));
    }
}
