//! Action-item tracking: the list with its filters (page, API and CSV use
//! the same call), changes to one item or a selection, an item's history,
//! the numbers for managers and the recurrence view.

use super::{internal, write_error, Services};
use crate::context::RequestContext;
use crate::error::AppError;
use kb_domain::actions::{
    date_from_days, ActionChange, ActionFilters, ActionItemPage, ActionItemRow, ActionPatch,
    ActionSummary, EarlierItems, MAX_BULK,
};
use kb_domain::ValidationErrors;

/// Most rows one CSV export or API answer holds.
pub const MAX_EXPORT: i64 = 100_000;

/// Today in UTC, `YYYY-MM-DD`: the day "overdue" is counted from.
pub fn today() -> String {
    date_from_days(unix_seconds().div_euclid(86_400))
}

/// Now in UTC, `YYYY-MM-DDTHH:MM:SSZ`: when a timeline entry made now
/// happened.
pub fn now_utc() -> String {
    let secs = unix_seconds();
    let in_day = secs.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        date_from_days(secs.div_euclid(86_400)),
        in_day / 3_600,
        in_day % 3_600 / 60,
        in_day % 60
    )
}

fn unix_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn one_error(field: &str, message: impl Into<String>) -> AppError {
    let mut errors = ValidationErrors::default();
    errors.push(field, message);
    AppError::Invalid(errors)
}

impl Services {
    /// Fills in each row's tracker link.
    fn with_links(&self, mut rows: Vec<ActionItemRow>) -> Vec<ActionItemRow> {
        for r in &mut rows {
            r.tracker_link =
                kb_domain::actions::tracker_link(&r.item.tracker, self.tracker_url.as_deref());
        }
        rows
    }

    /// Checks the filters and turns "mine" into the caller's owner name.
    fn resolve_filters(
        &self,
        ctx: &RequestContext,
        filters: &ActionFilters,
    ) -> Result<ActionFilters, AppError> {
        let mut f = filters.validate()?;
        if f.mine {
            match &ctx.name {
                Some(name) => f.owner = Some(name.clone()),
                None => {
                    return Err(one_error(
                        "mine",
                        "say which owner name is yours first: my items are the items you own",
                    ))
                }
            }
        }
        Ok(f)
    }

    /// A page of action items matching `filters`, with the counts per
    /// status. Unknown filter values are refused ([`AppError::Invalid`],
    /// naming the parameter).
    pub async fn action_items(
        &self,
        ctx: &RequestContext,
        filters: &ActionFilters,
        page_size: i64,
    ) -> Result<ActionItemPage, AppError> {
        let f = self.resolve_filters(ctx, filters)?;
        let page_size = page_size.clamp(1, MAX_EXPORT);
        let today = today();
        let hidden = self.hidden(ctx).await?;
        let (rows, counts) = self
            .store
            .action_items(
                &f,
                &today,
                page_size,
                (f.page - 1).saturating_mul(page_size),
                &hidden,
            )
            .await
            .map_err(|e| internal("could not list the action items", e))?;
        let total = match &f.status {
            Some(s) => counts
                .iter()
                .filter(|c| &c.status == s)
                .map(|c| c.count)
                .sum(),
            None => counts.iter().map(|c| c.count).sum(),
        };
        Ok(ActionItemPage {
            rows: self.with_links(rows),
            total,
            counts,
            filters: filters.validate()?.on_page(f.page),
            today,
            page_size,
        })
    }

    /// Every item matching `filters` (up to [`MAX_EXPORT`]), for the CSV
    /// export of the current view: its filters and order, all pages.
    pub async fn action_items_export(
        &self,
        ctx: &RequestContext,
        filters: &ActionFilters,
    ) -> Result<(Vec<ActionItemRow>, String), AppError> {
        let f = self.resolve_filters(ctx, filters)?.on_page(1);
        let today = today();
        let hidden = self.hidden(ctx).await?;
        let (rows, _) = self
            .store
            .action_items(&f, &today, MAX_EXPORT, 0, &hidden)
            .await
            .map_err(|e| internal("could not export the action items", e))?;
        Ok((self.with_links(rows), today))
    }

    /// One action item, `None` when it does not exist or its postmortem
    /// is hidden from the caller.
    pub async fn action_item(
        &self,
        ctx: &RequestContext,
        id: i64,
    ) -> Result<Option<ActionItemRow>, AppError> {
        // The same queries whether the item is missing or hidden.
        let hidden = self.hidden(ctx).await?;
        match self.store.action_item(id).await {
            Ok(r) if hidden.contains(r.postmortem_id) => Ok(None),
            Ok(r) => Ok(self.with_links(vec![r]).pop()),
            Err(kb_db::DbError::NotFound) => Ok(None),
            Err(e) => Err(internal("could not load the action item", e)),
        }
    }

    /// Changes one item's status, owner or due date, on top of the version
    /// the patch names. Bad values are [`AppError::Invalid`]; a stale
    /// version is [`AppError::StaleItem`]; both write nothing.
    pub async fn change_action_item(
        &self,
        ctx: &RequestContext,
        id: i64,
        patch: &ActionPatch,
    ) -> Result<ActionItemRow, AppError> {
        let mut changed = self
            .change_action_items(ctx, &[(id, patch.clone())])
            .await?;
        changed.pop().ok_or(AppError::NotFound)
    }

    /// Changes a selection at once, all or nothing: if any item is stale
    /// or missing, none changes. Each patch names its own item's version.
    pub async fn change_action_items(
        &self,
        ctx: &RequestContext,
        changes: &[(i64, ActionPatch)],
    ) -> Result<Vec<ActionItemRow>, AppError> {
        if changes.is_empty() {
            return Err(one_error("items", "choose at least one action item"));
        }
        if changes.len() > MAX_BULK {
            return Err(one_error(
                "items",
                format!("at most {MAX_BULK} action items at once"),
            ));
        }
        let mut valid = Vec::with_capacity(changes.len());
        for (id, patch) in changes {
            valid.push((*id, patch.validate()?));
        }
        // An item of a postmortem the caller may not see does not exist
        // for them, so neither does the batch.
        let hidden = self.hidden(ctx).await?;
        let mut private = Vec::new();
        for (id, _) in changes {
            match self.store.action_item(*id).await {
                Ok(item) if hidden.contains(item.postmortem_id) => return Err(AppError::NotFound),
                Ok(item) => private.push(item.postmortem_id),
                Err(kb_db::DbError::NotFound) => return Err(AppError::NotFound),
                Err(e) => return Err(internal("could not load the action item", e)),
            }
        }
        let who = ctx.who();
        let changed = self
            .store
            .change_action_items(&valid, &who)
            .await
            .map_err(write_error)?;
        let restricted = self.hidden_from_public(&private).await?;
        for postmortem in restricted {
            self.audit(ctx, postmortem, "write").await?;
        }
        tracing::info!(items = changed.len(), actor = %who, "action items changed");
        self.reindex_after_write().await;
        Ok(self.with_links(changed))
    }

    /// Every recorded change of item `id`, oldest first.
    pub async fn action_item_history(
        &self,
        ctx: &RequestContext,
        id: i64,
    ) -> Result<Vec<ActionChange>, AppError> {
        if self.action_item(ctx, id).await?.is_none() {
            return Err(AppError::NotFound);
        }
        self.store
            .action_item_history(id)
            .await
            .map_err(|e| internal("could not load the item's history", e))
    }

    /// Open and overdue counts, completion rate and median days to close,
    /// overall and per team and service.
    pub async fn action_summary(&self, ctx: &RequestContext) -> Result<ActionSummary, AppError> {
        let hidden = self.hidden(ctx).await?;
        self.store
            .action_summary(&today(), &hidden)
            .await
            .map_err(|e| internal("could not count the action items", e))
    }

    /// The earlier occurrences' items, marked against postmortem `id`.
    pub async fn earlier_action_items(
        &self,
        ctx: &RequestContext,
        id: i64,
    ) -> Result<Vec<EarlierItems>, AppError> {
        let hidden = self.check_visible(ctx, id).await?;
        let mut earlier = self
            .store
            .earlier_action_items(id)
            .await
            .map_err(|e| internal("could not load the earlier occurrences' items", e))?;
        earlier.retain(|e| !hidden.contains(e.postmortem_id));
        Ok(earlier)
    }

    /// The private ones among `postmortems`.
    async fn hidden_from_public(&self, postmortems: &[i64]) -> Result<Vec<i64>, AppError> {
        let private = self
            .store
            .hidden(kb_db::Viewer::Public)
            .await
            .map_err(|e| internal("could not check access to private postmortems", e))?;
        let mut out: Vec<i64> = postmortems
            .iter()
            .copied()
            .filter(|id| private.contains(*id))
            .collect();
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }
}

/// The columns of the CSV export, in order.
pub const CSV_COLUMNS: [&str; 15] = [
    "id",
    "postmortem_id",
    "postmortem",
    "title",
    "owner",
    "due",
    "overdue",
    "priority",
    "status",
    "kind",
    "tracker",
    "teams",
    "services",
    "created_at",
    "closed_at",
];

/// Appends one CSV cell (RFC 4180: quoted where needed). A cell starting
/// with `=`, `+`, `-` or `@` gets a leading `'` so a spreadsheet never
/// runs it as a formula. Shared by every CSV export.
pub(crate) fn cell(out: &mut String, value: &str) {
    let guarded;
    let value = if value.starts_with(['=', '+', '-', '@']) {
        guarded = format!("'{value}");
        &guarded
    } else {
        value
    };
    if value.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
}

/// Rows as CSV (RFC 4180, CRLF line ends, cells by [`cell`]), with a
/// header line.
pub fn csv(rows: &[ActionItemRow], today: &str) -> String {
    let mut out = CSV_COLUMNS.join(",");
    out.push_str("\r\n");
    for r in rows {
        let i = &r.item;
        let cells = [
            r.id().to_string(),
            r.postmortem_id.to_string(),
            r.postmortem_title.clone(),
            i.title.clone(),
            i.owner.clone(),
            i.due.clone().unwrap_or_default(),
            if r.is_overdue(today) { "yes" } else { "no" }.to_string(),
            i.priority.clone(),
            i.status.clone(),
            i.kind.clone(),
            i.tracker.clone(),
            r.teams.join("; "),
            r.services.join("; "),
            r.created_at.clone(),
            r.closed_at.clone().unwrap_or_default(),
        ];
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            cell(&mut out, c);
        }
        out.push_str("\r\n");
    }
    out
}
