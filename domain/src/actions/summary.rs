//! What the tracking adds up to: the numbers that tell a manager where
//! items stand, and the "did it work?" view of an earlier incident's items
//! from a recurrence.

use super::ActionItemRow;
use crate::record::epoch_seconds;
use serde::{Deserialize, Serialize};

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
