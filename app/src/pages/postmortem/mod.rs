//! `/incidents/:id`: one postmortem, every part of it, its markdown
//! rendered and sanitized on the server; its write-up status workflow and
//! its history (what each revision changed, restore).

mod editing;
mod history;
mod panels;
#[cfg(feature = "ssr")]
mod read;

pub use history::{
    list_revisions, restore_revision, revision_changes, ListRevisions, RestoreRevision,
    RevisionChanges,
};

use crate::components::{ServiceTags, SeverityBadge};
use crate::error::AppError;
use crate::pages::{ErrorNote, NotFound, Submitted};
use editing::{EditContext, InPlaceEditor, Section, StatusButtons};
use history::History;
use kb_domain::{Postmortem, PostmortemInput};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use panels::SeenBefore;
use serde::{Deserialize, Serialize};

/// A postmortem and what its page shows around it. Everything that is
/// only read comes drawn on the server as HTML (`read`, the Investigate
/// panel), so the browser has no code for it and hydrates only controls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostmortemView {
    /// The record.
    pub postmortem: Postmortem,
    /// Each section's read view as HTML, by the section's anchor
    /// (`summary`, `timeline`); markdown rendered and sanitized.
    pub bodies: Vec<(String, String)>,
    /// "Did it work?" (the earlier occurrences' action items, marked
    /// against this recurrence) and "Similar incidents", as HTML. Loaded
    /// with the record rather than as resources of their own: a nested
    /// resource's empty answer broke hydration of the page.
    pub panels: String,
    /// "Seen before?": what the search matched when an alert opened this
    /// incident, best first.
    pub suggestions: Vec<kb_domain::intake::Suggestion>,
    /// The Investigate panel (the record's findings and the decisions on
    /// them) as HTML drawn on the server (`investigate::panel`).
    pub investigation: String,
    /// For the editor (`record_only`): each markdown field's preview by
    /// field path (`timeline.2.text`), so an edit opens with its previews
    /// drawn instead of asking the server once per field.
    pub previews: Vec<(String, String)>,
}

impl PostmortemView {
    /// The read view of the section at `anchor` (empty if none).
    pub fn body(&self, anchor: &str) -> String {
        self.bodies
            .iter()
            .find(|(a, _)| a == anchor)
            .map(|(_, h)| h.clone())
            .unwrap_or_default()
    }
}

/// One postmortem, or `None` when it does not exist. With `record_only`
/// (the editor, a template) only the record: the panels around it (similar
/// incidents, earlier items, suggestions, Investigate) each cost a search
/// or more and are left empty.
#[server]
pub async fn get_postmortem(
    id: i64,
    record_only: Option<bool>,
) -> Result<Option<PostmortemView>, AppError> {
    let ctx = crate::request::request_context().await?;
    let services = crate::state::services()?;
    let Some(postmortem) = services.get(&ctx, id).await? else {
        return Ok(None);
    };
    if record_only == Some(true) {
        return Ok(Some(PostmortemView {
            bodies: Vec::new(),
            panels: String::new(),
            suggestions: Vec::new(),
            investigation: String::new(),
            previews: markdown_fields(&postmortem)
                .into_iter()
                .map(|(path, text)| (path, kb_markdown::to_html(text)))
                .collect(),
            postmortem,
        }));
    }
    let (similar, report) = services
        .similar_and_investigation(&ctx, &postmortem, 5)
        .await?;
    let earlier = services.earlier_action_items(&ctx, id).await?;
    let suggestions = services.suggestions(&ctx, id).await?;
    let may = crate::access::check(
        &ctx,
        crate::access::Need::Role(kb_domain::accounts::Role::Editor),
    )
    .is_ok();
    let decide = may.then(|| crate::pages::investigate::panel::Decide {
        id,
        version: postmortem.version,
        hypotheses: postmortem
            .parts
            .hypotheses
            .iter()
            .map(|h| h.statement.clone())
            .collect(),
    });
    Ok(Some(PostmortemView {
        bodies: read::bodies(&postmortem, &crate::service::actions::today()),
        panels: read::panels(earlier, similar),
        investigation: crate::pages::investigate::panel::panel_html(report, decide, false),
        suggestions,
        previews: Vec::new(),
        postmortem,
    }))
}

/// Every markdown field of a postmortem with text, by field path.
#[cfg(feature = "ssr")]
fn markdown_fields(i: &Postmortem) -> Vec<(String, &str)> {
    let p = &i.parts;
    let mut out: Vec<(String, &str)> = vec![
        ("summary".into(), &i.summary),
        ("impact".into(), &i.impact),
        ("root_cause".into(), &i.root_cause),
        ("mitigation".into(), &i.mitigation),
        ("narrative".into(), &p.narrative),
    ];
    for (n, e) in p.timeline.iter().enumerate() {
        out.push((format!("timeline.{n}.text"), &e.text));
    }
    for (n, h) in p.hypotheses.iter().enumerate() {
        out.push((format!("hypotheses.{n}.evidence_for"), &h.evidence_for));
        out.push((
            format!("hypotheses.{n}.evidence_against"),
            &h.evidence_against,
        ));
    }
    for (n, c) in p.causes.iter().enumerate() {
        out.push((format!("causes.{n}.evidence"), &c.evidence));
    }
    for (n, m) in p.mitigations.iter().enumerate() {
        out.push((format!("mitigations.{n}.note"), &m.note));
    }
    for (n, l) in p.learnings.iter().enumerate() {
        for (f, t) in [
            ("text", &l.text),
            ("symptoms", &l.symptoms),
            ("root_cause", &l.root_cause),
            ("detection", &l.detection),
            ("resolution", &l.resolution),
        ] {
            out.push((format!("learnings.{n}.{f}"), t));
        }
    }
    out.retain(|(_, t)| !t.trim().is_empty());
    out
}

/// Moves the write-up to `status`, on top of `version`.
#[server]
pub async fn change_status(id: i64, version: i64, status: String) -> Result<Submitted, AppError> {
    let ctx = crate::request::request_context().await?;
    answer(
        crate::state::services()?
            .change_status(&ctx, id, version, &status)
            .await,
    )
}

/// Accepts suggestion `position` as an earlier occurrence (a new revision
/// on top of `version`) or dismisses it.
#[server]
pub async fn decide_suggestion(
    id: i64,
    version: i64,
    position: i64,
    accept: bool,
) -> Result<Submitted, AppError> {
    let ctx = crate::request::request_context().await?;
    answer(
        crate::state::services()?
            .decide_suggestion(&ctx, id, position, accept, version)
            .await,
    )
}

/// A write's result as a form answer: a stale version is a refusal the
/// page explains, not a fault.
#[cfg(feature = "ssr")]
pub(crate) fn answer(result: Result<i64, AppError>) -> Result<Submitted, AppError> {
    match result {
        Ok(v) => Ok(Submitted::Saved(v)),
        Err(AppError::Invalid(e)) => Ok(Submitted::Refused(e)),
        Err(AppError::Conflict(v)) => Ok(Submitted::Refused(kb_domain::ValidationErrors(vec![
            kb_domain::FieldError {
                field: "version".into(),
                message: format!("version {v} was saved meanwhile; reload the page and try again"),
            },
        ]))),
        Err(e) => Err(e),
    }
}

/// The postmortem named by the route's `:id`, loaded as a resource that
/// follows the parameter (the record alone with `record_only`). Shared by
/// the pages of one postmortem.
pub fn postmortem_from_route(
    record_only: bool,
) -> Resource<Result<Option<PostmortemView>, AppError>> {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    Resource::new(
        move || id.get(),
        move |id| async move {
            match id {
                Some(id) => get_postmortem(id, Some(record_only)).await,
                None => Ok(None),
            }
        },
    )
}

/// The postmortem page.
#[component]
pub fn PostmortemPage() -> impl IntoView {
    let postmortem = postmortem_from_route(false);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the postmortem…"</p> }>
            {move || Suspend::new(async move {
                match postmortem.await {
                    Ok(Some(view)) => view! { <Postmortem view reload=move || postmortem.refetch()/> }.into_any(),
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn Postmortem(
    view: PostmortemView,
    reload: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i = view.postmortem.clone();
    let p = i.parts.clone();
    let has_clock = p.started_at.is_some()
        || p.detected_at.is_some()
        || p.mitigated_at.is_some()
        || p.resolved_at.is_some();
    let has_figures =
        p.users_affected.is_some() || p.requests_failed.is_some() || p.money_lost.is_some();
    let ctx = EditContext {
        id: i.id,
        version: i.version,
        input: StoredValue::new(PostmortemInput::from(&i)),
        reload: Callback::new({
            let reload = reload.clone();
            move |_| reload()
        }),
    };
    let section = {
        let view = view.clone();
        move |title: &'static str, anchor: &'static str, show: bool| {
            let body = view.body(anchor);
            view! {
                <Section title anchor empty=!show ctx>
                    <div class="part-body" inner_html=body></div>
                </Section>
            }
            .into_any()
        }
    };
    let editing_header = RwSignal::new(false);
    // Viewers get no controls that would only be refused.
    let may = crate::can_write().0;
    let editing_access = RwSignal::new(false);
    let access = p.access.clone();
    // A decision the panel's form posted and the server refused.
    let refused = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("finding"))
        .and_then(|code| crate::pages::investigate::refusal_note(&code));

    view! {
        <Title text=i.title.clone()/>
        <article class="postmortem">
            <header>
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
                {may.then(|| view! {
                    <button type="button" class="link" on:click=move |_| editing_header.set(true)
                        hidden=move || editing_header.get()>"Edit header"</button>
                })}
                <p class="meta">
                    <SeverityBadge severity=i.severity/>
                    <span class=format!("badge status status-{}", p.writeup_status().as_str())>{p.writeup_status().label()}</span>
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
                {may.then(|| view! {
                    <button type="button" class="link" on:click=move |_| editing_access.set(true)
                        hidden=move || editing_access.get()>"Who can see it"</button>
                })}
                {move || editing_access.get().then(|| view! {
                    <InPlaceEditor anchor="access" title="who can see it" ctx editing=editing_access/>
                })}
                {i.published_by.clone().map(|who| view! {
                    <p class="published">{format!("Published by {who} on {}", i.published_at.clone().unwrap_or_default())}</p>
                })}
                <StatusButtons id=i.id version=i.version status=p.writeup_status() reload=reload.clone()/>
                <ServiceTags services=i.services.clone()/>
                <dl class="people">
                    {(!p.teams.is_empty()).then(|| view! { <dt>"Teams"</dt><dd>{p.teams.join(", ")}</dd> })}
                    {(!i.labels.is_empty()).then(|| view! { <dt>"Tags"</dt><dd class="labels">{i.labels.join(", ")}</dd> })}
                    {(!p.authors.is_empty()).then(|| view! { <dt>"Authors"</dt><dd>{p.authors.join(", ")}</dd> })}
                </dl>
                {move || editing_header.get().then(|| view! {
                    <InPlaceEditor anchor="header" title="header" ctx editing=editing_header/>
                })}
            </header>
            <SeenBefore id=i.id version=i.version suggestions=view.suggestions.clone() reload=reload.clone()/>
            {section("Clock", "clock", has_clock)}
            {section("Summary", "summary", !i.summary.trim().is_empty())}
            {section("Impact", "impact", has_figures || !i.impact.trim().is_empty())}
            {section("Narrative", "narrative", !p.narrative.trim().is_empty())}
            {section("Timeline", "timeline", !p.timeline.is_empty())}
            {section("Evidence", "evidence", !p.evidence.is_empty())}
            {section("Hypotheses", "hypotheses", !p.hypotheses.is_empty())}
            {section("Why-chain", "whys", !p.whys.is_empty())}
            {section("Root causes", "causes", !p.causes.is_empty() || !i.root_cause.trim().is_empty())}
            {section("Resolution", "mitigations", !p.mitigations.is_empty() || !i.mitigation.trim().is_empty())}
            {section("Learnings", "learnings", !p.learnings.is_empty())}
            {section("Action items", "action_items", !p.action_items.is_empty())}
            {section("Related incidents", "links", !i.related.is_empty())}
            <footer class="meta">
                {format!("Created {} · updated {} · version {}", i.created_at, i.updated_at, i.version)}
            </footer>
        </article>
        {refused.map(|note| view! { <p class="error investigate-refused" role="alert">{note}</p> })}
        <div inner_html=view.investigation.clone()></div>
        <div inner_html=view.panels.clone()></div>
        <History id=i.id current=i.version reload/>
    }
}
