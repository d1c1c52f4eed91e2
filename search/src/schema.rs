//! The tantivy schema: field names, their options, and [`SCHEMA_VERSION`].
//!
//! The schema version is the contract between a built index and this code. Bump it
//! whenever the fields, their options or the analyzer change: `open` then sees a
//! different version in the commit payload, wipes the index and asks for a rebuild,
//! instead of silently serving results from terms the current analyzer can no longer
//! produce.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::TantivyError;

use crate::analyzer;

/// Version of the schema and analyzer this build writes; recorded in every commit payload.
///
/// 2: the ops analyzer (identifier splitting, volatile tokens, stopwords) and a
/// field per part of the record.
pub const SCHEMA_VERSION: u32 = 2;

pub(crate) const ID: &str = "id";
pub(crate) const EXTERNAL_ID: &str = "external_id";
pub(crate) const TITLE: &str = "title";
pub(crate) const SUMMARY: &str = "summary";
pub(crate) const IMPACT: &str = "impact";
pub(crate) const SYMPTOMS: &str = "symptoms";
pub(crate) const NARRATIVE: &str = "narrative";
pub(crate) const TIMELINE: &str = "timeline";
pub(crate) const CAUSES: &str = "causes";
pub(crate) const RESOLUTION: &str = "resolution";
pub(crate) const SERVICES: &str = "services";
pub(crate) const LABELS: &str = "labels";
pub(crate) const ALL: &str = "all";
pub(crate) const PAIRS: &str = "pairs";
pub(crate) const SEVERITY: &str = "severity";
pub(crate) const DATE: &str = "date";

/// Handles of every field, resolved once per opened index.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub(crate) id: Field,
    pub(crate) external_id: Field,
    pub(crate) title: Field,
    pub(crate) summary: Field,
    pub(crate) impact: Field,
    pub(crate) symptoms: Field,
    pub(crate) narrative: Field,
    pub(crate) timeline: Field,
    pub(crate) causes: Field,
    pub(crate) resolution: Field,
    pub(crate) services: Field,
    pub(crate) labels: Field,
    /// Every text of the postmortem together (indexed, not stored).
    pub(crate) all: Field,
    /// Pairs of neighbouring words of `all` (indexed, not stored).
    pub(crate) pairs: Field,
    pub(crate) severity: Field,
    pub(crate) date: Field,
}

impl Fields {
    /// Resolves the fields by name, failing if `schema` lacks one.
    pub(crate) fn from_schema(schema: &Schema) -> Result<Fields, TantivyError> {
        Ok(Fields {
            id: schema.get_field(ID)?,
            external_id: schema.get_field(EXTERNAL_ID)?,
            title: schema.get_field(TITLE)?,
            summary: schema.get_field(SUMMARY)?,
            impact: schema.get_field(IMPACT)?,
            symptoms: schema.get_field(SYMPTOMS)?,
            narrative: schema.get_field(NARRATIVE)?,
            timeline: schema.get_field(TIMELINE)?,
            causes: schema.get_field(CAUSES)?,
            resolution: schema.get_field(RESOLUTION)?,
            services: schema.get_field(SERVICES)?,
            labels: schema.get_field(LABELS)?,
            all: schema.get_field(ALL)?,
            pairs: schema.get_field(PAIRS)?,
            severity: schema.get_field(SEVERITY)?,
            date: schema.get_field(DATE)?,
        })
    }

    /// The stored prose fields a snippet may come from, in order of preference when
    /// several match equally well.
    pub(crate) fn snippet_sources(&self) -> [Field; 7] {
        [
            self.symptoms,
            self.summary,
            self.impact,
            self.causes,
            self.resolution,
            self.timeline,
            self.narrative,
        ]
    }
}

/// Builds the schema this code writes.
pub(crate) fn build() -> Schema {
    // Frequencies feed BM25; positions are left out because nothing issues phrase
    // queries yet (adding them later is a schema bump, i.e. an automatic rebuild).
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(analyzer::OPS)
        .set_index_option(IndexRecordOption::WithFreqs);
    let analyzed = TextOptions::default()
        .set_indexing_options(indexing.clone())
        .set_stored();
    // Only searched: its text is the other fields again.
    let searched_only = TextOptions::default().set_indexing_options(indexing);

    let mut builder = Schema::builder();
    // FAST so a future caller can sort or filter by id without loading stored docs.
    builder.add_i64_field(ID, INDEXED | STORED | FAST);
    builder.add_text_field(EXTERNAL_ID, STRING | STORED);
    for name in [
        TITLE, SUMMARY, IMPACT, SYMPTOMS, NARRATIVE, TIMELINE, CAUSES, RESOLUTION, SERVICES, LABELS,
    ] {
        builder.add_text_field(name, analyzed.clone());
    }
    builder.add_text_field(ALL, searched_only);
    builder.add_text_field(
        PAIRS,
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer::OPS_PAIRS)
                .set_index_option(IndexRecordOption::WithFreqs),
        ),
    );
    builder.add_text_field(SEVERITY, STRING | STORED);
    builder.add_text_field(DATE, STRING | STORED);
    builder.build()
}
