//! The filters of the Action items page, the JSON API and the CSV export:
//! their URL form, read and written in one place, and their validation.

use crate::postmortem::{ValidationErrors, MAX_NAME};
use crate::record::{ActionKind, ActionStatus, Priority};
use serde::{Deserialize, Serialize};

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
