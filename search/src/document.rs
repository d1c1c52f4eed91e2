//! What the caller feeds the index ([`IndexDoc`], [`Change`]) and how it maps onto
//! tantivy documents.

use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;

use crate::schema::Fields;

/// One postmortem as the index sees it (plain text; markdown already stripped by the caller).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexDoc {
    /// Database id; the unique key of the document in the index.
    pub id: i64,
    /// The organisation's own identifier (e.g. `INC-1234`), if any.
    pub external_id: Option<String>,
    /// Title.
    pub title: String,
    /// Summary section.
    pub summary: String,
    /// Impact section.
    pub impact: String,
    /// Root-cause section.
    pub root_cause: String,
    /// Mitigation section.
    pub mitigation: String,
    /// Services involved.
    pub services: Vec<String>,
    /// Free-form labels.
    pub labels: Vec<String>,
    /// Severity, `"SEV1"`..`"SEV4"`.
    pub severity: Option<String>,
    /// Incident date, `"YYYY-MM-DD"`.
    pub date: Option<String>,
}

/// One entry of the database's change log, as applied to the index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(
    clippy::large_enum_variant,
    reason = "change batches are mostly upserts, so boxing would only add an allocation per document"
)]
pub enum Change {
    /// Insert the document, replacing any document with the same id.
    Upsert(IndexDoc),
    /// Remove the document with this id (a no-op if it is not indexed).
    Delete(i64),
}

impl Change {
    /// The database id the change is about.
    pub(crate) fn id(&self) -> i64 {
        match self {
            Change::Upsert(doc) => doc.id,
            Change::Delete(id) => *id,
        }
    }
}

/// The text of the `body` field: the prose sections, in reading order.
///
/// Empty sections are skipped so that snippets (and the no-match fallback, which
/// shows the start of the body) never begin with blank lines.
pub(crate) fn body_text(doc: &IndexDoc) -> String {
    [&doc.summary, &doc.impact, &doc.root_cause, &doc.mitigation]
        .into_iter()
        .map(|part| part.trim())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Converts to a tantivy document.
pub(crate) fn to_tantivy(fields: &Fields, doc: IndexDoc) -> TantivyDocument {
    let mut out = TantivyDocument::default();
    out.add_i64(fields.id, doc.id);
    if let Some(external_id) = &doc.external_id {
        out.add_text(fields.external_id, external_id);
    }
    out.add_text(fields.title, &doc.title);
    out.add_text(fields.body, body_text(&doc));
    for service in &doc.services {
        out.add_text(fields.services, service);
    }
    for label in &doc.labels {
        out.add_text(fields.labels, label);
    }
    if let Some(severity) = &doc.severity {
        out.add_text(fields.severity, severity);
    }
    if let Some(date) = &doc.date {
        out.add_text(fields.date, date);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_skips_empty_sections() {
        let doc = IndexDoc {
            id: 1,
            external_id: None,
            title: "t".into(),
            summary: "  ".into(),
            impact: "impact".into(),
            root_cause: String::new(),
            mitigation: "mitigation\n".into(),
            services: vec![],
            labels: vec![],
            severity: None,
            date: None,
        };
        assert_eq!(body_text(&doc), "impact\n\nmitigation");
    }
}
