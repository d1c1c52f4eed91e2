//! The postmortem record as the walking skeleton knows it, and the rules an
//! incoming one must satisfy.
//!
//! Input arrives from three doors (the browser form, `POST /api/v1/incidents`
//! and `hindsight import`) and all of them go through
//! [`PostmortemInput::validate`], so the rules live in exactly one place.
//!
//! - `validate`: [`PostmortemInput::validate`], the field errors it reports
//!   and the checks of typed dates and lists it is made of.
//! - [`form`]: the editor's HTML form fields, to and from an input.

use crate::record::Parts;
use crate::Severity;
use serde::{Deserialize, Serialize};

/// Longest accepted title, in characters: Jira's summary limit, so an
/// imported ticket's title always fits.
pub const MAX_TITLE: usize = 255;
/// Longest accepted markdown or free-text field, in characters.
pub const MAX_TEXT: usize = 100_000;
/// Longest accepted service or label name, in characters.
pub const MAX_NAME: usize = 100;
/// Most services or labels on one postmortem.
pub const MAX_NAMES: usize = 50;
/// Longest accepted external id, in characters.
pub const MAX_EXTERNAL_ID: usize = 200;
/// Longest accepted source URL, in characters.
pub const MAX_URL: usize = 2_000;
/// Postmortems per page of the list.
pub const PAGE_SIZE: i64 = 50;

/// A postmortem as submitted, before validation. Field names follow the
/// import format (`id` is the caller's own identifier for the incident).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PostmortemInput {
    /// The caller's id for this incident; re-importing the same id updates it.
    #[serde(default, rename = "id")]
    pub external_id: Option<String>,
    /// Short description of what happened.
    #[serde(default)]
    pub title: String,
    /// `SEV1`–`SEV4`; absent for imported reports that never had one.
    #[serde(default)]
    pub severity: Option<String>,
    /// Day the incident started, `YYYY-MM-DD`.
    #[serde(default)]
    pub date: Option<String>,
    /// Markdown summary.
    #[serde(default)]
    pub summary: String,
    /// Markdown: who and what was affected.
    #[serde(default)]
    pub impact: String,
    /// Markdown: why it happened.
    #[serde(default)]
    pub root_cause: String,
    /// Markdown: what stopped it.
    #[serde(default)]
    pub mitigation: String,
    /// Services affected.
    #[serde(default)]
    pub services: Vec<String>,
    /// Free-form labels, e.g. a root-cause taxonomy path.
    #[serde(default)]
    pub labels: Vec<String>,
    /// Where the original write-up lives.
    #[serde(default)]
    pub url: Option<String>,
    /// The structured record: clock, impact, timeline, causes, ...
    #[serde(flatten)]
    pub parts: Parts,
}

/// An input that passed validation: trimmed, parsed and within limits.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewPostmortem {
    /// See [`PostmortemInput::external_id`].
    pub external_id: Option<String>,
    /// Non-empty, at most [`MAX_TITLE`] characters.
    pub title: String,
    /// Parsed severity, if one was given.
    pub severity: Option<Severity>,
    /// A real calendar date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Markdown summary.
    pub summary: String,
    /// Markdown impact.
    pub impact: String,
    /// Markdown root cause.
    pub root_cause: String,
    /// Markdown mitigation.
    pub mitigation: String,
    /// Trimmed, non-empty, de-duplicated.
    pub services: Vec<String>,
    /// Trimmed, non-empty, de-duplicated.
    pub labels: Vec<String>,
    /// An `http(s)` URL.
    pub url: Option<String>,
    /// Validated and normalized parts.
    #[serde(flatten)]
    pub parts: Parts,
}

/// A stored postmortem as the skeleton shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Postmortem {
    /// Hindsight's id.
    pub id: i64,
    /// The importer's id, if it came from outside.
    pub external_id: Option<String>,
    /// Short description.
    pub title: String,
    /// SEV1–SEV4, if known.
    pub severity: Option<Severity>,
    /// Day it started.
    pub date: Option<String>,
    /// Markdown source.
    pub summary: String,
    /// Markdown source.
    pub impact: String,
    /// Markdown source.
    pub root_cause: String,
    /// Markdown source.
    pub mitigation: String,
    /// Services affected.
    pub services: Vec<String>,
    /// Labels.
    pub labels: Vec<String>,
    /// Original write-up.
    pub url: Option<String>,
    /// The structured record.
    #[serde(flatten)]
    pub parts: Parts,
    /// Bumped on every save; the basis of stale-edit detection.
    pub version: i64,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
    /// Who moved the write-up to published, if it is published.
    pub published_by: Option<String>,
    /// When, RFC 3339 UTC.
    pub published_at: Option<String>,
    /// Links in both directions, with the other side's title, for display.
    pub related: Vec<Related>,
}

/// The other end of a link, seen from one postmortem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    /// The other postmortem.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// The day it started, if known.
    pub date: Option<String>,
    /// A [`crate::record::LinkKind`] name, as the link was made.
    pub kind: String,
    /// True when this postmortem made the link; false when the other did.
    pub outgoing: bool,
    /// Why they are linked.
    pub note: String,
}

impl From<&Postmortem> for PostmortemInput {
    /// The stored record as an input, the starting point of an edit.
    fn from(i: &Postmortem) -> Self {
        PostmortemInput {
            external_id: i.external_id.clone(),
            title: i.title.clone(),
            severity: i.severity.map(|s| s.as_str().to_string()),
            date: i.date.clone(),
            summary: i.summary.clone(),
            impact: i.impact.clone(),
            root_cause: i.root_cause.clone(),
            mitigation: i.mitigation.clone(),
            services: i.services.clone(),
            labels: i.labels.clone(),
            url: i.url.clone(),
            parts: i.parts.clone(),
        }
    }
}

impl PostmortemInput {
    /// What this postmortem looks like from the outside, as one text: the
    /// parts an on-call engineer would recognise in a new incident (title,
    /// summary, impact, pattern symptoms, evidence). The query behind
    /// "similar incidents" and "seen before?".
    pub fn symptom_text(&self) -> String {
        let p = &self.parts;
        let mut parts: Vec<&str> = vec![&self.title, &self.summary, &self.impact];
        parts.extend(p.learnings.iter().map(|l| l.symptoms.as_str()));
        parts.extend(p.evidence.iter().map(|e| e.body.as_str()));
        parts.retain(|t| !t.trim().is_empty());
        parts.join("\n")
    }
}

impl From<&NewPostmortem> for PostmortemInput {
    /// A validated record as input again (a revision to restore, an export
    /// to re-import): validating it gives back the same record.
    fn from(n: &NewPostmortem) -> Self {
        PostmortemInput {
            external_id: n.external_id.clone(),
            title: n.title.clone(),
            severity: n.severity.map(|s| s.as_str().to_string()),
            date: n.date.clone(),
            summary: n.summary.clone(),
            impact: n.impact.clone(),
            root_cause: n.root_cause.clone(),
            mitigation: n.mitigation.clone(),
            services: n.services.clone(),
            labels: n.labels.clone(),
            url: n.url.clone(),
            parts: n.parts.clone(),
        }
    }
}

impl Postmortem {
    /// Whether its clock runs: started, not resolved, its write-up not yet
    /// under review. The store's list of ongoing incidents says the same in
    /// SQL; `db/tests/store.rs` holds the two to one answer.
    pub fn is_ongoing(&self) -> bool {
        self.parts.started_at.is_some()
            && self.parts.resolved_at.is_none()
            && self.parts.status == "draft"
    }

    /// The stored content as a validated record, for comparing and exporting.
    pub fn content(&self) -> NewPostmortem {
        NewPostmortem {
            external_id: self.external_id.clone(),
            title: self.title.clone(),
            severity: self.severity,
            date: self.date.clone(),
            summary: self.summary.clone(),
            impact: self.impact.clone(),
            root_cause: self.root_cause.clone(),
            mitigation: self.mitigation.clone(),
            services: self.services.clone(),
            labels: self.labels.clone(),
            url: self.url.clone(),
            parts: self.parts.clone(),
        }
    }
}

/// One line of the postmortem list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostmortemRow {
    /// Hindsight's id.
    pub id: i64,
    /// Short description.
    pub title: String,
    /// SEV1–SEV4, if known.
    pub severity: Option<Severity>,
    /// Day it started.
    pub date: Option<String>,
    /// Services affected.
    pub services: Vec<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// A [`crate::record::WriteupStatus`] name.
    pub status: String,
    /// Restricted to named people and groups.
    #[serde(default)]
    pub private: bool,
}

/// One saved state of a postmortem: who saved it and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    /// The version this save produced; 1 is the creation.
    pub version: i64,
    /// Who saved it.
    pub author: String,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// One page of the postmortem list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostmortemList {
    /// Newest first.
    pub rows: Vec<PostmortemRow>,
    /// How many postmortems there are in all, for paging.
    pub total: i64,
}

pub mod form;
mod validate;

pub use validate::{is_calendar_date, split_list, FieldError, ValidationErrors};

#[cfg(test)]
mod tests;
