//! The postmortem record as the walking skeleton knows it, and the rules an
//! incoming one must satisfy.
//!
//! Input arrives from three doors (the browser form, `POST /api/v1/incidents`
//! and `hindsight import`) and all of them go through
//! [`IncidentInput::validate`], so the rules live in exactly one place.

use crate::record::Parts;
use crate::Severity;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest accepted title, in characters.
pub const MAX_TITLE: usize = 200;
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
pub struct IncidentInput {
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewIncident {
    /// See [`IncidentInput::external_id`].
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

/// One field that failed validation and why, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The input field's name, as in [`IncidentInput`]'s serialized form.
    pub field: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// Every problem found in one input, so a form can mark all fields at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// Records one problem.
    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_string(),
            message: message.into(),
        });
    }

    /// The message for `field`, if it failed.
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// True when no field failed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", e.field, e.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

impl IncidentInput {
    /// Checks every field and returns either a clean [`NewIncident`] or all
    /// the problems found.
    pub fn validate(&self) -> Result<NewIncident, ValidationErrors> {
        let mut errors = ValidationErrors::default();

        let title = self.title.trim().to_string();
        if title.is_empty() {
            errors.push("title", "a title is required");
        } else if title.chars().count() > MAX_TITLE {
            errors.push(
                "title",
                format!("keep the title under {MAX_TITLE} characters"),
            );
        }

        let severity = match non_empty(&self.severity) {
            None => None,
            Some(s) => match s.parse::<Severity>() {
                Ok(sev) => Some(sev),
                Err(e) => {
                    errors.push("severity", e.to_string());
                    None
                }
            },
        };

        let date = non_empty(&self.date).map(str::to_string);
        if let Some(d) = &date {
            if !is_calendar_date(d) {
                errors.push("date", format!("{d:?} is not a date; use YYYY-MM-DD"));
            }
        }

        for (field, text) in [
            ("summary", &self.summary),
            ("impact", &self.impact),
            ("root_cause", &self.root_cause),
            ("mitigation", &self.mitigation),
        ] {
            if text.chars().count() > MAX_TEXT {
                errors.push(field, format!("keep this under {MAX_TEXT} characters"));
            }
        }

        let services = clean_names("services", &self.services, &mut errors);
        let labels = clean_names("labels", &self.labels, &mut errors);

        let external_id = non_empty(&self.external_id).map(str::to_string);
        if external_id
            .as_deref()
            .is_some_and(|id| id.chars().count() > MAX_EXTERNAL_ID)
        {
            errors.push(
                "id",
                format!("keep the id under {MAX_EXTERNAL_ID} characters"),
            );
        }

        let url = non_empty(&self.url).map(str::to_string);
        if let Some(u) = &url {
            let lower = u.to_ascii_lowercase();
            if !(lower.starts_with("https://") || lower.starts_with("http://")) {
                errors.push("url", "the link must start with http:// or https://");
            } else if u.chars().count() > MAX_URL || u.chars().any(char::is_whitespace) {
                errors.push("url", "the link is not a valid URL");
            }
        }

        let parts = self.parts.validate(&mut errors);
        // The day is derivable from the clock; keep the two in step when
        // only the clock was given.
        let date = date.or_else(|| parts.started_at.as_ref().map(|t| t[..10].to_string()));

        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewIncident {
            external_id,
            title,
            severity,
            date,
            summary: self.summary.clone(),
            impact: self.impact.clone(),
            root_cause: self.root_cause.clone(),
            mitigation: self.mitigation.clone(),
            services,
            labels,
            url,
            parts,
        })
    }
}

impl IncidentInput {
    /// As [`IncidentInput::validate`], for a postmortem written in Hindsight
    /// itself: there the author must rate its severity. (Imports and the API
    /// accept reports that never had one.)
    pub fn validate_authored(&self) -> Result<NewIncident, ValidationErrors> {
        let missing = non_empty(&self.severity).is_none();
        match (self.validate(), missing) {
            (Ok(new), false) => Ok(new),
            (Ok(_), true) => {
                let mut errors = ValidationErrors::default();
                errors.push("severity", "choose a severity");
                Err(errors)
            }
            (Err(mut errors), true) => {
                errors.push("severity", "choose a severity");
                Err(errors)
            }
            (Err(errors), false) => Err(errors),
        }
    }
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn clean_names(field: &str, names: &[String], errors: &mut ValidationErrors) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        if name.chars().count() > MAX_NAME {
            errors.push(
                field,
                format!("{name:?} is longer than {MAX_NAME} characters"),
            );
            continue;
        }
        // Services are names, not free text: "Payments" and "payments" are
        // the same service and should facet together.
        if !out.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            out.push(name.to_string());
        }
    }
    if out.len() > MAX_NAMES {
        errors.push(field, format!("at most {MAX_NAMES} entries"));
    }
    out
}

/// Splits a comma-separated list as typed into a form field.
pub fn split_list(text: &str) -> Vec<String> {
    text.split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// `YYYY-MM-DD` naming a day that exists (leap years included).
pub fn is_calendar_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &s[r];
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    y >= 1970 && (1..=days).contains(&d)
}

/// A stored postmortem as the skeleton shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
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

impl From<&Incident> for IncidentInput {
    /// The stored record as an input, the starting point of an edit.
    fn from(i: &Incident) -> Self {
        IncidentInput {
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

impl IncidentInput {
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

impl From<&NewIncident> for IncidentInput {
    /// A validated record as input again (a revision to restore, an export
    /// to re-import): validating it gives back the same record.
    fn from(n: &NewIncident) -> Self {
        IncidentInput {
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

impl Incident {
    /// The stored content as a validated record, for comparing and exporting.
    pub fn content(&self) -> NewIncident {
        NewIncident {
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
pub struct IncidentRow {
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
pub struct IncidentPage {
    /// Newest first.
    pub rows: Vec<IncidentRow>,
    /// How many postmortems there are in all, for paging.
    pub total: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> IncidentInput {
        IncidentInput {
            title: "Checkout timeouts".into(),
            severity: Some("SEV2".into()),
            ..Default::default()
        }
    }

    #[test]
    fn accepts_a_minimal_incident() {
        let ok = valid().validate().unwrap();
        assert_eq!(ok.title, "Checkout timeouts");
        assert_eq!(ok.severity, Some(Severity::Sev2));
    }

    #[test]
    fn empty_title_and_unknown_severity_are_field_errors() {
        let input = IncidentInput {
            title: "   ".into(),
            severity: Some("SEV9".into()),
            ..Default::default()
        };
        let errs = input.validate().unwrap_err();
        assert_eq!(errs.for_field("title"), Some("a title is required"));
        assert!(errs.for_field("severity").unwrap().contains("SEV9"));
    }

    #[test]
    fn authored_postmortems_need_a_severity() {
        let input = IncidentInput {
            severity: None,
            ..valid()
        };
        assert!(input.validate().is_ok());
        let errs = input.validate_authored().unwrap_err();
        assert_eq!(errs.for_field("severity"), Some("choose a severity"));
    }

    #[test]
    fn dates_must_exist() {
        for good in ["2024-02-29", "2012-10-22", "1999-12-31"] {
            assert!(is_calendar_date(good), "{good}");
        }
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-1-1",
            "yesterday",
            "2024-04-31",
        ] {
            assert!(!is_calendar_date(bad), "{bad}");
        }
    }

    #[test]
    fn names_are_trimmed_and_deduplicated() {
        let input = IncidentInput {
            services: vec![
                " payments ".into(),
                "Payments".into(),
                "".into(),
                "redis".into(),
            ],
            ..valid()
        };
        assert_eq!(
            input.validate().unwrap().services,
            vec!["payments", "redis"]
        );
    }

    #[test]
    fn only_web_links() {
        let input = IncidentInput {
            url: Some("javascript:alert(1)".into()),
            ..valid()
        };
        assert!(input.validate().unwrap_err().for_field("url").is_some());
    }

    #[test]
    fn import_line_shape_deserializes() {
        let line =
            r#"{"id":"aws-1","title":"T","services":["EC2"],"labels":["a/b"],"date":"2012-10-22"}"#;
        let input: IncidentInput = serde_json::from_str(line).unwrap();
        assert_eq!(input.external_id.as_deref(), Some("aws-1"));
        assert_eq!(input.validate().unwrap().services, vec!["EC2"]);
    }
}
