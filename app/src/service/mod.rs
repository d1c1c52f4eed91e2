//! The work behind every server function, API route and CLI command, as
//! plain async methods with explicit arguments (no Leptos), so tests and the
//! command line reach exactly the code the pages use.
//!
//! Every write goes to the database first, in one transaction with its
//! change-log entry, and then to the index. If indexing fails the write still
//! stands; the indexer retries from the log.

pub mod accounts;
pub mod actions;
pub mod answer;
pub mod chat;
mod hash_gate;
pub mod indexer;
pub mod insights;
pub mod intake;
pub mod integrations;
pub mod investigate;
pub mod private;
pub mod suggestions;
mod throttle;

use crate::context::RequestContext;
use crate::error::AppError;
use indexer::Indexer;
use kb_db::{DbError, ImportOutcome, Store};
use kb_domain::postmortem::PAGE_SIZE;
use kb_domain::{
    NewPostmortem, Postmortem, PostmortemInput, PostmortemList, Revision, SearchHit, SearchQuery,
    SearchResponse,
};
use std::sync::Arc;
use std::time::Instant;

/// Longest pasted text a search considers; the rest is ignored, not refused.
pub const MAX_QUERY_CHARS: usize = 20_000;
/// Most hits one search returns.
pub const MAX_LIMIT: usize = 100;
/// Most patterns one search returns.
pub const MAX_PATTERNS: usize = 10;

/// Everything Hindsight does, over one store and one index: what every
/// server function, API route and command calls. Cheap to clone (handles).
#[derive(Debug, Clone)]
pub struct Services {
    /// The source of truth.
    pub store: Store,
    /// Derived from `store`; see [`indexer`].
    pub indexer: Arc<Indexer>,
    /// Accounts and sessions, over the same store.
    pub accounts: accounts::Accounts,
    /// The address an action item's tracker key is appended to
    /// (`https://jira.example.com/browse/`), set by `serve --tracker-url`;
    /// without it only trackers written as URLs are links.
    pub tracker_url: Option<String>,
    /// The address people reach Hindsight at (`serve --public-url`), for
    /// links sent elsewhere (the intake's answer); without it links are
    /// paths.
    pub public_url: Option<String>,
    /// How long a slash command's answer may take before it is
    /// acknowledged and posted later ([`chat::CHAT_DEADLINE`]).
    pub chat_deadline: std::time::Duration,
    /// The insights facts, kept per replica ([`insights::KeptFacts`]).
    pub insight_facts: Arc<insights::KeptFacts>,
}

/// A failed write as the user should see it: a stale version, a missing
/// postmortem, a bad link (a field error), or a fault.
pub(crate) fn write_error(e: DbError) -> AppError {
    match e {
        DbError::Conflict { current, .. } => AppError::Conflict(current),
        DbError::StaleItem { item, current, .. } => AppError::StaleItem { id: item, current },
        DbError::NotFound => AppError::NotFound,
        DbError::Invalid { field, message } => {
            let mut errors = kb_domain::ValidationErrors::default();
            errors.push(&field, message);
            AppError::Invalid(errors)
        }
        other => internal("could not save the postmortem", other),
    }
}

fn elapsed_ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

/// Logs the cause and returns a message fit for users.
pub(crate) fn internal(what: &'static str, cause: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %cause, "{what}");
    AppError::Internal(format!("{what}; the server log has the details"))
}

impl Services {
    /// Creates a postmortem sent through the API (or updates it, when it
    /// carries an external id that exists). Severity is optional here.
    pub async fn create(
        &self,
        ctx: &RequestContext,
        input: PostmortemInput,
    ) -> Result<i64, AppError> {
        let new = input.validate()?;
        self.save(ctx, new).await
    }

    /// Creates a postmortem written in the browser: severity is required.
    pub async fn create_authored(
        &self,
        ctx: &RequestContext,
        input: PostmortemInput,
    ) -> Result<i64, AppError> {
        let new = input.validate_authored()?;
        self.save(ctx, new).await
    }

    async fn save(&self, ctx: &RequestContext, new: NewPostmortem) -> Result<i64, AppError> {
        self.check_keeps_access(ctx, &new.parts.access).await?;
        let hidden = self.hidden(ctx).await?;
        self.check_links(&new.parts.links, &hidden).await?;
        if let Some(external) = &new.external_id {
            // Updating a postmortem by its external id is an edit of it,
            // which a caller who may not see it cannot make. External ids
            // are unique, so the id cannot be given to a new postmortem
            // either: the refusal says it is taken, never by what.
            let holder = self
                .store
                .id_by_external_id(external)
                .await
                .map_err(|e| internal("could not look up the external id", e))?;
            if holder.is_some_and(|id| hidden.contains(id)) {
                let mut errors = kb_domain::ValidationErrors::default();
                errors.push(
                    "external_id",
                    format!("{external:?} is already used by another postmortem; choose another"),
                );
                return Err(AppError::Invalid(errors));
            }
        }
        let saved = match &new.external_id {
            // An external id means "the caller's incident": create or update
            // it, exactly as an import would, rather than fail on a duplicate.
            Some(_) => self
                .store
                .import(&new, &ctx.actor())
                .await
                .map(|(id, _, _)| id),
            None => self
                .store
                .create(&new, &ctx.actor())
                .await
                .map(|(id, _)| id),
        };
        let id = saved.map_err(write_error)?;
        if new.parts.access.private {
            self.audit(ctx, id, "write").await?;
        }
        tracing::info!(id, actor = %ctx.actor(), "postmortem saved");
        self.reindex_after_write().await;
        Ok(id)
    }

    /// Imports one validated-or-not input; the caller reports per-line
    /// results. Does not touch the index: call [`Services::reindex_after_write`]
    /// once after a batch.
    pub async fn import_one(
        &self,
        ctx: &RequestContext,
        input: &PostmortemInput,
    ) -> Result<ImportOutcome, AppError> {
        let new = input.validate()?;
        let (_, outcome, _) = self
            .store
            .import(&new, &ctx.actor())
            .await
            .map_err(write_error)?;
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
        input: PostmortemInput,
    ) -> Result<i64, AppError> {
        let new = input.validate_authored()?;
        self.update(ctx, id, expected_version, &new, "postmortem edited")
            .await
    }

    async fn update(
        &self,
        ctx: &RequestContext,
        id: i64,
        expected_version: i64,
        new: &NewPostmortem,
        what: &'static str,
    ) -> Result<i64, AppError> {
        let hidden = self.check_visible(ctx, id).await?;
        self.check_keeps_access(ctx, &new.parts.access).await?;
        self.check_links(&new.parts.links, &hidden).await?;
        let current = match self.store.get(id).await {
            Ok(current) => current,
            Err(DbError::NotFound) => return Err(AppError::NotFound),
            Err(e) => return Err(internal("could not load the postmortem", e)),
        };
        let mut new = new.clone();
        private::keep_hidden_links(&current, &mut new, &hidden);
        let version = match self
            .store
            .update(id, expected_version, &new, &ctx.actor())
            .await
        {
            Ok((version, _)) => version,
            Err(e) => return Err(write_error(e)),
        };
        if current.parts.access.private || new.parts.access.private {
            self.audit(ctx, id, "write").await?;
        }
        tracing::info!(id, version, actor = %ctx.actor(), "{what}");
        self.reindex_after_write().await;
        Ok(version)
    }

    /// Moves the write-up to `status` (draft, in review, published) as a
    /// new revision; the store stamps who published and when.
    pub async fn change_status(
        &self,
        ctx: &RequestContext,
        id: i64,
        expected_version: i64,
        status: &str,
    ) -> Result<i64, AppError> {
        let stored = self.get(ctx, id).await?.ok_or(AppError::NotFound)?;
        let mut input = PostmortemInput::from(&stored);
        input.parts.status = status.to_string();
        // Imported reports may lack a severity; a status change must not
        // demand one, so this uses the general rules.
        let new = input.validate()?;
        self.update(ctx, id, expected_version, &new, "status changed")
            .await
    }

    /// Saves revision `version`'s content again as a new revision: history
    /// only grows, so a restore can itself be undone.
    pub async fn restore(
        &self,
        ctx: &RequestContext,
        id: i64,
        version: i64,
        expected_version: i64,
    ) -> Result<i64, AppError> {
        let hidden = self.check_visible(ctx, id).await?;
        let mut old = PostmortemInput::from(&self.revision(id, version).await?);
        // The old text's links to postmortems the restorer may not see are
        // left as they are now (`update` keeps the current ones), never
        // named back to them in a refusal.
        self.without_hidden(&mut old.parts.links, &hidden).await?;
        let mut new = old.validate()?;
        // Who may see it is not content: restoring old text must not
        // reopen a postmortem made private since.
        let current = self.get(ctx, id).await?.ok_or(AppError::NotFound)?;
        new.parts.access = current.parts.access;
        self.update(ctx, id, expected_version, &new, "revision restored")
            .await
    }

    /// What revision `version` changed compared with the one before it
    /// (for version 1: everything it set).
    pub async fn revision_changes(
        &self,
        ctx: &RequestContext,
        id: i64,
        version: i64,
    ) -> Result<Vec<crate::diff::FieldChange>, AppError> {
        let hidden = self.check_visible(ctx, id).await?;
        let mut after = PostmortemInput::from(&self.revision(id, version).await?);
        let mut before = if version > 1 {
            PostmortemInput::from(&self.revision(id, version - 1).await?)
        } else {
            PostmortemInput::default()
        };
        // Old revisions name links as they were written: hidden ones go.
        self.without_hidden(&mut after.parts.links, &hidden).await?;
        self.without_hidden(&mut before.parts.links, &hidden)
            .await?;
        Ok(crate::diff::changes(&before, &after))
    }

    async fn revision(&self, id: i64, version: i64) -> Result<NewPostmortem, AppError> {
        match self.store.revision_content(id, version).await {
            Ok(r) => Ok(r),
            Err(DbError::NotFound) => Err(AppError::NotFound),
            Err(e) => Err(internal("could not load the revision", e)),
        }
    }

    /// The saved revisions of a postmortem, newest first.
    pub async fn revisions(
        &self,
        ctx: &RequestContext,
        id: i64,
    ) -> Result<Vec<Revision>, AppError> {
        self.check_visible(ctx, id).await?;
        self.store
            .revisions(id)
            .await
            .map_err(|e| internal("could not load the history", e))
    }

    /// Brings the index up to date after a write, unless a rebuild is
    /// running (then the catch-up after it does). A failure is logged, not
    /// returned: the write is safe in the database and the indexer's next
    /// pass (or the next start) applies it.
    pub async fn reindex_after_write(&self) {
        if let Err(e) = self.indexer.catch_up_after_write().await {
            tracing::error!(error = %e, "index update after a write failed; it will be retried");
        }
    }

    /// One postmortem, `None` when it does not exist or is hidden from
    /// the caller; links to postmortems hidden from the caller are left
    /// out. Reading a private one is written to the audit log.
    pub async fn get(&self, ctx: &RequestContext, id: i64) -> Result<Option<Postmortem>, AppError> {
        let hidden = match self.check_visible(ctx, id).await {
            Ok(hidden) => hidden,
            Err(AppError::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        };
        let mut postmortem = match self.store.get(id).await {
            Ok(i) => i,
            Err(DbError::NotFound) => return Ok(None),
            Err(e) => return Err(internal("could not load the postmortem", e)),
        };
        if postmortem.parts.access.private {
            self.audit(ctx, id, "read").await?;
        }
        private::without_hidden_links(&mut postmortem, &hidden);
        Ok(Some(postmortem))
    }

    /// A page of postmortems, newest first; `page` counts from 1.
    pub async fn list(&self, ctx: &RequestContext, page: i64) -> Result<PostmortemList, AppError> {
        let page = page.max(1);
        let hidden = self.hidden(ctx).await?;
        let rows = self
            .store
            .list_recent(PAGE_SIZE, (page - 1).saturating_mul(PAGE_SIZE), &hidden)
            .await
            .map_err(|e| internal("could not list postmortems", e))?;
        let total = self
            .store
            .count(&hidden)
            .await
            .map_err(|e| internal("could not count postmortems", e))?;
        Ok(PostmortemList { rows, total })
    }

    /// The first `limit` postmortems for `text`: [`find`](Self::find)
    /// without filters or patterns.
    pub async fn search(
        &self,
        ctx: &RequestContext,
        text: &str,
        limit: usize,
    ) -> Result<SearchResponse, AppError> {
        let query = SearchQuery {
            text: text.to_string(),
            limit,
            ..SearchQuery::default()
        };
        self.find(ctx, query).await
    }

    /// Searches whatever the user pasted, with filters and paging, and the
    /// matching patterns. Never fails because of the text: over-long input is
    /// cut, and the index treats every character as text.
    pub async fn find(
        &self,
        ctx: &RequestContext,
        query: SearchQuery,
    ) -> Result<SearchResponse, AppError> {
        let started = Instant::now();
        let answer = self.answer(ctx, query).await?;
        Ok(answer.response(elapsed_ms(started)))
    }

    /// [`find`](Self::find) as the JSON the API sends: a repeated search
    /// costs a cache lookup and a copy of its JSON.
    pub async fn find_json(
        &self,
        ctx: &RequestContext,
        query: SearchQuery,
    ) -> Result<Vec<u8>, AppError> {
        let started = Instant::now();
        let answer = self.answer(ctx, query).await?;
        answer
            .json(elapsed_ms(started))
            .map_err(|e| internal("could not write the search results", e))
    }

    /// The answer to `query` as `ctx`'s caller may see it, from the cache
    /// when the same search was answered by the same view of the index.
    async fn answer(
        &self,
        ctx: &RequestContext,
        query: SearchQuery,
    ) -> Result<Arc<answer::Answer>, AppError> {
        self.answer_without(ctx, query, None).await
    }

    /// [`answer`](Self::answer) as if postmortem `also` did not exist
    /// either: left out of the results and of the statistics that weigh
    /// the words.
    async fn answer_without(
        &self,
        ctx: &RequestContext,
        mut query: SearchQuery,
        also: Option<i64>,
    ) -> Result<Arc<answer::Answer>, AppError> {
        let mut exclude = self.hidden(ctx).await?.ids().to_vec();
        if let Some(id) = also {
            if let Err(at) = exclude.binary_search(&id) {
                exclude.insert(at, id);
            }
        }
        if let Some((cut, _)) = query.text.char_indices().nth(MAX_QUERY_CHARS) {
            query.text.truncate(cut);
        }
        query.limit = query.limit.clamp(1, MAX_LIMIT);
        query.patterns = query.patterns.min(MAX_PATTERNS);
        query.offset = query.offset.min(kb_search::MAX_CANDIDATES);
        self.indexer
            .search(query, exclude)
            .await
            .map_err(|e| internal("search failed", e))
    }

    /// Other postmortems that look like `input` (its
    /// [`PostmortemInput::symptom_text`] as one pasted query), best first,
    /// leaving out `exclude` (the postmortem itself).
    ///
    /// The postmortem is left out of the search's statistics too: a whole
    /// write-up's rarest words are its own (request ids, one-off numbers),
    /// and weighed by an index that holds it they would be the query, which
    /// only it matches.
    pub async fn similar(
        &self,
        ctx: &RequestContext,
        input: &PostmortemInput,
        exclude: Option<i64>,
        limit: usize,
    ) -> Result<Vec<SearchHit>, AppError> {
        self.similar_to(ctx, input.symptom_text(), exclude, limit)
            .await
    }

    /// [`similar`](Self::similar) for a draft's symptom text (the editor's
    /// "seen before?").
    pub async fn similar_to(
        &self,
        ctx: &RequestContext,
        text: String,
        exclude: Option<i64>,
        limit: usize,
    ) -> Result<Vec<SearchHit>, AppError> {
        if text.trim().is_empty() {
            return Ok(Vec::new());
        }
        let query = SearchQuery {
            text,
            limit,
            ..SearchQuery::default()
        };
        let answer = self.answer_without(ctx, query, exclude).await?;
        Ok(answer.response(0.0).incidents)
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
