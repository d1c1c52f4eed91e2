//! Investigate: findings from pasted evidence (`kb_investigate`), read off
//! the async threads, since a paste can be megabytes of log lines.

use super::{internal, Services};
use crate::context::RequestContext;
use crate::error::AppError;
use kb_investigate::Investigation;

impl Services {
    /// The findings the evidence `text` gives. Any text is evidence: what
    /// cannot be read as a log line is left out, never refused.
    pub async fn investigate_text(
        &self,
        _ctx: &RequestContext,
        text: String,
    ) -> Result<Investigation, AppError> {
        tokio::task::spawn_blocking(move || kb_investigate::investigate(&text))
            .await
            .map_err(|e| internal("the investigation failed", e))
    }
}
