//! `/incidents/:id`: one postmortem, its markdown rendered and sanitized.

use crate::components::{ServiceTags, SeverityBadge};
use crate::error::AppError;
use crate::pages::{ErrorNote, NotFound};
use kb_domain::{Incident, Revision};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

/// A postmortem with its markdown parts rendered to sanitized HTML.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentView {
    /// The record.
    pub incident: Incident,
    /// Sanitized HTML of `incident.summary`.
    pub summary_html: String,
    /// Sanitized HTML of `incident.impact`.
    pub impact_html: String,
    /// Sanitized HTML of `incident.root_cause`.
    pub root_cause_html: String,
    /// Sanitized HTML of `incident.mitigation`.
    pub mitigation_html: String,
}

/// One postmortem, or `None` when it does not exist.
#[server]
pub async fn get_incident(id: i64) -> Result<Option<IncidentView>, AppError> {
    let ctx = crate::context::request_context().await?;
    let incident = crate::state::core()?.get(&ctx, id).await?;
    Ok(incident.map(|incident| IncidentView {
        summary_html: kb_markdown::to_html(&incident.summary),
        impact_html: kb_markdown::to_html(&incident.impact),
        root_cause_html: kb_markdown::to_html(&incident.root_cause),
        mitigation_html: kb_markdown::to_html(&incident.mitigation),
        incident,
    }))
}

/// The saved revisions of postmortem `id`, newest first.
#[server]
pub async fn list_revisions(id: i64) -> Result<Vec<Revision>, AppError> {
    let ctx = crate::context::request_context().await?;
    crate::state::core()?.revisions(&ctx, id).await
}

/// The postmortem named by the route's `:id`, loaded as a resource that
/// follows the parameter. Shared by the pages of one postmortem.
pub fn incident_from_route() -> Resource<Result<Option<IncidentView>, AppError>> {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_incident(id).await,
                None => Ok(None),
            }
        },
    )
}

/// The postmortem page.
#[component]
pub fn IncidentPage() -> impl IntoView {
    let incident = incident_from_route();
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the postmortem…"</p> }>
            {move || Suspend::new(async move {
                match incident.await {
                    Ok(Some(view)) => view! { <Postmortem view/> }.into_any(),
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Postmortem(view: IncidentView) -> impl IntoView {
    let IncidentView {
        incident: i,
        summary_html,
        impact_html,
        root_cause_html,
        mitigation_html,
    } = view;
    let sections = [
        ("Summary", summary_html, i.summary.trim().is_empty()),
        ("Impact", impact_html, i.impact.trim().is_empty()),
        (
            "Root cause",
            root_cause_html,
            i.root_cause.trim().is_empty(),
        ),
        (
            "Mitigation",
            mitigation_html,
            i.mitigation.trim().is_empty(),
        ),
    ];
    view! {
        <Title text=i.title.clone()/>
        <article class="postmortem">
            <header>
                <h1>{i.title.clone()}</h1>
                <a class="button edit" href=format!("/incidents/{}/edit", i.id)>"Edit"</a>
                <p class="meta">
                    <SeverityBadge severity=i.severity/>
                    {i.date.clone().map(|d| view! { <span class="date">{d}</span> })}
                    {i.external_id.clone().map(|e| view! { <span class="external-id">{e}</span> })}
                    {i.url.clone().map(|u| view! {
                        <a href=u rel="noopener noreferrer nofollow" class="source">"Original report"</a>
                    })}
                </p>
                <ServiceTags services=i.services.clone()/>
                {(!i.labels.is_empty()).then(|| view! {
                    <ul class="labels" aria-label="Labels">
                        {i.labels.iter().map(|l| view! { <li>{l.clone()}</li> }).collect_view()}
                    </ul>
                })}
            </header>
            {sections
                .into_iter()
                .filter(|(_, _, empty)| !empty)
                .map(|(heading, html, _)| view! {
                    <section>
                        <h2>{heading}</h2>
                        // kb-markdown output: sanitized on the server.
                        <div class="markdown" inner_html=html></div>
                    </section>
                })
                .collect_view()}
            <footer class="meta">
                {format!("Created {} · updated {} · version {}", i.created_at, i.updated_at, i.version)}
            </footer>
        </article>
        <History id=i.id/>
    }
}

#[component]
fn History(id: i64) -> impl IntoView {
    let revisions = Resource::new(move || id, list_revisions);
    view! {
        <section class="history" aria-label="History">
            <h2>"History"</h2>
            <Suspense fallback=|| view! { <p class="loading">"Loading the history…"</p> }>
                {move || Suspend::new(async move {
                    match revisions.await {
                        Ok(list) => view! {
                            <ol class="revisions">
                                {list
                                    .into_iter()
                                    .map(|r| view! {
                                        <li>{format!("Version {} · {} · {}", r.version, r.author, r.created_at)}</li>
                                    })
                                    .collect_view()}
                            </ol>
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
