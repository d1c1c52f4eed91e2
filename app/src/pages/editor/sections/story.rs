//! The story's sections: the header (title, severity, services, status),
//! the clock and the impact.

use super::super::fields::{Choice, Markdown, Number, Text};
use super::super::Errors;
use super::Part;
use crate::pages::options;
use kb_domain::record::WriteupStatus;
use kb_domain::{PostmortemInput, Severity};
use leptos::prelude::*;

#[component]
pub fn Header(draft: RwSignal<PostmortemInput>, errors: Errors) -> impl IntoView {
    let (title_get, title_set) = text!(draft, title);
    let (sev_get, sev_set) = opt_text!(draft, severity);
    let (status_get, status_set) = text!(draft, parts.status);
    let (svc_get, svc_set) = names!(draft, services);
    let (teams_get, teams_set) = names!(draft, parts.teams);
    let (tags_get, tags_set) = names!(draft, labels);
    let (authors_get, authors_set) = names!(draft, parts.authors);
    let mut severities = vec![("", "Choose…")];
    severities.extend(Severity::ALL.iter().map(|s| (s.as_str(), s.as_str())));
    view! {
        <Part id="header" title="Header" guidance="Name the incident by its effect, not its cause (\"Checkout failing every 20 minutes\"). Severity is how bad it was for users.">
            <Text label="Title" field="title".into() get=title_get set=title_set errors
                placeholder="What users saw, in a few words"/>
            <div class="grid">
                <Choice label="Severity" field="severity".into() options=severities
                    get=sev_get set=sev_set errors/>
                <Choice label="Write-up status" field="status".into()
                    options=opts!(WriteupStatus) get=status_get set=status_set errors/>
            </div>
            <div class="grid">
                <Text label="Services" field="services".into() get=svc_get set=svc_set errors
                    placeholder="payments, checkout"/>
                <Text label="Teams" field="teams".into() get=teams_get set=teams_set errors
                    placeholder="payments-oncall"/>
                <Text label="Tags" field="labels".into() get=tags_get set=tags_set errors
                    placeholder="config-change, redis"/>
                <Text label="Authors" field="authors".into() get=authors_get set=authors_set errors/>
            </div>
        </Part>
    }
    .into_any()
}

#[component]
pub fn Clock(draft: RwSignal<PostmortemInput>, errors: Errors) -> impl IntoView {
    let (s_get, s_set) = opt_text!(draft, parts.started_at);
    let (d_get, d_set) = opt_text!(draft, parts.detected_at);
    let (m_get, m_set) = opt_text!(draft, parts.mitigated_at);
    let (r_get, r_set) = opt_text!(draft, parts.resolved_at);
    let durations = move || draft.with(|d| d.parts.durations());
    let show = |m: Option<i64>| {
        m.map(kb_domain::record::format_minutes)
            .unwrap_or_else(|| "—".into())
    };
    view! {
        <Part id="clock" title="Clock" guidance="Times in UTC as YYYY-MM-DD HH:MM. The time to detect, mitigate and resolve follows from them.">
            <div class="grid">
                <Text label="Started" field="started_at".into() get=s_get set=s_set errors placeholder="2024-03-15 14:02"/>
                <Text label="Detected" field="detected_at".into() get=d_get set=d_set errors/>
                <Text label="Mitigated" field="mitigated_at".into() get=m_get set=m_set errors/>
                <Text label="Resolved" field="resolved_at".into() get=r_get set=r_set errors/>
            </div>
            <p class="durations">
                {move || format!(
                    "Time to detect: {} · to mitigate: {} · to resolve: {}",
                    show(durations().to_detect),
                    show(durations().to_mitigate),
                    show(durations().to_resolve)
                )}
            </p>
        </Part>
    }
    .into_any()
}

#[component]
pub fn Impact(draft: RwSignal<PostmortemInput>, errors: Errors) -> impl IntoView {
    let (u_get, u_set) = super::lens(
        draft,
        |d| d.parts.users_affected,
        |d, v| d.parts.users_affected = v,
    );
    let (r_get, r_set) = super::lens(
        draft,
        |d| d.parts.requests_failed,
        |d, v| d.parts.requests_failed = v,
    );
    let (m_get, m_set) = super::lens(draft, |d| d.parts.money_lost, |d, v| d.parts.money_lost = v);
    let (c_get, c_set) = opt_text!(draft, parts.currency);
    let (t_get, t_set) = text!(draft, impact);
    view! {
        <Part id="impact" title="Impact" guidance="Who and what was affected, in numbers where you have them.">
            <div class="grid">
                <Number label="Users affected" field="users_affected".into() get=u_get set=u_set errors min=0/>
                <Number label="Requests or orders failed" field="requests_failed".into() get=r_get set=r_set errors min=0/>
                <Number label="Money lost" field="money_lost".into() get=m_get set=m_set errors min=0/>
                <Text label="Currency" field="currency".into() get=c_get set=c_set errors placeholder="USD"/>
            </div>
            <Markdown label="Impact" field="impact".into() get=t_get set=t_set errors rows=4/>
        </Part>
    }
    .into_any()
}
