//! Editing a postmortem in place: each section's read view with its editor
//! beside it, and the write-up status buttons. A section's save sends the
//! whole record with the version it started from, as the full editor does.

use super::ChangeStatus;
use crate::pages::editor::sections;
use crate::pages::editor::{ConflictPanel, Errors, SavePostmortem};
use crate::pages::Submitted;
use kb_domain::record::WriteupStatus;
use kb_domain::PostmortemInput;
use leptos::lazy;
use leptos::prelude::*;

/// What editing a section in place needs to know about the postmortem.
#[derive(Clone, Copy)]
pub(super) struct EditContext {
    pub(super) id: i64,
    pub(super) version: i64,
    /// The record as loaded; a section's edit changes a copy of it.
    pub(super) input: StoredValue<PostmortemInput>,
    /// Loads the postmortem again after a save.
    pub(super) reload: Callback<()>,
}

/// One part of the postmortem: read view, and its editor in place on
/// "Edit". An empty part shows only its heading, ready to be written.
#[component]
pub(super) fn Section(
    title: &'static str,
    anchor: &'static str,
    empty: bool,
    ctx: EditContext,
    children: Children,
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
                {children()}
            </div>
            {move || editing.get().then(|| view! { <InPlaceEditor anchor title ctx editing/> })}
        </section>
    }
    .into_any()
}

/// The editor of one section, on the postmortem page, fetched the first
/// time one is opened: the editor's forms are a wasm chunk of their own
/// (`--split`), so reading a postmortem never downloads them.
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

#[lazy]
fn section_editor(
    anchor: &'static str,
    title: &'static str,
    ctx: EditContext,
    editing: RwSignal<bool>,
) -> AnyView {
    view! { <SectionEditor anchor title ctx editing/> }.into_any()
}

/// The editor of one section. Saves the whole record (this section
/// changed) on top of the version shown, so a stale save is refused like
/// any other.
#[component]
fn SectionEditor(
    anchor: &'static str,
    title: &'static str,
    ctx: EditContext,
    editing: RwSignal<bool>,
) -> impl IntoView {
    let draft = RwSignal::new(ctx.input.get_value());
    draft.update(|d| crate::pages::editor::templates::ensure_row(d, anchor));
    let saved = RwSignal::new(draft.get_untracked());
    let base_version = RwSignal::new(ctx.version);
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
    let conflict = move || match save.value().get() {
        Some(Ok(Submitted::Conflict(theirs))) => Some(*theirs),
        _ => None,
    };
    view! {
        <div class="in-place">
            {move || conflict().map(|theirs| view! { <ConflictPanel theirs draft saved base_version/> })}
            {sections::one(anchor, draft, errors)}
            <div class="actions">
                <button type="button" disabled=move || save.pending().get() on:click=move |_| {
                    draft.update(crate::pages::editor::templates::prune);
                    save.dispatch(SavePostmortem {
                        id: Some(ctx.id),
                        version: base_version.get_untracked(),
                        input: draft.get_untracked(),
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

/// The write-up status workflow: the moves that make sense from here.
#[component]
pub(super) fn StatusButtons(
    id: i64,
    version: i64,
    status: WriteupStatus,
    reload: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let change = ServerAction::<ChangeStatus>::new();
    Effect::new(move |_| {
        if let Some(Ok(Submitted::Saved(_))) = change.value().get() {
            reload();
        }
    });
    let moves: Vec<(WriteupStatus, &'static str)> = match status {
        _ if !crate::can_write().0 => Vec::new(),
        WriteupStatus::Draft => vec![(WriteupStatus::InReview, "Send for review")],
        WriteupStatus::InReview => vec![
            (WriteupStatus::Published, "Publish"),
            (WriteupStatus::Draft, "Back to draft"),
        ],
        WriteupStatus::Published => vec![(WriteupStatus::Draft, "Reopen as draft")],
    };
    view! {
        <div class="workflow" role="group" aria-label="Write-up status">
            {moves.into_iter().map(|(to, text)| view! {
                <button type="button" class="secondary" disabled=move || change.pending().get()
                    on:click=move |_| { change.dispatch(ChangeStatus { id, version, status: to.as_str().to_string() }); }>
                    {text}
                </button>
            }).collect_view()}
            <p class="error" role="alert">{move || match change.value().get() {
                Some(Ok(Submitted::Refused(e))) => Some(e.to_string()),
                Some(Err(e)) => Some(e.to_string()),
                _ => None,
            }}</p>
        </div>
    }
    .into_any()
}
