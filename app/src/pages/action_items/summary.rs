//! `/action-items/summary`: where action items stand (open and overdue
//! counts, completion rate, median days to close), overall and per team
//! and service; each group links to its items.

use super::url;
use crate::error::AppError;
use crate::pages::ErrorNote;
use kb_domain::actions::{ActionFilters, ActionStats, ActionSummary, GroupStats};
use leptos::prelude::*;
use leptos_meta::Title;

/// The numbers for managers.
#[server]
pub async fn load_action_summary() -> Result<ActionSummary, AppError> {
    let ctx = crate::request::request_context().await?;
    crate::state::services()?.action_summary(&ctx).await
}

/// `/action-items/summary`: open and overdue counts, completion rate and
/// median days to close, overall and per team and service.
#[component]
pub fn ActionSummaryPage() -> impl IntoView {
    let summary = Resource::new(|| (), |_| load_action_summary());
    view! {
        <Title text="Action items: where things stand"/>
        <section class="intro">
            <h1>"Where action items stand"</h1>
            <p><a href="/action-items">"All action items"</a></p>
        </section>
        <Suspense fallback=|| view! { <p class="loading">"Counting…"</p> }>
            {move || Suspend::new(async move {
                match summary.await {
                    Ok(s) => view! {
                        <StatsTable caption="Overall" rows=vec![GroupStats { name: "All items".into(), stats: s.all.clone() }] group=None/>
                        <StatsTable caption="Per team" rows=s.teams.clone() group=Some("team")/>
                        <StatsTable caption="Per service" rows=s.services.clone() group=Some("service")/>
                        <p class="hint">{format!("Overdue as of {} (UTC). Completion: done out of all items but those marked won't do.", s.today)}</p>
                    }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StatsTable(
    caption: &'static str,
    rows: Vec<GroupStats>,
    group: Option<&'static str>,
) -> impl IntoView {
    let cell = |s: &ActionStats| {
        (
            s.completion_rate
                .map(|r| format!("{:.0}%", r * 100.0))
                .unwrap_or_else(|| "—".into()),
            s.median_days_to_close
                .map(|d| format!("{d:.1}"))
                .unwrap_or_else(|| "—".into()),
        )
    };
    view! {
        <table class="stats" aria-label=caption>
            <caption>{caption}</caption>
            <thead><tr><th></th><th>"Open"</th><th>"Overdue"</th><th>"Done"</th><th>"Won't do"</th><th>"Completion"</th><th>"Median days to close"</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|g| {
                    let (rate, days) = cell(&g.stats);
                    let late = g.stats.overdue > 0;
                    let name = match group {
                        Some(key) => view! {
                            <a href=url(&ActionFilters::default().with(key, Some(&g.name)))>{g.name.clone()}</a>
                        }.into_any(),
                        None => g.name.clone().into_any(),
                    };
                    view! {
                        <tr>
                            <th scope="row">{name}</th>
                            <td>{g.stats.open}</td>
                            <td class:overdue=late>{g.stats.overdue}</td>
                            <td>{g.stats.done}</td>
                            <td>{g.stats.wont_do}</td>
                            <td>{rate}</td>
                            <td>{days}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
