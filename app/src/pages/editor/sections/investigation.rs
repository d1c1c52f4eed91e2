//! The investigation's sections: timeline, evidence, hypotheses with their
//! confidence over time, the five whys, causes and mitigations tried.

use super::super::fields::{Check, Choice, Markdown, Number, Text, Verbatim};
use super::super::Errors;
use super::{Part, Rows};
use crate::pages::options;
use kb_domain::record::{
    CauseLevel, ConfidenceStep, EvidenceKind, HypothesisOutcome, MitigationResult, Prevents,
    TimelineKind,
};
use kb_domain::PostmortemInput;
use leptos::prelude::*;

#[component]
pub fn Timeline(draft: RwSignal<PostmortemInput>, errors: Errors) -> impl IntoView {
    view! {
        <Part id="timeline" title="Timeline" guidance="What happened when. Use an absolute time (YYYY-MM-DD HH:MM) or T+mm:ss from the start; entries are sorted on save.">
            <Rows draft list=list_ops!(timeline) name="timeline" noun="timeline entry" row=move |i| {
                let (at_g, at_s, at_f) = row!(draft, timeline, i, at);
                let (k_g, k_s, k_f) = row!(draft, timeline, i, kind);
                let (t_g, t_s, t_f) = row!(draft, timeline, i, text);
                let (w_g, w_s, w_f) = row!(draft, timeline, i, who);
                view! {
                    <div class="grid">
                        <Text label="Time" field=at_f get=at_g set=at_s errors placeholder="T+05:00"/>
                        <Choice label="Kind" field=k_f options=opts!(TimelineKind) get=k_g set=k_s errors/>
                        <Text label="Who" field=w_f get=w_g set=w_s errors/>
                    </div>
                    <Text label="What happened" field=t_f get=t_g set=t_s errors/>
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
            <Rows draft list=list_ops!(evidence) name="evidence" noun="evidence" row=move |i| {
                let (k_g, k_s, k_f) = row!(draft, evidence, i, kind);
                let (c_g, c_s, c_f) = row!(draft, evidence, i, caption);
                let (b_g, b_s, b_f) = row!(draft, evidence, i, body);
                view! {
                    <div class="grid">
                        <Choice label="Kind" field=k_f options=opts!(EvidenceKind) get=k_g set=k_s errors/>
                        <Text label="Caption" field=c_f get=c_g set=c_s errors/>
                    </div>
                    <Verbatim label="Material" field=b_f get=b_g set=b_s errors/>
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
            <Rows draft list=list_ops!(hypotheses) name="hypotheses" noun="hypothesis" row=move |i| {
                let (s_g, s_s, s_f) = row!(draft, hypotheses, i, statement);
                let (o_g, o_s, o_f) = row!(draft, hypotheses, i, outcome);
                let (f_g, f_s, f_f) = row!(draft, hypotheses, i, evidence_for);
                let (a_g, a_s, a_f) = row!(draft, hypotheses, i, evidence_against);
                view! {
                    <div class="grid">
                        <Text label="Hypothesis" field=s_f get=s_g set=s_s errors/>
                        <Choice label="Outcome" field=o_f options=opts!(HypothesisOutcome) get=o_g set=o_s errors/>
                    </div>
                    <Confidence draft errors i/>
                    <Markdown label="Evidence for" field=f_f get=f_g set=f_s errors rows=3/>
                    <Markdown label="Evidence against" field=a_f get=a_g set=a_s errors rows=3/>
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
                                <Number label="Confidence %" field=format!("hypotheses.{i}.confidence.{j}") get=vg set=vs errors min=0 max=100/>
                                <Text label="What changed it" field=format!("hypotheses.{i}.confidence.{j}.note") get=ng set=ns errors/>
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
            <Rows draft list=list_ops!(whys) name="whys" noun="why" row=move |i| {
                let (q_g, q_s, q_f) = row!(draft, whys, i, question);
                let (a_g, a_s, a_f) = row!(draft, whys, i, answer);
                let (x_g, x_s, x_f) = row!(draft, whys, i, actionable);
                view! {
                    <Text label="Why?" field=q_f get=q_g set=q_s errors placeholder="Why did …?"/>
                    <Text label="Because" field=a_f get=a_g set=a_s errors/>
                    <Check label="Something actionable was found here" field=x_f get=x_g set=x_s/>
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
            <Markdown label="Root cause in short" field="root_cause".into() get=rc_g set=rc_s errors rows=3/>
            <Show when=more>
                <Rows draft list=list_ops!(causes) name="causes" noun="cause" row=move |i| {
                    let (l_g, l_s, l_f) = row!(draft, causes, i, level);
                    let (s_g, s_s, s_f) = row!(draft, causes, i, statement);
                    let (c_g, c_s, c_f) = row!(draft, causes, i, confidence);
                    let (e_g, e_s, e_f) = row!(draft, causes, i, evidence);
                    let (p_g, p_s, p_f) = row!(draft, causes, i, prevents);
                    let mut answers = vec![("", "Not answered yet")];
                    answers.extend(opts!(Prevents));
                    view! {
                        <div class="grid">
                            <Choice label="Level" field=l_f options=opts!(CauseLevel) get=l_g set=l_s errors/>
                            <Number label="Confidence %" field=c_f get=c_g set=c_s errors min=0 max=100/>
                            <Choice label="If we fix this, does it prevent a recurrence?" field=p_f options=answers get=p_g set=p_s errors/>
                        </div>
                        <Text label="Cause" field=s_f get=s_g set=s_s errors/>
                        <Markdown label="Evidence" field=e_f get=e_g set=e_s errors rows=3/>
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
            <Markdown label="What fixed it" field="mitigation".into() get=m_g set=m_s errors rows=3/>
            <Show when=more>
                <Rows draft list=list_ops!(mitigations) name="mitigations" noun="attempt" row=move |i| {
                    let (a_g, a_s, a_f) = row!(draft, mitigations, i, action);
                    let (r_g, r_s, r_f) = row!(draft, mitigations, i, result);
                    let (n_g, n_s, n_f) = row!(draft, mitigations, i, note);
                    view! {
                        <div class="grid">
                            <Text label="What was tried" field=a_f get=a_g set=a_s errors/>
                            <Choice label="Result" field=r_f options=opts!(MitigationResult) get=r_g set=r_s errors/>
                        </div>
                        <Markdown label="Notes" field=n_f get=n_g set=n_s errors rows=2/>
                    }
                    .into_any()
                }/>
            </Show>
        </Part>
    }
    .into_any()
}
