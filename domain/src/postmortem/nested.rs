//! A record on its way between the browser's code and the server.

use super::PostmortemInput;
use crate::record::Parts;
use serde::{Deserialize, Serialize};

/// A [`PostmortemInput`] with its parts nested under `parts`, where the
/// API and import formats flatten them into the top level: how the
/// browser's editor and the server pass a record between them. Serde reads
/// a flattened struct through a buffered map whose code took 40 KB of the
/// browser's wasm; a nested one it reads field by field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NestedInput {
    /// See [`PostmortemInput::external_id`].
    pub external_id: Option<String>,
    /// See [`PostmortemInput::title`].
    pub title: String,
    /// See [`PostmortemInput::severity`].
    pub severity: Option<String>,
    /// See [`PostmortemInput::date`].
    pub date: Option<String>,
    /// See [`PostmortemInput::summary`].
    pub summary: String,
    /// See [`PostmortemInput::impact`].
    pub impact: String,
    /// See [`PostmortemInput::root_cause`].
    pub root_cause: String,
    /// See [`PostmortemInput::mitigation`].
    pub mitigation: String,
    /// See [`PostmortemInput::services`].
    pub services: Vec<String>,
    /// See [`PostmortemInput::labels`].
    pub labels: Vec<String>,
    /// See [`PostmortemInput::url`].
    pub url: Option<String>,
    /// See [`PostmortemInput::parts`].
    pub parts: Parts,
}

/// `From` each way between two structs with the same fields.
macro_rules! same_fields {
    ($a:ident <=> $b:ident: $($field:ident),+) => {
        impl From<$a> for $b {
            fn from(i: $a) -> Self {
                $b { $($field: i.$field),+ }
            }
        }
        impl From<$b> for $a {
            fn from(i: $b) -> Self {
                $a { $($field: i.$field),+ }
            }
        }
    };
}

same_fields!(PostmortemInput <=> NestedInput: external_id, title, severity, date, summary,
    impact, root_cause, mitigation, services, labels, url, parts);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_survives_the_trip_and_its_parts_travel_nested() {
        let mut input = PostmortemInput {
            external_id: Some("x-1".into()),
            title: "Queue stalled".into(),
            severity: Some("SEV2".into()),
            summary: "Consumers stopped.".into(),
            services: vec!["queue".into()],
            ..Default::default()
        };
        input.parts.narrative = "It began at noon.".into();
        input.parts.teams = vec!["platform".into()];
        let json = serde_json::to_value(NestedInput::from(input.clone())).unwrap();
        assert_eq!(json["parts"]["narrative"], "It began at noon.");
        assert!(json.get("narrative").is_none(), "{json}");
        let back: NestedInput = serde_json::from_value(json).unwrap();
        assert_eq!(PostmortemInput::from(back), input);
    }
}
