//! Hindsight's domain: what a postmortem is, what input is acceptable, and
//! the shapes that cross the wire between browser, server and API.
//!
//! This is the only crate both the wasm bundle and the server compile, so it
//! holds no storage, index or runtime types: serde only.
//!
//! # Layout
//! - [`severity`]: the SEV1–SEV4 scale.
//! - [`calendar`]: civil dates as day counts, for every date computed.
//! - [`postmortem`]: the stored record, its list row, and the input used to
//!   create or import one, with field-level validation.
//! - [`record`]: the structured parts (clock, timeline, hypotheses, causes,
//!   learnings, action items, links) and their validation.
//! - [`accounts`]: accounts and roles as pages see them; new-account rules.
//! - [`actions`]: action-item tracking across postmortems: filters, rows,
//!   changes, history, numbers and the recurrence view.
//! - [`findings`]: decisions on the Investigate panel's findings.
//! - [`insights`]: the figures of the insights page (calibration, clock).
//! - [`intake`]: "seen before?" suggestions and ongoing incidents.
//! - [`search`]: search hits and responses as the UI and the JSON API see them.
#![warn(missing_docs)]

pub mod postmortem;
// Before `actions`: it uses record's `text_enum!`.
#[macro_use]
pub mod record;
pub mod accounts;
pub mod actions;
pub mod calendar;
pub mod findings;
pub mod insights;
pub mod intake;
pub mod search;
pub mod severity;

pub use postmortem::{
    FieldError, NewPostmortem, Postmortem, PostmortemInput, PostmortemList, PostmortemRow, Related,
    Revision, ValidationErrors,
};
pub use record::Parts;
pub use search::{
    FacetCount, Facets, PatternHit, PatternSource, SearchFilters, SearchHit, SearchQuery,
    SearchResponse,
};
pub use severity::Severity;
