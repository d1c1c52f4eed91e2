//! The search results drawn on the server into the HTML the page injects:
//! the count, the matching patterns, the filters with their counts, the
//! postmortems with why they matched, and the pager. Every text is escaped
//! by the view; snippets mark matches with `<mark>` around text nodes.

use super::{View, PAGE_HITS};
use crate::components::{ServiceTags, SeverityBadge, Snippet};
use kb_domain::{FacetCount, PatternHit, SearchFilters, SearchHit, SearchResponse, Severity};
use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;

impl View {
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

/// The results of `view`'s search as HTML.
pub(super) fn html(view: View, response: SearchResponse) -> String {
    view! { <Results view response/> }.to_html()
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
                <a href=href class="title">{title}</a>
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
