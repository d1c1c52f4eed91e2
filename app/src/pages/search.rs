//! `/search?q=…`: paste anything, get the incident patterns and the past
//! postmortems that match, with what caused and fixed them and why they
//! matched. Filters and the page live in the URL too, so any view of the
//! results can be shared; everything works from the keyboard (`/` to the
//! box, `j`/`k` or the arrow keys through the results, Enter to open).

use crate::components::{ServiceTags, SeverityBadge, Snippet};
use crate::error::AppError;
use crate::pages::{debounced, ErrorNote};
use kb_domain::{
    FacetCount, PatternHit, SearchFilters, SearchHit, SearchQuery, SearchResponse, Severity,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;

/// Postmortems per page.
pub const PAGE_HITS: usize = 10;

/// Patterns shown above the postmortems.
const PATTERNS: usize = 3;

/// Searches postmortems and patterns for any pasted text (alert, log lines, a
/// phrase), with filters and paging. Never fails because of the text.
#[server(input = leptos::server_fn::codec::Json)]
pub async fn search_postmortems(query: SearchQuery) -> Result<SearchResponse, AppError> {
    let ctx = crate::request::request_context().await?;
    crate::state::services()?.find(&ctx, query).await
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

    /// This view with filter `name` set to `value` (or cleared), from page 1.
    fn with_filter(&self, name: &str, value: Option<&str>) -> View {
        let mut view = self.clone();
        if let Some(slot) = view.filters.slot(name) {
            *slot = value.map(str::to_string);
        }
        view.page = 1;
        view
    }

    fn with_page(&self, page: usize) -> View {
        View {
            page,
            ..self.clone()
        }
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
                search_postmortems(query).await.map(|r| Some((view, r)))
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
            >{current.get_untracked().q}</textarea>
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
                    Ok(Some((view, response))) => view! { <Results view response/> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Results(view: View, response: SearchResponse) -> impl IntoView {
    let filtered = !view.filters.is_empty();
    if response.incidents.is_empty() && response.patterns.is_empty() && !filtered {
        return view! { <p class="empty" role="status">"No postmortem matches."</p> }.into_any();
    }
    let first = response.offset + 1;
    let last = response.offset + response.incidents.len();
    let summary = if response.incidents.is_empty() {
        "No postmortem matches these filters.".to_string()
    } else {
        format!(
            "{first}–{last} of {}{} matching postmortem{} ({:.1} ms)",
            response.total,
            if response.capped { " best" } else { "" },
            if response.total == 1 { "" } else { "s" },
            response.took_ms
        )
    };
    let terms = response.terms.join(" · ");
    let patterns = response.patterns.clone();
    view! {
        <p class="count" role="status">{summary}</p>
        {(!terms.is_empty()).then(|| view! { <p class="meta searched">"Searched for: " {terms}</p> })}
        <Patterns patterns/>
        <div class="search-layout">
            <Filters view=view.clone() response=response.clone()/>
            <div class="search-main">
                <ol class="results" aria-label="Search results">
                    {response.incidents.into_iter().map(|hit| view! { <Result hit/> }).collect_view()}
                </ol>
                <Pager view response_total=response.total/>
            </div>
        </div>
    }
    .into_any()
}

/// One postmortem in the results.
#[component]
fn Result(hit: SearchHit) -> impl IntoView {
    let href = format!("/incidents/{}", hit.id);
    let title = hit.title.clone();
    let severity = hit
        .severity
        .as_deref()
        .and_then(|s| s.parse::<Severity>().ok());
    let date = hit.date.clone().unwrap_or_default();
    let status = hit.status.clone().unwrap_or_default();
    let services = hit.services.clone();
    let root_cause = hit.root_cause.clone();
    let fix = hit.fix.clone();
    let matched = hit.matched.join(", ");
    let signals = hit.signal_groups();
    view! {
        <li class="result">
            <div class="result-head">
                <A href=href attr:class="title">{title}</A>
                <SeverityBadge severity/>
                <span class="date">{date}</span>
                {(!status.is_empty()).then(|| view! { <span class="status">{status.replace('_', " ")}</span> })}
                <ServiceTags services/>
            </div>
            <Snippet hit/>
            <dl class="result-facts">
                {(!root_cause.is_empty()).then(|| view! { <dt>"Root cause"</dt><dd>{root_cause}</dd> })}
                {(!fix.is_empty()).then(|| view! { <dt>"Fixed by"</dt><dd>{fix}</dd> })}
                {signals
                    .into_iter()
                    .map(|(kind, texts)| view! { <dt>{kind.label()}</dt><dd class="signal">{texts.join(", ")}</dd> })
                    .collect_view()}
                {(!matched.is_empty()).then(|| view! { <dt>"Matched"</dt><dd class="matched">{matched}</dd> })}
            </dl>
        </li>
    }
}

/// Matching incident patterns, each with how to recognise and fix it.
#[component]
fn Patterns(patterns: Vec<PatternHit>) -> impl IntoView {
    (!patterns.is_empty()).then(|| {
        view! {
            <section class="patterns" aria-label="Matching patterns">
                <h2>"Patterns"</h2>
                <ol class="pattern-list">
                    {patterns.into_iter().map(|p| view! { <Pattern p/> }).collect_view()}
                </ol>
            </section>
        }
    })
}

#[component]
fn Pattern(p: PatternHit) -> impl IntoView {
    let part = |label: &'static str, text: String| {
        let class = if label == "Symptoms" { "symptoms" } else { "" };
        (!text.trim().is_empty()).then(|| view! { <dt>{label}</dt><dd class=class>{text}</dd> })
    };
    let matched = p.matched.join(", ");
    view! {
        <li class="pattern">
            <h3>{p.name.clone()}</h3>
            <dl class="result-facts">
                {part("Symptoms", p.symptoms.clone())}
                {part("Root cause", p.root_cause.clone())}
                {part("Detect it", p.detection.clone())}
                {part("Resolve it", p.resolution.clone())}
                {part("Matched", matched)}
            </dl>
            <p class="meta">"Seen in: "
                {p.seen_in
                    .into_iter()
                    .map(|s| view! { <a href=format!("/incidents/{}", s.id)>{s.title}</a> " " })
                    .collect_view()}
            </p>
        </li>
    }
}

/// The filter values among the ranked matches, with counts; each links to
/// the same search with that filter set, or cleared when it is set.
#[component]
fn Filters(view: View, response: SearchResponse) -> impl IntoView {
    let f = response.facets;
    let groups: [(&'static str, &'static str, Vec<FacetCount>); 5] = [
        ("service", "Service", f.service),
        ("severity", "Severity", f.severity),
        ("year", "Year", f.year),
        ("tag", "Tag", f.tag),
        ("status", "Status", f.status),
    ];
    let active = view.filters.clone();
    view! {
        <nav class="filters" aria-label="Filters">
            {groups
                .into_iter()
                .filter(|(_, _, counts)| !counts.is_empty())
                .map(|(name, label, mut counts)| {
                    if name == "year" {
                        counts.sort_by(|a, b| b.value.cmp(&a.value));
                    }
                    let set = active.pairs().into_iter().find(|(n, _)| *n == name).and_then(|(_, v)| v.map(str::to_string));
                    let view = view.clone();
                    view! {
                        <section class="filter-group">
                            <h2>{label}</h2>
                            <ul>
                                {counts
                                    .into_iter()
                                    .take(12)
                                    .map(|c| {
                                        let on = set.as_deref() == Some(c.value.as_str());
                                        let target = if on {
                                            view.with_filter(name, None)
                                        } else {
                                            view.with_filter(name, Some(&c.value))
                                        };
                                        let text = format!("{} ({})", c.value.replace('_', " "), c.count);
                                        let aria = if on { format!("Remove filter {label} {}", c.value) } else { format!("Only {label} {}", c.value) };
                                        view! {
                                            <li>
                                                <a href=target.url() class=if on { "facet on" } else { "facet" }
                                                    aria-label=aria aria-current=on.then_some("true")>{text}</a>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                })
                .collect_view()}
            {(!active.is_empty()).then(|| view! {
                <a class="clear-filters" href=View { filters: SearchFilters::default(), page: 1, ..view.clone() }.url()>"Clear filters"</a>
            })}
        </nav>
    }
}

/// Previous and next pages.
#[component]
fn Pager(view: View, response_total: usize) -> impl IntoView {
    let pages = response_total.div_ceil(PAGE_HITS).max(1);
    let page = view.page.min(pages);
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label="Pages">
                {(page > 1).then(|| view! { <a href=view.with_page(page - 1).url() rel="prev">"← Previous"</a> })}
                <span class="meta">{format!("Page {page} of {pages}")}</span>
                {(page < pages).then(|| view! { <a href=view.with_page(page + 1).url() rel="next">"Next →"</a> })}
            </nav>
        }
    })
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
