//! The editor's HTML, drawn on the server: the whole form (`/new`,
//! `/incidents/:id/edit`), one section's form (edited in place on the
//! postmortem page), the conflict panel and "Seen before?". The browser
//! gets them as HTML and acts on them with [`super::client`], by the
//! `data-*` attributes this module puts on them.

use super::sections::{self, Shown};
use crate::components::HitList;
use kb_domain::{PostmortemInput, SearchHit};
use leptos::prelude::*;

/// What a form edits: where it saves, and on top of which version.
pub struct Target {
    /// The postmortem, `None` for a new one.
    pub id: Option<i64>,
    /// The version the edit builds on (0 for a new postmortem).
    pub version: i64,
}

/// The whole editor on `input`: the kept-draft notice, the conflict slot,
/// "Seen before?", every section, the save bar and the row templates.
pub fn whole(target: &Target, input: &PostmortemInput, shown: Shown) -> String {
    let key = match target.id {
        Some(id) => format!("hindsight:draft:{id}"),
        None => "hindsight:draft:new".into(),
    };
    let cancel = match target.id {
        Some(id) => format!("/incidents/{id}"),
        None => "/".into(),
    };
    view! {
        <section class="notice" role="status" aria-label="Unsaved draft" data-notice="" hidden=true>
            <p data-fill=""></p>
            <button type="button" data-op="restore">"Restore my unsaved changes"</button>
            <button type="button" class="secondary" data-op="discard">"Discard them"</button>
        </section>
        <div data-conflict=""></div>
        <aside class="seen-before" aria-label="Seen before?" aria-live="polite"></aside>
        <form class="editor" novalidate=true data-id=target.id.map(|id| id.to_string())
            data-version=target.version.to_string() data-key=key>
            <div data-sections="">{sections::all(input, shown)}</div>
            {(shown == Shown::Quick).then(|| view! {
                <button type="button" class="secondary" data-op="show-all">"Show every section"</button>
            })}
            <div class="savebar">
                <p class="error" role="alert" data-summary=""></p>
                <span class="dirty" aria-live="polite"></span>
                <button type="submit" disabled=true>"Save"</button>
                <a href=cancel>"Cancel"</a>
            </div>
            {sections::templates()}
        </form>
    }
    .to_html()
}

/// The form of section `anchor` alone, titled `title` ("Save Timeline"),
/// for editing in place; `None` for an unknown section.
pub fn section(id: i64, version: i64, anchor: &str, input: &PostmortemInput) -> Option<String> {
    let body = sections::one(anchor, input)?;
    let title = super::section_title(anchor);
    Some(
        view! {
            <div data-conflict=""></div>
            <form class="section-form" novalidate=true data-id=id.to_string()
                data-version=version.to_string() data-section=anchor.to_string()>
                <div data-sections="">{body}</div>
                <div class="actions">
                    <button type="submit" disabled=true>{format!("Save {title}")}</button>
                    <button type="button" class="secondary" data-op="cancel">"Cancel"</button>
                    <p class="error" role="alert" data-summary=""></p>
                </div>
                {sections::templates()}
            </form>
        }
        .to_html(),
    )
}

/// Every section on `input`, for a kept draft brought back.
pub fn sections_only(input: &PostmortemInput) -> String {
    sections::all(input, Shown::All).to_html()
}

/// A refused stale save: what version `their_version` holds next to what
/// this author has, and the two ways out (keep mine, take theirs).
pub fn conflict(their_version: i64, theirs: &PostmortemInput, mine: &PostmortemInput) -> String {
    let changed = crate::diff::changes(theirs, mine);
    view! {
        <section class="conflict" role="alert" aria-label="Edit conflict" data-version=their_version.to_string()>
            <h2>{format!("Version {their_version} was saved while you were editing")}</h2>
            <p>
                "Your changes were not saved and nothing was overwritten. Your text is still in the editor; "
                "where theirs differs, both are shown. Merge by hand, take theirs, or keep yours."
            </p>
            <table class="both-versions">
                <thead><tr><th>"Field"</th><th>"Theirs (saved)"</th><th>"Yours (not saved)"</th></tr></thead>
                <tbody>
                    {changed.into_iter().map(|c| view! {
                        <tr data-field=c.path>
                            <th scope="row">{c.label}</th>
                            <td class="theirs"><pre>{c.before}</pre></td>
                            <td class="yours"><pre>{c.after}</pre></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <div class="actions">
                <button type="button" class="secondary" data-op="keep-mine">"Keep my version and save over theirs"</button>
                <button type="button" class="secondary" data-op="take-theirs">"Discard mine and take theirs"</button>
            </div>
        </section>
    }
    .to_html()
}

/// "Seen before?" with `hits`; nothing when there are none.
pub fn seen_before(hits: Vec<SearchHit>) -> String {
    if hits.is_empty() {
        return String::new();
    }
    view! {
        <h2>"Seen before?"</h2>
        <p class="hint">"Past postmortems that look like this one:"</p>
        <HitList hits label="Seen before list"/>
    }
    .to_html()
}
