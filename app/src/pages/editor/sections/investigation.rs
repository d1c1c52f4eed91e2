//! The investigation's sections: timeline, evidence, hypotheses with their
//! confidence over time, the five whys, causes and mitigations tried.

use super::super::fields::{Check, Choice, Markdown, Number, Text, Verbatim};
use super::super::Errors;
use super::{Part, Rows};
use crate::pages::options;
use kb_domain::record::{
    CauseLevel, ConfidenceStep, EvidenceKind, HypothesisOutcome, MitigationResult, TimelineKind,
};
use kb_domain::PostmortemInput;
use leptos::prelude::*;

#[component]
pub fn Timeline(draft: RwSignal<PostmortemInput>, errors: Errors) -> impl IntoView {
    view! {
        <Part id="timeline" title="Timeline" guidance="What happened when. Use an absolute time (YYYY-MM-DD HH:MM) or T+mm:ss from the start; entries are sorted on save.">
            <Rows draft list=|d| &mut d.parts.timeline name="timeline" noun="timeline entry" row=move |i| {
                let (at_g, at_s) = row!(draft, timeline, i, at);
                let (k_g, k_s) = row!(draft, timeline, i, kind);
                let (t_g, t_s) = row!(draft, timeline, i, text);
                let (w_g, w_s) = row!(draft, timeline, i, who);
                view! {
                    <div class="grid">
                        <Text label="Time" id=format!("timeline-{i}-at") field=format!("timeline.{i}.at") get=at_g set=at_s errors placeholder="T+05:00"/>
                        <Choice label="Kind" id=format!("timeline-{i}-kind") field=format!("timeline.{i}.kind") options=opts!(TimelineKind) get=k_g set=k_s errors/>
                        <Text label="Who" id=format!("timeline-{i}-who") field=format!("timeline.{i}.who") get=w_g set=w_s errors/>
                    </div>
                    <Text label="What happened" id=format!("timeline-{i}-text") field=format!("timeline.{i}.text") get=t_g set=t_s errors/>
                }
                .into_any()
            }/>
        </Part>
    }
    .into_any()
}

#[component]
pub fn EvidenceList(draft: RwSignal<PostmortemInput>, errors: Errors) -> impl IntoView {
    view! {
        <Part id="evidence" title="Evidence" guidance="Paste alert text, log lines, metric readings and config diffs exactly as they were. They are kept verbatim and searched.">
            <Rows draft list=|d| &mut d.parts.evidence name="evidence" noun="evidence" row=move |i| {
                let (k_g, k_s) = row!(draft, evidence, i, kind);
                let (c_g, c_s) = row!(draft, evidence, i, caption);
                let (b_g, b_s) = row!(draft, evidence, i, body);
                view! {
                    <div class="grid">
                        <Choice label="Kind" id=format!("evidence-{i}-kind") field=format!("evidence.{i}.kind") options=opts!(EvidenceKind) get=k_g set=k_s errors/>
                        <Text label="Caption" id=format!("evidence-{i}-caption") field=format!("evidence.{i}.caption") get=c_g set=c_s errors/>
                    </div>
                    <Verbatim label="Material" id=format!("evidence-{i}-body") field=format!("evidence.{i}.body") get=b_g set=b_s errors/>
                }
                .into_any()
            }/>
        </Part>
    }
    .into_any()
}

#[component]
pub fn Hypotheses(draft: RwSignal<PostmortemInput>, errors: Errors) -> impl IntoView {
    view! {
        <Part id="hypotheses" title="Hypotheses" guidance="Every explanation the team considered, and how confident you were as evidence came in (for example 40%, then 85%). Refuted ones teach as much as the confirmed one.">
            <Rows draft list=|d| &mut d.parts.hypotheses name="hypotheses" noun="hypothesis" row=move |i| {
                let (s_g, s_s) = row!(draft, hypotheses, i, statement);
                let (o_g, o_s) = row!(draft, hypotheses, i, outcome);
                let (f_g, f_s) = row!(draft, hypotheses, i, evidence_for);
                let (a_g, a_s) = row!(draft, hypotheses, i, evidence_against);
                view! {
                    <div class="grid">
                        <Text label="Hypothesis" id=format!("hypotheses-{i}-statement") field=format!("hypotheses.{i}.statement") get=s_g set=s_s errors/>
                        <Choice label="Outcome" id=format!("hypotheses-{i}-outcome") field=format!("hypotheses.{i}.outcome") options=opts!(HypothesisOutcome) get=o_g set=o_s errors/>
                    </div>
                    <Confidence draft errors i/>
                    <Markdown label="Evidence for" id=format!("hypotheses-{i}-evidence_for") field=format!("hypotheses.{i}.evidence_for") get=f_g set=f_s errors rows=3/>
                    <Markdown label="Evidence against" id=format!("hypotheses-{i}-evidence_against") field=format!("hypotheses.{i}.evidence_against") get=a_g set=a_s errors rows=3/>
                }
                .into_any()
            }/>
        </Part>
    }
    .into_any()
}

/// The confidence steps of hypothesis `i`.
#[component]
fn Confidence(draft: RwSignal<PostmortemInput>, errors: Errors, i: usize) -> impl IntoView {
    let steps = Memo::new(move |_| {
        draft.with(|d| {
            d.parts
                .hypotheses
                .get(i)
                .map(|h| h.confidence.len())
                .unwrap_or(0)
        })
    });
    let step = move |j: usize| {
        (
            move || {
                draft.with(|d| {
                    d.parts
                        .hypotheses
                        .get(i)
                        .and_then(|h| h.confidence.get(j))
                        .map(|s| s.value)
                })
            },
            move |v: Option<i64>| {
                draft.update(|d| {
                    if let Some(s) = d
                        .parts
                        .hypotheses
                        .get_mut(i)
                        .and_then(|h| h.confidence.get_mut(j))
                    {
                        s.value = v.unwrap_or_default();
                    }
                })
            },
            move || {
                draft.with(|d| {
                    d.parts
                        .hypotheses
                        .get(i)
                        .and_then(|h| h.confidence.get(j))
                        .map(|s| s.note.clone())
                        .unwrap_or_default()
                })
            },
            move |v: String| {
                draft.update(|d| {
                    if let Some(s) = d
                        .parts
                        .hypotheses
                        .get_mut(i)
                        .and_then(|h| h.confidence.get_mut(j))
                    {
                        s.note = v;
                    }
                })
            },
        )
    };
    view! {
        <fieldset class="confidence">
            <legend>"Confidence as it changed"</legend>
            <ol>
                <For each=move || 0..steps.get() key=|j| *j let:j>
                    {
                        let (vg, vs, ng, ns) = step(j);
                        view! {
                            <li class="grid" data-step=j>
                                <Number label="Confidence %" id=format!("hypotheses-{i}-confidence-{j}") field=format!("hypotheses.{i}.confidence.{j}") get=vg set=vs errors min=0 max=100/>
                                <Text label="What changed it" id=format!("hypotheses-{i}-confidence-{j}-note") field=format!("hypotheses.{i}.confidence.{j}.note") get=ng set=ns errors/>
                                <button type="button" class="icon danger" aria-label=format!("Remove confidence step {}", j + 1)
                                    on:click=move |_| draft.update(|d| {
                                        if let Some(h) = d.parts.hypotheses.get_mut(i) {
                                            if j < h.confidence.len() { h.confidence.remove(j); }
                                        }
                                    })>"✕"</button>
                            </li>
                        }
                        .into_any()
                    }
                </For>
            </ol>
            <button type="button" class="secondary add" on:click=move |_| draft.update(|d| {
                if let Some(h) = d.parts.hypotheses.get_mut(i) {
                    let last = h.confidence.last().map(|s| s.value).unwrap_or(50);
                    h.confidence.push(ConfidenceStep { value: last, note: String::new() });
                }
            })>"Add confidence step"</button>
        </fieldset>
    }
    .into_any()
}

#[component]
pub fn Whys(draft: RwSignal<PostmortemInput>, errors: Errors) -> impl IntoView {
    view! {
        <Part id="whys" title="Why-chain" guidance="Ask why, answer, and ask why of the answer, until you reach something you can act on. Mark that level.">
            <Rows draft list=|d| &mut d.parts.whys name="whys" noun="why" row=move |i| {
                let (q_g, q_s) = row!(draft, whys, i, question);
                let (a_g, a_s) = row!(draft, whys, i, answer);
                let (x_g, x_s) = row!(draft, whys, i, actionable);
                view! {
                    <Text label="Why?" id=format!("whys-{i}-question") field=format!("whys.{i}.question") get=q_g set=q_s errors placeholder="Why did …?"/>
                    <Text label="Because" id=format!("whys-{i}-answer") field=format!("whys.{i}.answer") get=a_g set=a_s errors/>
                    <Check label="Something actionable was found here" id=format!("whys-{i}-actionable") get=x_g set=x_s/>
                }
                .into_any()
            }/>
        </Part>
    }
    .into_any()
}

#[component]
pub fn Causes(
    draft: RwSignal<PostmortemInput>,
    errors: Errors,
    more: impl Fn() -> bool + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let (rc_g, rc_s) = text!(draft, root_cause);
    view! {
        <Part id="causes" title="Root causes" guidance="The immediate cause (what broke), contributing causes (what made it possible or worse) and the systemic cause (why the system allowed it), each with your confidence and the evidence.">
            <Markdown label="Root cause in short" id="root_cause".into() field="root_cause".into() get=rc_g set=rc_s errors rows=3/>
            <Show when=more>
                <Rows draft list=|d| &mut d.parts.causes name="causes" noun="cause" row=move |i| {
                    let (l_g, l_s) = row!(draft, causes, i, level);
                    let (s_g, s_s) = row!(draft, causes, i, statement);
                    let (c_g, c_s) = row!(draft, causes, i, confidence);
                    let (e_g, e_s) = row!(draft, causes, i, evidence);
                    view! {
                        <div class="grid">
                            <Choice label="Level" id=format!("causes-{i}-level") field=format!("causes.{i}.level") options=opts!(CauseLevel) get=l_g set=l_s errors/>
                            <Number label="Confidence %" id=format!("causes-{i}-confidence") field=format!("causes.{i}.confidence") get=c_g set=c_s errors min=0 max=100/>
                        </div>
                        <Text label="Cause" id=format!("causes-{i}-statement") field=format!("causes.{i}.statement") get=s_g set=s_s errors/>
                        <Markdown label="Evidence" id=format!("causes-{i}-evidence") field=format!("causes.{i}.evidence") get=e_g set=e_s errors rows=3/>
                    }
                    .into_any()
                }/>
            </Show>
        </Part>
    }
    .into_any()
}

#[component]
pub fn Mitigations(
    draft: RwSignal<PostmortemInput>,
    errors: Errors,
    more: impl Fn() -> bool + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let (m_g, m_s) = text!(draft, mitigation);
    view! {
        <Part id="mitigations" title="Resolution and attempts" guidance="What finally fixed it, and every attempt on the way, including those that did not help.">
            <Markdown label="What fixed it" id="mitigation".into() field="mitigation".into() get=m_g set=m_s errors rows=3/>
            <Show when=more>
                <Rows draft list=|d| &mut d.parts.mitigations name="mitigations" noun="attempt" row=move |i| {
                    let (a_g, a_s) = row!(draft, mitigations, i, action);
                    let (r_g, r_s) = row!(draft, mitigations, i, result);
                    let (n_g, n_s) = row!(draft, mitigations, i, note);
                    view! {
                        <div class="grid">
                            <Text label="What was tried" id=format!("mitigations-{i}-action") field=format!("mitigations.{i}.action") get=a_g set=a_s errors/>
                            <Choice label="Result" id=format!("mitigations-{i}-result") field=format!("mitigations.{i}.result") options=opts!(MitigationResult) get=r_g set=r_s errors/>
                        </div>
                        <Markdown label="Notes" id=format!("mitigations-{i}-note") field=format!("mitigations.{i}.note") get=n_g set=n_s errors rows=2/>
                    }
                    .into_any()
                }/>
            </Show>
        </Part>
    }
    .into_any()
}
