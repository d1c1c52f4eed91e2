//! `/insights`: are we getting better at incidents? Incidents and
//! retrospective coverage, the clock, recurrence, action items,
//! calibration and learning, for a period and filters. Drawn on the
//! server (charts are SVG, each with its numbers in a table); the period
//! and filters are a plain form, so the page needs no code of its own.

#[cfg(feature = "ssr")]
mod chart;
#[cfg(feature = "ssr")]
mod draw;

use crate::error::AppError;
use crate::pages::ErrorNote;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The page's sections for the caller, for the period (`from`, `to`:
/// `YYYY-MM`) and filters, as HTML.
#[server]
pub async fn insights_page(
    from: Option<String>,
    to: Option<String>,
    service: Option<String>,
    team: Option<String>,
    severity: Option<String>,
) -> Result<String, AppError> {
    let ctx = crate::request::request_context().await?;
    let query = crate::service::insights::InsightsQuery {
        from,
        to,
        service,
        team,
        severity,
    };
    let insights = crate::state::services()?.insights(&ctx, &query).await?;
    Ok(draw::page(&insights, &query))
}

/// The insights page.
#[component]
pub fn InsightsPage() -> impl IntoView {
    let query = use_query_map();
    let drawn = Resource::new(
        move || {
            let q = query.read();
            let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
            (
                get("from"),
                get("to"),
                get("service"),
                get("team"),
                get("severity"),
            )
        },
        |(from, to, service, team, severity)| insights_page(from, to, service, team, severity),
    );
    view! {
        <Title text="Insights"/>
        <h1>"Insights: are we getting better at incidents?"</h1>
        <Suspense fallback=|| view! { <p class="loading">"Counting…"</p> }>
            {move || Suspend::new(async move {
                match drawn.await {
                    Ok(html) => view! { <div class="insights" inner_html=html></div> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}
