//! `/search?q=…`: paste anything, get the incident patterns and the past
//! postmortems that match, with what caused and fixed them and why they
//! matched. Filters and the page live in the URL too, so any view of the
//! results can be shared; everything works from the keyboard (`/` to the
//! box, `j`/`k` or the arrow keys through the results, Enter to open).

#[cfg(feature = "ssr")]
mod results;

use crate::error::AppError;
use crate::pages::{debounced, ErrorNote};
use kb_domain::{SearchFilters, SearchQuery};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;

/// Postmortems per page.
pub const PAGE_HITS: usize = 10;

/// Patterns shown above the postmortems.
const PATTERNS: usize = 3;

/// Searches postmortems and patterns for any pasted text (alert, log lines, a
/// phrase), with filters and paging, and draws the results as HTML
/// ([`results`]): the page injects them, so the browser has no code for
/// them. Never fails because of the text.
#[server(input = leptos::server_fn::codec::Json)]
pub async fn search_postmortems(query: SearchQuery) -> Result<String, AppError> {
    let ctx = crate::request::request_context().await?;
    let view = View {
        q: query.text.clone(),
        filters: query.filters.clone(),
        page: query.offset / PAGE_HITS + 1,
    };
    let response = crate::state::services()?.find(&ctx, query).await?;
    Ok(results::html(view, response))
}

/// What the URL says to show.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
struct View {
    q: String,
    filters: SearchFilters,
    /// 1-based.
    page: usize,
}

impl View {
    fn from_params(params: &ParamsMap) -> View {
        let mut filters = SearchFilters::default();
        for name in ["service", "severity", "year", "tag", "status"] {
            if let (Some(slot), Some(value)) = (filters.slot(name), params.get(name)) {
                if !value.trim().is_empty() {
                    *slot = Some(value);
                }
            }
        }
        View {
            q: params.get("q").unwrap_or_default(),
            filters,
            page: params
                .get("page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1)
                .max(1),
        }
    }

    /// The address of this view.
    fn url(&self) -> String {
        let mut params = ParamsMap::new();
        params.insert("q", self.q.clone());
        for (name, value) in self.filters.pairs() {
            if let Some(value) = value {
                params.insert(name, value.to_string());
            }
        }
        if self.page > 1 {
            params.insert("page", self.page.to_string());
        }
        format!("/search{}", params.to_query_string())
    }
}

/// The search page.
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let current = Memo::new(move |_| View::from_params(&query.read()));
    let results = Resource::new(
        move || current.get(),
        |view| async move {
            if view.q.trim().is_empty() {
                Ok(None)
            } else {
                let query = SearchQuery {
                    text: view.q.clone(),
                    filters: view.filters.clone(),
                    offset: (view.page - 1).saturating_mul(PAGE_HITS),
                    limit: PAGE_HITS,
                    patterns: if view.page == 1 { PATTERNS } else { 0 },
                };
                search_postmortems(query).await.map(Some)
            }
        },
    );
    let navigate = use_navigate();
    // Search as you type: the URL follows the text (replacing, not stacking
    // history entries), and the results follow the URL. Filters stay; the
    // page goes back to the first.
    let follow_typing = debounced(300, move |text: String| {
        let view = View {
            q: text,
            page: 1,
            ..current.get_untracked()
        };
        navigate(
            &view.url(),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    });
    keyboard_shortcuts();

    view! {
        <Title text="Search"/>
        <h1>"Search by symptom"</h1>
        <Form method="GET" action="/search" attr:class="search-form">
            <label for="q">"Paste an alert, log lines or a description of what you see"</label>
            <textarea id="q" name="q" rows="5" spellcheck="false"
                aria-keyshortcuts="/"
                on:input=move |ev| follow_typing(event_target_value(&ev))
                // Leptos writes a textarea's children unescaped: the query
                // from the address is escaped here, or `</textarea>` in it
                // would end the box and the rest would be markup.
                inner_html=crate::escape_html(&current.get_untracked().q)
            ></textarea>
            {move || {
                // Filters survive a submit of the form.
                current
                    .get()
                    .filters
                    .pairs()
                    .into_iter()
                    .filter_map(|(name, value)| {
                        value.map(|v| view! { <input type="hidden" name=name value=v.to_string()/> })
                    })
                    .collect_view()
            }}
            <button type="submit">"Search"</button>
            <p class="hint keys">"Keys: " <kbd>"/"</kbd> " search box · " <kbd>"j"</kbd> " " <kbd>"k"</kbd> " next and previous result · " <kbd>"Enter"</kbd> " open"</p>
        </Form>
        <Transition fallback=|| view! { <p class="loading">"Searching…"</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(None) => view! {
                        <p class="hint">"Results appear as you type. Anything goes: timestamps, IDs, stack traces."</p>
                    }.into_any(),
                    Ok(Some(html)) => view! { <div class="search-results" inner_html=html></div> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `/` focuses the search box; `j`/`k` and the arrow keys move through the
/// result titles (outside the box); Enter follows the focused link natively.
fn keyboard_shortcuts() {
    #[cfg(feature = "hydrate")]
    {
        use leptos::ev;
        use wasm_bindgen::JsCast;
        let handle = window_event_listener(ev::keydown, |event: web_sys::KeyboardEvent| {
            if event.ctrl_key() || event.meta_key() || event.alt_key() {
                return;
            }
            let document = document();
            let active = document.active_element();
            let typing = active.as_ref().is_some_and(|el| {
                matches!(el.tag_name().as_str(), "TEXTAREA" | "INPUT" | "SELECT")
            });
            let key = event.key();
            if typing {
                if key == "Escape" {
                    if let Some(el) =
                        active.and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
                    {
                        let _ = el.blur();
                    }
                }
                return;
            }
            let step: isize = match key.as_str() {
                "/" => {
                    if let Some(el) = document
                        .get_element_by_id("q")
                        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
                    {
                        event.prevent_default();
                        let _ = el.focus();
                    }
                    return;
                }
                "j" | "ArrowDown" => 1,
                "k" | "ArrowUp" => -1,
                _ => return,
            };
            let Ok(links) = document.query_selector_all("ol.results a.title") else {
                return;
            };
            let count = links.length() as isize;
            if count == 0 {
                return;
            }
            let current = (0..count).find(|&i| {
                links
                    .item(i as u32)
                    .zip(active.clone())
                    .is_some_and(|(node, el)| node.is_same_node(Some(el.as_ref())))
            });
            let next = match current {
                Some(i) => (i + step).clamp(0, count - 1),
                None if step > 0 => 0,
                None => count - 1,
            };
            if let Some(el) = links
                .item(next as u32)
                .and_then(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
            {
                event.prevent_default();
                let _ = el.focus();
            }
        });
        on_cleanup(move || handle.remove());
    }
}
