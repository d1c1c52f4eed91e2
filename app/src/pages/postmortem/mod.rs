//! `/incidents/:id`: one postmortem, every part of it, its markdown
//! rendered and sanitized on the server; its write-up status workflow and
//! its history (what each revision changed, restore).

mod editing;
mod history;
mod panels;
mod read;

pub use history::{
    list_revisions, restore_revision, revision_changes, ListRevisions, RestoreRevision,
    RevisionChanges,
};

use crate::components::{ServiceTags, SeverityBadge};
use crate::error::AppError;
use crate::pages::investigate::{Decide, Findings};
use crate::pages::{label, ErrorNote, NotFound, Submitted};
use editing::{EditContext, InPlaceEditor, Section, StatusButtons};
use history::History;
use kb_domain::record::{format_minutes, EvidenceKind};
use kb_domain::{Postmortem, PostmortemInput};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use panels::{EarlierItemsView, SeenBefore, Similar};
use serde::{Deserialize, Serialize};

/// A postmortem with its markdown fields rendered to sanitized HTML.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostmortemView {
    /// The record.
    pub postmortem: Postmortem,
    /// Sanitized HTML by field path (`summary`, `learnings.0.symptoms`).
    pub html: Vec<(String, String)>,
    /// The postmortems most like this one. Loaded with it rather than as a
    /// resource of its own: a nested resource's empty answer broke
    /// hydration of the page.
    pub similar: Vec<kb_domain::SearchHit>,
    /// The action items of the earlier occurrences this postmortem links
    /// to, marked against when this one started ("did it work?"). Loaded
    /// with it for the same reason as `similar`.
    pub earlier: Vec<kb_domain::actions::EarlierItems>,
    /// "Seen before?": what the search matched when an alert opened this
    /// incident, best first.
    pub suggestions: Vec<kb_domain::intake::Suggestion>,
    /// The day overdue items are counted from (`YYYY-MM-DD`, UTC), decided
    /// on the server so the rendered and the hydrated page agree.
    pub today: String,
    /// The Investigate panel: the record's findings and the decisions on
    /// them. Loaded with it for the same reason as `similar`.
    pub investigation: kb_investigate::Report,
}

impl PostmortemView {
    /// The rendered HTML of the markdown field at `path` (empty if blank).
    pub fn html(&self, path: &str) -> String {
        self.html
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, h)| h.clone())
            .unwrap_or_default()
    }
}

/// Every markdown field of a postmortem, by path.
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
            html: Vec::new(),
            similar: Vec::new(),
            earlier: Vec::new(),
            suggestions: Vec::new(),
            investigation: kb_investigate::Report::default(),
            today: crate::service::actions::today(),
            postmortem,
        }));
    }
    let similar = services
        .similar(&ctx, &PostmortemInput::from(&postmortem), Some(id), 5)
        .await?;
    let earlier = services.earlier_action_items(&ctx, id).await?;
    let suggestions = services.suggestions(&ctx, id).await?;
    let investigation = services.investigation_of(&ctx, &postmortem).await?;
    Ok(Some(PostmortemView {
        investigation,
        html: markdown_fields(&postmortem)
            .into_iter()
            .map(|(p, t)| (p, kb_markdown::to_html(t)))
            .collect(),
        similar,
        earlier,
        suggestions,
        today: crate::service::actions::today(),
        postmortem,
    }))
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

/// Rendered markdown; only kb-markdown's sanitized output is injected.
#[component]
fn Md(html: String) -> impl IntoView {
    (!html.is_empty()).then(|| view! { <div class="markdown" inner_html=html></div> })
}

#[component]
fn Postmortem(
    view: PostmortemView,
    reload: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let v = view.clone();
    let i = view.postmortem.clone();
    let p = i.parts.clone();
    let h = {
        let v = v.clone();
        move |path: &str| v.html(path)
    };
    let d = p.durations();
    let dur = |m: Option<i64>| m.map(format_minutes).unwrap_or_else(|| "—".into());
    let today = view.today.clone();
    let has_clock = p.started_at.is_some()
        || p.detected_at.is_some()
        || p.mitigated_at.is_some()
        || p.resolved_at.is_some();
    let figures = [
        ("Users affected", p.users_affected.map(|n| n.to_string())),
        (
            "Requests or orders failed",
            p.requests_failed.map(|n| n.to_string()),
        ),
        (
            "Money lost",
            p.money_lost.map(|n| {
                format!("{n} {}", p.currency.clone().unwrap_or_default())
                    .trim()
                    .to_string()
            }),
        ),
    ];
    let has_figures = figures.iter().any(|(_, v)| v.is_some());
    let ctx = EditContext {
        id: i.id,
        version: i.version,
        input: StoredValue::new(PostmortemInput::from(&i)),
        reload: Callback::new({
            let reload = reload.clone();
            move |_| reload()
        }),
    };
    let section = move |title: &'static str, anchor: &'static str, show: bool, body: AnyView| {
        view! { <Section title anchor empty=!show ctx>{body}</Section> }.into_any()
    };
    let editing_header = RwSignal::new(false);
    // Viewers get no controls that would only be refused.
    let may = crate::can_write().0;
    let editing_access = RwSignal::new(false);
    let access = p.access.clone();

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
            {section("Clock", "clock", has_clock, view! {
                <dl class="clock">
                    <dt>"Started"</dt><dd>{p.started_at.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>"Detected"</dt><dd>{p.detected_at.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>"Mitigated"</dt><dd>{p.mitigated_at.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>"Resolved"</dt><dd>{p.resolved_at.clone().unwrap_or_else(|| "—".into())}</dd>
                </dl>
                <p class="durations">{format!("Time to detect {} · to mitigate {} · to resolve {}", dur(d.to_detect), dur(d.to_mitigate), dur(d.to_resolve))}</p>
            }.into_any())}
            {section("Summary", "summary", !i.summary.trim().is_empty(), view! { <Md html=h("summary")/> }.into_any())}
            {section("Impact", "impact", has_figures || !i.impact.trim().is_empty(), view! {
                <dl class="figures">
                    {figures.into_iter().filter_map(|(k, v)| v.map(|v| view! { <dt>{k}</dt><dd>{v}</dd> })).collect_view()}
                </dl>
                <Md html=h("impact")/>
            }.into_any())}
            {section("Narrative", "narrative", !p.narrative.trim().is_empty(), view! { <Md html=h("narrative")/> }.into_any())}
            {section("Timeline", "timeline", !p.timeline.is_empty(), read::timeline(&i, &v))}
            {section("Evidence", "evidence", !p.evidence.is_empty(), view! {
                {p.evidence.iter().map(|e| view! {
                    <figure class="evidence">
                        <figcaption>{format!("{} · {}", label(EvidenceKind::parse, EvidenceKind::label, &e.kind), e.caption)}</figcaption>
                        <pre>{e.body.clone()}</pre>
                    </figure>
                }).collect_view()}
            }.into_any())}
            {section("Hypotheses", "hypotheses", !p.hypotheses.is_empty(), read::hypotheses(&i, &v))}
            {section("Why-chain", "whys", !p.whys.is_empty(), view! {
                <ol class="whys">
                    {p.whys.iter().map(|w| view! {
                        <li class:actionable=w.actionable>
                            <p class="question">{w.question.clone()}</p>
                            <p class="answer">{w.answer.clone()}</p>
                            {w.actionable.then(|| view! { <span class="badge">"Actionable"</span> })}
                        </li>
                    }).collect_view()}
                </ol>
            }.into_any())}
            {section("Root causes", "causes", !p.causes.is_empty() || !i.root_cause.trim().is_empty(), read::causes(&i, &v))}
            {section("Resolution", "mitigations", !p.mitigations.is_empty() || !i.mitigation.trim().is_empty(), read::mitigations(&i, &v))}
            {section("Learnings", "learnings", !p.learnings.is_empty(), read::learnings(&i, &v))}
            {section("Action items", "action_items", !p.action_items.is_empty(), read::action_items(&i, &today))}
            {section("Related incidents", "links", !i.related.is_empty(), read::related(&i))}
            <footer class="meta">
                {format!("Created {} · updated {} · version {}", i.created_at, i.updated_at, i.version)}
            </footer>
        </article>
        <Findings report=view.investigation.clone() start=None decide=Some(Decide {
            id: i.id,
            version: i.version,
            hypotheses: p.hypotheses.iter().map(|h| h.statement.clone()).collect(),
            reload: Callback::new({
                let reload = reload.clone();
                move |_| reload()
            }),
        })/>
        <EarlierItemsView earlier=view.earlier.clone()/>
        <Similar hits=view.similar.clone()/>
        <History id=i.id current=i.version reload/>
    }
}
