//! What an incident opened by an alert or a chat command carries beside
//! its record: the "seen before?" suggestions (read, accepted as an
//! earlier occurrence, or dismissed) and the list of incidents whose clock
//! runs.

use super::{internal, Services};
use crate::context::RequestContext;
use crate::error::AppError;

impl Services {
    /// The "seen before?" suggestions stored on postmortem `id`, without
    /// any whose target the caller may not see.
    pub async fn suggestions(
        &self,
        ctx: &RequestContext,
        id: i64,
    ) -> Result<Vec<kb_domain::intake::Suggestion>, AppError> {
        let hidden = self.check_visible(ctx, id).await?;
        self.store
            .suggestions(id, &hidden)
            .await
            .map_err(|e| internal("could not read the suggestions", e))
    }

    /// Accepts suggestion `position` of postmortem `id` as an earlier
    /// occurrence (a new revision on top of `expected_version`), or
    /// dismisses it. Returns the postmortem's version after.
    pub async fn decide_suggestion(
        &self,
        ctx: &RequestContext,
        id: i64,
        position: i64,
        accept: bool,
        expected_version: i64,
    ) -> Result<i64, AppError> {
        let hidden = self.check_visible(ctx, id).await?;
        let visible = self.store.suggestions(id, &hidden).await;
        let visible = visible.map_err(|e| internal("could not read the suggestions", e))?;
        if !visible.iter().any(|s| s.position == position) {
            return Err(AppError::NotFound);
        }
        let version = self
            .store
            .decide_suggestion(id, position, accept, expected_version, &ctx.actor())
            .await
            .map_err(super::write_error)?;
        tracing::info!(id, position, accept, actor = %ctx.actor(), "suggestion decided");
        self.reindex_after_write().await;
        Ok(version)
    }

    /// The incidents whose clock runs, as the caller may see them.
    pub async fn ongoing(
        &self,
        ctx: &RequestContext,
    ) -> Result<Vec<kb_domain::intake::OngoingIncident>, AppError> {
        let hidden = self.hidden(ctx).await?;
        self.store
            .ongoing(&hidden)
            .await
            .map_err(|e| internal("could not list the ongoing incidents", e))
    }
}
