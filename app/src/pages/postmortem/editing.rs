//! Editing a postmortem in place: each section's read view (HTML drawn
//! on the server) with its editor beside it. The section's form is drawn
//! by the server, on the record as it is then, when it is opened; its
//! save sends that section's fields with the version it started from, so
//! a stale save is refused as in the full editor.

use crate::pages::editor::{draw_editor, SectionForm};
use leptos::lazy;
use leptos::prelude::*;

/// What editing a section in place needs to know about the postmortem.
#[derive(Clone, Copy)]
pub(super) struct EditContext {
    pub(super) id: i64,
    /// The version the page shows.
    pub(super) version: i64,
    /// Loads the postmortem again after a save.
    pub(super) reload: Callback<()>,
}

/// One part of the postmortem: its read view (`html`, drawn on the
/// server), and its editor in place on "Edit". An empty part shows only
/// its heading, ready to be written.
#[component]
pub(super) fn Section(
    title: &'static str,
    anchor: &'static str,
    empty: bool,
    ctx: EditContext,
    html: String,
) -> impl IntoView {
    let editing = RwSignal::new(false);
    view! {
        <section class="part" class:empty-part=empty id=format!("part-{anchor}") aria-label=title>
            <div hidden=move || editing.get()>
                <h2>
                    {title}
                    {crate::can_write().0.then(|| view! {
                        // The name is what the button shows, and then what
                        // it opens, for a screen reader's list of buttons.
                        <button type="button" class="link section-edit"
                            on:click=move |_| editing.set(true)>
                            {if empty { "Write" } else { "Edit" }}
                            <span class="visually-hidden">{format!(" {title}")}</span>
                        </button>
                    })}
                </h2>
                <div class="part-body" inner_html=html></div>
            </div>
            {move || editing.get().then(|| view! { <InPlaceEditor anchor ctx editing/> })}
        </section>
    }
    .into_any()
}

/// The editor of one section, on the postmortem page, fetched the first
/// time one is opened: the editor's code is a wasm chunk of its own
/// (`--split`), so reading a postmortem never downloads it.
#[component]
pub(super) fn InPlaceEditor(
    anchor: &'static str,
    ctx: EditContext,
    editing: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Opening the editor…"</p> }>
            {Suspend::new(async move { section_editor(anchor, ctx, editing).await })}
        </Suspense>
    }
}

/// Draws the section's form on the record as it is now. When someone
/// saved since the page was drawn, it says the form shows their version.
#[lazy]
async fn section_editor(
    anchor: &'static str,
    ctx: EditContext,
    editing: RwSignal<bool>,
) -> AnyView {
    match draw_editor(Some(ctx.id), Some(anchor.to_string()), None, None).await {
        Ok(Some(drawn)) => {
            let newer = (drawn.version != ctx.version).then(|| {
                view! {
                    <p class="hint" role="status">{format!(
                        "Saved again since this page was loaded (version {}): the editor shows it as it is now; the page shows it after your save.",
                        drawn.version
                    )}</p>
                }
            });
            let saved = Callback::new(move |_| {
                editing.set(false);
                ctx.reload.run(());
            });
            let cancel = Callback::new(move |_| editing.set(false));
            view! { {newer} <SectionForm drawn saved cancel/> }.into_any()
        }
        Ok(None) => view! { <p class="error" role="alert">"This postmortem no longer exists."</p> }
            .into_any(),
        Err(error) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
    }
}
