//! The editor's sections as the server draws them, one per part of the
//! record, each with its guidance text. List sections share [`rows`]:
//! each row carries its move and remove buttons, and each kind of row a
//! blank copy in a `<template>` for "Add" (see [`templates`]), so the
//! browser edits the lists without asking the server.
//!
//! A row's fields are drawn under a path prefix: `timeline.3` in a drawn
//! row, `__L__.__i__` in a template, which the browser replaces with the
//! list's path and the new row's index.

use super::fields::markdown;
use kb_domain::PostmortemInput;
use leptos::prelude::*;

/// The options of a closed set, and the one a blank value stands for.
macro_rules! opts {
    ($t:ty) => {
        (
            $crate::pages::options(<$t>::ALL, <$t>::as_str, <$t>::label),
            <$t>::DEFAULT.as_str(),
        )
    };
}

mod follow_up;
mod investigation;
mod story;

/// Whether sections a quick write-up skips are drawn hidden, one click
/// away ("Show every section").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Every section.
    All,
    /// The essentials; the rest hidden.
    Quick,
}

/// A section of the editor: heading, guidance, content. `hidden` sections
/// are marked `data-more` for "Show every section".
fn part(
    id: &'static str,
    title: &'static str,
    guidance: &'static str,
    hidden: bool,
    body: AnyView,
) -> AnyView {
    let heading = format!("part-{id}-heading");
    let labelled_by = heading.clone();
    view! {
        <section class="part" id=format!("part-{id}") aria-labelledby=labelled_by
            data-more=hidden.then_some("") hidden=hidden>
            <h2 id=heading>{title}</h2>
            <p class="guidance">{guidance}</p>
            {body}
        </section>
    }
    .into_any()
}

/// Content shown only with every section (a section's rows in a quick
/// write-up).
fn more(hidden: bool, body: AnyView) -> AnyView {
    if hidden {
        view! { <div data-more="" hidden=true>{body}</div> }.into_any()
    } else {
        body
    }
}

/// One kind of row: how it is named and drawn.
pub(super) struct RowKind<T: 'static> {
    /// The template's name (`timeline`, `confidence`).
    kind: &'static str,
    /// What one row is called: "entry" gives "Add entry", "Remove entry 2".
    noun: &'static str,
    /// The fields of one row under its path prefix.
    draw: fn(&str, &T) -> AnyView,
}

/// The rows of list `list` (its path: `timeline`, `hypotheses.2.confidence`)
/// with their move and remove buttons, and "Add".
fn rows<T>(list: &str, kind: &RowKind<T>, items: &[T]) -> AnyView {
    let count = items.len();
    let drawn = items
        .iter()
        .enumerate()
        .map(|(i, item)| row(list, &i.to_string(), i, count, kind, item))
        .collect_view();
    view! {
        <ol class="rows" data-list=list.to_string() data-kind=kind.kind data-noun=kind.noun>{drawn}</ol>
        <button type="button" class="secondary add" data-op="add" disabled=true>
            {format!("Add {}", kind.noun)}
        </button>
    }
    .into_any()
}

/// Row `index` (`3`, or `__i__` in a template) at position `at` of
/// `count`.
fn row<T>(
    list: &str,
    index: &str,
    at: usize,
    count: usize,
    kind: &RowKind<T>,
    item: &T,
) -> AnyView {
    let path = format!("{list}.{index}");
    let n = at + 1;
    let noun = kind.noun;
    let tools = if kind.kind == "confidence" {
        view! {
            <button type="button" class="icon danger" data-op="remove"
                aria-label=format!("Remove {noun} {n}")>"✕"</button>
        }
        .into_any()
    } else {
        view! {
            <div class="row-tools">
                <button type="button" class="icon" data-op="up" disabled={at == 0}
                    aria-label=format!("Move {noun} {n} up")>"↑"</button>
                <button type="button" class="icon" data-op="down" disabled={at + 1 >= count}
                    aria-label=format!("Move {noun} {n} down")>"↓"</button>
                <button type="button" class="icon danger" data-op="remove"
                    aria-label=format!("Remove {noun} {n}")>"✕"</button>
            </div>
        }
        .into_any()
    };
    let dashed = path.replace('.', "-");
    if kind.kind == "confidence" {
        view! {
            <li class="grid" data-step=index.to_string() data-index=index.to_string()>
                {(kind.draw)(&path, item)}
                {tools}
            </li>
        }
        .into_any()
    } else {
        view! {
            <li class="row" data-row=dashed data-index=index.to_string()>
                <div class="row-body">{(kind.draw)(&path, item)}</div>
                {tools}
            </li>
        }
        .into_any()
    }
}

/// A blank row of `kind` for "Add", under the placeholder prefix.
fn template<T: Default>(kind: &RowKind<T>) -> AnyView {
    view! {
        <template data-kind=kind.kind>{row("__L__", "__i__", 1, 3, kind, &T::default())}</template>
    }
    .into_any()
}

/// A blank row of every kind.
pub fn templates() -> AnyView {
    use investigation::{CAUSE, CONFIDENCE, EVIDENCE, HYPOTHESIS, MITIGATION, TIMELINE, WHY};
    view! {
        {template(&TIMELINE)}
        {template(&EVIDENCE)}
        {template(&HYPOTHESIS)}
        {template(&CONFIDENCE)}
        {template(&WHY)}
        {template(&CAUSE)}
        {template(&MITIGATION)}
        {template(&follow_up::LEARNING)}
        {template(&follow_up::ACTION_ITEM)}
        {template(&follow_up::LINK)}
    }
    .into_any()
}

/// Every section of the record.
pub fn all(d: &PostmortemInput, shown: Shown) -> AnyView {
    let q = shown == Shown::Quick;
    view! {
        {story::header(d)}
        {follow_up::visibility(d)}
        {story::clock(d)}
        {story::impact(d)}
        {summary(d)}
        {narrative(d, q)}
        {investigation::timeline(d, q)}
        {investigation::evidence(d, q)}
        {investigation::hypotheses(d, q)}
        {investigation::whys(d, q)}
        {investigation::causes(d, q)}
        {investigation::mitigations(d, q)}
        {follow_up::learnings(d, q)}
        {follow_up::action_items(d)}
        {follow_up::links(d, q)}
    }
    .into_any()
}

/// The section by its anchor name (`timeline`, `causes`), for editing in
/// place on the postmortem page; `None` for an unknown name.
pub fn one(anchor: &str, d: &PostmortemInput) -> Option<AnyView> {
    Some(match anchor {
        "header" => story::header(d),
        "access" => follow_up::visibility(d),
        "clock" => story::clock(d),
        "impact" => story::impact(d),
        "summary" => summary(d),
        "narrative" => narrative(d, false),
        "timeline" => investigation::timeline(d, false),
        "evidence" => investigation::evidence(d, false),
        "hypotheses" => investigation::hypotheses(d, false),
        "whys" => investigation::whys(d, false),
        "causes" => investigation::causes(d, false),
        "mitigations" => investigation::mitigations(d, false),
        "learnings" => follow_up::learnings(d, false),
        "action_items" => follow_up::action_items(d),
        "links" => follow_up::links(d, false),
        _ => return None,
    })
}

fn summary(d: &PostmortemInput) -> AnyView {
    part(
        "summary",
        "Summary",
        "Two or three sentences a reader skimming the list needs: what broke, for whom, for how long, and what fixed it.",
        false,
        markdown("Summary", "summary", &d.summary, 5),
    )
}

fn narrative(d: &PostmortemInput, hidden: bool) -> AnyView {
    part(
        "narrative",
        "Narrative",
        "The story in full: what happened, how it was noticed, how the team responded, what went well and what was hard.",
        hidden,
        markdown("Narrative", "narrative", &d.parts.narrative, 12),
    )
}
