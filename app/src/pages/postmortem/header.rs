//! The header of a postmortem's page drawn on the server: title, links,
//! meta, who may see it, people, and the write-up status moves as a plain
//! form (no JavaScript: the post redirects back to the page).

use super::ChangeStatus;
use crate::components::{ServiceTags, SeverityBadge};
use kb_domain::record::WriteupStatus;
use kb_domain::Postmortem;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos::tachys::view::RenderHtml;

/// The header's HTML; `may` (an editor or admin) adds the links and moves
/// that change it.
pub(super) fn header(i: &Postmortem, may: bool) -> String {
    let p = &i.parts;
    let status = p.writeup_status();
    let access = p.access.clone();
    view! {
        <h1>{i.title.clone()}</h1>
        <div class="header-actions">
            {may.then(|| view! {
                <a class="button edit" href=format!("/incidents/{}/edit", i.id)>"Edit"</a>
                <a class="button secondary" href=format!("/new?from={}", i.id)>"Use as template"</a>
            })}
            <a class="button secondary" href="#investigate-heading">"Investigate"</a>
            <a class="button secondary" href=format!("/api/v1/incidents/{}/export?format=markdown", i.id) download>"Export Markdown"</a>
            <a class="button secondary" href=format!("/api/v1/incidents/{}/export?format=json", i.id) download>"Export JSON"</a>
        </div>
        <p class="meta">
            <SeverityBadge severity=i.severity/>
            <span class=format!("badge status status-{}", status.as_str())>{status.label()}</span>
            {i.date.clone().map(|d| view! { <span class="date">{d}</span> })}
            {i.external_id.clone().map(|e| view! { <span class="external-id">{e}</span> })}
            {i.url.clone().map(|u| view! {
                <a href=u rel="noopener noreferrer nofollow" class="source">"Original report"</a>
            })}
        </p>
        {access.private.then(|| view! {
            <p class="private-note" role="note">
                <span class="badge private">"Private"</span>
                {format!(" Only {} and admins can see this postmortem.", access.describe())}
            </p>
        })}
        {i.published_by.clone().map(|who| view! {
            <p class="published">{format!("Published by {who} on {}", i.published_at.clone().unwrap_or_default())}</p>
        })}
        {may.then(|| status_form(i.id, i.version, status))}
        <ServiceTags services=i.services.clone()/>
        <dl class="people">
            {(!p.teams.is_empty()).then(|| view! { <dt>"Teams"</dt><dd>{p.teams.join(", ")}</dd> })}
            {(!i.labels.is_empty()).then(|| view! { <dt>"Tags"</dt><dd class="labels">{i.labels.join(", ")}</dd> })}
            {(!p.authors.is_empty()).then(|| view! { <dt>"Authors"</dt><dd>{p.authors.join(", ")}</dd> })}
        </dl>
    }
    .to_html()
}

/// The moves that make sense from `status`, as one form whose buttons
/// each post their target status.
fn status_form(id: i64, version: i64, status: WriteupStatus) -> impl IntoView {
    let moves: &[(WriteupStatus, &str)] = match status {
        WriteupStatus::Draft => &[(WriteupStatus::InReview, "Send for review")],
        WriteupStatus::InReview => &[
            (WriteupStatus::Published, "Publish"),
            (WriteupStatus::Draft, "Back to draft"),
        ],
        WriteupStatus::Published => &[(WriteupStatus::Draft, "Reopen as draft")],
    };
    view! {
        // The group is a wrapper: a form may not take the group role.
        <div role="group" aria-label="Write-up status">
            <form class="workflow" method="post" action=ChangeStatus::PATH>
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="version" value=version/>
                {moves.iter().map(|&(to, text)| view! {
                    <button class="secondary" name="status" value=to.as_str()>{text}</button>
                }).collect_view()}
            </form>
        </div>
    }
}
