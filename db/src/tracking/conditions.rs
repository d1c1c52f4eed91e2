//! The `where` clause of every filtered list of action items ([`Conditions`])
//! and the `order by` of each sort, plus the fragments that leave hidden
//! postmortems out. The page, the counts, the API and the CSV export all
//! build their SQL here, so their filters cannot drift apart.

use crate::access::Hidden;
use kb_domain::actions::{add_days, ActionFilters, ActionSort, DueFilter};

/// Above this many matching items, a team or service filter is checked
/// item by item while the page is read in order from an index, which stops
/// after one page; at or below it, the team's items are looked up one by
/// one and sorted, which for a few items is cheaper than walking the index
/// far to find them.
pub(crate) const WALK_ABOVE: i64 = 1000;

/// Leaves out the items of the postmortems a caller may not see (bind:
/// [`Hidden::json`]).
pub(super) const NOT_HIDDEN: &str =
    "a.postmortem_id not in (select cast(value as bigint) from json_each(?))";

/// The items of the hidden postmortems (bind: [`Hidden::json`]), to take
/// their share out of totals kept by triggers.
pub(super) const HIDDEN_ITEMS: &str =
    "select a.action_item_id from action_item a where a.postmortem_id in (select cast(value as bigint) from json_each(?))";

/// The `where` clause of a filtered list and its binds, in order.
pub(crate) struct Conditions {
    pub(super) sql: String,
    pub(super) binds: Vec<String>,
}

impl Conditions {
    /// The conditions of `f` (validated), as of day `today`; the status
    /// filter only when `with_status` (the counts per status leave it out).
    /// `walk`: many items match (more than [`WALK_ABOVE`]), so a team or
    /// service is checked per item read in order rather than used to look
    /// the items up.
    /// Items of the `hidden` postmortems are left out.
    pub(crate) fn of(
        f: &ActionFilters,
        today: &str,
        with_status: bool,
        walk: bool,
        hidden: &Hidden,
    ) -> Conditions {
        let mut parts: Vec<&str> = Vec::new();
        let mut binds = Vec::new();
        if !hidden.is_empty() {
            parts.push(NOT_HIDDEN);
            binds.push(hidden.json());
        }
        let mut eq = |cond: &'static str, value: &Option<String>| {
            if let Some(v) = value {
                parts.push(cond);
                binds.push(v.clone());
            }
        };
        if with_status {
            eq("a.status = ?", &f.status);
        }
        eq("a.owner = ?", &f.owner);
        // The unary `+` keeps SQLite from driving the query by the team's
        // postmortems, so it reads the sort's index in order and checks
        // each item's postmortem (carried by that index) against the team's.
        let (team, service) = if walk {
            (
                "+a.postmortem_id in (select t.postmortem_id from postmortem_team t where t.name = ?)",
                "+a.postmortem_id in (select s.postmortem_id from postmortem_service s where s.name = ?)",
            )
        } else {
            (
                "a.postmortem_id in (select t.postmortem_id from postmortem_team t where t.name = ?)",
                "a.postmortem_id in (select s.postmortem_id from postmortem_service s where s.name = ?)",
            )
        };
        eq(team, &f.team);
        eq(service, &f.service);
        eq("a.kind = ?", &f.kind);
        eq("a.priority = ?", &f.priority);
        eq("a.postmortem_id = cast(? as integer)", &f.postmortem);
        match f.due.as_deref().and_then(DueFilter::parse) {
            Some(DueFilter::Overdue) => {
                // Written as the partial index action_item_open_due reads.
                parts.push(
                    "a.status in ('open', 'in_progress') and coalesce(a.due, '9999-12-31') < ?",
                );
                binds.push(today.to_string());
            }
            Some(DueFilter::Week) => {
                parts.push("a.due >= ? and a.due <= ?");
                binds.push(today.to_string());
                binds.push(add_days(today, 6).unwrap_or_else(|| today.to_string()));
            }
            Some(DueFilter::None) => parts.push("a.due is null"),
            None => {}
        }
        if f.recurred {
            // Closed, and a later incident that names this item's incident
            // as an earlier occurrence started after it was closed. A
            // later incident the caller may not see does not count: that
            // an item recurred would say that it exists.
            parts.push(
                "a.closed_at is not null and exists (
                    select 1 from postmortem_link l
                      join postmortem r on r.postmortem_id = l.postmortem_id
                     where l.to_postmortem_id = a.postmortem_id
                       and l.kind = 'earlier_occurrence'
                       and substr(coalesce(r.started_at, r.incident_date || 'T00:00:00Z', r.created_at), 1, 19)
                           > substr(a.closed_at, 1, 19)
                       and r.postmortem_id not in (select cast(value as bigint) from json_each(?)))",
            );
            binds.push(hidden.json());
        }
        let sql = if parts.is_empty() {
            "1 = 1".to_string()
        } else {
            parts.join(" and ")
        };
        Conditions { sql, binds }
    }
}

/// The `order by` of a sort: the same expressions as the indexes of
/// migration 0004, so the first page is read in order.
pub(super) fn order_by(sort: ActionSort) -> &'static str {
    match sort {
        ActionSort::Due => "coalesce(a.due, '9999-12-31'), a.action_item_id",
        ActionSort::Priority => {
            "(case a.priority when 'high' then 0 when 'medium' then 1 else 2 end),
             coalesce(a.due, '9999-12-31'), a.action_item_id"
        }
        ActionSort::Age => "a.created_at, a.action_item_id",
    }
}
