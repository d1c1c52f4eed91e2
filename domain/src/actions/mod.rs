//! Action-item tracking across postmortems: the filters of the Action items
//! page (which are also the JSON API's and the CSV export's query), the rows
//! it lists, a change to one or many items, an item's history, the numbers
//! for managers and the "did it work?" view of a recurrence.
//!
//! Filters travel as URL query pairs; [`ActionFilters::from_pairs`] reads
//! them the same way for the page, the API and the CSV, and
//! [`ActionFilters::validate`] refuses unknown values with a message naming
//! the parameter, so the three can never drift apart.
//!
//! - `filters`: the filters, their URL form and their validation.
//! - `items`: the rows and pages listed, and changes to items.
//! - `summary`: the numbers for managers and the recurrence view.

use crate::record::epoch_seconds;

/// Items per page of the Action items page (and the API's default limit).
pub const ITEMS_PER_PAGE: i64 = 50;
/// Most items one bulk change may touch.
pub const MAX_BULK: usize = 500;

mod filters;
mod items;
mod summary;

pub use filters::{percent_encode, ActionFilters, ActionSort, DueFilter, QUERY_KEYS};
pub use items::{
    is_closed, tracker_link, tracker_url, ActionChange, ActionItemPage, ActionItemRow, ActionPatch,
    StatusCount,
};
pub use summary::{
    median, recurrence_mark, ActionStats, ActionSummary, EarlierItems, GroupStats, RecurrenceMark,
};

// Day arithmetic stays here: the due filters, the numbers and the pages'
// "today" all count in whole days.

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
mod tests;
