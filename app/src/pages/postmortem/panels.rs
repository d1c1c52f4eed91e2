//! "Seen before?" above a postmortem: the matches of the alert that
//! opened it, each to link or dismiss.

use leptos::prelude::*;

/// "Seen before?": the past incidents and patterns the alert that opened
/// this incident matched, each with its root cause and what fixed it; an
/// editor makes one an earlier occurrence or dismisses it.
#[component]
pub(super) fn SeenBefore(
    id: i64,
    version: i64,
    suggestions: Vec<kb_domain::intake::Suggestion>,
    reload: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let decide = ServerAction::<super::DecideSuggestion>::new();
    Effect::new(move |_| {
        if let Some(Ok(crate::pages::Submitted::Saved(_))) = decide.value().get() {
            reload();
        }
    });
    let may = crate::can_write().0;
    if suggestions.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="seen-before" aria-labelledby="seen-before">
            <h2 id="seen-before">"Seen before?"</h2>
            <ol class="suggestions">
                {suggestions.into_iter().map(|s| {
                    let position = s.position;
                    let open = s.state == "open";
                    view! {
                        <li class=format!("suggestion {}", s.state) data-position=position>
                            <p class="suggestion-title">
                                {s.pattern.clone().map(|p| view! { <span class="badge pattern">"Pattern"</span>" "<strong>{p}</strong>" in "})}
                                <a href=format!("/incidents/{}", s.target_id)>{s.title.clone()}</a>
                                {(!open).then(|| view! { <span class="badge">{if s.state == "accepted" { "Earlier occurrence" } else { "Dismissed" }}</span> })}
                            </p>
                            {(!s.root_cause.is_empty()).then(|| view! { <p><span class="label">"Root cause: "</span>{s.root_cause.clone()}</p> })}
                            {(!s.fix.is_empty()).then(|| view! { <p><span class="label">"What fixed it: "</span>{s.fix.clone()}</p> })}
                            {(!s.matched.is_empty()).then(|| view! { <p class="hint">{format!("Matched on: {}", s.matched)}</p> })}
                            {(may && open).then(|| view! {
                                <div class="suggestion-actions">
                                    <button type="button" disabled=move || decide.pending().get()
                                        on:click=move |_| { decide.dispatch(super::DecideSuggestion { id, version, position, accept: true }); }>
                                        "Same failure: link as earlier occurrence"
                                    </button>
                                    <button type="button" class="secondary" disabled=move || decide.pending().get()
                                        on:click=move |_| { decide.dispatch(super::DecideSuggestion { id, version, position, accept: false }); }>
                                        "Not the same: dismiss"
                                    </button>
                                </div>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            <p class="error" role="alert">{move || match decide.value().get() {
                Some(Ok(crate::pages::Submitted::Refused(e))) => Some(e.to_string()),
                Some(Err(e)) => Some(e.to_string()),
                _ => None,
            }}</p>
        </section>
    }
    .into_any()
}
