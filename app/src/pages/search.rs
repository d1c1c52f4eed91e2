//! `/search?q=…`: paste anything, get matching postmortems with the matched
//! words highlighted. The URL holds the query, so a search can be shared.

use crate::components::Snippet;
use crate::error::AppError;
use crate::pages::{debounced, ErrorNote};
use kb_domain::SearchResponse;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;

/// Hits shown on the search page.
const PAGE_HITS: usize = 20;

/// Searches postmortems for any pasted text (alert, log lines, a phrase).
/// Never fails because of the text's syntax.
#[server]
pub async fn search_incidents(q: String, limit: usize) -> Result<SearchResponse, AppError> {
    let ctx = crate::context::request_context().await?;
    crate::state::core()?.search(&ctx, &q, limit).await
}

/// The search page.
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let results = Resource::new(
        move || q.get(),
        |q| async move {
            if q.trim().is_empty() {
                Ok(None)
            } else {
                search_incidents(q, PAGE_HITS).await.map(Some)
            }
        },
    );
    let navigate = use_navigate();
    // Search as you type: the URL follows the text (replacing, not stacking
    // history entries), and the results follow the URL.
    let follow_typing = debounced(300, move |text: String| {
        let mut params = ParamsMap::new();
        params.insert("q", text);
        navigate(
            &format!("/search{}", params.to_query_string()),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    });

    view! {
        <Title text="Search"/>
        <h1>"Search by symptom"</h1>
        <Form method="GET" action="/search" attr:class="search-form">
            <label for="q">"Paste an alert, log lines or a description of what you see"</label>
            <textarea id="q" name="q" rows="5" spellcheck="false"
                on:input=move |ev| follow_typing(event_target_value(&ev))
            >{q.get_untracked()}</textarea>
            <button type="submit">"Search"</button>
        </Form>
        <Transition fallback=|| view! { <p class="loading">"Searching…"</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(None) => view! {
                        <p class="hint">"Results appear as you type. Anything goes: timestamps, IDs, stack traces."</p>
                    }.into_any(),
                    Ok(Some(response)) => view! { <Results response/> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Results(response: SearchResponse) -> impl IntoView {
    if response.incidents.is_empty() {
        return view! { <p class="empty" role="status">"No postmortem matches."</p> }.into_any();
    }
    let summary = format!(
        "{} matching postmortem{} ({:.1} ms)",
        response.incidents.len(),
        if response.incidents.len() == 1 {
            ""
        } else {
            "s"
        },
        response.took_ms
    );
    view! {
        <p class="count" role="status">{summary}</p>
        <ol class="results" aria-label="Search results">
            {response
                .incidents
                .into_iter()
                .map(|hit| {
                    let href = format!("/incidents/{}", hit.id);
                    let title = hit.title.clone();
                    view! {
                        <li class="result">
                            <A href=href attr:class="title">{title}</A>
                            <Snippet hit/>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}
