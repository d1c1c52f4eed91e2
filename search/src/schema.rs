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
pub const SCHEMA_VERSION: u32 = 1;

pub(crate) const ID: &str = "id";
pub(crate) const EXTERNAL_ID: &str = "external_id";
pub(crate) const TITLE: &str = "title";
pub(crate) const BODY: &str = "body";
pub(crate) const SERVICES: &str = "services";
pub(crate) const LABELS: &str = "labels";
pub(crate) const SEVERITY: &str = "severity";
pub(crate) const DATE: &str = "date";

/// Handles of every field, resolved once per opened index.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub(crate) id: Field,
    pub(crate) external_id: Field,
    pub(crate) title: Field,
    pub(crate) body: Field,
    pub(crate) services: Field,
    pub(crate) labels: Field,
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
            body: schema.get_field(BODY)?,
            services: schema.get_field(SERVICES)?,
            labels: schema.get_field(LABELS)?,
            severity: schema.get_field(SEVERITY)?,
            date: schema.get_field(DATE)?,
        })
    }
}

/// Builds the schema this code writes.
pub(crate) fn build() -> Schema {
    // Frequencies feed BM25; positions are left out because nothing issues phrase
    // queries yet (adding them later is a schema bump, i.e. an automatic rebuild).
    let analyzed = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer::OPS)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
        .set_stored();

    let mut builder = Schema::builder();
    // FAST so a future caller can sort or filter by id without loading stored docs.
    builder.add_i64_field(ID, INDEXED | STORED | FAST);
    builder.add_text_field(EXTERNAL_ID, STRING | STORED);
    builder.add_text_field(TITLE, analyzed.clone());
    builder.add_text_field(BODY, analyzed.clone());
    builder.add_text_field(SERVICES, analyzed.clone());
    builder.add_text_field(LABELS, analyzed);
    builder.add_text_field(SEVERITY, STRING | STORED);
    builder.add_text_field(DATE, STRING | STORED);
    builder.build()
}
