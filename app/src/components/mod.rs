//! Pieces of UI several pages share.

use kb_domain::{SearchHit, Severity};
use leptos::prelude::*;

/// A coloured severity label; "unrated" for imported reports without one.
#[component]
pub fn SeverityBadge(severity: Option<Severity>) -> impl IntoView {
    let (class, label) = match severity {
        Some(s) => (
            format!("badge sev sev-{}", s.as_str().to_ascii_lowercase()),
            s.as_str().to_string(),
        ),
        None => ("badge sev sev-none".to_string(), "unrated".to_string()),
    };
    view! { <span class=class>{label}</span> }
}

/// Service names as small tags.
#[component]
pub fn ServiceTags(services: Vec<String>) -> impl IntoView {
    view! {
        <ul class="tags" aria-label="Services">
            {services.into_iter().map(|s| view! { <li class="tag">{s}</li> }).collect_view()}
        </ul>
    }
}

/// A search snippet with its matches wrapped in `<mark>`. The text is
/// rendered as text nodes, never as HTML, so a snippet of a log line with
/// `<script>` in it stays inert.
#[component]
pub fn Snippet(hit: SearchHit) -> impl IntoView {
    let pieces: Vec<(String, bool)> = hit
        .snippet_pieces()
        .into_iter()
        .map(|(t, m)| (t.to_string(), m))
        .collect();
    view! {
        <p class="snippet">
            {pieces
                .into_iter()
                .map(|(text, marked)| {
                    if marked {
                        view! { <mark>{text}</mark> }.into_any()
                    } else {
                        text.into_any()
                    }
                })
                .collect_view()}
        </p>
    }
}

/// A short list of postmortems that match, each with its snippet: the
/// "similar incidents" panel of a postmortem and the editor's "seen
/// before?" suggestions.
#[component]
pub fn HitList(hits: Vec<SearchHit>, label: &'static str) -> impl IntoView {
    view! {
        <ol class="hit-list" aria-label=label>
            {hits
                .into_iter()
                .map(|hit| {
                    let href = format!("/incidents/{}", hit.id);
                    let title = hit.title.clone();
                    view! {
                        <li>
                            <a href=href class="title">{title}</a>
                            <Snippet hit/>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}
