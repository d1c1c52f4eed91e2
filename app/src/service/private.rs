//! Private postmortems as the services apply them: what a caller may not
//! see ([`Services::hidden`]), refusing reads and writes of those as if they
//! did not exist, taking them out of a postmortem's links, the audit log
//! of every read and write of a private postmortem, and groups.
//!
//! The rule is one: a postmortem hidden from the caller is [`AppError::NotFound`]
//! wherever it is named, and absent wherever postmortems are listed,
//! counted or searched.

use super::{internal, Services};
use crate::context::RequestContext;
use crate::error::AppError;
use kb_db::{DbError, Hidden};
use kb_domain::accounts::{Access, AccessEntry, Group};
use kb_domain::Postmortem;

/// Audit entries per page of the log.
pub const LOG_PAGE: i64 = 100;

impl Services {
    /// The private postmortems the caller may not see.
    pub async fn hidden(&self, ctx: &RequestContext) -> Result<Hidden, AppError> {
        self.store
            .hidden(ctx.viewer())
            .await
            .map_err(|e| internal("could not check access to private postmortems", e))
    }

    /// [`AppError::NotFound`] when postmortem `id` is hidden from the
    /// caller or does not exist: the same answer, reached by the same
    /// queries, so nothing (not even the time taken) tells them apart.
    pub(crate) async fn check_visible(
        &self,
        ctx: &RequestContext,
        id: i64,
    ) -> Result<Hidden, AppError> {
        let hidden = self.hidden(ctx).await?;
        let visible = self
            .store
            .exists_visible(id, &hidden)
            .await
            .map_err(|e| internal("could not look up the postmortem", e))?;
        if !visible {
            return Err(AppError::NotFound);
        }
        Ok(hidden)
    }

    /// Refuses a save that would leave the saver unable to see what they
    /// saved (a private postmortem naming neither them nor a group of
    /// theirs): a field error, not a silent lock-out.
    pub(crate) async fn check_keeps_access(
        &self,
        ctx: &RequestContext,
        access: &Access,
    ) -> Result<(), AppError> {
        let keeps = self
            .store
            .would_see(ctx.viewer(), access)
            .await
            .map_err(|e| internal("could not check the postmortem's readers", e))?;
        if keeps {
            return Ok(());
        }
        let mut errors = kb_domain::ValidationErrors::default();
        errors.push(
            "access.users",
            "name yourself or a group you are in: you could not open it after saving",
        );
        Err(AppError::Invalid(errors))
    }

    /// Whether `link` names a postmortem in `hidden` (by `#id` or by
    /// external id).
    async fn links_hidden(
        &self,
        link: &kb_domain::record::Link,
        hidden: &Hidden,
    ) -> Result<bool, AppError> {
        if hidden.is_empty() {
            return Ok(false);
        }
        let written = link.target.trim();
        let target = match kb_domain::record::link_target_id(written) {
            Some(id) => Some(id),
            None => self
                .store
                .id_by_external_id(written)
                .await
                .map_err(|e| internal("could not resolve a link", e))?,
        };
        Ok(target.is_some_and(|id| hidden.contains(id)))
    }

    /// Refuses a link to a postmortem hidden from the caller with the
    /// answer a link to a missing one gets, so linking is no way to learn
    /// that an id or external id exists.
    pub(crate) async fn check_links(
        &self,
        links: &[kb_domain::record::Link],
        hidden: &Hidden,
    ) -> Result<(), AppError> {
        for (i, link) in links.iter().enumerate() {
            if self.links_hidden(link, hidden).await? {
                let mut errors = kb_domain::ValidationErrors::default();
                errors.push(
                    &format!("links.{i}.target"),
                    format!("there is no postmortem {:?}", link.target.trim()),
                );
                return Err(AppError::Invalid(errors));
            }
        }
        Ok(())
    }

    /// Takes the links to postmortems `hidden` out of `links` (an old
    /// revision's, which the live record's filtering does not reach).
    pub(crate) async fn without_hidden(
        &self,
        links: &mut Vec<kb_domain::record::Link>,
        hidden: &Hidden,
    ) -> Result<(), AppError> {
        let mut keep = Vec::with_capacity(links.len());
        for link in links.iter() {
            keep.push(!self.links_hidden(link, hidden).await?);
        }
        let mut keep = keep.into_iter();
        links.retain(|_| keep.next().unwrap_or(false));
        Ok(())
    }

    /// Records that the caller read or wrote private postmortem `id`.
    /// Fails closed: an access that cannot be recorded is refused.
    pub(crate) async fn audit(
        &self,
        ctx: &RequestContext,
        id: i64,
        action: &str,
    ) -> Result<(), AppError> {
        self.store
            .log_access(ctx.account().map(|a| a.id), &ctx.actor(), id, action)
            .await
            .map_err(|e| internal("could not record access to a private postmortem", e))
    }

    /// Newest audit entries first, [`LOG_PAGE`] at a time, before entry
    /// `before` (paging back); each with its id.
    pub async fn access_log(
        &self,
        _ctx: &RequestContext,
        before: Option<i64>,
    ) -> Result<Vec<(i64, AccessEntry)>, AppError> {
        self.store
            .access_log(before, LOG_PAGE)
            .await
            .map_err(|e| internal("could not read the access log", e))
    }

    /// Every group and its members.
    pub async fn groups(&self, _ctx: &RequestContext) -> Result<Vec<Group>, AppError> {
        self.store
            .groups()
            .await
            .map_err(|e| internal("could not list the groups", e))
    }

    /// Creates a group; a bad or taken name is a field error on `name`.
    pub async fn create_group(&self, ctx: &RequestContext, name: &str) -> Result<i64, AppError> {
        let name = name.trim();
        let mut errors = kb_domain::ValidationErrors::default();
        if name.is_empty() || name.chars().count() > kb_domain::postmortem::MAX_NAME {
            errors.push(
                "name",
                format!(
                    "a group needs a name of 1 to {} characters",
                    kb_domain::postmortem::MAX_NAME
                ),
            );
            return Err(AppError::Invalid(errors));
        }
        match self.store.create_group(name).await {
            Ok(id) => {
                tracing::info!(group = name, actor = %ctx.actor(), "group created");
                Ok(id)
            }
            Err(DbError::NameTaken(_)) => {
                errors.push("name", format!("there is already a group named {name:?}"));
                Err(AppError::Invalid(errors))
            }
            Err(e) => Err(internal("could not create the group", e)),
        }
    }

    /// Adds `account` (a name) to group `group`, or removes it. An unknown
    /// name is a field error on `account`.
    pub async fn set_member(
        &self,
        ctx: &RequestContext,
        group: i64,
        account: &str,
        member: bool,
    ) -> Result<(), AppError> {
        match self.store.set_member(group, account.trim(), member).await {
            Ok(()) => {
                tracing::info!(group, account, member, actor = %ctx.actor(), "group membership changed");
                Ok(())
            }
            Err(DbError::NotFound) => {
                let mut errors = kb_domain::ValidationErrors::default();
                errors.push("account", format!("there is no account named {account:?}"));
                Err(AppError::Invalid(errors))
            }
            Err(e) => Err(internal("could not change the group", e)),
        }
    }
}

/// Takes the postmortems `hidden` out of `incident`'s links, both ways.
pub(crate) fn without_hidden_links(postmortem: &mut Postmortem, hidden: &Hidden) {
    if hidden.is_empty() {
        return;
    }
    // The first `links.len()` related entries are the links themselves,
    // in the same order (see `kb_db`'s links module).
    let own = postmortem.parts.links.len();
    let mut keep_link = Vec::with_capacity(own);
    let mut at = 0;
    postmortem.related.retain(|r| {
        let visible = !hidden.contains(r.id);
        if at < own {
            keep_link.push(visible);
        }
        at += 1;
        visible
    });
    let mut keep = keep_link.into_iter();
    postmortem
        .parts
        .links
        .retain(|_| keep.next().unwrap_or(true));
}

/// Puts back into `new` the links of `current` to postmortems `hidden`
/// from the saver: their editor never showed them, so leaving them out
/// was not a decision to remove them.
pub(crate) fn keep_hidden_links(
    current: &Postmortem,
    new: &mut kb_domain::NewPostmortem,
    hidden: &Hidden,
) {
    if hidden.is_empty() {
        return;
    }
    for (link, related) in current.parts.links.iter().zip(&current.related) {
        if hidden.contains(related.id) && !new.parts.links.iter().any(|l| l.target == link.target) {
            new.parts.links.push(link.clone());
        }
    }
}
