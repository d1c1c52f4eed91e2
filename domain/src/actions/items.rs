//! The items the tracking pages list, a page of them, and a change to one
//! item with the history it leaves.

use super::{percent_encode, ActionFilters};
use crate::postmortem::{is_calendar_date, ValidationErrors, MAX_NAME};
use crate::record::{ActionItem, ActionStatus};
use serde::{Deserialize, Serialize};

/// One action item as the tracking pages list it: the item, where it
/// comes from, and its tracking stamps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionItemRow {
    /// The item as its postmortem holds it; the store always fills in its
    /// id. Flattened, so the API's rows stay one flat object.
    #[serde(flatten)]
    pub item: ActionItem,
    /// The postmortem it belongs to.
    pub postmortem_id: i64,
    /// That postmortem's title.
    pub postmortem_title: String,
    /// Bumped by every change; a change names the version it was made on.
    pub version: i64,
    /// When the store first saw it, RFC 3339 UTC.
    pub created_at: String,
    /// When it became done or won't do, if it is closed.
    pub closed_at: Option<String>,
    /// The postmortem's teams.
    pub teams: Vec<String>,
    /// The postmortem's services.
    pub services: Vec<String>,
    /// Where the tracker entry lives: the tracker itself when it is a link,
    /// or a key appended to the configured tracker address (`serve
    /// --tracker-url`); filled in by the service.
    #[serde(default)]
    pub tracker_link: Option<String>,
}

impl ActionItemRow {
    /// Hindsight's id of the item (0 only for a row not read from the
    /// store, which never happens outside tests).
    pub fn id(&self) -> i64 {
        self.item.id.unwrap_or_default()
    }

    /// Done or won't do.
    pub fn is_closed(&self) -> bool {
        is_closed(&self.item.status)
    }

    /// Past its due date (before `today`, `YYYY-MM-DD`) and not closed.
    pub fn is_overdue(&self, today: &str) -> bool {
        !self.is_closed() && self.item.due.as_deref().is_some_and(|d| d < today)
    }

    /// The tracker as a link target, when it is one.
    pub fn tracker_url(&self) -> Option<&str> {
        tracker_url(&self.item.tracker)
    }
}

/// True for the statuses that end an item: done and won't do.
pub fn is_closed(status: &str) -> bool {
    status == ActionStatus::Done.as_str() || status == ActionStatus::WontDo.as_str()
}

/// `tracker` when it is an http(s) link (validation admits no other scheme).
pub fn tracker_url(tracker: &str) -> Option<&str> {
    let lower = tracker.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some(tracker)
}

/// The link of a tracker entry: `tracker` itself when it is an http(s)
/// link, else a key such as `OPS-123` appended to `base` (e.g.
/// `https://jira.example.com/browse/`), else none.
pub fn tracker_link(tracker: &str, base: Option<&str>) -> Option<String> {
    if let Some(url) = tracker_url(tracker) {
        return Some(url.to_string());
    }
    let key_like = !tracker.is_empty()
        && tracker
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '#'));
    match base {
        Some(base) if key_like => Some(format!("{base}{}", percent_encode(tracker))),
        _ => None,
    }
}

/// How many items have one status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCount {
    /// An [`ActionStatus`] name.
    pub status: String,
    /// Items with it.
    pub count: i64,
}

/// A page of the Action items list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionItemPage {
    /// The items of this page.
    pub rows: Vec<ActionItemRow>,
    /// Items matching every filter, on all pages.
    pub total: i64,
    /// Items per status under every filter except the status one, in
    /// [`ActionStatus::ALL`] order (zeros included), so the counts at the
    /// top say what choosing another status would show.
    pub counts: Vec<StatusCount>,
    /// The filters as applied (validated, canonical).
    pub filters: ActionFilters,
    /// The day "overdue" and "this week" were counted from, `YYYY-MM-DD` (UTC).
    pub today: String,
    /// Items per page.
    pub page_size: i64,
}

/// A change to one item's status, owner and due date (the fields the
/// tracking pages change inline). Unset fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActionPatch {
    /// The item's version this change was made on; a change based on an
    /// older version is refused rather than merged.
    pub version: i64,
    /// An [`ActionStatus`] name.
    pub status: Option<String>,
    /// The new owner; empty for nobody.
    pub owner: Option<String>,
    /// The new due date, `YYYY-MM-DD`; empty to clear it.
    pub due: Option<String>,
}

impl ActionPatch {
    /// `item` with this change made (a validated patch: an empty due date
    /// clears the date).
    pub fn apply(&self, item: &ActionItem) -> ActionItem {
        let mut out = item.clone();
        if let Some(s) = &self.status {
            out.status = s.clone();
        }
        if let Some(o) = &self.owner {
            out.owner = o.clone();
        }
        if let Some(d) = &self.due {
            out.due = (!d.is_empty()).then(|| d.clone());
        }
        out
    }

    /// True when it changes nothing.
    pub fn is_empty(&self) -> bool {
        self.status.is_none() && self.owner.is_none() && self.due.is_none()
    }

    /// Canonical status, trimmed owner and date, or why not: an unknown
    /// status, an owner longer than a name, a due date that is not a date.
    pub fn validate(&self) -> Result<ActionPatch, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let mut out = self.clone();
        if let Some(s) = self.status.as_deref() {
            match ActionStatus::parse(s) {
                Some(v) => out.status = Some(v.as_str().to_string()),
                None => errors.push(
                    "status",
                    format!(
                        "unknown status {:?}: use one of {}",
                        s.trim(),
                        ActionStatus::names()
                    ),
                ),
            }
        }
        if let Some(o) = self.owner.as_deref() {
            let o = o.trim();
            if o.chars().count() > MAX_NAME {
                errors.push(
                    "owner",
                    format!("an owner is a name: at most {MAX_NAME} characters"),
                );
            }
            out.owner = Some(o.to_string());
        }
        if let Some(d) = self.due.as_deref() {
            let d = d.trim();
            if !d.is_empty() && !is_calendar_date(d) {
                errors.push("due", format!("{d:?} is not a date; use YYYY-MM-DD"));
            }
            out.due = Some(d.to_string());
        }
        if self.is_empty() {
            errors.push(
                "status",
                "nothing to change: give a status, owner or due date",
            );
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }
}

/// One recorded change of one field of an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionChange {
    /// Who made it.
    pub changed_by: String,
    /// When, RFC 3339 UTC.
    pub changed_at: String,
    /// `status`, `owner`, `due`, ...; `created` for the item's first save.
    pub field: String,
    /// The value before (empty for none).
    pub from: String,
    /// The value after (empty for none).
    pub to: String,
}
