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
use tantivy::{IndexSettings, TantivyError};

use crate::analyzer;

/// Version of the schema and analyzer this build writes; recorded in every commit payload.
///
/// 2: the ops analyzer (identifier splitting, volatile tokens, stopwords) and a
/// field per part of the record.
/// 3: facet fields, the cause and fix lines shown with hits, and a document per
/// incident pattern.
/// 4: doc store blocks of [`DOCSTORE_BLOCK_BYTES`] (tantivy's default is 16 KiB).
/// 5: acronyms of capitalised names (`ResourceManager` also gives `rm`).
/// 6: the exact token count of every field BM25 scores ([`TOKENS_SUFFIX`]).
pub const SCHEMA_VERSION: u32 = 6;

/// The fast field holding a document's exact token count in field `F` is
/// named `F` with this suffix. Searching as a caller who may not see some
/// postmortems takes their tokens out of the statistics; a field norm is
/// only the length rounded (past about 40 tokens), and the scores then
/// differed from an index without them in the third digit, which tells
/// that a hidden postmortem exists.
pub(crate) const TOKENS_SUFFIX: &str = "_tokens";

/// How much stored text tantivy compresses together. Reading one document
/// decompresses its whole block, and a search reads a page of postmortems
/// and a dozen pattern documents scattered over the index: with 16 KiB
/// blocks (four or five postmortems each) most of what was decompressed was
/// other documents. A block of about one postmortem costs a little
/// compression.
pub(crate) const DOCSTORE_BLOCK_BYTES: usize = 4096;

pub(crate) const ID: &str = "id";
pub(crate) const EXTERNAL_ID: &str = "external_id";
pub(crate) const TITLE: &str = "title";
pub(crate) const HEADING: &str = "heading";
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
pub(crate) const STATUS: &str = "status";
pub(crate) const CAUSE_LINE: &str = "cause_line";
pub(crate) const FIX_LINE: &str = "fix_line";
pub(crate) const FACET_SERVICE: &str = "facet_service";
pub(crate) const FACET_SEVERITY: &str = "facet_severity";
pub(crate) const FACET_YEAR: &str = "facet_year";
pub(crate) const FACET_TAG: &str = "facet_tag";
pub(crate) const FACET_STATUS: &str = "facet_status";
pub(crate) const PATTERN_NAME: &str = "pattern_name";
pub(crate) const PATTERN_SYMPTOMS: &str = "pattern_symptoms";
pub(crate) const PATTERN_ALL: &str = "pattern_all";
pub(crate) const PATTERN_ROOT_CAUSE: &str = "pattern_root_cause";
pub(crate) const PATTERN_DETECTION: &str = "pattern_detection";
pub(crate) const PATTERN_RESOLUTION: &str = "pattern_resolution";
pub(crate) const PATTERN_INCIDENT: &str = "pattern_incident";

/// Handles of every field, resolved once per opened index.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub(crate) id: Field,
    pub(crate) external_id: Field,
    /// Searched, not stored: see [`HEADING`].
    pub(crate) title: Field,
    /// The title as shown (stored only); `title` is left empty when it merely
    /// repeats the start of the text.
    pub(crate) heading: Field,
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
    pub(crate) status: Field,
    /// What caused it and what fixed it, a line each, shown with a hit (stored only).
    pub(crate) cause_line: Field,
    pub(crate) fix_line: Field,
    /// Exact values for filters and their counts (indexed as whole strings, and
    /// fast, so counting the best matches reads columns rather than documents).
    pub(crate) facets: FacetFields,
    /// Fields of pattern documents; incident documents leave them empty, so the
    /// incident and pattern queries never match each other's documents.
    pub(crate) pattern: PatternFields,
    /// Exact token counts ([`TOKENS_SUFFIX`]).
    pub(crate) tokens: TokenFields,
}

/// The exact token counts of the fields BM25 scores.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokenFields {
    pub(crate) title: Field,
    pub(crate) all: Field,
    pub(crate) pairs: Field,
    pub(crate) pattern_all: Field,
}

/// The filterable fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FacetFields {
    pub(crate) service: Field,
    pub(crate) severity: Field,
    pub(crate) year: Field,
    pub(crate) tag: Field,
    pub(crate) status: Field,
}

/// The fields of a pattern document. Its `id` is the incident's, so deleting an
/// incident's documents by id deletes its patterns too.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PatternFields {
    pub(crate) name: Field,
    pub(crate) symptoms: Field,
    /// Every text of the pattern (indexed, not stored).
    pub(crate) all: Field,
    pub(crate) root_cause: Field,
    pub(crate) detection: Field,
    pub(crate) resolution: Field,
    /// The incident's title (stored only).
    pub(crate) incident: Field,
}

impl Fields {
    /// Resolves the fields by name, failing if `schema` lacks one.
    pub(crate) fn from_schema(schema: &Schema) -> Result<Fields, TantivyError> {
        Ok(Fields {
            id: schema.get_field(ID)?,
            external_id: schema.get_field(EXTERNAL_ID)?,
            title: schema.get_field(TITLE)?,
            heading: schema.get_field(HEADING)?,
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
            status: schema.get_field(STATUS)?,
            cause_line: schema.get_field(CAUSE_LINE)?,
            fix_line: schema.get_field(FIX_LINE)?,
            facets: FacetFields {
                service: schema.get_field(FACET_SERVICE)?,
                severity: schema.get_field(FACET_SEVERITY)?,
                year: schema.get_field(FACET_YEAR)?,
                tag: schema.get_field(FACET_TAG)?,
                status: schema.get_field(FACET_STATUS)?,
            },
            pattern: PatternFields {
                name: schema.get_field(PATTERN_NAME)?,
                symptoms: schema.get_field(PATTERN_SYMPTOMS)?,
                all: schema.get_field(PATTERN_ALL)?,
                root_cause: schema.get_field(PATTERN_ROOT_CAUSE)?,
                detection: schema.get_field(PATTERN_DETECTION)?,
                resolution: schema.get_field(PATTERN_RESOLUTION)?,
                incident: schema.get_field(PATTERN_INCIDENT)?,
            },
            tokens: TokenFields {
                title: schema.get_field(&format!("{TITLE}{TOKENS_SUFFIX}"))?,
                all: schema.get_field(&format!("{ALL}{TOKENS_SUFFIX}"))?,
                pairs: schema.get_field(&format!("{PAIRS}{TOKENS_SUFFIX}"))?,
                pattern_all: schema.get_field(&format!("{PATTERN_ALL}{TOKENS_SUFFIX}"))?,
            },
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

/// The index settings this code writes with (kept in the index's meta file).
pub(crate) fn settings() -> IndexSettings {
    IndexSettings {
        docstore_blocksize: DOCSTORE_BLOCK_BYTES,
        ..IndexSettings::default()
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
    let stored_only = TextOptions::default().set_stored();

    let mut builder = Schema::builder();
    // FAST so a future caller can sort or filter by id without loading stored docs.
    builder.add_i64_field(ID, INDEXED | STORED | FAST);
    builder.add_text_field(EXTERNAL_ID, STRING | STORED);
    for name in [
        SUMMARY, IMPACT, SYMPTOMS, NARRATIVE, TIMELINE, CAUSES, RESOLUTION, SERVICES, LABELS,
    ] {
        builder.add_text_field(name, analyzed.clone());
    }
    builder.add_text_field(TITLE, searched_only.clone());
    builder.add_text_field(HEADING, stored_only.clone());
    builder.add_text_field(ALL, searched_only.clone());
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
    builder.add_text_field(STATUS, STRING | STORED);
    builder.add_text_field(CAUSE_LINE, stored_only.clone());
    builder.add_text_field(FIX_LINE, stored_only.clone());
    for name in [
        FACET_SERVICE,
        FACET_SEVERITY,
        FACET_YEAR,
        FACET_TAG,
        FACET_STATUS,
    ] {
        builder.add_text_field(name, STRING | FAST);
    }
    for name in [TITLE, ALL, PAIRS, PATTERN_ALL] {
        builder.add_u64_field(&format!("{name}{TOKENS_SUFFIX}"), FAST);
    }
    builder.add_text_field(PATTERN_NAME, analyzed.clone());
    builder.add_text_field(PATTERN_SYMPTOMS, analyzed);
    builder.add_text_field(PATTERN_ALL, searched_only);
    for name in [
        PATTERN_ROOT_CAUSE,
        PATTERN_DETECTION,
        PATTERN_RESOLUTION,
        PATTERN_INCIDENT,
    ] {
        builder.add_text_field(name, stored_only.clone());
    }
    builder.build()
}
