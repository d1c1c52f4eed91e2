//! `/new`: write a new postmortem, from the full template (default), the
//! quick one (`?template=quick`) or an existing postmortem (`?from=12`).

use crate::error::AppError;
use crate::pages::editor::{draw_editor, Editor};
use crate::pages::{ErrorNote, NotFound};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Renders markdown exactly as a saved postmortem shows it (sanitized), for
/// the live preview. Pure: reads and writes nothing. Text over the field
/// limit is previewed up to the limit (saving it is refused anyway).
#[server]
pub async fn render_markdown(markdown: String) -> Result<String, AppError> {
    let limit = kb_domain::postmortem::MAX_TEXT;
    let text: String = markdown.chars().take(limit).collect();
    Ok(kb_markdown::to_html(&text))
}

/// The page for a new postmortem.
#[component]
pub fn NewPage() -> impl IntoView {
    let query = use_query_map();
    let quick = move || query.read().get("template").as_deref() == Some("quick");
    let from = move || query.read().get("from").and_then(|s| s.parse::<i64>().ok());
    let drawn = Resource::new(
        move || (query.read().get("template"), from()),
        |(template, from)| draw_editor(None, None, template, from),
    );
    view! {
        <Title text="New postmortem"/>
        <h1>"New postmortem"</h1>
        <nav class="templates" aria-label="Templates">
            "Start from: "
            <a href="/new?template=full" aria-current=move || (from().is_none() && !quick()).then_some("page")>"Full template"</a>
            " · "
            <a href="/new?template=quick" aria-current=move || (from().is_none() && quick()).then_some("page")>"Quick write-up"</a>
        </nav>
        <Suspense fallback=|| view! { <p class="loading">"Loading the template…"</p> }>
            {move || Suspend::new(async move {
                match drawn.await {
                    Ok(Some(drawn)) => view! {
                        {from().is_some().then(|| view! {
                            <p class="hint">{format!("Using “{}” as a template.", drawn.title.strip_prefix("Copy of ").unwrap_or(&drawn.title))}</p>
                        })}
                        <Editor drawn/>
                    }.into_any(),
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}
