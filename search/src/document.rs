//! What the caller feeds the index ([`IndexDoc`], [`Change`]) and how it maps onto
//! tantivy documents.

use serde::{Deserialize, Serialize};
use tantivy::schema::Field;
use tantivy::TantivyDocument;

use crate::analyzer;
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
    /// Postmortem date, `"YYYY-MM-DD"`.
    pub date: Option<String>,
    /// Write-up status (`draft`, `in_review`, `published`).
    pub status: Option<String>,
    /// What caused it, in a line or two, shown with each hit.
    pub cause_line: String,
    /// What fixed it, in a line or two, shown with each hit.
    pub fix_line: String,
    /// The incident patterns its authors named; each becomes a search result of its own.
    pub patterns: Vec<IndexPattern>,
}

/// A named incident pattern (a learning of kind pattern), plain text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IndexPattern {
    /// The pattern's name.
    pub name: String,
    /// What it looks like from the outside.
    pub symptoms: String,
    /// Why it happens.
    pub root_cause: String,
    /// How to notice it.
    pub detection: String,
    /// How to fix it.
    pub resolution: String,
}

/// Longest cause or fix line kept with a hit, in characters.
const LINE_CHARS: usize = 280;

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

/// `text` cut to at most `max` characters at a word boundary, with an ellipsis
/// when cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(at) if at > max / 2 => &cut[..at],
        _ => &cut,
    };
    format!("{}…", cut.trim_end())
}

/// The year of a `YYYY-MM-DD` date, if it has one.
pub(crate) fn year(date: &str) -> Option<&str> {
    let year = date.get(..4)?;
    year.bytes().all(|b| b.is_ascii_digit()).then_some(year)
}

/// Converts to tantivy documents: the incident's, then one per pattern.
pub(crate) fn to_tantivy(fields: &Fields, doc: IndexDoc) -> Vec<TantivyDocument> {
    let mut docs = Vec::with_capacity(1 + doc.patterns.len());
    for pattern in &doc.patterns {
        docs.push(pattern_doc(fields, doc.id, &doc.title, pattern));
    }
    docs.insert(0, incident_doc(fields, doc));
    docs
}

fn pattern_doc(fields: &Fields, id: i64, title: &str, pattern: &IndexPattern) -> TantivyDocument {
    let p = &fields.pattern;
    let mut out = TantivyDocument::default();
    out.add_i64(fields.id, id);
    out.add_text(p.name, pattern.name.trim());
    out.add_text(p.symptoms, pattern.symptoms.trim());
    out.add_text(p.root_cause, pattern.root_cause.trim());
    out.add_text(p.detection, pattern.detection.trim());
    out.add_text(p.resolution, pattern.resolution.trim());
    out.add_text(p.incident, title);
    // What it looks like counts twice: that is what a paste will resemble.
    let all = join([
        pattern.name.as_str(),
        &pattern.name,
        &pattern.symptoms,
        &pattern.symptoms,
        &pattern.root_cause,
        &pattern.detection,
        &pattern.resolution,
    ]);
    out.add_u64(fields.tokens.pattern_all, token_counts(&all).0);
    out.add_text(p.all, all);
    out
}

/// How many terms the ops analyzer and the pairs analyzer make of `text`:
/// the exact lengths tantivy counts, kept for statistics without hidden
/// documents (see `schema::TOKENS_SUFFIX`). The pairs are the neighbouring
/// words, an identifier's parts not counting as words (as `PairTokenizer`).
fn token_counts(text: &str) -> (u64, u64) {
    let mut analyzer = analyzer::ops_analyzer();
    let mut stream = analyzer.token_stream(text);
    let (mut tokens, mut words) = (0u64, 0u64);
    let mut last_end = 0;
    while let Some(token) = stream.next() {
        tokens += 1;
        if words == 0 || token.offset_from >= last_end {
            words += 1;
            last_end = token.offset_to;
        }
    }
    (tokens, words.saturating_sub(1))
}

/// Whether the words of `title` are the first words of one of `parts`.
fn opens_a_part<'a>(title: &str, parts: impl IntoIterator<Item = &'a str>) -> bool {
    let mut analyzer = analyzer::ops_analyzer();
    let mut terms = |text: &str| {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    };
    let title_terms = terms(title);
    if title_terms.is_empty() {
        return false;
    }
    // The title's own length in bytes, and some, covers its words in the part.
    let reach = title.len() * 2 + 16;
    parts.into_iter().any(|part| {
        let part = part.trim_start();
        let mut end = reach.min(part.len());
        while !part.is_char_boundary(end) {
            end -= 1;
        }
        terms(&part[..end]).starts_with(&title_terms)
    })
}

fn incident_doc(fields: &Fields, doc: IndexDoc) -> TantivyDocument {
    let mut out = TantivyDocument::default();
    out.add_i64(fields.id, doc.id);
    if let Some(external_id) = &doc.external_id {
        out.add_text(fields.external_id, external_id);
    }
    let causes = join([doc.root_cause.as_str(), &doc.causes]);
    let resolution = join([doc.mitigation.as_str(), &doc.resolution]);
    out.add_text(fields.heading, doc.title.trim());
    // A title that is only the first words of the text (as some imports make
    // them) would count those words twice; it is not searched then.
    let title = if opens_a_part(
        &doc.title,
        [
            doc.summary.as_str(),
            &doc.impact,
            &doc.symptoms,
            &doc.narrative,
            &doc.timeline,
            &causes,
            &resolution,
        ],
    ) {
        ""
    } else {
        doc.title.as_str()
    };
    let texts: [(Field, &str); 8] = [
        (fields.title, title),
        (fields.summary, &doc.summary),
        (fields.impact, &doc.impact),
        (fields.symptoms, &doc.symptoms),
        (fields.narrative, &doc.narrative),
        (fields.timeline, &doc.timeline),
        (fields.causes, &causes),
        (fields.resolution, &resolution),
    ];
    // `all` holds every word once more, so a term is scored against the whole
    // postmortem (one length norm, one frequency), as plain BM25 would. What was
    // seen goes in twice: BM25F's field weight, as a repetition, so that one
    // clause per term does what a clause per part and weight would.
    let mut all: Vec<std::borrow::Cow<'_, str>> = Vec::new();
    for (field, text) in texts {
        let text = text.trim();
        out.add_text(field, text);
        // Only the top frames of a trace are searched (see `trace`).
        let searched = crate::trace::top_frames(text);
        if field == fields.symptoms {
            all.push(searched.clone());
        }
        all.push(searched);
    }
    // A shared service name says most about whether it is the same kind of
    // incident: services count three times. (The title has a clause of its own.)
    for service in doc.services.iter().chain(&doc.teams) {
        out.add_text(fields.services, service);
        all.extend([
            service.as_str().into(),
            service.as_str().into(),
            service.as_str().into(),
        ]);
    }
    for label in &doc.labels {
        out.add_text(fields.labels, label);
        all.push(label.as_str().into());
    }
    let all = join(all.iter().map(|part| part.as_ref()));
    let (tokens, pairs) = token_counts(&all);
    out.add_u64(fields.tokens.all, tokens);
    out.add_u64(fields.tokens.pairs, pairs);
    out.add_u64(fields.tokens.title, token_counts(title).0);
    out.add_text(fields.pairs, &all);
    out.add_text(fields.all, all);
    let facets = &fields.facets;
    for service in &doc.services {
        out.add_text(facets.service, service);
    }
    for label in &doc.labels {
        out.add_text(facets.tag, label);
    }
    if let Some(severity) = &doc.severity {
        out.add_text(fields.severity, severity);
        out.add_text(facets.severity, severity);
    }
    if let Some(date) = &doc.date {
        out.add_text(fields.date, date);
        if let Some(year) = year(date) {
            out.add_text(facets.year, year);
        }
    }
    if let Some(status) = &doc.status {
        out.add_text(fields.status, status);
        out.add_text(facets.status, status);
    }
    out.add_text(fields.cause_line, shorten(&doc.cause_line, LINE_CHARS));
    out.add_text(fields.fix_line, shorten(&doc.fix_line, LINE_CHARS));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorten_cuts_at_a_word() {
        assert_eq!(shorten("  short  ", 10), "short");
        assert_eq!(shorten("the pool was exhausted", 12), "the pool…");
        assert_eq!(shorten("ééééé", 3), "ééé…");
    }

    #[test]
    fn a_title_made_of_the_first_words_opens_a_part() {
        let body = "The storage frontend in West Europe returned errors after a deployment.";
        assert!(opens_a_part("The storage frontend in West", ["", body]));
        assert!(!opens_a_part("Storage errors in West Europe", [body]));
        assert!(!opens_a_part("", [body]));
    }

    #[test]
    fn year_needs_four_digits() {
        assert_eq!(year("2024-03-01"), Some("2024"));
        assert_eq!(year("24-03-01"), None);
        assert_eq!(year(""), None);
    }

    #[test]
    fn join_skips_empty_parts() {
        assert_eq!(
            join(["  ", "impact", "", "mitigation\n"]),
            "impact\n\nmitigation"
        );
    }
}
