//! `/`: the ongoing incidents, then the postmortems, newest first, with a
//! search box.

use crate::components::{ServiceTags, SeverityBadge};
use crate::error::AppError;
use crate::pages::ErrorNote;
use kb_domain::intake::OngoingIncident;
use kb_domain::postmortem::PAGE_SIZE;
use kb_domain::record::format_minutes;
use kb_domain::record::WriteupStatus;
use kb_domain::PostmortemList;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

/// The home page's content: one answer, as nested resources broke
/// hydration elsewhere.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HomeView {
    /// A page of postmortems.
    pub list: PostmortemList,
    /// Incidents whose clock runs, with how long (minutes, decided on the
    /// server so the rendered and the hydrated page agree); first page only.
    pub ongoing: Vec<(OngoingIncident, i64)>,
}

/// A page of postmortems, newest first; `page` counts from 1.
#[server]
pub async fn list_postmortems(page: i64) -> Result<HomeView, AppError> {
    let ctx = crate::request::request_context().await?;
    let services = crate::state::services()?;
    let list = services.list(&ctx, page).await?;
    let ongoing = if page <= 1 {
        let now = crate::service::intake::now_epoch();
        services
            .ongoing(&ctx)
            .await?
            .into_iter()
            .map(|o| {
                let started = kb_domain::record::epoch_seconds(&o.started_at).unwrap_or(now);
                (o, (now - started).max(0) / 60)
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(HomeView { list, ongoing })
}

/// The list of postmortems.
#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let page = Memo::new(move |_| {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(1)
            .max(1)
    });
    let incidents = Resource::new(move || page.get(), list_postmortems);
    view! {
        <Title text="Postmortems"/>
        <section class="intro">
            <h1>"Postmortems"</h1>
            <Form method="GET" action="/search">
                <label for="home-q" class="visually-hidden">"Search by symptom"</label>
                <input id="home-q" type="search" name="q" placeholder="Paste an alert, a log line or a symptom…"/>
                <button type="submit">"Search"</button>
            </Form>
        </section>
        <Suspense fallback=|| view! { <p class="loading">"Loading postmortems…"</p> }>
            {move || {
                let current = page.get();
                Suspend::new(async move {
                    match incidents.await {
                        Ok(home) => view! {
                            <Ongoing ongoing=home.ongoing/>
                            <IncidentList list=home.list current/>
                        }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The incidents whose clock runs, above the rest.
#[component]
fn Ongoing(ongoing: Vec<(OngoingIncident, i64)>) -> impl IntoView {
    if ongoing.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="ongoing" aria-labelledby="ongoing-title">
            <h2 id="ongoing-title">"Ongoing incidents"</h2>
            <ul class="ongoing-list">
                {ongoing.into_iter().map(|(o, minutes)| view! {
                    <li class="ongoing-row">
                        <SeverityBadge severity=o.severity/>
                        <A href=format!("/incidents/{}", o.id) attr:class="title">{o.title}</A>
                        <span class="age">{format!("running {}", format_minutes(minutes))}</span>
                        {o.source.map(|s| view! { <span class="source">{format!("from {s}")}</span> })}
                        {o.best_match.map(|(id, title)| view! {
                            <span class="best-match">"Seen before? "<A href=format!("/incidents/{id}")>{title}</A></span>
                        })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

#[component]
fn IncidentList(list: PostmortemList, current: i64) -> impl IntoView {
    if list.rows.is_empty() && current == 1 {
        return view! {
            <section class="empty">
                <p>"No postmortems yet."</p>
                <p>
                    <A href="/new">"Write the first one"</A>
                    ", or import a file with "
                    <code>"hindsight import FILE.jsonl"</code>
                    ", or load six example postmortems with "
                    <code>"hindsight demo"</code>
                    "."
                </p>
            </section>
        }
        .into_any();
    }
    let pages = ((list.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    view! {
        <p class="count">
            {format!("{} postmortems", list.total)}
            " · "
            <a href="/api/v1/export?format=json" download>"Export all (JSON Lines)"</a>
        </p>
        <ol class="incident-list" aria-label="Postmortems">
            {list
                .rows
                .into_iter()
                .map(|row| {
                    let status = WriteupStatus::parse(&row.status).unwrap_or(WriteupStatus::Draft);
                    view! {
                        <li class="incident-row">
                            <SeverityBadge severity=row.severity/>
                            <A href=format!("/incidents/{}", row.id) attr:class="title">
                                {row.title}
                            </A>
                            <span class="date">
                                {row.private.then(|| view! { <span class="badge private">"Private"</span>" " })}
                                {(status != WriteupStatus::Published).then(|| view! {
                                    <span class=format!("badge status status-{}", status.as_str())>{status.label()}</span>" "
                                })}
                                {row.date.unwrap_or_default()}
                            </span>
                            <ServiceTags services=row.services/>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
        <nav class="pager" aria-label="Pages">
            {(current > 1)
                .then(|| view! { <A href=format!("/?page={}", current - 1)>"← Newer"</A> })}
            <span>{format!("Page {current} of {pages}")}</span>
            {(current < pages)
                .then(|| view! { <A href=format!("/?page={}", current + 1)>"Older →"</A> })}
        </nav>
    }
    .into_any()
}
