//! The postmortem editor, shared by `/new` and `/incidents/:id/edit`: the
//! whole record as one draft in the browser, every section on one page,
//! rows added, edited, reordered and removed in place, saved in one request.
//!
//! Nothing typed is lost: the draft is kept in the browser's local storage
//! as it changes (offered back after a crash or a closed tab), leaving with
//! unsaved changes asks first, and a refused save (invalid fields or a
//! newer version saved by someone else) leaves the text where it was.

mod fields;
pub(crate) mod sections;
pub mod templates;

use crate::components::HitList;
use crate::diff;
use crate::error::AppError;
use crate::pages::{FormAnswer, Submitted};
use kb_domain::{NestedInput, PostmortemInput, ValidationErrors};
use leptos::prelude::*;

/// Saves the editor's draft: creates a postmortem (`id` None) or updates
/// postmortem `id` on top of `version`.
///
/// A public endpoint. JSON-encoded: the record is nested, which form
/// encoding cannot carry. Refusals are answers, not errors (see
/// [`Submitted`]).
#[server(input = leptos::server_fn::codec::Json)]
pub async fn save_postmortem(
    id: Option<i64>,
    version: i64,
    input: NestedInput,
) -> Result<Submitted, AppError> {
    let ctx = crate::request::request_context().await?;
    let services = crate::state::services()?;
    let input = PostmortemInput::from(input);
    let result = match id {
        None => services.create_authored(&ctx, input).await,
        Some(id) => services.update_authored(&ctx, id, version, input).await,
    };
    match result {
        Ok(saved) => Ok(Submitted::Saved(saved)),
        Err(AppError::Invalid(errors)) => Ok(Submitted::Refused(errors)),
        Err(AppError::Conflict(theirs)) => Ok(Submitted::Stale(theirs)),
        Err(e) => Err(e),
    }
}

/// Past postmortems that look like the one being written ("seen
/// before?"): `text` is the draft's [`PostmortemInput::symptom_text`];
/// `exclude` is the postmortem being edited.
#[server]
pub async fn seen_before(
    text: String,
    exclude: Option<i64>,
) -> Result<Vec<kb_domain::SearchHit>, AppError> {
    let ctx = crate::request::request_context().await?;
    crate::state::services()?
        .similar_to(&ctx, text, exclude, 5)
        .await
}

/// The field errors of the last save, looked up by dotted path.
#[derive(Clone, Copy)]
pub struct Errors(Signal<ValidationErrors>);

impl Errors {
    /// The field errors of `save`'s last answer.
    pub fn of(save: ServerAction<SavePostmortem>) -> Errors {
        Errors(Signal::derive(move || match save.value().get() {
            Some(Ok(Submitted::Refused(e))) => e,
            _ => ValidationErrors::default(),
        }))
    }

    /// The message for `field`, if the last save refused it.
    pub fn get(&self, field: &str) -> Option<String> {
        self.0.with(|e| e.for_field(field).map(str::to_string))
    }

    /// Every refusal in one line (`severity: choose a severity; ...`), for
    /// an editor that does not show every field.
    pub fn describe(&self) -> String {
        self.0.with(|e| e.to_string())
    }

    /// How many fields were refused.
    pub fn count(&self) -> usize {
        self.0.with(|e| e.0.len())
    }
}

/// What the editor is editing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A postmortem that does not exist yet.
    New,
    /// Postmortem `id`, loaded at `version`.
    Existing {
        /// Its id.
        id: i64,
        /// The version the edit builds on.
        version: i64,
    },
}

impl Target {
    fn storage_key(self) -> String {
        match self {
            Target::New => "hindsight:draft:new".into(),
            Target::Existing { id, .. } => format!("hindsight:draft:{id}"),
        }
    }
}

/// Markdown previews the server drew for the record being edited, by
/// field path: a field opens with its preview, and asks the server only
/// once its text changes.
#[derive(Debug, Clone, Default)]
pub struct Previews(pub Vec<(String, String)>);

impl Previews {
    /// The preview of `field`, if the server drew one.
    pub fn of(&self, field: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(path, _)| path == field)
            .map(|(_, html)| html.clone())
    }
}

/// The editor. `initial` is the saved record (or a template); `quick`
/// starts with only the sections a short write-up needs; `previews` are
/// `initial`'s markdown previews, when the server drew them.
#[component]
pub fn Editor(
    target: Target,
    initial: PostmortemInput,
    #[prop(optional)] quick: bool,
    #[prop(optional)] previews: Vec<(String, String)>,
) -> impl IntoView {
    provide_context(Previews(previews));
    let draft = RwSignal::new(initial.clone());
    // The last state known to be saved (or the template): leaving with a
    // draft that differs from it asks first.
    let saved = RwSignal::new(initial.clone());
    let dirty = Memo::new(move |_| draft.with(|d| saved.with(|s| d != s)));
    let show_all = RwSignal::new(!quick);

    let base_version = RwSignal::new(match target {
        Target::New => 0,
        Target::Existing { version, .. } => version,
    });
    let save = ServerAction::<SavePostmortem>::new();
    let answer = FormAnswer(Signal::derive(move || save.value().get()));
    let errors = Errors::of(save);
    let key = target.storage_key();
    {
        let key = key.clone();
        Effect::new(move |_| {
            if let Some(Ok(Submitted::Saved(_))) = save.value().get() {
                saved.set(draft.get_untracked());
                local::remove(&key);
            }
        });
    }
    answer.leave_when_saved(move |saved| match target {
        Target::New => format!("/incidents/{saved}"),
        Target::Existing { id, .. } => format!("/incidents/{id}"),
    });

    let submit = move || {
        // Blank rows (an unused template row, a row added by mistake) are
        // dropped, in the editor too, so that refused-field paths such as
        // `timeline.2.at` point at the rows the author sees.
        draft.update(templates::prune);
        save.dispatch(SavePostmortem {
            id: match target {
                Target::New => None,
                Target::Existing { id, .. } => Some(id),
            },
            version: base_version.get_untracked(),
            input: draft.get_untracked().into(),
        });
    };

    let restorable = RwSignal::new(None::<local::Stored>);
    local::keep_drafts(key.clone(), draft, dirty, restorable, initial.clone());

    let conflict = move || match (save.value().get(), target) {
        (Some(Ok(Submitted::Stale(_))), Target::Existing { id, .. }) => Some(id),
        _ => None,
    };

    view! {
        {move || restorable.get().map(|stored| {
            let key = key.clone();
            let discard_key = key.clone();
            view! {
                <section class="notice" role="status" aria-label="Unsaved draft">
                    <p>{format!("Unsaved changes from {} were kept in this browser.", stored.saved_at)}</p>
                    <button type="button" on:click=move |_| {
                        if let Some(s) = restorable.get_untracked() {
                            draft.set(s.input.into());
                        }
                        restorable.set(None);
                        let _ = &key;
                    }>"Restore my unsaved changes"</button>
                    <button type="button" class="secondary" on:click=move |_| {
                        local::remove(&discard_key);
                        restorable.set(None);
                    }>"Discard them"</button>
                </section>
            }
            .into_any()
        })}
        {move || conflict().map(|id| view! { <Conflict id draft saved base_version/> })}
        <SeenBefore draft target/>
        <form class="editor" novalidate=true on:submit=move |ev| {
            ev.prevent_default();
            submit();
        }>
            <sections::Sections draft errors show_all/>
            {move || (!show_all.get()).then(|| view! {
                <button type="button" class="secondary" on:click=move |_| show_all.set(true)>
                    "Show every section"
                </button>
            })}
            <div class="savebar">
                <p class="error" role="alert">
                    {move || (errors.count() > 0).then(|| format!(
                        "Not saved: {} field(s) need attention; each is marked below.",
                        errors.count()
                    ))}
                    {answer.fault()}
                </p>
                <span class="dirty" aria-live="polite">{move || if dirty.get() { "Unsaved changes" } else { "" }}</span>
                <button type="submit" disabled=move || save.pending().get()>"Save"</button>
                {match target {
                    Target::New => view! { <a href="/">"Cancel"</a> }.into_any(),
                    Target::Existing { id, .. } => view! { <a href=format!("/incidents/{id}")>"Cancel"</a> }.into_any(),
                }}
            </div>
        </form>
    }
    .into_any()
}

/// "Seen before?": while the draft is written, past postmortems whose
/// symptoms match its title, summary, impact, symptoms and evidence.
#[component]
fn SeenBefore(draft: RwSignal<PostmortemInput>, target: Target) -> impl IntoView {
    let lookup = ServerAction::<SeenBefore>::new();
    let exclude = match target {
        Target::New => None,
        Target::Existing { id, .. } => Some(id),
    };
    let text = Memo::new(move |_| draft.with(|d| d.symptom_text()));
    // Asked once the author writes: the text a page opens with is a stored
    // postmortem's (its page lists what is similar) or a template's.
    let opened_with = draft.with_untracked(|d| d.symptom_text());
    let ask = crate::pages::debounced(400, move |text: String| {
        lookup.dispatch(SeenBefore { text, exclude });
    });
    Effect::new(move |_| {
        let text = text.get();
        // A few words are needed before a match means anything.
        if text != opened_with && text.split_whitespace().count() >= 2 {
            ask(text);
        }
    });
    view! {
        <aside class="seen-before" aria-label="Seen before?" aria-live="polite">
            {move || match lookup.value().get() {
                Some(Ok(hits)) if !hits.is_empty() => Some(view! {
                    <h2>"Seen before?"</h2>
                    <p class="hint">"Past postmortems that look like this one:"</p>
                    <HitList hits label="Seen before list"/>
                }.into_any()),
                _ => None,
            }}
        </aside>
    }
    .into_any()
}

/// The [`ConflictPanel`] of postmortem `id` after a save was refused as
/// stale: it fetches the version stored now, and its code (and the
/// diff's) is fetched with it: most edits never need it.
#[component]
pub fn Conflict(
    id: i64,
    /// This author's unsaved version.
    draft: RwSignal<PostmortemInput>,
    /// The last state known to be saved.
    saved: RwSignal<PostmortemInput>,
    /// The version the next save builds on.
    base_version: RwSignal<i64>,
) -> impl IntoView {
    view! {
        <Suspense>
            {Suspend::new(async move {
                conflict_panel(id, draft, saved, base_version).await
            })}
        </Suspense>
    }
}

#[leptos::lazy]
async fn conflict_panel(
    id: i64,
    draft: RwSignal<PostmortemInput>,
    saved: RwSignal<PostmortemInput>,
    base_version: RwSignal<i64>,
) -> AnyView {
    match crate::pages::postmortem::get_postmortem(id).await {
        Ok(Some(theirs)) => {
            let their_version = theirs.version;
            let theirs = PostmortemInput::from(theirs.input);
            view! { <ConflictPanel their_version theirs draft saved base_version/> }.into_any()
        }
        Ok(None) => view! { <p class="error" role="alert">"Someone else deleted this postmortem or hid it from you."</p> }.into_any(),
        Err(error) => view! { <p class="error" role="alert">{format!("Not saved: someone else saved meanwhile, and their version could not be loaded: {error}")}</p> }.into_any(),
    }
}

/// A refused stale save: what the other person saved next to what this
/// author has, and the two ways out (keep mine, take theirs). Nothing of
/// either side is lost until the author chooses.
#[component]
fn ConflictPanel(
    /// The version stored now.
    their_version: i64,
    /// What it holds.
    theirs: PostmortemInput,
    /// This author's unsaved version.
    draft: RwSignal<PostmortemInput>,
    /// The last state known to be saved; taking theirs makes it theirs.
    saved: RwSignal<PostmortemInput>,
    /// The version the next save builds on.
    base_version: RwSignal<i64>,
) -> impl IntoView {
    let their_input = theirs;
    let changed = diff::changes(&their_input, &draft.get_untracked());
    let overriding = move || base_version.get() == their_version;
    view! {
        <section class="conflict" role="alert" aria-label="Edit conflict">
            <h2>{format!("Version {their_version} was saved while you were editing")}</h2>
            <p>
                "Your changes were not saved and nothing was overwritten. Your text is still in the editor; "
                "where theirs differs, both are shown. Merge by hand, take theirs, or keep yours."
            </p>
            <table class="both-versions">
                <thead><tr><th>"Field"</th><th>"Theirs (saved)"</th><th>"Yours (not saved)"</th></tr></thead>
                <tbody>
                    {changed.into_iter().map(|c| view! {
                        <tr data-field=c.path.clone()>
                            <th scope="row">{c.label}</th>
                            <td class="theirs"><pre>{c.before}</pre></td>
                            <td class="yours"><pre>{c.after}</pre></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <div class="actions">
                <button type="button" class="secondary" disabled=overriding
                    on:click=move |_| base_version.set(their_version)>
                    {move || if overriding() {
                        "Saving will replace their version: press Save"
                    } else {
                        "Keep my version and save over theirs"
                    }}
                </button>
                <button type="button" class="secondary" on:click=move |_| {
                    draft.set(their_input.clone());
                    saved.set(their_input.clone());
                    base_version.set(their_version);
                }>"Discard mine and take theirs"</button>
            </div>
        </section>
    }
    .into_any()
}

/// Asks before the page is left (closed, reloaded, another address typed)
/// while `dirty`.
pub fn warn_before_leaving(dirty: Memo<bool>) {
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::beforeunload, move |ev| {
            if dirty.try_get_untracked().unwrap_or(false) {
                // Chrome shows its "leave site?" prompt for this.
                ev.prevent_default();
                ev.set_return_value("unsaved changes");
            }
        });
        on_cleanup(move || handle.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = dirty;
}

/// The draft's copy in the browser's local storage.
mod local {
    use kb_domain::{NestedInput, PostmortemInput};
    use leptos::prelude::*;
    use serde::{Deserialize, Serialize};

    /// What is kept per postmortem.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Stored {
        /// When it was written, as the browser's clock read it.
        pub saved_at: String,
        /// The draft.
        pub input: NestedInput,
    }

    /// Keeps the draft in local storage while it differs from the saved
    /// record, offers a kept draft back on load, and asks before leaving
    /// the page with unsaved changes.
    pub fn keep_drafts(
        key: String,
        draft: RwSignal<PostmortemInput>,
        dirty: Memo<bool>,
        restorable: RwSignal<Option<Stored>>,
        initial: PostmortemInput,
    ) {
        #[cfg(feature = "hydrate")]
        {
            // Offer a kept draft once, after hydration.
            let offer_key = key.clone();
            Effect::new(move |done: Option<()>| {
                if done.is_none() {
                    if let Some(stored) = read(&offer_key) {
                        if PostmortemInput::from(stored.input.clone()) != initial {
                            restorable.set(Some(stored));
                        } else {
                            remove(&offer_key);
                        }
                    }
                }
            });
            Effect::new(move |_| {
                let is_dirty = dirty.get();
                let input = draft.get();
                if is_dirty {
                    write(
                        &key,
                        &Stored {
                            saved_at: String::from(js_sys::Date::new_0().to_iso_string()),
                            input: input.into(),
                        },
                    );
                }
            });
            super::warn_before_leaving(dirty);
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (key, draft, dirty, restorable, initial);
        }
    }

    #[cfg(feature = "hydrate")]
    fn storage() -> Option<web_sys::Storage> {
        window().local_storage().ok().flatten()
    }

    #[cfg(feature = "hydrate")]
    fn read(key: &str) -> Option<Stored> {
        let text = storage()?.get_item(key).ok()??;
        serde_json::from_str(&text).ok()
    }

    #[cfg(feature = "hydrate")]
    fn write(key: &str, stored: &Stored) {
        if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(stored)) {
            // Full storage only loses the safety copy, never the draft on screen.
            let _ = s.set_item(key, &text);
        }
    }

    /// Forgets the kept draft (saved, or discarded by the author).
    pub fn remove(key: &str) {
        #[cfg(feature = "hydrate")]
        if let Some(s) = storage() {
            let _ = s.remove_item(key);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = key;
    }
}
