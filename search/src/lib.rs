//! Hindsight's full-text index of postmortems.
//!
//! The database is the source of truth; this index is derived data that the caller
//! feeds. The caller opens it with [`SearchIndex::open`], rebuilds it from the database
//! when told to ([`Opened::rebuild`]), and otherwise replays the database's change log
//! from the high-water mark the index recorded ([`SearchIndex::state`]) through
//! [`SearchIndex::apply`]. Each write is one tantivy commit whose payload records the
//! new high-water mark, so the index and its mark can never disagree, even after a
//! crash.
//!
//! Searching ([`SearchIndex::search`]) accepts any text, including pasted log lines,
//! and returns hits with plain-text snippets and highlight ranges for the caller to
//! escape and render.
//!
//! # Layout
//!
//! - `index`: [`SearchIndex`], opening (locking, self-repair) and writes.
//! - `search`: [`SearchIndex::search_with`]: candidates, filter counts, the page of
//!   hits with snippets and matched words, and patterns.
//! - `storage`: inspecting, clearing and creating the on-disk index directory.
//! - `schema`: fields (one per part of the record, plus `all` and `pairs`) and
//!   [`SCHEMA_VERSION`].
//! - `analyzer`: the `ops` text analyzer (identifier words, volatile tokens dropped,
//!   stopwords, stemming) and its word-pair companion, for documents and queries alike.
//! - `query`: user text to a tantivy query (no query language, hence no syntax errors):
//!   long pastes reduced to their distinct lines and terms, field and rarity weights.
//! - `cache`: [`ResultCache`], recent answers per view of the index.
//! - `facets`: the filter values of the ranked candidates and their counts.
//! - `feedback`: reranking the best matches by the tags the very best agree on.
//! - `snippet`: [`Snippet`] and how it is cut from the best-matching field.
//! - `document`: [`IndexDoc`], [`Change`] and their mapping to tantivy documents.
//! - `state`: [`IndexState`], the commit payload.
//! - `error`: [`SearchError`].

#![warn(missing_docs)]

mod analyzer;
mod cache;
mod document;
mod error;
mod facets;
mod feedback;
mod index;
mod order;
mod query;
mod schema;
mod search;
mod snippet;
mod state;
mod storage;
mod trace;
mod visible;

pub use cache::{ResultCache, DEFAULT_ENTRIES};
pub use document::{Change, IndexDoc, IndexPattern};
pub use error::{Result, SearchError};
pub use index::{Mode, Opened, RebuildReason, SearchIndex, REGROUP_MIN};
pub use schema::SCHEMA_VERSION;
pub use search::{
    spawn, FacetCount, Facets, Filters, MatchSignal, PatternHit, PatternSource, SearchHit,
    SearchRequest, SearchResults, SignalKind, MAX_CANDIDATES,
};
pub use snippet::Snippet;
pub use state::IndexState;
