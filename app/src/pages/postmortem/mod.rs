//! `/incidents/:id`: one postmortem, every part of it, its markdown
//! rendered and sanitized on the server; its write-up status workflow and
//! its history (what each revision changed, restore).
//!
//! The page is drawn on the server: the browser receives each part as
//! HTML and hydrates only what acts in place (a section's editor, the
//! header's, the history's "Show changes"). The status moves, "Seen
//! before?" decisions, findings and restores are plain forms whose post
//! redirects back here, so they work without JavaScript and cost the
//! page no code.

mod editing;
#[cfg(feature = "ssr")]
mod header;
mod history;
#[cfg(feature = "ssr")]
mod panels;
#[cfg(feature = "ssr")]
mod read;

pub use history::{restore_revision, revision_changes, RestoreRevision, RevisionChanges};

use crate::error::AppError;
use crate::pages::{ErrorNote, NotFound, Submitted};
use editing::{EditContext, InPlaceEditor, Section};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

/// The parts of a postmortem, in the order its page shows them: title and
/// anchor (`#part-clock`, and the editor's name for the section).
pub(crate) const PARTS: [(&str, &str); 13] = [
    ("Clock", "clock"),
    ("Summary", "summary"),
    ("Impact", "impact"),
    ("Narrative", "narrative"),
    ("Timeline", "timeline"),
    ("Evidence", "evidence"),
    ("Hypotheses", "hypotheses"),
    ("Why-chain", "whys"),
    ("Root causes", "causes"),
    ("Resolution", "mitigations"),
    ("Learnings", "learnings"),
    ("Action items", "action_items"),
    ("Related incidents", "links"),
];

/// A postmortem's page as the server drew it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrawnPage {
    /// Hindsight's id.
    pub id: i64,
    /// The version shown; an edit in place starts from it.
    pub version: i64,
    /// The title, for the document's title.
    pub title: String,
    /// The header (title, links, meta, status moves, people) as HTML.
    pub header: String,
    /// "Seen before?" (what the alert that opened it matched) as HTML,
    /// empty when there is nothing to show.
    pub seen_before: String,
    /// Each of [`PARTS`], in order.
    pub parts: Vec<Part>,
    /// Created, updated, version.
    pub footer: String,
    /// Everything under the record as HTML: the Investigate panel, "did
    /// it work?", similar incidents, the history.
    pub after: String,
}

/// One part of a postmortem's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    /// Nothing written in it yet (the page shows only its heading).
    pub empty: bool,
    /// Its read view as HTML, markdown rendered and sanitized.
    pub html: String,
}

/// The page of postmortem `id`, or `None` when it does not exist (or the
/// reader may not see it).
#[server]
pub async fn get_postmortem_page(id: i64) -> Result<Option<DrawnPage>, AppError> {
    let ctx = crate::request::request_context().await?;
    let services = crate::state::services()?;
    let Some(postmortem) = services.get(&ctx, id).await? else {
        return Ok(None);
    };
    let (similar, report) = services
        .similar_and_investigation(&ctx, &postmortem, 5)
        .await?;
    let earlier = services.earlier_action_items(&ctx, id).await?;
    let suggestions = services.suggestions(&ctx, id).await?;
    let revisions = services.revisions(&ctx, id).await?;
    let may = crate::access::check(
        &ctx,
        crate::access::Need::Role(kb_domain::accounts::Role::Editor),
    )
    .is_ok();
    let i = &postmortem;
    let decide = may.then(|| crate::pages::investigate::panel::Decide {
        id,
        version: i.version,
        hypotheses: i
            .parts
            .hypotheses
            .iter()
            .map(|h| h.statement.clone())
            .collect(),
    });
    let after = [
        crate::pages::investigate::panel::panel_html(report, decide, false),
        read::panels(earlier, similar),
        history::history(id, i.version, revisions, may),
    ]
    .concat();
    Ok(Some(DrawnPage {
        id,
        version: i.version,
        title: i.title.clone(),
        header: header::header(i, may),
        seen_before: panels::seen_before(id, i.version, suggestions, may),
        parts: read::parts(i, &crate::service::actions::today()),
        footer: format!(
            "Created {} · updated {} · version {}",
            i.created_at, i.updated_at, i.version
        ),
        after,
    }))
}

/// Moves the write-up to `status`, on top of `version`. A plain form
/// post is sent back to the page.
#[server]
pub async fn change_status(id: i64, version: i64, status: String) -> Result<Submitted, AppError> {
    let ctx = crate::request::request_context().await?;
    let answer = answer(
        crate::state::services()?
            .change_status(&ctx, id, version, &status)
            .await,
    );
    back_to_page(id, &answer, "status", "");
    answer
}

/// Accepts suggestion `position` as an earlier occurrence (a new revision
/// on top of `version`) or dismisses it. A plain form post is sent back
/// to the page.
#[server]
pub async fn decide_suggestion(
    id: i64,
    version: i64,
    position: i64,
    accept: bool,
) -> Result<Submitted, AppError> {
    let ctx = crate::request::request_context().await?;
    let answer = answer(
        crate::state::services()?
            .decide_suggestion(&ctx, id, position, accept, version)
            .await,
    );
    back_to_page(id, &answer, "suggestion", "seen-before");
    answer
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

/// Sends a plain form post (one made without JavaScript, asking for
/// HTML) back to postmortem `id`'s page: to `#anchor` when `answer` saved,
/// else to the note that says why not (`?refused=stale`, or `what` was
/// refused). A call from the page's code gets the answer itself.
#[cfg(feature = "ssr")]
pub(crate) fn back_to_page(
    id: i64,
    answer: &Result<Submitted, AppError>,
    what: &str,
    anchor: &str,
) {
    if !crate::request::is_plain_form_post() {
        return;
    }
    let code = match answer {
        Ok(Submitted::Saved(_)) => {
            let anchor = if anchor.is_empty() {
                String::new()
            } else {
                format!("#{anchor}")
            };
            return leptos_axum::redirect(&format!("/incidents/{id}{anchor}"));
        }
        Ok(Submitted::Refused(e)) if e.for_field("version").is_some() => "stale",
        Err(AppError::Unauthorized(_)) => "signed-out",
        Err(AppError::Forbidden(_)) => "forbidden",
        _ => what,
    };
    leptos_axum::redirect(&format!("/incidents/{id}?refused={code}#refused"));
}

/// Why a form posted from the page was not saved, from the code
/// [`back_to_page`] put in the address.
pub fn refusal_note(code: &str) -> Option<&'static str> {
    Some(match code {
        "stale" => "Not saved: this postmortem changed since the page was loaded. Here it is as it is now; try again.",
        "signed-out" => "Not saved: you are signed out. Sign in and try again.",
        "forbidden" => "Not saved: your role may read this postmortem but not change it.",
        "finding" => "Not saved: that finding is no longer shown, or where it should go was not chosen.",
        "status" => "Not saved: the write-up status could not be changed to that.",
        "suggestion" => "Not saved: that suggestion is no longer open.",
        "restore" => "Not restored: that revision could not be saved again as it was. Copy what you need from it in the editor.",
        _ => return None,
    })
}

/// What `load` answers for the postmortem the route names
/// (`/incidents/:id`), as a resource that follows the route; `None` when
/// the id is not a number. Shared by the pages of one postmortem.
pub fn by_route_id<T, Fut>(
    load: impl Fn(i64) -> Fut + Send + Sync + 'static,
) -> Resource<Result<Option<T>, AppError>>
where
    T: Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<Option<T>, AppError>> + Send + 'static,
{
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    let load = std::sync::Arc::new(load);
    Resource::new(
        move || id.get(),
        move |id| {
            let load = load.clone();
            async move {
                match id {
                    Some(id) => load(id).await,
                    None => Ok(None),
                }
            }
        },
    )
}

/// The postmortem page.
#[component]
pub fn PostmortemPage() -> impl IntoView {
    let page = by_route_id(get_postmortem_page);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the postmortem…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(Some(drawn)) => view! { <Article drawn reload=move || page.refetch()/> }.into_any(),
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn Article(drawn: DrawnPage, reload: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let id = drawn.id;
    let ctx = EditContext {
        id,
        version: drawn.version,
        reload: Callback::new(move |_| reload()),
    };
    // Viewers get no controls that would only be refused.
    let may = crate::can_write().0;
    // A form posted from this page that the server refused.
    let refused = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("refused"))
        .and_then(|code| refusal_note(&code));
    view! {
        <Title text=drawn.title/>
        {refused.map(|note| view! { <p id="refused" class="error" role="alert">{note}</p> })}
        <article class="postmortem">
            <header>
                <div inner_html=drawn.header></div>
                {may.then(|| view! { <HeaderEditors ctx/> })}
            </header>
            <div inner_html=drawn.seen_before></div>
            {PARTS.iter().zip(drawn.parts).map(|(&(title, anchor), part)| view! {
                <Section title anchor empty=part.empty ctx html=part.html/>
            }).collect_view()}
            <footer class="meta">{drawn.footer}</footer>
        </article>
        <div on:click=move |ev| history::toggle_changes(&ev, id) inner_html=drawn.after></div>
    }
}

/// "Edit header" and "Who can see it", each opening its editor in place.
#[component]
fn HeaderEditors(ctx: EditContext) -> impl IntoView {
    let header = RwSignal::new(false);
    let access = RwSignal::new(false);
    view! {
        <div class="header-edits">
            <button type="button" class="link" on:click=move |_| header.set(true)
                hidden=move || header.get()>"Edit header"</button>
            <button type="button" class="link" on:click=move |_| access.set(true)
                hidden=move || access.get()>"Who can see it"</button>
        </div>
        {move || access.get().then(|| view! {
            <InPlaceEditor anchor="access" ctx editing=access/>
        })}
        {move || header.get().then(|| view! {
            <InPlaceEditor anchor="header" ctx editing=header/>
        })}
    }
}
