//! `/action-items`: every postmortem's action items in one list, filtered
//! and sorted by the URL (so a view can be shared or bookmarked), with the
//! counts per status on top, overdue items marked, status, owner and due
//! date changed inline or for a selection at once, each item's history,
//! and the CSV of the current view.
//!
//! # Layout
//! - this module: the list's server functions, the page, its counts per
//!   status, "my items" and the pager.
//! - `controls`: the filter form and the bulk bar, built from the same
//!   labelled controls.
//! - `rows`: one item's row (inline changes, selection, history).
//! - [`summary`]: `/action-items/summary`, where things stand per team and
//!   service.

mod controls;
mod rows;
pub mod summary;

use crate::error::AppError;
use crate::pages::{ErrorNote, Submitted};
use controls::{BulkBar, FilterForm};
use kb_domain::actions::{ActionChange, ActionFilters, ActionItemPage, ActionPatch, QUERY_KEYS};
use kb_domain::record::ActionStatus;
use kb_domain::ValidationErrors;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use rows::ItemRow;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// What the list answers: a page, or why the filters were refused (a
/// normal answer, not a fault: the page shows it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ItemsAnswer {
    /// The items, with the caller's owner name when known ("my items").
    Page(Box<ActionItemPage>, Option<String>),
    /// Unknown filter values, by query key.
    Refused(ValidationErrors),
}

/// A page of action items under `filters` (validated here).
#[server(input = leptos::server_fn::codec::Json)]
pub async fn list_action_items(filters: ActionFilters) -> Result<ItemsAnswer, AppError> {
    let ctx = crate::request::request_context().await?;
    let services = crate::state::services()?;
    let page_size = kb_domain::actions::ITEMS_PER_PAGE;
    match services.action_items(&ctx, &filters, page_size).await {
        Ok(page) => Ok(ItemsAnswer::Page(Box::new(page), ctx.name.clone())),
        Err(AppError::Invalid(errors)) => Ok(ItemsAnswer::Refused(errors)),
        Err(e) => Err(e),
    }
}

/// Changes items (each naming the version it was made on), all or
/// nothing. Invalid values and stale versions are refusals.
#[server(input = leptos::server_fn::codec::Json)]
pub async fn change_action_items(changes: Vec<(i64, ActionPatch)>) -> Result<Submitted, AppError> {
    let ctx = crate::request::request_context().await?;
    let result = crate::state::services()?
        .change_action_items(&ctx, &changes)
        .await;
    match result {
        Ok(changed) => Ok(Submitted::Saved(changed.len() as i64)),
        Err(AppError::Invalid(e)) => Ok(Submitted::Refused(e)),
        Err(e @ AppError::StaleItem { .. }) => Ok(Submitted::Refused(ValidationErrors(vec![
            kb_domain::FieldError {
                field: "version".into(),
                message: e.to_string(),
            },
        ]))),
        Err(e) => Err(e),
    }
}

/// Every recorded change of action item `id`.
#[server]
pub async fn action_item_history(id: i64) -> Result<Vec<ActionChange>, AppError> {
    let ctx = crate::request::request_context().await?;
    crate::state::services()?
        .action_item_history(&ctx, id)
        .await
}

/// Remembers (in a cookie) the owner name the person goes by, for "my
/// items": until accounts exist, that is who the person is.
#[server]
pub async fn set_my_name(name: String) -> Result<Submitted, AppError> {
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > kb_domain::postmortem::MAX_NAME {
        return Ok(Submitted::Refused(ValidationErrors(vec![
            kb_domain::FieldError {
                field: "name".into(),
                message: format!(
                    "your name as items name their owner, 1 to {} characters",
                    kb_domain::postmortem::MAX_NAME
                ),
            },
        ])));
    }
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        crate::request::NAME_COOKIE,
        kb_domain::actions::percent_encode(&name)
    );
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::HeaderValue::from_str(&cookie),
    ) {
        response.append_header(axum::http::header::SET_COOKIE, value);
    }
    Ok(Submitted::Saved(1))
}

/// The page's address under filters `f`.
fn url(f: &ActionFilters) -> String {
    format!("/action-items{}", f.query_string())
}

/// The Action items page.
#[component]
pub fn ActionItemsPage() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        let q = query.read();
        let pairs: Vec<(&str, String)> = QUERY_KEYS
            .iter()
            .filter_map(|k| q.get(k).map(|v| (*k, v)))
            .collect();
        ActionFilters::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
    });
    // Bumped after every change, so the list (and its counts) reload.
    let changed = RwSignal::new(0u32);
    let items = Resource::new(
        move || (filters.get(), changed.get()),
        |(f, _)| list_action_items(f),
    );
    view! {
        <Title text="Action items"/>
        <section class="intro action-intro">
            <h1>"Action items"</h1>
            <p><a href="/action-items/summary">"Where things stand, per team and service"</a></p>
        </section>
        // Transition: after a change the list reloads in place, keeping the
        // old rows on screen until the new ones arrive.
        <Transition fallback=|| view! { <p class="loading">"Loading action items…"</p> }>
            {move || Suspend::new(async move {
                match items.await {
                    Ok(ItemsAnswer::Page(page, me)) => view! { <Items page=*page me changed/> }.into_any(),
                    Ok(ItemsAnswer::Refused(errors)) => view! {
                        <p class="error" role="alert">{format!("These filters cannot be shown: {errors}")}</p>
                        <p><a href="/action-items">"Show every action item"</a></p>
                    }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Items(page: ActionItemPage, me: Option<String>, changed: RwSignal<u32>) -> impl IntoView {
    let f = page.filters.clone();
    let today = page.today.clone();
    let pages = ((page.total + page.page_size - 1) / page.page_size).max(1);
    let current = f.page;
    let selected = RwSignal::new(BTreeSet::<i64>::new());
    let change = ServerAction::<ChangeActionItems>::new();
    Effect::new(move |_| {
        if let Some(Ok(Submitted::Saved(_))) = change.value().get() {
            selected.set(BTreeSet::new());
            changed.update(|n| *n += 1);
        }
    });
    let refusal = move || match change.value().get() {
        Some(Ok(Submitted::Refused(e))) => Some(format!("Not changed: {e}")),
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };
    let versions: Vec<(i64, i64)> = page.rows.iter().map(|r| (r.id(), r.version)).collect();
    let all_count: i64 = page.counts.iter().map(|c| c.count).sum();
    let csv = format!("/action-items.csv{}", f.on_page(1).query_string());
    view! {
        <nav class="status-counts" aria-label="Counts per status">
            <a href=url(&f.with("status", None)) class:current=f.status.is_none()>
                "All " <span class="count" data-status="all">{all_count}</span>
            </a>
            {page.counts.iter().map(|c| {
                let label = ActionStatus::parse(&c.status).map(|s| s.label()).unwrap_or("?");
                let here = f.status.as_deref() == Some(c.status.as_str());
                view! {
                    <a href=url(&f.with("status", Some(&c.status))) class:current=here>
                        {label} " " <span class="count" data-status=c.status.clone()>{c.count}</span>
                    </a>
                }
            }).collect_view()}
        </nav>
        <FilterForm f=f.clone()/>
        <p class="view-links">
            <a href=csv download rel="external">"Export CSV"</a>
            " · "
            <MyItems me f=f.clone()/>
        </p>
        <p class="count" role="status">{format!("{} action items", page.total)}</p>
        <p class="error" role="alert">{refusal}</p>
        {crate::can_write().0.then(|| view! { <BulkBar selected versions change/> })}
        {if page.rows.is_empty() {
            view! { <p class="empty">"No action items match these filters."</p> }.into_any()
        } else {
            view! {
                <table class="action-items tracking">
                    <thead><tr>
                        <th><span class="visually-hidden">"Select"</span></th>
                        <th>"Action"</th><th>"Owner"</th><th>"Due"</th><th>"Priority"</th>
                        <th>"Status"</th><th>"Kind"</th><th>"Tracker"</th><th>"History"</th>
                    </tr></thead>
                    <tbody>
                        {page.rows.into_iter().map(|r| {
                            view! { <ItemRow r today=today.clone() selected change/> }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <nav class="pager" aria-label="Pages">
            {(current > 1).then(|| view! { <a href=url(&f.on_page(current - 1))>"← Previous"</a> })}
            <span>{format!("Page {current} of {pages}")}</span>
            {(current < pages).then(|| view! { <a href=url(&f.on_page(current + 1))>"Next →"</a> })}
        </nav>
    }
}

/// "My items" when the person's owner name is known; otherwise a field to
/// say it.
#[component]
fn MyItems(me: Option<String>, f: ActionFilters) -> impl IntoView {
    let set = ServerAction::<SetMyName>::new();
    Effect::new(move |_| {
        if let Some(Ok(Submitted::Saved(_))) = set.value().get() {
            // The cookie is set; show the person's own items.
            let _ = window().location().set_href("/action-items?mine=1");
        }
    });
    match me {
        Some(name) => view! {
            <a href=url(&f.with("mine", if f.mine { None } else { Some("1") })) class:current=f.mine>
                {if f.mine { "All owners".to_string() } else { format!("My items ({name})") }}
            </a>
        }.into_any(),
        None => {
            let name = RwSignal::new(String::new());
            view! {
                <span class="my-name">
                    <label for="my-name">"My items: I am "</label>
                    <input id="my-name" type="text" placeholder="owner name" maxlength="100"
                        on:input=move |ev| name.set(event_target_value(&ev))/>
                    <button type="button" class="secondary"
                        on:click=move |_| { set.dispatch(SetMyName { name: name.get_untracked() }); }>
                        "Show my items"
                    </button>
                    <span class="error" role="alert">{move || match set.value().get() {
                        Some(Ok(Submitted::Refused(e))) => Some(e.to_string()),
                        Some(Err(e)) => Some(e.to_string()),
                        _ => None,
                    }}</span>
                </span>
            }.into_any()
        }
    }
}
