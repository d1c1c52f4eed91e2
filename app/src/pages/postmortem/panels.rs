//! The panels under a postmortem: "Did it work?" (the earlier occurrences'
//! action items, marked against this recurrence) and "Similar incidents".

use crate::components::HitList;
use crate::pages::label;
use kb_domain::record::ActionStatus;
use leptos::prelude::*;

/// "Did it work?": the action items of the earlier occurrences, each
/// marked closed before this recurrence or still open.
#[component]
pub(super) fn EarlierItemsView(earlier: Vec<kb_domain::actions::EarlierItems>) -> impl IntoView {
    use kb_domain::actions::RecurrenceMark;
    (!earlier.is_empty()).then(|| view! {
        <section class="earlier-items" aria-label="Earlier occurrences' action items">
            <h2>"Did it work? Earlier occurrences' action items"</h2>
            {earlier.into_iter().map(|e| view! {
                <h3><a href=format!("/incidents/{}", e.postmortem_id)>{e.title.clone()}</a></h3>
                {e.items.is_empty().then(|| view! { <p class="hint">"It had no action items."</p> })}
                <ul class="recurrence-items">
                    {e.items.into_iter().map(|(row, mark)| {
                        let class = match mark {
                            RecurrenceMark::ClosedBefore => "badge mark closed-before",
                            RecurrenceMark::StillOpen => "badge mark still-open",
                        };
                        view! {
                            <li data-item=row.id()>
                                <span class=class>{mark.label()}</span>" "
                                {row.item.title.clone()}
                                <small>{format!(" · {}{}", label(ActionStatus::parse, ActionStatus::label, &row.item.status),
                                    row.closed_at.as_deref().map(|c| format!(", closed {}", &c[..c.len().min(10)])).unwrap_or_default())}</small>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }).collect_view()}
        </section>
    })
}

/// "Similar incidents": what else looked like this one.
#[component]
pub(super) fn Similar(hits: Vec<kb_domain::SearchHit>) -> impl IntoView {
    let empty = hits.is_empty();
    view! {
        <section class="similar" aria-label="Similar incidents">
            <h2>"Similar incidents"</h2>
            <HitList hits label="Similar incidents list"/>
            {empty.then(|| view! { <p class="hint">"Nothing similar yet."</p> })}
        </section>
    }
    .into_any()
}

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
