//! The rules an incoming postmortem's header must satisfy, the errors that
//! name every field breaking one, and the checks of typed dates and lists
//! the rest of the crate shares.

use super::{
    NewPostmortem, PostmortemInput, MAX_EXTERNAL_ID, MAX_NAME, MAX_NAMES, MAX_TEXT, MAX_TITLE,
    MAX_URL,
};
use crate::Severity;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One field that failed validation and why, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The input field's name, as in [`PostmortemInput`]'s serialized form.
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

impl PostmortemInput {
    /// Checks every field and returns either a clean [`NewPostmortem`] or all
    /// the problems found.
    pub fn validate(&self) -> Result<NewPostmortem, ValidationErrors> {
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
        Ok(NewPostmortem {
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

impl PostmortemInput {
    /// As [`PostmortemInput::validate`], for a postmortem written in Hindsight
    /// itself: there the author must rate its severity. (Imports and the API
    /// accept reports that never had one.)
    pub fn validate_authored(&self) -> Result<NewPostmortem, ValidationErrors> {
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
