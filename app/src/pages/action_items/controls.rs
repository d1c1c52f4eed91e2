//! The filter form and the bulk bar. Both are rows of labelled controls
//! (a choice among names, a text or date entry); the form submits them by
//! `name` as the URL's query, the bar reads them from signals.

use super::ChangeActionItems;
use crate::pages::options;
use kb_domain::actions::ActionPatch;
#[cfg(feature = "ssr")]
use kb_domain::actions::{ActionFilters, ActionSort, DueFilter};
use kb_domain::record::ActionStatus;
#[cfg(feature = "ssr")]
use kb_domain::record::{ActionKind, Priority};
use leptos::prelude::*;
use std::collections::BTreeSet;

/// A labelled `<select>`: first an empty choice (`none`: "Any status",
/// "Keep"), then `options`, `current` selected.
#[component]
fn Pick(
    /// Element id, unique on the page.
    id: &'static str,
    label: &'static str,
    none: &'static str,
    options: Vec<(&'static str, &'static str)>,
    /// The query key, when a form submits it.
    #[prop(optional)]
    name: Option<&'static str>,
    #[prop(optional_no_strip)] current: Option<String>,
    /// Follows the choice, when code reads it.
    #[prop(optional)]
    picked: Option<RwSignal<String>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=name on:change=move |ev| {
                if let Some(p) = picked {
                    p.set(event_target_value(&ev));
                }
            }>
                <option value="">{none}</option>
                {options.into_iter().map(|(v, l)| {
                    let selected = current.as_deref() == Some(v);
                    view! { <option value=v selected=selected>{l}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// A labelled `<input>` of `kind` (`text`, `date`).
#[component]
fn Entry(
    /// Element id, unique on the page.
    id: &'static str,
    label: &'static str,
    kind: &'static str,
    /// The query key, when a form submits it.
    #[prop(optional)]
    name: Option<&'static str>,
    #[prop(optional_no_strip)] current: Option<String>,
    #[prop(optional)] placeholder: Option<&'static str>,
    /// Follows what is typed, when code reads it.
    #[prop(optional)]
    typed: Option<RwSignal<String>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id name=name type=kind placeholder=placeholder
                value=current.unwrap_or_default()
                on:input=move |ev| {
                    if let Some(t) = typed {
                        t.set(event_target_value(&ev));
                    }
                }/>
        </div>
    }
}

/// The filters as a GET form: applying it loads the page at the view's
/// URL, so it works before (and without) the wasm.
#[cfg(feature = "ssr")]
#[component]
pub(super) fn FilterForm(f: ActionFilters) -> impl IntoView {
    view! {
        <form method="get" action="/action-items" class="action-filters" aria-label="Filters">
            <Pick id="filter-status" name="status" label="Status" none="Any status" current=f.status.clone()
                options=options(ActionStatus::ALL, ActionStatus::as_str, ActionStatus::label)/>
            <Pick id="filter-due" name="due" label="Due" none="Any date" current=f.due.clone()
                options=options(DueFilter::ALL, DueFilter::as_str, DueFilter::label)/>
            <Pick id="filter-kind" name="kind" label="Kind" none="Any kind" current=f.kind.clone()
                options=options(ActionKind::ALL, ActionKind::as_str, ActionKind::label)/>
            <Pick id="filter-priority" name="priority" label="Priority" none="Any priority" current=f.priority.clone()
                options=options(Priority::ALL, Priority::as_str, Priority::label)/>
            <Entry id="filter-owner" name="owner" label="Owner" kind="text" current=f.owner.clone()/>
            <Entry id="filter-team" name="team" label="Team" kind="text" current=f.team.clone()/>
            <Entry id="filter-service" name="service" label="Service" kind="text" current=f.service.clone()/>
            <Entry id="filter-postmortem" name="postmortem" label="Postmortem id" kind="text" current=f.postmortem.clone()/>
            <Pick id="filter-sort" name="sort" label="Sort by" none="Due date" current=f.sort.clone()
                options=options(ActionSort::ALL, ActionSort::as_str, ActionSort::label)/>
            <div class="field check">
                <input id="filter-recurred" name="recurred" type="checkbox" value="1" checked=f.recurred/>
                <label for="filter-recurred">"Closed, then the incident recurred"</label>
            </div>
            {f.mine.then(|| view! { <input type="hidden" name="mine" value="1"/> })}
            <button type="submit">"Apply filters"</button>
            <a href="/action-items" class="button secondary">"Clear"</a>
        </form>
    }
}

/// Changes every selected item at once (each at the version this page
/// showed, so a stale one refuses the whole change).
#[component]
pub(super) fn BulkBar(
    selected: RwSignal<BTreeSet<i64>>,
    /// `(id, version)` of the page's items.
    versions: Vec<(i64, i64)>,
    change: ServerAction<ChangeActionItems>,
) -> impl IntoView {
    let status = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let versions = StoredValue::new(versions);
    let apply = move |_| {
        let chosen = selected.get_untracked();
        let text = |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
        let changes = versions
            .get_value()
            .into_iter()
            .filter(|(id, _)| chosen.contains(id))
            .map(|(id, version)| {
                (
                    id,
                    ActionPatch {
                        version,
                        status: text(status),
                        owner: text(owner),
                        due: text(due),
                    },
                )
            })
            .collect();
        change.dispatch(ChangeActionItems { changes });
    };
    view! {
        <div class="bulk" role="group" aria-label="Change the selected items">
            <span>{move || format!("{} selected", selected.with(|s| s.len()))}</span>
            <Pick id="bulk-status" label="Status" none="Keep" picked=status
                options=options(ActionStatus::ALL, ActionStatus::as_str, ActionStatus::label)/>
            <Entry id="bulk-owner" label="Owner" kind="text" placeholder="keep" typed=owner/>
            <Entry id="bulk-due" label="Due" kind="date" typed=due/>
            <button type="button" on:click=apply
                disabled=move || change.pending().get() || selected.with(|s| s.is_empty())>
                "Apply to selected"
            </button>
        </div>
    }
}
