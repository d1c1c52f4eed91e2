//! The history of a postmortem on its page: every saved revision, what
//! each changed (long texts as a line diff) and restoring one as a new
//! revision.

#[cfg(feature = "ssr")]
use super::answer;
use crate::diff::{FieldChange, LineOp};
use crate::error::AppError;
use crate::pages::{ErrorNote, Submitted};
use kb_domain::Revision;
use leptos::prelude::*;

/// The saved revisions of postmortem `id`, newest first.
#[server]
pub async fn list_revisions(id: i64) -> Result<Vec<Revision>, AppError> {
    let ctx = crate::request::request_context().await?;
    crate::state::services()?.revisions(&ctx, id).await
}

/// What revision `version` of postmortem `id` changed.
#[server]
pub async fn revision_changes(id: i64, version: i64) -> Result<Vec<FieldChange>, AppError> {
    let ctx = crate::request::request_context().await?;
    crate::state::services()?
        .revision_changes(&ctx, id, version)
        .await
}

/// Restores revision `version` as a new revision, on top of `current`.
#[server]
pub async fn restore_revision(id: i64, version: i64, current: i64) -> Result<Submitted, AppError> {
    let ctx = crate::request::request_context().await?;
    answer(
        crate::state::services()?
            .restore(&ctx, id, version, current)
            .await,
    )
}

/// The revisions of postmortem `id`, whose current version is `current`;
/// `reload` reloads the page after a restore.
#[component]
pub(super) fn History(
    id: i64,
    current: i64,
    reload: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let revisions = Resource::new(move || (id, current), |(id, _)| list_revisions(id));
    let restore = ServerAction::<RestoreRevision>::new();
    Effect::new(move |_| {
        if let Some(Ok(Submitted::Saved(_))) = restore.value().get() {
            reload();
        }
    });
    view! {
        <section class="history" aria-label="History">
            <h2>"History"</h2>
            <p class="error" role="alert">{move || match restore.value().get() {
                Some(Ok(Submitted::Refused(e))) => Some(e.to_string()),
                Some(Err(e)) => Some(e.to_string()),
                _ => None,
            }}</p>
            <Suspense fallback=|| view! { <p class="loading">"Loading the history…"</p> }>
                {move || Suspend::new(async move {
                    match revisions.await {
                        Ok(list) => view! {
                            <ol class="revisions">
                                {list
                                    .into_iter()
                                    .map(|r| view! { <RevisionRow id current r restore/> })
                                    .collect_view()}
                            </ol>
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}

#[component]
fn RevisionRow(
    id: i64,
    current: i64,
    r: Revision,
    restore: ServerAction<RestoreRevision>,
) -> impl IntoView {
    let version = r.version;
    let open = RwSignal::new(false);
    let changes = Resource::new(
        move || open.get(),
        move |open| async move {
            if open {
                revision_changes(id, version).await.map(Some)
            } else {
                Ok(None)
            }
        },
    );
    view! {
        <li data-version=version>
            <span class="revision">{format!("Version {} · {} · {}", r.version, r.author, r.created_at)}</span>
            <button type="button" class="link" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>
                {move || if open.get() { "Hide changes" } else { "Show changes" }}
            </button>
            {(version != current && crate::can_write().0).then(|| view! {
                <button type="button" class="link"
                    on:click=move |_| { restore.dispatch(RestoreRevision { id, version, current }); }>
                    {format!("Restore version {version}")}
                </button>
            })}
            <Suspense>
                {move || Suspend::new(async move {
                    match changes.await {
                        Ok(Some(list)) if list.is_empty() => view! { <p class="hint">"No changes to the content."</p> }.into_any(),
                        Ok(Some(list)) => view! { <Changes list/> }.into_any(),
                        Ok(None) => ().into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Suspense>
        </li>
    }
    .into_any()
}

/// Field changes, long texts as a line diff.
#[component]
fn Changes(list: Vec<FieldChange>) -> impl IntoView {
    view! {
        <dl class="changes" aria-label="Changes">
            {list.into_iter().map(|c| {
                let multiline = c.before.contains('\n') || c.after.contains('\n');
                view! {
                    <dt>{c.label}</dt>
                    <dd>
                        {if multiline {
                            view! {
                                <pre class="line-diff">
                                    {crate::diff::lines(&c.before, &c.after).into_iter().map(|(op, line)| {
                                        let (class, mark) = match op {
                                            LineOp::Same => ("same", "  "),
                                            LineOp::Removed => ("removed", "- "),
                                            LineOp::Added => ("added", "+ "),
                                        };
                                        view! { <span class=class>{format!("{mark}{line}\n")}</span> }
                                    }).collect_view()}
                                </pre>
                            }.into_any()
                        } else {
                            view! {
                                <del>{c.before}</del>" → "<ins>{c.after}</ins>
                            }.into_any()
                        }}
                    </dd>
                }
            }).collect_view()}
        </dl>
    }
}
