//! [`IndexState`]: what each commit records about itself in tantivy's commit payload.
//!
//! Keeping it in the payload (rather than a side file) makes it atomic with the
//! documents: a crash leaves either the old documents with the old high-water mark or
//! the new ones with the new mark, so replaying the change log from the recorded mark
//! is always correct.

use serde::{Deserialize, Serialize};

use crate::error::{Result, SearchError};

/// What the commit payload records: the schema version the index was built with,
/// the highest change-log sequence number applied, and how many documents
/// the last rebuild grouped by topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexState {
    /// [`SCHEMA_VERSION`](crate::SCHEMA_VERSION) of the code that made the commit.
    pub schema_version: u32,
    /// Highest change-log sequence number whose change is in the index.
    pub high_water: i64,
    /// Index documents (postmortems and their patterns) the last rebuild
    /// added grouped by topic; 0 when none did (or an older version built
    /// the index). See [`SearchIndex::should_regroup`](crate::SearchIndex::should_regroup).
    #[serde(default)]
    pub grouped: u64,
}

impl IndexState {
    /// Serializes to the JSON stored as the commit payload.
    pub(crate) fn to_payload(self) -> String {
        // Unknown fields are ignored on read, so later versions may add to this and
        // older code still reads `schema_version` (and asks for a rebuild).
        format!(
            r#"{{"schema_version":{},"high_water":{},"grouped":{}}}"#,
            self.schema_version, self.high_water, self.grouped
        )
    }

    /// Parses a commit payload.
    pub(crate) fn from_payload(payload: &str) -> Result<IndexState> {
        serde_json::from_str(payload).map_err(|err| {
            SearchError::Corrupt(format!(
                "commit payload {payload:?} is not an index state: {err}"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::IndexState;

    #[test]
    fn payload_round_trips() {
        let state = IndexState {
            schema_version: 7,
            high_water: -3,
            grouped: 1234,
        };
        assert_eq!(
            IndexState::from_payload(&state.to_payload()).unwrap(),
            state
        );
    }

    #[test]
    fn payload_tolerates_extra_fields() {
        let state = IndexState::from_payload(r#"{"schema_version":2,"high_water":5,"extra":true}"#)
            .unwrap();
        assert_eq!(state.schema_version, 2);
    }

    #[test]
    fn payload_of_an_older_version_grouped_nothing() {
        let state = IndexState::from_payload(r#"{"schema_version":4,"high_water":5}"#).unwrap();
        assert_eq!(state.grouped, 0);
    }

    #[test]
    fn garbage_payload_is_corrupt() {
        assert!(IndexState::from_payload("not json").is_err());
        assert!(IndexState::from_payload(r#"{"high_water":5}"#).is_err());
    }
}
