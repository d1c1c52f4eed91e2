//! "Seen before?" above a postmortem, drawn on the server: the matches of
//! the alert that opened it, each with a plain form to link or dismiss it
//! (the post redirects back to the page).

use super::DecideSuggestion;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos::tachys::view::RenderHtml;

/// "Seen before?": the past incidents and patterns the alert that opened
/// this incident matched, each with its root cause and what fixed it; an
/// editor (`may`) makes one an earlier occurrence or dismisses it. Empty
/// when the alert matched nothing.
pub(super) fn seen_before(
    id: i64,
    version: i64,
    suggestions: Vec<kb_domain::intake::Suggestion>,
    may: bool,
) -> String {
    if suggestions.is_empty() {
        return String::new();
    }
    view! {
        <section class="seen-before" aria-labelledby="seen-before">
            <h2 id="seen-before">"Seen before?"</h2>
            <ol class="suggestions">
                {suggestions.into_iter().map(|s| {
                    let open = s.state == "open";
                    view! {
                        <li class=format!("suggestion {}", s.state) data-position=s.position>
                            <p class="suggestion-title">
                                {s.pattern.clone().map(|p| view! { <span class="badge pattern">"Pattern"</span>" "<strong>{p}</strong>" in "})}
                                <a href=format!("/incidents/{}", s.target_id)>{s.title.clone()}</a>
                                {(!open).then(|| view! { <span class="badge">{if s.state == "accepted" { "Earlier occurrence" } else { "Dismissed" }}</span> })}
                            </p>
                            {(!s.root_cause.is_empty()).then(|| view! { <p><span class="label">"Root cause: "</span>{s.root_cause.clone()}</p> })}
                            {(!s.fix.is_empty()).then(|| view! { <p><span class="label">"What fixed it: "</span>{s.fix.clone()}</p> })}
                            {(!s.matched.is_empty()).then(|| view! { <p class="hint">{format!("Matched on: {}", s.matched)}</p> })}
                            {(may && open).then(|| view! {
                                <form class="suggestion-actions" method="post" action=DecideSuggestion::PATH>
                                    <input type="hidden" name="id" value=id/>
                                    <input type="hidden" name="version" value=version/>
                                    <input type="hidden" name="position" value=s.position/>
                                    <button name="accept" value="true">"Same failure: link as earlier occurrence"</button>
                                    <button class="secondary" name="accept" value="false">"Not the same: dismiss"</button>
                                </form>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
    .to_html()
}
