//! The history of a postmortem on its page: every saved revision, what
//! each changed (long texts as a line diff) and restoring one as a new
//! revision. The list is drawn on the server, restore is a plain form; a
//! revision's changes are fetched as HTML when first shown.

use crate::error::AppError;
use crate::pages::Submitted;
use leptos::prelude::*;

/// What revision `version` of postmortem `id` changed, as HTML.
#[server]
pub async fn revision_changes(id: i64, version: i64) -> Result<String, AppError> {
    let ctx = crate::request::request_context().await?;
    let changes = crate::state::services()?
        .revision_changes(&ctx, id, version)
        .await?;
    Ok(drawn::changes(changes))
}

/// Restores revision `version` as a new revision, on top of `current`.
/// A plain form post is sent back to the page's history.
#[server]
pub async fn restore_revision(id: i64, version: i64, current: i64) -> Result<Submitted, AppError> {
    let ctx = crate::request::request_context().await?;
    let answer = super::answer(
        crate::state::services()?
            .restore(&ctx, id, version, current)
            .await,
    );
    super::back_to_page(id, &answer, "restore", "history");
    answer
}

#[cfg(feature = "ssr")]
pub(super) use drawn::history;

#[cfg(feature = "ssr")]
mod drawn {
    use super::RestoreRevision;
    use crate::diff::{FieldChange, LineOp};
    use kb_domain::Revision;
    use leptos::prelude::*;
    use leptos::server_fn::ServerFn;
    use leptos::tachys::view::RenderHtml;

    /// The revisions of postmortem `id`, whose current version is
    /// `current`, newest first; `may` (an editor) can restore one.
    pub(in crate::pages::postmortem) fn history(
        id: i64,
        current: i64,
        revisions: Vec<Revision>,
        may: bool,
    ) -> String {
        view! {
            <section class="history" id="history" aria-label="History">
                <h2>"History"</h2>
                <ol class="revisions">
                    {revisions.into_iter().map(|r| {
                        let version = r.version;
                        view! {
                            <li data-version=version>
                                <span class="revision">{format!("Version {} · {} · {}", r.version, r.author, r.created_at)}</span>
                                " "
                                <button type="button" class="link" id=format!("show-changes-{version}") data-changes=version
                                    aria-expanded="false" aria-controls=format!("changes-{version}")>"Show changes"</button>
                                {(version != current && may).then(|| view! {
                                    " "
                                    <form class="inline" method="post" action=RestoreRevision::PATH>
                                        <input type="hidden" name="id" value=id/>
                                        <input type="hidden" name="version" value=version/>
                                        <input type="hidden" name="current" value=current/>
                                        <button class="link">{format!("Restore version {version}")}</button>
                                    </form>
                                })}
                                <div id=format!("changes-{version}") hidden></div>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </section>
        }
        .to_html()
    }

    /// Field changes, long texts as a line diff.
    pub(super) fn changes(list: Vec<FieldChange>) -> String {
        if list.is_empty() {
            return view! { <p class="hint">"No changes to the content."</p> }.to_html();
        }
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
                                view! { <del>{c.before}</del>" → "<ins>{c.after}</ins> }.into_any()
                            }}
                        </dd>
                    }
                }).collect_view()}
            </dl>
        }
        .to_html()
    }
}

/// Shows or hides the changes of the revision whose "Show changes" button
/// `ev` clicked in the server-drawn history of postmortem `id`, fetching
/// them the first time.
pub(super) fn toggle_changes(ev: &leptos::ev::MouseEvent, id: i64) {
    if let Some(version) = crate::pages::acted_on(ev, "button[data-changes]", &["data-changes"])
        .and_then(|v| v.first()?.parse::<i64>().ok())
    {
        crate::pages::toggle_fetched(
            &format!("show-changes-{version}"),
            ("Show changes", "Hide changes"),
            move || revision_changes(id, version),
        );
    }
}
