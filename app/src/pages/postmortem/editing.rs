//! Editing a postmortem in place: each section's read view (HTML drawn
//! on the server) with its editor beside it. The editor's code and the
//! record it edits are both fetched when a section is first opened; a
//! section's save sends the whole record with the version it started
//! from, as the full editor does.

use crate::pages::editor::sections;
use crate::pages::editor::{Conflict, Errors, SavePostmortem};
use crate::pages::Submitted;
use kb_domain::PostmortemInput;
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
            {move || editing.get().then(|| view! { <InPlaceEditor anchor title ctx editing/> })}
        </section>
    }
    .into_any()
}

/// The editor of one section, on the postmortem page, fetched the first
/// time one is opened: the editor's forms and the record's types are a
/// wasm chunk of their own (`--split`), so reading a postmortem never
/// downloads them.
#[component]
pub(super) fn InPlaceEditor(
    anchor: &'static str,
    title: &'static str,
    ctx: EditContext,
    editing: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Opening the editor…"</p> }>
            {Suspend::new(async move { section_editor(anchor, title, ctx, editing).await })}
        </Suspense>
    }
}

/// Loads the record as it is now and opens the section's editor on it.
#[lazy]
async fn section_editor(
    anchor: &'static str,
    title: &'static str,
    ctx: EditContext,
    editing: RwSignal<bool>,
) -> AnyView {
    match super::get_postmortem(ctx.id).await {
        Ok(Some(record)) => {
            let (version, previews) = (record.version, record.previews);
            let input = PostmortemInput::from(record.input);
            view! { <SectionEditor anchor title ctx editing input version previews/> }.into_any()
        }
        Ok(None) => view! { <p class="error" role="alert">"This postmortem no longer exists."</p> }
            .into_any(),
        Err(error) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
    }
}

/// The editor of one section, on `input` as stored at `version`. Saves
/// the whole record (this section changed) on top of that version, so a
/// stale save is refused like any other. When someone saved since the
/// page was drawn, the editor says it shows their version.
#[component]
fn SectionEditor(
    anchor: &'static str,
    title: &'static str,
    ctx: EditContext,
    editing: RwSignal<bool>,
    input: PostmortemInput,
    version: i64,
    previews: Vec<(String, String)>,
) -> impl IntoView {
    provide_context(crate::pages::editor::Previews(previews));
    let draft = RwSignal::new(input);
    draft.update(|d| crate::pages::editor::templates::ensure_row(d, anchor));
    let saved = RwSignal::new(draft.get_untracked());
    let base_version = RwSignal::new(version);
    let newer = (version != ctx.version).then(|| {
        view! {
            <p class="hint" role="status">{format!(
                "Saved again since this page was loaded (version {version}): the editor shows it as it is now; the page shows it after your save."
            )}</p>
        }
    });
    let save = ServerAction::<SavePostmortem>::new();
    let errors = Errors::of(save);
    let dirty = Memo::new(move |_| draft.with(|d| saved.with(|s| d != s)));
    crate::pages::editor::warn_before_leaving(dirty);
    Effect::new(move |_| {
        if let Some(Ok(Submitted::Saved(_))) = save.value().get() {
            saved.set(draft.get_untracked());
            editing.set(false);
            ctx.reload.run(());
        }
    });
    let conflict = move || matches!(save.value().get(), Some(Ok(Submitted::Stale(_))));
    view! {
        <div class="in-place">
            {newer}
            {move || conflict().then(|| view! { <Conflict id=ctx.id draft saved base_version/> })}
            {sections::one(anchor, draft, errors)}
            <div class="actions">
                <button type="button" disabled=move || save.pending().get() on:click=move |_| {
                    draft.update(crate::pages::editor::templates::prune);
                    save.dispatch(SavePostmortem {
                        id: Some(ctx.id),
                        version: base_version.get_untracked(),
                        input: draft.get_untracked().into(),
                    });
                }>{format!("Save {title}")}</button>
                <button type="button" class="secondary" on:click=move |_| editing.set(false)>"Cancel"</button>
                <p class="error" role="alert">
                    {move || (errors.count() > 0).then(|| format!("Not saved: {}", errors.describe()))}
                    {move || match save.value().get() {
                        Some(Err(e)) => Some(e.to_string()),
                        _ => None,
                    }}
                </p>
            </div>
        </div>
    }
    .into_any()
}
