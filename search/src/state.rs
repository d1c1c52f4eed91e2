//! [`IndexState`]: what each commit records about itself in tantivy's commit payload.
//!
//! Keeping it in the payload (rather than a side file) makes it atomic with the
//! documents: a crash leaves either the old documents with the old high-water mark or
//! the new ones with the new mark, so replaying the change log from the recorded mark
//! is always correct.

use serde::{Deserialize, Serialize};

use crate::error::{Result, SearchError};

/// What the commit payload records: the schema version the index was built with,
/// and the highest change-log sequence number applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexState {
    /// [`SCHEMA_VERSION`](crate::SCHEMA_VERSION) of the code that made the commit.
    pub schema_version: u32,
    /// Highest change-log sequence number whose change is in the index.
    pub high_water: i64,
}

impl IndexState {
    /// Serializes to the JSON stored as the commit payload.
    pub(crate) fn to_payload(self) -> String {
        // Unknown fields are ignored on read, so later versions may add to this and
        // older code still reads `schema_version` (and asks for a rebuild).
        format!(
            r#"{{"schema_version":{},"high_water":{}}}"#,
            self.schema_version, self.high_water
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
    fn garbage_payload_is_corrupt() {
        assert!(IndexState::from_payload("not json").is_err());
        assert!(IndexState::from_payload(r#"{"high_water":5}"#).is_err());
    }
}
