//! The read views of the record's longer parts, each a section's body on
//! the postmortem's page: timeline, hypotheses, causes, resolution,
//! learnings, action items and related postmortems. Markdown comes
//! rendered and sanitized from the server ([`PostmortemView::html`]).

use super::{Md, PostmortemView};
use crate::pages::label;
use kb_domain::record::{
    ActionKind, ActionStatus, CauseLevel, HypothesisOutcome, LearningKind, LinkKind,
    MitigationResult, Prevents, Priority, TimelineKind,
};
use kb_domain::Postmortem;
use leptos::prelude::*;

/// The timeline section's body.
pub(super) fn timeline(i: &Postmortem, v: &PostmortemView) -> AnyView {
    let p = &i.parts;
    let h = |path: &str| v.html(path);
    view! {
                <table class="timeline">
                    <thead><tr><th>"Time"</th><th>"Kind"</th><th>"What happened"</th><th>"Who"</th></tr></thead>
                    <tbody>
                        {p.timeline.iter().enumerate().map(|(n, e)| view! {
                            <tr>
                                <td class="at">{e.at.clone()}</td>
                                <td>{label(TimelineKind::parse, TimelineKind::label, &e.kind)}</td>
                                <td><Md html=h(&format!("timeline.{n}.text"))/></td>
                                <td>{e.who.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }
    .into_any()
}

/// The hypotheses section's body.
pub(super) fn hypotheses(i: &Postmortem, v: &PostmortemView) -> AnyView {
    let p = &i.parts;
    let h = |path: &str| v.html(path);
    view! {
                <ol class="hypotheses">
                    {p.hypotheses.iter().enumerate().map(|(n, hy)| view! {
                        <li>
                            <p><strong>{hy.statement.clone()}</strong>" "
                                <span class=format!("badge outcome-{}", hy.outcome)>{label(HypothesisOutcome::parse, HypothesisOutcome::label, &hy.outcome)}</span></p>
                            {(!hy.confidence.is_empty()).then(|| view! {
                                <p class="confidence">"Confidence: "
                                    {hy.confidence.iter().map(|s| format!("{}%", s.value)).collect::<Vec<_>>().join(" → ")}
                                </p>
                                <ul class="steps">
                                    {hy.confidence.iter().filter(|s| !s.note.is_empty()).map(|s| view! { <li>{format!("{}%: {}", s.value, s.note)}</li> }).collect_view()}
                                </ul>
                            })}
                            {(!hy.evidence_for.is_empty()).then(|| view! { <h3>"Evidence for"</h3><Md html=h(&format!("hypotheses.{n}.evidence_for"))/> })}
                            {(!hy.evidence_against.is_empty()).then(|| view! { <h3>"Evidence against"</h3><Md html=h(&format!("hypotheses.{n}.evidence_against"))/> })}
                        </li>
                    }).collect_view()}
                </ol>
            }
    .into_any()
}

/// The root causes section's body.
pub(super) fn causes(i: &Postmortem, v: &PostmortemView) -> AnyView {
    let p = &i.parts;
    let h = |path: &str| v.html(path);
    view! {
                <Md html=h("root_cause")/>
                <ul class="causes">
                    {p.causes.iter().enumerate().map(|(n, c)| view! {
                        <li>
                            <span class="badge">{label(CauseLevel::parse, CauseLevel::label, &c.level)}</span>" "
                            {c.statement.clone()}
                            {c.confidence.map(|v| format!(" ({v}% confident)"))}
                            {Prevents::parse(&c.prevents).map(|answer| view! {
                                <p class="verification">{format!("If we fix this, does it prevent a recurrence? {}", answer.label())}</p>
                            })}
                            <Md html=h(&format!("causes.{n}.evidence"))/>
                        </li>
                    }).collect_view()}
                </ul>
            }
    .into_any()
}

/// The resolution section's body.
pub(super) fn mitigations(i: &Postmortem, v: &PostmortemView) -> AnyView {
    let p = &i.parts;
    let h = |path: &str| v.html(path);
    view! {
                <Md html=h("mitigation")/>
                <ul class="attempts">
                    {p.mitigations.iter().enumerate().map(|(n, m)| view! {
                        <li>
                            {m.action.clone()}" "
                            <span class=format!("badge result-{}", m.result)>{label(MitigationResult::parse, MitigationResult::label, &m.result)}</span>
                            <Md html=h(&format!("mitigations.{n}.note"))/>
                        </li>
                    }).collect_view()}
                </ul>
            }
    .into_any()
}

/// The learnings section's body.
pub(super) fn learnings(i: &Postmortem, v: &PostmortemView) -> AnyView {
    let p = &i.parts;
    let h = |path: &str| v.html(path);
    view! {
                {p.learnings.iter().enumerate().map(|(n, l)| {
                    let kind = label(LearningKind::parse, LearningKind::label, &l.kind);
                    if l.kind == LearningKind::Pattern.as_str() {
                        view! {
                            <div class="pattern">
                                <h3>{format!("Pattern: {}", l.title)}</h3>
                                <dl>
                                    <dt>"Symptoms"</dt><dd><Md html=h(&format!("learnings.{n}.symptoms"))/></dd>
                                    <dt>"Root cause"</dt><dd><Md html=h(&format!("learnings.{n}.root_cause"))/></dd>
                                    <dt>"Detection"</dt><dd><Md html=h(&format!("learnings.{n}.detection"))/></dd>
                                    <dt>"Resolution"</dt><dd><Md html=h(&format!("learnings.{n}.resolution"))/></dd>
                                </dl>
                            </div>
                        }.into_any()
                    } else {
                        view! {
                            <div class="lesson">
                                <h3>{format!("{kind}: {}", l.title)}</h3>
                                <Md html=h(&format!("learnings.{n}.text"))/>
                            </div>
                        }.into_any()
                    }
                }).collect_view()}
            }
    .into_any()
}

/// The action items section's body.
pub(super) fn action_items(i: &Postmortem, today: &str) -> AnyView {
    let p = &i.parts;
    let done = p
        .action_items
        .iter()
        .filter(|a| a.status == ActionStatus::Done.as_str())
        .count();
    let total_items = p.action_items.len();
    view! {
                <p class="progress">
                    <progress max=total_items value=done aria-hidden="true"></progress>
                    " " <span class="progress-text">{format!("{done} of {total_items} done")}</span>
                    " · " <a href=format!("/action-items?postmortem={}", i.id)>"Track these items"</a>
                </p>
                <table class="action-items">
                    <thead><tr><th>"Action"</th><th>"Owner"</th><th>"Due"</th><th>"Priority"</th><th>"Status"</th><th>"Kind"</th><th>"Tracker"</th></tr></thead>
                    <tbody>
                        {p.action_items.iter().map(|a| {
                            let tracker = a.tracker.clone();
                            let link = tracker.starts_with("http://") || tracker.starts_with("https://");
                            let overdue = !kb_domain::actions::is_closed(&a.status)
                                && a.due.as_deref().is_some_and(|due| due < today);
                            view! {
                                <tr class:overdue=overdue>
                                    <td>{overdue.then(|| view! { <span class="badge overdue-badge">"Overdue"</span>" " })}{a.title.clone()}{(!a.expected_effect.is_empty()).then(|| view! { <small class="effect">{format!("Expected: {}", a.expected_effect)}</small> })}</td>
                                    <td>{a.owner.clone()}</td>
                                    <td>{a.due.clone().unwrap_or_default()}</td>
                                    <td>{label(Priority::parse, Priority::label, &a.priority)}</td>
                                    <td>{label(ActionStatus::parse, ActionStatus::label, &a.status)}</td>
                                    <td>{label(ActionKind::parse, ActionKind::label, &a.kind)}</td>
                                    <td>{if link {
                                        view! { <a href=tracker.clone() rel="noopener noreferrer nofollow">{tracker.clone()}</a> }.into_any()
                                    } else {
                                        tracker.clone().into_any()
                                    }}</td>
                                </tr>
                            }
                            .into_any()
                        }).collect_view()}
                    </tbody>
                </table>
            }
    .into_any()
}

/// The related incidents section's body.
pub(super) fn related(i: &Postmortem) -> AnyView {
    view! {
        <ul class="related">
            {i.related.iter().map(|r| {
                let kind = label(LinkKind::parse, LinkKind::label, &r.kind);
                let relation = match (r.kind.as_str(), r.outgoing) {
                    ("earlier_occurrence", true) => "Earlier occurrence".to_string(),
                    ("earlier_occurrence", false) => "Later recurrence".to_string(),
                    (_, _) => kind,
                };
                view! {
                    <li>
                        <span class="badge">{relation}</span>" "
                        <a href=format!("/incidents/{}", r.id)>{r.title.clone()}</a>
                        {r.date.clone().map(|d| format!(" ({d})"))}
                        {(!r.note.is_empty()).then(|| format!(": {}", r.note))}
                    </li>
                }
                .into_any()
            }).collect_view()}
        </ul>
    }
    .into_any()
}
