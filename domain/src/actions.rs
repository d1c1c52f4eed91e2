//! Action-item tracking across postmortems: the filters of the Action items
//! page (which are also the JSON API's and the CSV export's query), the rows
//! it lists, a change to one or many items, an item's history, the numbers
//! for managers and the "did it work?" view of a recurrence.
//!
//! Filters travel as URL query pairs; [`ActionFilters::from_pairs`] reads
//! them the same way for the page, the API and the CSV, and
//! [`ActionFilters::validate`] refuses unknown values with a message naming
//! the parameter, so the three can never drift apart.

use crate::incident::{is_calendar_date, ValidationErrors, MAX_NAME};
use crate::record::{epoch_seconds, ActionItem, ActionKind, ActionStatus, Priority};
use serde::{Deserialize, Serialize};

/// Items per page of the Action items page (and the API's default limit).
pub const ITEMS_PER_PAGE: i64 = 50;
/// Most items one bulk change may touch.
pub const MAX_BULK: usize = 500;

text_enum! {
    /// Which due dates to show.
    DueFilter {
        /// Past its due date and not closed.
        Overdue = "overdue", "Overdue";
        /// Due today or in the next six days.
        Week = "week", "Due this week";
        /// Without a due date.
        None = "none", "No due date";
    }
}

text_enum! {
    /// The order of the list.
    ActionSort {
        /// Soonest due first; items without a date last.
        Due = "due", "Due date";
        /// High priority first, then by due date.
        Priority = "priority", "Priority";
        /// Oldest item first.
        Age = "age", "Age (oldest first)";
    }
}

/// What the Action items page, `GET /api/v1/action-items` and the CSV
/// export show. Every filter is optional; set ones combine with AND.
/// Values are as typed until [`ActionFilters::validate`] makes them
/// canonical.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct ActionFilters {
    /// An [`ActionStatus`] name.
    pub status: Option<String>,
    /// Exactly this owner.
    pub owner: Option<String>,
    /// The postmortem names this team.
    pub team: Option<String>,
    /// The postmortem names this service.
    pub service: Option<String>,
    /// An [`ActionKind`] name.
    pub kind: Option<String>,
    /// A [`Priority`] name.
    pub priority: Option<String>,
    /// A [`DueFilter`] name.
    pub due: Option<String>,
    /// Items of this postmortem (its id).
    pub postmortem: Option<String>,
    /// Only items closed before their incident recurred (a later incident
    /// linked it as an earlier occurrence after the item was closed).
    pub recurred: bool,
    /// Only the caller's own items (owner = the caller's name).
    pub mine: bool,
    /// An [`ActionSort`] name; due date when unset.
    pub sort: Option<String>,
    /// 1-based page.
    pub page: i64,
}

/// Every query key the Action items page, the API and the CSV export
/// read: the text filters (see [`ActionFilters::slot`]), then the
/// switches and the page. The order is the order of
/// [`ActionFilters::pairs`], so a view has one URL.
pub const QUERY_KEYS: [&str; 12] = [
    "status",
    "owner",
    "team",
    "service",
    "kind",
    "priority",
    "due",
    "postmortem",
    "sort",
    "recurred",
    "mine",
    "page",
];

impl ActionFilters {
    /// Reads URL query pairs. Unknown keys are ignored; empty values mean
    /// "not set"; `recurred` and `mine` are on for `1`, `true`, `yes` or `on`.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> ActionFilters {
        let mut f = ActionFilters::default();
        for (key, value) in pairs {
            let value = value.trim();
            let on = matches!(value, "1" | "true" | "yes" | "on");
            match key {
                "recurred" => f.recurred = on,
                "mine" => f.mine = on,
                "page" => f.page = value.parse().unwrap_or(1),
                _ => {
                    if let Some(slot) = f.slot(key) {
                        *slot = (!value.is_empty()).then(|| value.to_string());
                    }
                }
            }
        }
        f
    }

    /// The text filter called `key` in the URL.
    pub fn slot(&mut self, key: &str) -> Option<&mut Option<String>> {
        Some(match key {
            "status" => &mut self.status,
            "owner" => &mut self.owner,
            "team" => &mut self.team,
            "service" => &mut self.service,
            "kind" => &mut self.kind,
            "priority" => &mut self.priority,
            "due" => &mut self.due,
            "postmortem" => &mut self.postmortem,
            "sort" => &mut self.sort,
            _ => return None,
        })
    }

    /// The set filters as query pairs, in a fixed order (page last, only
    /// past the first).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut copy = self.clone();
        let mut out: Vec<(&'static str, String)> = QUERY_KEYS
            .iter()
            .filter_map(|k| Some((*k, copy.slot(k)?.clone()?)))
            .collect();
        if self.recurred {
            out.push(("recurred", "1".into()));
        }
        if self.mine {
            out.push(("mine", "1".into()));
        }
        if self.page > 1 {
            out.push(("page", self.page.to_string()));
        }
        out
    }

    /// `?status=open&owner=dana` (percent-encoded), or empty.
    pub fn query_string(&self) -> String {
        let pairs = self.pairs();
        if pairs.is_empty() {
            return String::new();
        }
        let body: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", percent_encode(v)))
            .collect();
        format!("?{}", body.join("&"))
    }

    /// These filters with `key` set to `value` (or cleared), from page 1.
    pub fn with(&self, key: &str, value: Option<&str>) -> ActionFilters {
        let mut out = self.clone();
        match key {
            "recurred" => out.recurred = value.is_some(),
            "mine" => out.mine = value.is_some(),
            _ => {
                if let Some(slot) = out.slot(key) {
                    *slot = value.map(str::to_string);
                }
            }
        }
        out.page = 1;
        out
    }

    /// These filters on page `page`.
    pub fn on_page(&self, page: i64) -> ActionFilters {
        ActionFilters {
            page,
            ..self.clone()
        }
    }

    /// Canonical names (`In progress` → `in_progress`), trimmed names, page
    /// at least 1; or every unknown value, named by its query key.
    pub fn validate(&self) -> Result<ActionFilters, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let mut out = self.clone();
        fn check<E: Copy>(
            errors: &mut ValidationErrors,
            key: &str,
            slot: &mut Option<String>,
            parse: fn(&str) -> Option<E>,
            name: fn(E) -> &'static str,
            names: fn() -> String,
        ) {
            if let Some(v) = slot.as_deref() {
                match parse(v) {
                    Some(e) => *slot = Some(name(e).to_string()),
                    None => errors.push(
                        key,
                        format!("unknown {key} {:?}: use one of {}", v.trim(), names()),
                    ),
                }
            }
        }
        check(
            &mut errors,
            "status",
            &mut out.status,
            ActionStatus::parse,
            ActionStatus::as_str,
            ActionStatus::names,
        );
        check(
            &mut errors,
            "kind",
            &mut out.kind,
            ActionKind::parse,
            ActionKind::as_str,
            ActionKind::names,
        );
        check(
            &mut errors,
            "priority",
            &mut out.priority,
            Priority::parse,
            Priority::as_str,
            Priority::names,
        );
        check(
            &mut errors,
            "due",
            &mut out.due,
            DueFilter::parse,
            DueFilter::as_str,
            DueFilter::names,
        );
        check(
            &mut errors,
            "sort",
            &mut out.sort,
            ActionSort::parse,
            ActionSort::as_str,
            ActionSort::names,
        );
        for (key, slot) in [
            ("owner", &mut out.owner),
            ("team", &mut out.team),
            ("service", &mut out.service),
        ] {
            if let Some(v) = slot.as_deref() {
                if v.chars().count() > MAX_NAME {
                    errors.push(key, format!("a {key} is at most {MAX_NAME} characters"));
                }
                *slot = Some(v.trim().to_string());
            }
        }
        if let Some(p) = out.postmortem.as_deref() {
            let id = p.trim().trim_start_matches('#');
            match id.parse::<i64>() {
                Ok(n) if n > 0 => out.postmortem = Some(n.to_string()),
                _ => errors.push(
                    "postmortem",
                    format!("{:?} is not a postmortem id (a number such as 12)", p),
                ),
            }
        }
        out.page = out.page.max(1);
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    /// The order, due date when unset or unknown.
    pub fn sort_order(&self) -> ActionSort {
        self.sort
            .as_deref()
            .and_then(ActionSort::parse)
            .unwrap_or(ActionSort::Due)
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters kept).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

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

/// Where the items of a group (everything, a team, a service) stand.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ActionStats {
    /// Every item.
    pub total: i64,
    /// Open or in progress.
    pub open: i64,
    /// Open or in progress and past due.
    pub overdue: i64,
    /// Done.
    pub done: i64,
    /// Won't do.
    pub wont_do: i64,
    /// Done out of the items meant to be done (all but won't do), 0 to 1.
    pub completion_rate: Option<f64>,
    /// Median days from creation to closing, over closed items.
    pub median_days_to_close: Option<f64>,
}

/// The stats of one team or service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupStats {
    /// The team or service.
    pub name: String,
    /// Its items' numbers.
    pub stats: ActionStats,
}

/// Numbers that tell a manager where things stand.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ActionSummary {
    /// Over every item.
    pub all: ActionStats,
    /// Per team of the items' postmortems, most open first.
    pub teams: Vec<GroupStats>,
    /// Per service of the items' postmortems, most open first.
    pub services: Vec<GroupStats>,
    /// The day overdue was counted from.
    pub today: String,
}

/// The median of `values` (unsorted), if any.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

text_enum! {
    /// An earlier incident's action item, seen from a recurrence of it.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    RecurrenceMark {
        /// Closed (done or won't do) before the recurrence started: it did
        /// not prevent it.
        ClosedBefore = "closed_before", "Closed before this recurrence";
        /// Not closed when the recurrence started.
        StillOpen = "still_open", "Still open";
    }
}

/// The action items of an earlier occurrence, marked against a recurrence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlierItems {
    /// The earlier postmortem.
    pub postmortem_id: i64,
    /// Its title.
    pub title: String,
    /// Its items with their marks.
    pub items: Vec<(ActionItemRow, RecurrenceMark)>,
}

/// The mark of an item closed at `closed_at` (if closed) against a
/// recurrence that started at `recurred_at` (RFC 3339 UTC).
pub fn recurrence_mark(closed_at: Option<&str>, recurred_at: &str) -> RecurrenceMark {
    // Seconds are enough; stored stamps carry milliseconds the parser does
    // not read.
    let seconds = |t: &str| epoch_seconds(t.get(..19).unwrap_or(t));
    match (closed_at.and_then(seconds), seconds(recurred_at)) {
        (Some(closed), Some(recurred)) if closed < recurred => RecurrenceMark::ClosedBefore,
        (Some(_), None) => RecurrenceMark::ClosedBefore,
        _ => RecurrenceMark::StillOpen,
    }
}

/// `YYYY-MM-DD` of the day `days` after 1970-01-01.
pub fn date_from_days(days: i64) -> String {
    let (y, m, d) = crate::calendar::civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date.
pub fn days_of_date(date: &str) -> Option<i64> {
    Some(epoch_seconds(&format!("{date}T00:00"))?.div_euclid(86_400))
}

/// `date` plus `n` days.
pub fn add_days(date: &str, n: i64) -> Option<String> {
    Some(date_from_days(days_of_date(date)? + n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_round_trip_through_the_url_and_refuse_unknown_values() {
        let f = ActionFilters::from_pairs([
            ("status", "In progress"),
            ("owner", "dana lee"),
            ("due", "overdue"),
            ("recurred", "1"),
            ("page", "2"),
            ("junk", "x"),
        ]);
        let v = f.validate().unwrap();
        assert_eq!(v.status.as_deref(), Some("in_progress"));
        assert_eq!(
            v.query_string(),
            "?status=in_progress&owner=dana%20lee&due=overdue&recurred=1&page=2"
        );
        let back = ActionFilters::from_pairs(v.pairs().iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(back, v);

        let bad =
            ActionFilters::from_pairs([("status", "finished"), ("kind", "fix"), ("due", "soon")])
                .validate()
                .unwrap_err();
        assert!(bad.for_field("status").unwrap().contains("finished"));
        assert!(bad.for_field("kind").unwrap().contains("mitigate"));
        assert!(bad.for_field("due").unwrap().contains("overdue"));
    }

    #[test]
    fn a_patch_refuses_bad_status_dates_and_long_owners() {
        let bad = ActionPatch {
            version: 1,
            status: Some("closed".into()),
            owner: Some("x".repeat(101)),
            due: Some("2024-02-30".into()),
        }
        .validate()
        .unwrap_err();
        assert!(bad.for_field("status").is_some());
        assert!(bad.for_field("owner").is_some());
        assert!(bad.for_field("due").unwrap().contains("not a date"));
        let ok = ActionPatch {
            version: 3,
            status: Some("wont do".into()),
            owner: Some(" dana ".into()),
            due: Some("".into()),
        }
        .validate()
        .unwrap();
        assert_eq!(ok.status.as_deref(), Some("wont_do"));
        assert_eq!(ok.owner.as_deref(), Some("dana"));
    }

    #[test]
    fn tracker_keys_become_links_under_a_base() {
        let base = Some("https://jira.example/browse/");
        assert_eq!(
            tracker_link("OPS-12", base).as_deref(),
            Some("https://jira.example/browse/OPS-12")
        );
        assert_eq!(tracker_link("OPS-12", None), None);
        assert_eq!(
            tracker_link("https://t.example/1", None).as_deref(),
            Some("https://t.example/1")
        );
        assert_eq!(tracker_link("", base), None);
    }

    #[test]
    fn dates_and_marks() {
        assert_eq!(date_from_days(0), "1970-01-01");
        assert_eq!(add_days("2024-02-27", 3).as_deref(), Some("2024-03-01"));
        assert_eq!(add_days("2023-12-30", 6).as_deref(), Some("2024-01-05"));
        assert_eq!(
            recurrence_mark(Some("2024-03-01T10:00:00.000Z"), "2024-03-02T00:00:00Z"),
            RecurrenceMark::ClosedBefore
        );
        assert_eq!(
            recurrence_mark(Some("2024-03-03T10:00:00.000Z"), "2024-03-02T00:00:00Z"),
            RecurrenceMark::StillOpen
        );
        assert_eq!(
            recurrence_mark(None, "2024-03-02T00:00:00Z"),
            RecurrenceMark::StillOpen
        );
        assert_eq!(median(&mut [3.0, 1.0, 2.0, 10.0]), Some(2.5));
    }
}
