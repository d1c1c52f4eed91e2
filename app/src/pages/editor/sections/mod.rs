//! The editor's sections, one per part of the record, each with its
//! guidance text. List sections share [`Rows`]: add, move up, move down,
//! remove, all in place.

use super::fields::Markdown;
use super::Errors;
use kb_domain::PostmortemInput;
use leptos::prelude::*;

// Every field reaches the draft through plain function pointers, not
// closures: the reactive code around a read and a write (tracking,
// notifying, the arena) is then compiled once per field type instead of
// once for each of the editor's 65 fields, the bulk of the editor's wasm.

/// A field of the draft as the controls take it: read with `get`, written
/// with `set`.
fn lens<T: Clone + Send + Sync + 'static>(
    draft: RwSignal<PostmortemInput>,
    get: fn(&PostmortemInput) -> T,
    set: fn(&mut PostmortemInput, T),
) -> (Signal<T>, Callback<T>) {
    (
        Signal::derive(move || draft.with(get)),
        Callback::new(move |v| draft.update(|d| set(d, v))),
    )
}

/// [`lens`] for a field of row `i` of a list.
fn row_lens<T: Clone + Send + Sync + 'static>(
    draft: RwSignal<PostmortemInput>,
    i: usize,
    get: fn(&PostmortemInput, usize) -> T,
    set: fn(&mut PostmortemInput, usize, T),
) -> (Signal<T>, Callback<T>) {
    (
        Signal::derive(move || draft.with(|d| get(d, i))),
        Callback::new(move |v| draft.update(|d| set(d, i, v))),
    )
}

/// `(getter, setter)` for a `String` field of the draft.
macro_rules! text {
    ($draft:ident, $($f:ident).+) => {
        $crate::pages::editor::sections::lens($draft, |d| d.$($f).+.clone(), |d, v: String| d.$($f).+ = v)
    };
}

/// `(getter, setter)` for an `Option<String>` field, empty meaning None.
macro_rules! opt_text {
    ($draft:ident, $($f:ident).+) => {
        $crate::pages::editor::sections::lens(
            $draft,
            |d| d.$($f).+.clone().unwrap_or_default(),
            |d, v: String| d.$($f).+ = (!v.trim().is_empty()).then_some(v),
        )
    };
}

/// `(getter, setter)` for a list of names typed comma-separated.
macro_rules! names {
    ($draft:ident, $($f:ident).+) => {
        $crate::pages::editor::sections::lens(
            $draft,
            |d| d.$($f).+.join(", "),
            |d, v: String| d.$($f).+ = kb_domain::postmortem::split_list(&v),
        )
    };
}

/// `(getter, setter, path)` for field `f` of row `i` of list `list` in the
/// parts; the path (`timeline.3.at`) names the control and its errors. A
/// row removed while its controls are being disposed reads as empty.
macro_rules! row {
    ($draft:ident, $list:ident, $i:ident, $f:ident) => {{
        let (get, set) = $crate::pages::editor::sections::row_lens(
            $draft,
            $i,
            |d, i| {
                d.parts
                    .$list
                    .get(i)
                    .map(|r| r.$f.clone())
                    .unwrap_or_default()
            },
            |d, i, v| {
                if let Some(r) = d.parts.$list.get_mut(i) {
                    r.$f = v;
                }
            },
        );
        (
            get,
            set,
            format!(concat!(stringify!($list), ".{}.", stringify!($f)), $i),
        )
    }};
}

/// The [`ListOps`] of list `list` in the parts.
macro_rules! list_ops {
    ($list:ident) => {
        $crate::pages::editor::sections::ListOps {
            len: |d| d.parts.$list.len(),
            swap: |d, a, b| {
                let rows = &mut d.parts.$list;
                if a < rows.len() && b < rows.len() {
                    rows.swap(a, b);
                }
            },
            remove: |d, i| {
                let rows = &mut d.parts.$list;
                if i < rows.len() {
                    rows.remove(i);
                }
            },
            push: |d| d.parts.$list.push(Default::default()),
        }
    };
}

macro_rules! opts {
    ($t:ty) => {
        options(<$t>::ALL, <$t>::as_str, <$t>::label)
    };
}

mod follow_up;
mod investigation;
mod story;

pub use follow_up::{ActionItems, Learnings, Links, Visibility};
pub use investigation::{Causes, EvidenceList, Hypotheses, Mitigations, Timeline, Whys};
pub use story::{Clock, Header, Impact};

/// A section of the editor: heading, guidance, content.
#[component]
pub(super) fn Part(
    id: &'static str,
    title: &'static str,
    guidance: &'static str,
    children: Children,
) -> impl IntoView {
    let heading = format!("part-{id}-heading");
    let labelled_by = heading.clone();
    view! {
        <section class="part" id=format!("part-{id}") aria-labelledby=labelled_by>
            <h2 id=heading>{title}</h2>
            <p class="guidance">{guidance}</p>
            {children()}
        </section>
    }
    .into_any()
}

/// What [`Rows`] does to its list, whatever the rows' type: plain
/// functions, so `Rows` is compiled once for every list.
#[derive(Clone, Copy)]
pub struct ListOps {
    pub len: fn(&PostmortemInput) -> usize,
    pub swap: fn(&mut PostmortemInput, usize, usize),
    pub remove: fn(&mut PostmortemInput, usize),
    pub push: fn(&mut PostmortemInput),
}

/// The rows of one list with their move and remove buttons, and "Add".
#[component]
pub(super) fn Rows(
    draft: RwSignal<PostmortemInput>,
    /// The list inside the draft.
    list: ListOps,
    /// Field prefix, e.g. `timeline`; rows are `timeline.0`, `timeline.1`, ...
    name: &'static str,
    /// What one row is called: "entry" gives "Add entry", "Remove entry 2".
    noun: &'static str,
    /// The controls of row `i`.
    #[prop(into)]
    row: Callback<usize, AnyView>,
) -> impl IntoView {
    let count = Memo::new(move |_| draft.with(list.len));
    view! {
        <ol class="rows" data-list=name>
            <For each=move || 0..count.get() key=|i| *i let:i>
                {
                    let n = i + 1;
                    view! {
                        <li class="row" data-row=format!("{name}-{i}")>
                            <div class="row-body">{row.run(i)}</div>
                            <div class="row-tools">
                                <button type="button" class="icon" disabled=i == 0
                                    aria-label=format!("Move {noun} {n} up")
                                    on:click=move |_| draft.update(|d| (list.swap)(d, i, i - 1))>"↑"</button>
                                <button type="button" class="icon" disabled=move || { i + 1 >= count.get() }
                                    aria-label=format!("Move {noun} {n} down")
                                    on:click=move |_| draft.update(|d| (list.swap)(d, i, i + 1))>"↓"</button>
                                <button type="button" class="icon danger"
                                    aria-label=format!("Remove {noun} {n}")
                                    on:click=move |_| draft.update(|d| (list.remove)(d, i))>"✕"</button>
                            </div>
                        </li>
                    }
                    .into_any()
                }
            </For>
        </ol>
        <button type="button" class="secondary add"
            on:click=move |_| draft.update(list.push)>{format!("Add {noun}")}</button>
    }
    .into_any()
}

/// Every section of the record. Those a quick write-up skips are shown
/// when `show_all` is set.
#[component]
pub fn Sections(
    draft: RwSignal<PostmortemInput>,
    errors: Errors,
    show_all: RwSignal<bool>,
) -> impl IntoView {
    let more = move || show_all.get();
    view! {
        <Header draft errors/>
        <Visibility draft errors/>
        <Clock draft errors/>
        <Impact draft errors/>
        <Summary draft errors/>
        <Show when=more>
            <Narrative draft errors/>
            <Timeline draft errors/>
            <EvidenceList draft errors/>
            <Hypotheses draft errors/>
            <Whys draft errors/>
        </Show>
        <Causes draft errors more/>
        <Mitigations draft errors more/>
        <Show when=more>
            <Learnings draft errors/>
        </Show>
        <ActionItems draft errors/>
        <Show when=more>
            <Links draft errors/>
        </Show>
    }
    .into_any()
}

/// The editor of one section, by its anchor name (`timeline`, `causes`),
/// for editing in place on the postmortem page.
pub fn one(anchor: &str, draft: RwSignal<PostmortemInput>, errors: Errors) -> AnyView {
    let all = || true;
    match anchor {
        "header" => view! { <Header draft errors/> }.into_any(),
        "access" => view! { <Visibility draft errors/> }.into_any(),
        "clock" => view! { <Clock draft errors/> }.into_any(),
        "impact" => view! { <Impact draft errors/> }.into_any(),
        "summary" => view! { <Summary draft errors/> }.into_any(),
        "narrative" => view! { <Narrative draft errors/> }.into_any(),
        "timeline" => view! { <Timeline draft errors/> }.into_any(),
        "evidence" => view! { <EvidenceList draft errors/> }.into_any(),
        "hypotheses" => view! { <Hypotheses draft errors/> }.into_any(),
        "whys" => view! { <Whys draft errors/> }.into_any(),
        "causes" => view! { <Causes draft errors more=all/> }.into_any(),
        "mitigations" => view! { <Mitigations draft errors more=all/> }.into_any(),
        "learnings" => view! { <Learnings draft errors/> }.into_any(),
        "action_items" => view! { <ActionItems draft errors/> }.into_any(),
        "links" => view! { <Links draft errors/> }.into_any(),
        _ => ().into_any(),
    }
}

#[component]
fn Summary(draft: RwSignal<PostmortemInput>, errors: Errors) -> impl IntoView {
    let (g, s) = text!(draft, summary);
    view! {
        <Part id="summary" title="Summary" guidance="Two or three sentences a reader skimming the list needs: what broke, for whom, for how long, and what fixed it.">
            <Markdown label="Summary" field="summary".into() get=g set=s errors rows=5/>
        </Part>
    }
    .into_any()
}

#[component]
fn Narrative(draft: RwSignal<PostmortemInput>, errors: Errors) -> impl IntoView {
    let (g, s) = text!(draft, parts.narrative);
    view! {
        <Part id="narrative" title="Narrative" guidance="The story in full: what happened, how it was noticed, how the team responded, what went well and what was hard.">
            <Markdown label="Narrative" field="narrative".into() get=g set=s errors rows=12/>
        </Part>
    }
    .into_any()
}
