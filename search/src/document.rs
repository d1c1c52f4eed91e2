//! What the caller feeds the index ([`IndexDoc`], [`Change`]) and how it maps onto
//! tantivy documents.

use serde::{Deserialize, Serialize};
use tantivy::schema::Field;
use tantivy::TantivyDocument;

use crate::schema::Fields;

/// One postmortem as the index sees it (plain text; markdown already stripped by the
/// caller). Each part of the record has its own field so that search can weigh what
/// was seen (symptoms, evidence) above the story around it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
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
    /// What it looked like: incident patterns' symptoms and the evidence kept
    /// verbatim (alert text, log lines, metric readings), with their captions.
    pub symptoms: String,
    /// The story: narrative and hypotheses.
    pub narrative: String,
    /// Timeline entries' text.
    pub timeline: String,
    /// Why it happened beyond the root-cause section: causes, the why-chain,
    /// patterns' root causes.
    pub causes: String,
    /// What fixed it beyond the mitigation section: mitigation attempts, patterns'
    /// detection and resolution, action items.
    pub resolution: String,
    /// Services involved.
    pub services: Vec<String>,
    /// Teams involved.
    pub teams: Vec<String>,
    /// Free-form labels and tags.
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

/// Joins the non-empty parts with blank lines, so that snippets (and the no-match
/// fallback, which shows the start of a field) never begin with blank lines.
pub(crate) fn join<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    parts
        .into_iter()
        .map(str::trim)
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
    let causes = join([doc.root_cause.as_str(), &doc.causes]);
    let resolution = join([doc.mitigation.as_str(), &doc.resolution]);
    let texts: [(Field, &str); 8] = [
        (fields.title, &doc.title),
        (fields.summary, &doc.summary),
        (fields.impact, &doc.impact),
        (fields.symptoms, &doc.symptoms),
        (fields.narrative, &doc.narrative),
        (fields.timeline, &doc.timeline),
        (fields.causes, &causes),
        (fields.resolution, &resolution),
    ];
    // `all` holds every word once more, so a term is scored against the whole
    // postmortem (one length norm, one frequency), as plain BM25 would; the part
    // fields then add their weights on top.
    let mut all = Vec::new();
    for (field, text) in texts {
        let text = text.trim();
        out.add_text(field, text);
        all.push(text);
    }
    for service in doc.services.iter().chain(&doc.teams) {
        out.add_text(fields.services, service);
        all.push(service);
    }
    for label in &doc.labels {
        out.add_text(fields.labels, label);
        all.push(label);
    }
    let all = join(all);
    out.add_text(fields.pairs, &all);
    out.add_text(fields.all, all);
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
    fn join_skips_empty_parts() {
        assert_eq!(
            join(["  ", "impact", "", "mitigation\n"]),
            "impact\n\nmitigation"
        );
    }
}
