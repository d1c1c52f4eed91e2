//! `/action-items`: every postmortem's action items in one list, filtered
//! and sorted by the URL (so a view can be shared or bookmarked), with the
//! counts per status on top, overdue items marked, status, owner and due
//! date changed inline or for a selection at once, each item's history,
//! and the CSV of the current view.
//!
//! The list is drawn on the server (`rows`): the page's code listens on
//! it for the changes and clicks of its controls, and hydrates only the
//! bulk bar.
//!
//! # Layout
//! - this module: the list's server functions and the page.
//! - `controls`: the filter form and the bulk bar, built from the same
//!   labelled controls.
//! - `rows` (server): the counts, filters, "my items", the rows and the
//!   pager as HTML; an item's history.
//! - [`summary`]: `/action-items/summary`, where things stand per team and
//!   service.

mod controls;
#[cfg(feature = "ssr")]
mod rows;
pub mod summary;

use crate::error::AppError;
use crate::pages::{acted_on, ErrorNote, Submitted};
use controls::BulkBar;
use kb_domain::actions::{ActionFilters, ActionPatch, QUERY_KEYS};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A page of the list as the server drew it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrawnItems {
    /// The counts per status, the filters, the view links and the count;
    /// or why the filters were refused (a normal answer, not a fault).
    pub top: String,
    /// The items' table and the pager.
    pub table: String,
    /// `(id, version)` of the items shown, for the bulk bar.
    pub versions: Vec<(i64, i64)>,
}

/// A page of action items under `filters` (validated here), drawn.
#[server(input = leptos::server_fn::codec::Json)]
pub async fn list_action_items(filters: ActionFilters) -> Result<DrawnItems, AppError> {
    let ctx = crate::request::request_context().await?;
    let services = crate::state::services()?;
    let page_size = kb_domain::actions::ITEMS_PER_PAGE;
    let may = crate::access::check(
        &ctx,
        crate::access::Need::Role(kb_domain::accounts::Role::Editor),
    )
    .is_ok();
    match services.action_items(&ctx, &filters, page_size).await {
        Ok(page) => Ok(rows::draw(page, ctx.name.clone(), may)),
        Err(AppError::Invalid(errors)) => Ok(rows::refused(errors)),
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
        Err(e @ AppError::StaleItem { .. }) => {
            Ok(Submitted::Refused(kb_domain::ValidationErrors(vec![
                kb_domain::FieldError {
                    field: "version".into(),
                    message: e.to_string(),
                },
            ])))
        }
        Err(e) => Err(e),
    }
}

/// Every recorded change of action item `id`, as HTML.
#[server]
pub async fn action_item_history(id: i64) -> Result<String, AppError> {
    let ctx = crate::request::request_context().await?;
    let list = crate::state::services()?
        .action_item_history(&ctx, id)
        .await?;
    Ok(rows::history(list))
}

/// Remembers (in a cookie) the owner name the person goes by, for "my
/// items": until accounts exist, that is who the person is. The page's
/// form posts here: the answer sends the browser to its items, or back
/// to the list saying why not.
#[server]
pub async fn set_my_name(name: String) -> Result<Submitted, AppError> {
    let answer = remember_name(name);
    if crate::request::is_plain_form_post() {
        leptos_axum::redirect(match answer {
            Submitted::Saved(_) => "/action-items?mine=1",
            _ => "/action-items?refused=name#my-name",
        });
    }
    Ok(answer)
}

/// Sets the cookie of [`set_my_name`], or refuses a name that cannot be one.
#[cfg(feature = "ssr")]
fn remember_name(name: String) -> Submitted {
    use kb_domain::ValidationErrors;
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().count() > kb_domain::postmortem::MAX_NAME {
        return Submitted::Refused(ValidationErrors(vec![kb_domain::FieldError {
            field: "name".into(),
            message: format!(
                "your name as items name their owner, 1 to {} characters",
                kb_domain::postmortem::MAX_NAME
            ),
        }]));
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
    Submitted::Saved(1)
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
    // A name the "my items" form posted that the server refused.
    let refused_name = query.with_untracked(|q| q.get("refused")).as_deref() == Some("name");
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
        {refused_name.then(|| view! {
            <p class="error" role="alert">"Not saved: give your name as items name their owner, 1 to 100 characters."</p>
        })}
        // Transition: after a change the list reloads in place, keeping the
        // old rows on screen until the new ones arrive.
        <Transition fallback=|| view! { <p class="loading">"Loading action items…"</p> }>
            {move || Suspend::new(async move {
                match items.await {
                    Ok(drawn) => view! { <Items drawn changed/> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The drawn list, its controls acting through one listener each for
/// changes and clicks.
#[component]
fn Items(drawn: DrawnItems, changed: RwSignal<u32>) -> impl IntoView {
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
    // A row's box joins or leaves the selection; a row's field is changed
    // at the version the row shows.
    let on_change = move |ev: leptos::ev::Event| {
        let Some(row) = acted_on(&ev, "tr[data-item]", &["data-item", "data-version"]) else {
            return;
        };
        let (Ok(id), Ok(version)) = (row[0].parse::<i64>(), row[1].parse::<i64>()) else {
            return;
        };
        if acted_on(&ev, "input[data-select]", &[]).is_some() {
            let on = event_target_checked(&ev);
            selected.update(|s| {
                if on {
                    s.insert(id);
                } else {
                    s.remove(&id);
                }
            });
            return;
        }
        let Some(field) = acted_on(&ev, "[data-field]", &["data-field"]) else {
            return;
        };
        let value = Some(event_target_value(&ev));
        let patch = match field[0].as_str() {
            "owner" => ActionPatch {
                owner: value,
                ..Default::default()
            },
            "due" => ActionPatch {
                due: value,
                ..Default::default()
            },
            "status" => ActionPatch {
                status: value,
                ..Default::default()
            },
            _ => return,
        };
        change.dispatch(ChangeActionItems {
            changes: vec![(id, ActionPatch { version, ..patch })],
        });
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some(id) = acted_on(&ev, "button[data-history]", &["data-history"])
            .and_then(|v| v.first()?.parse::<i64>().ok())
        {
            crate::pages::toggle_fetched(
                &format!("history-of-{id}"),
                ("History", "Hide"),
                move || action_item_history(id),
            );
        }
    };
    let versions = drawn.versions;
    view! {
        <div inner_html=drawn.top></div>
        <p class="error" role="alert">{refusal}</p>
        {crate::can_write().0.then(|| view! { <BulkBar selected versions change/> })}
        <div on:change=on_change on:click=on_click inner_html=drawn.table></div>
    }
}
