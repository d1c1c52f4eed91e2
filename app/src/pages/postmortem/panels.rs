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
