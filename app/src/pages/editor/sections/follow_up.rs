//! What follows from the incident: learnings, action items, links to other
//! postmortems, and who can see it.

use super::super::fields::{check, choice, markdown, text};
use super::{part, rows, RowKind};
use kb_domain::record::{
    ActionItem, ActionKind, ActionStatus, Learning, LearningKind, Link, LinkKind, Priority,
};
use kb_domain::PostmortemInput;
use leptos::prelude::*;

/// A learning: a pattern's fields, or a lesson's text, as its kind says
/// (`data-when`: the browser shows one or the other as the kind changes).
pub(super) const LEARNING: RowKind<Learning> = RowKind {
    kind: "learnings",
    noun: "learning",
    draw: |p, r| {
        let kind = format!("{p}.kind");
        let pattern = r.kind == LearningKind::Pattern.as_str();
        view! {
            <div class="grid">
                {choice("Kind", &kind, opts!(LearningKind), &r.kind)}
                {text("Name or lesson", &format!("{p}.title"), &r.title, "")}
            </div>
            <div data-when=format!("{kind}!=pattern") hidden=pattern>
                {markdown("Lesson", &format!("{p}.text"), &r.text, 3)}
            </div>
            <div data-when=format!("{kind}=pattern") hidden=!pattern>
                {markdown("Symptoms", &format!("{p}.symptoms"), &r.symptoms, 3)}
                {markdown("Pattern root cause", &format!("{p}.root_cause"), &r.root_cause, 2)}
                {markdown("How to detect it", &format!("{p}.detection"), &r.detection, 2)}
                {markdown("How to resolve it", &format!("{p}.resolution"), &r.resolution, 2)}
            </div>
        }
        .into_any()
    },
};

/// An action item; its id (kept across edits, so its history follows it)
/// travels in a hidden field.
pub(super) const ACTION_ITEM: RowKind<ActionItem> = RowKind {
    kind: "action_items",
    noun: "action item",
    draw: |p, r| {
        let id = r.id.map(|id| id.to_string()).unwrap_or_default();
        view! {
            <input type="hidden" name=format!("{p}.id") value=id/>
            {text("Action", &format!("{p}.title"), &r.title, "")}
            <div class="grid">
                {text("Owner", &format!("{p}.owner"), &r.owner, "")}
                {text("Due", &format!("{p}.due"), r.due.as_deref().unwrap_or_default(), "YYYY-MM-DD")}
                {choice("Priority", &format!("{p}.priority"), opts!(Priority), &r.priority)}
                {choice("Status", &format!("{p}.status"), opts!(ActionStatus), &r.status)}
                {choice("Kind", &format!("{p}.kind"), opts!(ActionKind), &r.kind)}
                {text("Tracker", &format!("{p}.tracker"), &r.tracker, "OPS-123 or a link")}
            </div>
            {text("Expected effect", &format!("{p}.expected_effect"), &r.expected_effect, "")}
        }
        .into_any()
    },
};

pub(super) const LINK: RowKind<Link> = RowKind {
    kind: "links",
    noun: "link",
    draw: |p, r| {
        view! {
            <div class="grid">
                {text("Postmortem", &format!("{p}.target"), &r.target, "#12")}
                {choice("Relation", &format!("{p}.kind"), opts!(LinkKind), &r.kind)}
                {text("Why", &format!("{p}.note"), &r.note, "")}
            </div>
        }
        .into_any()
    },
};

pub(super) fn learnings(d: &PostmortemInput, hidden: bool) -> AnyView {
    part(
        "learnings",
        "Learnings",
        "A pattern is what the next on-call engineer will recognise: give it a name and describe its symptoms the way they would paste them (alert names, error messages). Other lessons: diagnostic, process, cultural.",
        hidden,
        rows("learnings", &LEARNING, &d.parts.learnings),
    )
}

pub(super) fn action_items(d: &PostmortemInput) -> AnyView {
    part(
        "action_items",
        "Action items",
        "Follow-ups that would have prevented this, shortened it or caught it sooner. Each needs an owner and a due date to get done.",
        false,
        rows("action_items", &ACTION_ITEM, &d.parts.action_items),
    )
}

pub(super) fn links(d: &PostmortemInput, hidden: bool) -> AnyView {
    part(
        "links",
        "Links",
        "Earlier occurrences of the same problem and related incidents: #12 for postmortem 12, or its external id. The link shows on both postmortems.",
        hidden,
        rows("links", &LINK, &d.parts.links),
    )
}

/// Who may see the postmortem. Shown in every editor, beside the header:
/// it is the one setting whose mistake cannot be taken back by an edit
/// (whoever saw it, saw it).
pub(super) fn visibility(d: &PostmortemInput) -> AnyView {
    let a = &d.parts.access;
    let body = view! {
        {check("Private", "access.private", a.private)}
        <div class="grid" data-when="access.private=on" hidden=!a.private>
            {text("People", "access.users", &a.users.join(", "), "account names, comma-separated")}
            {text("Groups", "access.groups", &a.groups.join(", "), "group names, comma-separated")}
        </div>
    };
    part(
        "access",
        "Who can see it",
        "Everyone who can sign in, unless it is private: then only the people and groups named here, and admins. To anyone else a private postmortem does not exist: it is left out of lists, search, counts, links and exports. Reads and writes of it are written to the audit log.",
        false,
        body.into_any(),
    )
}
