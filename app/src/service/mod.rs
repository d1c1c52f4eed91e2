//! The work behind every server function, API route and CLI command, as
//! plain async methods with explicit arguments (no Leptos), so tests and the
//! command line reach exactly the code the pages use.
//!
//! Every write goes to the database first, in one transaction with its
//! change-log entry, and then to the index. If indexing fails the write still
//! stands; the indexer retries from the log.

pub mod indexer;

use crate::context::RequestContext;
use crate::error::AppError;
use indexer::Indexer;
use kb_db::{DbError, ImportOutcome, Store};
use kb_domain::incident::PAGE_SIZE;
use kb_domain::{
    Incident, IncidentInput, IncidentPage, NewIncident, Revision, SearchHit, SearchResponse,
};
use std::sync::Arc;
use std::time::Instant;

/// Longest pasted text a search considers; the rest is ignored, not refused.
pub const MAX_QUERY_CHARS: usize = 20_000;
/// Most hits one search returns.
pub const MAX_LIMIT: usize = 100;

/// The services, over one store and one index.
#[derive(Debug, Clone)]
pub struct Core {
    /// The source of truth.
    pub store: Store,
    /// Derived from `store`; see [`indexer`].
    pub indexer: Arc<Indexer>,
}

/// Logs the cause and returns a message fit for users.
fn internal(what: &'static str, cause: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %cause, "{what}");
    AppError::Internal(format!("{what}; the server log has the details"))
}

impl Core {
    /// Creates a postmortem sent through the API (or updates it, when it
    /// carries an external id that exists). Severity is optional here.
    pub async fn create(
        &self,
        ctx: &RequestContext,
        input: IncidentInput,
    ) -> Result<i64, AppError> {
        let new = input.validate()?;
        self.save(ctx, new).await
    }

    /// Creates a postmortem written in the browser: severity is required.
    pub async fn create_authored(
        &self,
        ctx: &RequestContext,
        input: IncidentInput,
    ) -> Result<i64, AppError> {
        let new = input.validate_authored()?;
        self.save(ctx, new).await
    }

    async fn save(&self, ctx: &RequestContext, new: NewIncident) -> Result<i64, AppError> {
        let saved = match &new.external_id {
            // An external id means "the caller's incident": create or update
            // it, exactly as an import would, rather than fail on a duplicate.
            Some(_) => self
                .store
                .import(&new, ctx.actor())
                .await
                .map(|(id, _, _)| id),
            None => self.store.create(&new, ctx.actor()).await.map(|(id, _)| id),
        };
        let id = saved.map_err(|e| internal("could not save the postmortem", e))?;
        tracing::info!(id, actor = ctx.actor(), "postmortem saved");
        self.reindex_after_write().await;
        Ok(id)
    }

    /// Imports one validated-or-not input; the caller reports per-line
    /// results. Does not touch the index: call [`Core::reindex_after_write`]
    /// once after a batch.
    pub async fn import_one(
        &self,
        ctx: &RequestContext,
        input: &IncidentInput,
    ) -> Result<ImportOutcome, AppError> {
        let new = input.validate()?;
        let (_, outcome, _) = self
            .store
            .import(&new, ctx.actor())
            .await
            .map_err(|e| internal("could not import the incident", e))?;
        Ok(outcome)
    }

    /// Saves an edit made in the browser on top of `expected_version`.
    /// Refused with [`AppError::Conflict`] when someone saved in between:
    /// a stale edit never overwrites a newer one.
    pub async fn update_authored(
        &self,
        ctx: &RequestContext,
        id: i64,
        expected_version: i64,
        input: IncidentInput,
    ) -> Result<i64, AppError> {
        let new = input.validate_authored()?;
        let version = match self
            .store
            .update(id, expected_version, &new, ctx.actor())
            .await
        {
            Ok((version, _)) => version,
            Err(DbError::Conflict { current, .. }) => return Err(AppError::Conflict(current)),
            Err(DbError::NotFound) => return Err(AppError::NotFound),
            Err(e) => return Err(internal("could not save the postmortem", e)),
        };
        tracing::info!(id, version, actor = ctx.actor(), "postmortem edited");
        self.reindex_after_write().await;
        Ok(version)
    }

    /// The saved revisions of a postmortem, newest first.
    pub async fn revisions(
        &self,
        _ctx: &RequestContext,
        id: i64,
    ) -> Result<Vec<Revision>, AppError> {
        self.store
            .revisions(id)
            .await
            .map_err(|e| internal("could not load the history", e))
    }

    /// Brings the index up to date after a write. A failure is logged, not
    /// returned: the write is safe in the database and the indexer's next
    /// pass (or the next start) applies it.
    pub async fn reindex_after_write(&self) {
        if let Err(e) = self.indexer.catch_up().await {
            tracing::error!(error = %e, "index update after a write failed; it will be retried");
        }
    }

    /// One postmortem, `None` when it does not exist.
    pub async fn get(&self, _ctx: &RequestContext, id: i64) -> Result<Option<Incident>, AppError> {
        match self.store.get(id).await {
            Ok(i) => Ok(Some(i)),
            Err(DbError::NotFound) => Ok(None),
            Err(e) => Err(internal("could not load the postmortem", e)),
        }
    }

    /// A page of postmortems, newest first; `page` counts from 1.
    pub async fn list(&self, _ctx: &RequestContext, page: i64) -> Result<IncidentPage, AppError> {
        let page = page.max(1);
        let rows = self
            .store
            .list_recent(PAGE_SIZE, (page - 1) * PAGE_SIZE)
            .await
            .map_err(|e| internal("could not list postmortems", e))?;
        let total = self
            .store
            .count()
            .await
            .map_err(|e| internal("could not count postmortems", e))?;
        Ok(IncidentPage { rows, total })
    }

    /// Searches whatever the user pasted. Never fails because of the text:
    /// over-long input is cut, and the index treats every character as text.
    pub async fn search(
        &self,
        _ctx: &RequestContext,
        text: &str,
        limit: usize,
    ) -> Result<SearchResponse, AppError> {
        let started = Instant::now();
        let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
        let limit = limit.clamp(1, MAX_LIMIT);
        let results = self
            .indexer
            .search(text, limit)
            .await
            .map_err(|e| internal("search failed", e))?;
        let incidents = results
            .hits
            .into_iter()
            .map(|h| SearchHit {
                id: h.id,
                external_id: h.external_id,
                title: h.title,
                score: h.score,
                snippet: h.snippet.text,
                highlights: h.snippet.highlights,
            })
            .collect();
        Ok(SearchResponse {
            incidents,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
        })
    }

    /// Whether the database and the index answer.
    pub async fn health(&self) -> Result<(), AppError> {
        self.store
            .ping()
            .await
            .map_err(|e| internal("database unavailable", e))?;
        self.indexer
            .high_water()
            .await
            .map_err(|e| internal("search index unavailable", e))?;
        Ok(())
    }
}
