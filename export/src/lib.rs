//! Postmortems as files, out and back in: the formats `hindsight export`
//! writes, `hindsight import` reads and the HTTP export serves.
//!
//! - [`json`]: one postmortem as pretty JSON, and every postmortem as JSON
//!   Lines (one object per line, the corpus format `hindsight import` has
//!   always read).
//! - [`markdown`]: one postmortem as markdown with YAML front matter; the
//!   narrative is the body, everything else is in the front matter.
//! - [`text`]: a file's bytes as the UTF-8 text the readers take.
//!
//! Every format carries a record in the [`PostmortemInput`] shape, with the
//! same key names, so what a person learns editing one applies to the
//! other, and the JSON export can be posted to the API as it is. Readers
//! give back exactly what the writers were given (`read(write(x)) == x`),
//! whatever the text holds; validation is not their business: the caller
//! passes what they read to `Core::import_one`, so the rules stay in one
//! place.
//!
//! This crate is for the server and the command line only; `app` and
//! `frontend` never depend on it, so no YAML code reaches the browser.

pub mod json;
pub mod markdown;
pub mod text;

mod error;
mod nesting;
mod shape;

pub use error::ExportError;

use kb_domain::PostmortemInput;
use std::fmt;
use std::str::FromStr;

/// The key naming the format's version in a JSON document and in front
/// matter. JSON Lines leave it out, as the corpus format always has.
pub const FORMAT_KEY: &str = "hindsight_format";

/// The version this build writes and the newest it reads. A reader refuses
/// a newer one rather than silently dropping what it does not understand.
pub const FORMAT_VERSION: u64 = 1;

/// Every field of [`PostmortemInput`], in the order markdown's front matter
/// writes them: the header, the clock, the impact, the causes and fix in a
/// line, then the lists; last the narrative, which markdown writes as its
/// body. With [`FORMAT_KEY`] these are the keys the formats know: any other
/// key is ignored, and reported to the caller in [`Parsed::unknown_keys`].
pub const FIELDS: &[&str] = &[
    "id",
    "title",
    "severity",
    "status",
    "date",
    "services",
    "labels",
    "teams",
    "authors",
    "url",
    "summary",
    "started_at",
    "detected_at",
    "mitigated_at",
    "resolved_at",
    "users_affected",
    "requests_failed",
    "money_lost",
    "currency",
    "impact",
    "root_cause",
    "mitigation",
    "timeline",
    "evidence",
    "hypotheses",
    "whys",
    "causes",
    "mitigations",
    "learnings",
    "action_items",
    "links",
    "access",
    "narrative",
];

/// Whether a top-level key is one the formats know.
pub fn is_known_key(key: &str) -> bool {
    key == FORMAT_KEY || FIELDS.contains(&key)
}

/// One record read from a file, not yet validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The record, exactly as written.
    pub input: PostmortemInput,
    /// Top-level keys not in [`FIELDS`], in the order met; they were
    /// ignored.
    pub unknown_keys: Vec<String>,
}

/// A format one postmortem can be exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown with YAML front matter.
    Markdown,
    /// Pretty JSON (one), JSON Lines (all).
    Json,
}

impl Format {
    /// The file extension for one postmortem, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Json => "json",
        }
    }

    /// The media type of one postmortem in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Json => "application/json",
        }
    }

    /// One postmortem in this format.
    pub fn write(self, input: &PostmortemInput) -> Result<String, ExportError> {
        match self {
            Format::Markdown => markdown::write(input),
            Format::Json => json::write(input),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Markdown => "markdown",
            Format::Json => "json",
        })
    }
}

impl FromStr for Format {
    type Err = ExportError;

    /// `markdown` (or `md`) and `json`, in any case.
    fn from_str(s: &str) -> Result<Format, ExportError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "markdown" | "md" => Ok(Format::Markdown),
            "json" => Ok(Format::Json),
            _ => Err(ExportError::UnknownFormat(s.to_string())),
        }
    }
}

/// The file name for one exported postmortem: its Hindsight id, zero-padded
/// so that names sort in id order, then its title as a slug:
/// `000042-checkout-fails-every-20-minutes.md`.
///
/// The id makes names unique and stable across exports (a title edit aside);
/// the order matters because an import of a folder goes by name, and a
/// postmortem usually links to an earlier one, which then comes first.
pub fn file_name(id: i64, title: &str, format: Format) -> String {
    format!("{id:06}-{}.{}", slug(title), format.extension())
}

/// Longest slug [`file_name`] uses, in bytes (all ASCII).
const MAX_SLUG: usize = 60;

/// A title as lower-case ASCII words joined by `-`, at most 60 characters,
/// cut at a word boundary; `postmortem` when nothing is left. Safe in any
/// file system and in a `Content-Disposition` header without quoting.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('-');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
    if out.len() > MAX_SLUG {
        let cut = out[..=MAX_SLUG].rfind('-').unwrap_or(MAX_SLUG);
        out.truncate(cut);
    }
    if out.is_empty() {
        out.push_str("postmortem");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_keys_are_exactly_the_input_fields() {
        let serde_json::Value::Object(map) =
            serde_json::to_value(PostmortemInput::default()).unwrap()
        else {
            panic!("an object");
        };
        let mut expected: Vec<&str> = map.keys().map(String::as_str).collect();
        expected.push(FORMAT_KEY);
        expected.sort_unstable();
        let mut known = FIELDS.to_vec();
        known.push(FORMAT_KEY);
        known.sort_unstable();
        assert_eq!(known, expected);
    }

    #[test]
    fn formats_parse_and_name_themselves() {
        assert_eq!("Markdown".parse::<Format>().unwrap(), Format::Markdown);
        assert_eq!("md".parse::<Format>().unwrap(), Format::Markdown);
        assert_eq!("json".parse::<Format>().unwrap(), Format::Json);
        let err = "xml".parse::<Format>().unwrap_err().to_string();
        assert!(
            err.contains("\"xml\"") && err.contains("markdown or json"),
            "{err}"
        );
        assert_eq!(Format::Markdown.to_string(), "markdown");
    }

    #[test]
    fn file_names_are_safe_sortable_and_readable() {
        assert_eq!(
            file_name(42, "Checkout fails every 20 minutes!", Format::Markdown),
            "000042-checkout-fails-every-20-minutes.md"
        );
        assert_eq!(
            file_name(7, "../../etc/passwd", Format::Json),
            "000007-etc-passwd.json"
        );
        assert_eq!(
            file_name(1, "🚨 ошибка", Format::Json),
            "000001-postmortem.json"
        );
        assert_eq!(slug("  Ünïcode -- Redis / DNS  "), "n-code-redis-dns");
        let long = slug(&"word ".repeat(40));
        assert!(long.len() <= MAX_SLUG && !long.ends_with('-'), "{long}");
        let unbroken = slug(&"x".repeat(100));
        assert_eq!(unbroken.len(), MAX_SLUG);
        assert!(file_name(9, "a", Format::Json) < file_name(10, "a", Format::Json));
    }
}
