//! The record as the readers take it apart: the header fields and the
//! parts, each deserialized on its own from the same source text.
//!
//! Why not deserialize [`PostmortemInput`] directly: its parts are
//! `#[serde(flatten)]`ed, and serde reads a flattened struct from a buffered
//! copy of the values. That copy has lost the position and path of a type
//! error ("invalid type: string, expected i64", but where?), and in YAML it
//! has already read `who: 123` as a number before anyone asked for a text.
//! Reading [`Header`] and [`Parts`] separately from the source keeps both.

use crate::{is_known_key, ExportError, FORMAT_VERSION};
use kb_domain::record::Parts;
use kb_domain::PostmortemInput;
use serde::{Deserialize, Serialize};

/// [`PostmortemInput`] without its parts, plus the format version. Field for
/// field the same serde names and defaults; a test keeps them in step.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Header {
    /// See [`crate::FORMAT_KEY`].
    pub hindsight_format: Option<u64>,
    #[serde(rename = "id")]
    pub external_id: Option<String>,
    pub title: String,
    pub severity: Option<String>,
    pub date: Option<String>,
    pub summary: String,
    pub impact: String,
    pub root_cause: String,
    pub mitigation: String,
    pub services: Vec<String>,
    pub labels: Vec<String>,
    pub url: Option<String>,
}

impl Header {
    /// The whole record.
    pub fn join(self, parts: Parts) -> PostmortemInput {
        PostmortemInput {
            external_id: self.external_id,
            title: self.title,
            severity: self.severity,
            date: self.date,
            summary: self.summary,
            impact: self.impact,
            root_cause: self.root_cause,
            mitigation: self.mitigation,
            services: self.services,
            labels: self.labels,
            url: self.url,
            parts,
        }
    }
}

/// Refuses a file from a newer Hindsight before anything else is read:
/// its shape may differ, and "wrong type" errors would hide the reason.
pub(crate) fn check_version(version: Option<u64>) -> Result<(), ExportError> {
    match version {
        Some(found) if found > FORMAT_VERSION => Err(ExportError::NewerFormat { found }),
        _ => Ok(()),
    }
}

/// The keys the formats do not know, in the order given.
pub(crate) fn unknown_keys<'a>(keys: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    keys.into_iter()
        .filter(|k| !is_known_key(k))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FORMAT_KEY;

    fn keys(v: serde_json::Value) -> Vec<String> {
        let serde_json::Value::Object(map) = v else {
            panic!("an object");
        };
        let mut keys: Vec<String> = map.keys().cloned().collect();
        keys.sort_unstable();
        keys
    }

    #[test]
    fn header_and_parts_together_are_the_input() {
        let mut split = keys(serde_json::to_value(Header::default()).unwrap());
        split.extend(keys(serde_json::to_value(Parts::default()).unwrap()));
        split.sort_unstable();
        let mut whole = keys(serde_json::to_value(PostmortemInput::default()).unwrap());
        whole.push(FORMAT_KEY.to_string());
        whole.sort_unstable();
        assert_eq!(split, whole);
    }

    #[test]
    fn join_keeps_every_header_field() {
        let header = Header {
            hindsight_format: Some(1),
            external_id: Some("x".into()),
            title: "t".into(),
            severity: Some("SEV1".into()),
            date: Some("2024-01-01".into()),
            summary: "s".into(),
            impact: "i".into(),
            root_cause: "r".into(),
            mitigation: "m".into(),
            services: vec!["a".into()],
            labels: vec!["b".into()],
            url: Some("https://e.com".into()),
        };
        let mut expected = serde_json::to_value(&header).unwrap();
        expected.as_object_mut().unwrap().remove(FORMAT_KEY);
        let joined = serde_json::to_value(header.join(Parts::default())).unwrap();
        for (k, v) in expected.as_object().unwrap() {
            assert_eq!(&joined[k], v, "{k}");
        }
    }
}
