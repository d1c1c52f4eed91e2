//! One item of the list: its fields, status, owner and due date changed in
//! place (at the version the page showed), its box in the selection, and
//! its history on demand.

use super::{ActionItemHistory, ChangeActionItems};
use crate::pages::{label, ErrorNote};
use kb_domain::actions::{ActionChange, ActionItemRow, ActionPatch};
use kb_domain::record::{ActionKind, ActionStatus, Priority};
use leptos::prelude::*;
use std::collections::BTreeSet;

/// One item: its fields, changed in place, and its history on demand.
#[component]
pub(super) fn ItemRow(
    r: ActionItemRow,
    today: String,
    selected: RwSignal<BTreeSet<i64>>,
    change: ServerAction<ChangeActionItems>,
) -> impl IntoView {
    let (id, version) = (r.id(), r.version);
    let overdue = r.is_overdue(&today);
    let closed = r.is_closed();
    let send = move |patch: ActionPatch| {
        change.dispatch(ChangeActionItems {
            changes: vec![(id, ActionPatch { version, ..patch })],
        });
    };
    let history = ServerAction::<ActionItemHistory>::new();
    let open = RwSignal::new(false);
    // A viewer sees the values, not controls that would only be refused.
    let read_only = !crate::can_write().0;
    let item = r.item;
    let title = item.title.clone();
    let tracker_view = match r.tracker_link {
        Some(u) => {
            view! { <a href=u rel="noopener noreferrer nofollow">{item.tracker.clone()}</a> }
                .into_any()
        }
        None => item.tracker.clone().into_any(),
    };
    view! {
        <tr class:overdue=overdue class:closed=closed data-item=id>
            <td class="select">
                <input type="checkbox" aria-label=format!("Select {title}") disabled=read_only
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        selected.update(|s| { if on { s.insert(id); } else { s.remove(&id); } });
                    }/>
            </td>
            <td class="action">
                <span class="item-title">{item.title.clone()}</span>
                {overdue.then(|| view! { " " <span class="badge overdue-badge">"Overdue"</span> })}
                <small class="from">
                    <a href=format!("/incidents/{}", r.postmortem_id)>{r.postmortem_title}</a>
                    {(!r.teams.is_empty()).then(|| format!(" · {}", r.teams.join(", ")))}
                </small>
            </td>
            <td data-label="Owner">
                <input type="text" class="inline" value=item.owner.clone() aria-label=format!("Owner of {title}") disabled=read_only
                    on:change=move |ev| send(ActionPatch { owner: Some(event_target_value(&ev)), ..Default::default() })/>
            </td>
            <td data-label="Due">
                <input type="date" class="inline" value=item.due.clone().unwrap_or_default() aria-label=format!("Due date of {title}") disabled=read_only
                    on:change=move |ev| send(ActionPatch { due: Some(event_target_value(&ev)), ..Default::default() })/>
            </td>
            <td data-label="Priority">{label(Priority::parse, Priority::label, &item.priority)}</td>
            <td data-label="Status">
                <select aria-label=format!("Status of {title}") disabled=read_only
                    on:change=move |ev| send(ActionPatch { status: Some(event_target_value(&ev)), ..Default::default() })>
                    {ActionStatus::ALL.iter().map(|s| {
                        let here = item.status == s.as_str();
                        view! { <option value=s.as_str() selected=here>{s.label()}</option> }
                    }).collect_view()}
                </select>
            </td>
            <td data-label="Kind">{label(ActionKind::parse, ActionKind::label, &item.kind)}</td>
            <td data-label="Tracker">{tracker_view}</td>
            <td class="history-toggle">
                <button type="button" class="link" aria-expanded=move || open.get().to_string()
                    aria-label=format!("History of {title}")
                    on:click=move |_| {
                        let now = !open.get_untracked();
                        open.set(now);
                        if now { history.dispatch(ActionItemHistory { id }); }
                    }>
                    {move || if open.get() { "Hide" } else { "History" }}
                </button>
            </td>
        </tr>
        {move || open.get().then(|| view! {
            <tr class="item-history">
                <td colspan="9">
                    {move || match history.value().get() {
                        Some(Ok(list)) => view! { <HistoryList list/> }.into_any(),
                        Some(Err(error)) => view! { <ErrorNote error/> }.into_any(),
                        None => view! { <p class="loading">"Loading the history…"</p> }.into_any(),
                    }}
                </td>
            </tr>
        })}
    }
}

/// An item's recorded changes, oldest first.
#[component]
fn HistoryList(list: Vec<ActionChange>) -> impl IntoView {
    let shown = |field: &str, v: &str| -> String {
        match (v, field) {
            ("", _) => "—".into(),
            (_, "status" | "created") => label(ActionStatus::parse, ActionStatus::label, v),
            _ => v.to_string(),
        }
    };
    view! {
        <ol class="changes item-changes" aria-label="Item history">
            {list.into_iter().map(|c| {
                let what = if c.field == "created" {
                    format!("created as {}", shown("created", &c.to))
                } else {
                    format!("{}: {} → {}", c.field, shown(&c.field, &c.from), shown(&c.field, &c.to))
                };
                view! { <li>{format!("{} · {} · {what}", c.changed_at, c.changed_by)}</li> }
            }).collect_view()}
        </ol>
    }
}
