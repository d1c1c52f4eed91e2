//! The editor's sections, one per part of the record, each with its
//! guidance text. List sections share [`Rows`]: add, move up, move down,
//! remove, all in place.

use super::fields::{Check, Choice, Markdown, Number, Text, Verbatim};
use super::Errors;
use crate::pages::options;
use kb_domain::record::{
    ActionKind, ActionStatus, CauseLevel, ConfidenceStep, EvidenceKind, HypothesisOutcome,
    LearningKind, LinkKind, MitigationResult, Priority, TimelineKind, WriteupStatus,
};
use kb_domain::{IncidentInput, Severity};
use leptos::prelude::*;

/// `(getter, setter)` for a `String` field of the draft.
macro_rules! text {
    ($draft:ident, $($f:ident).+) => {
        (
            move || $draft.with(|d| d.$($f).+.clone()),
            move |v: String| $draft.update(|d| d.$($f).+ = v),
        )
    };
}

/// `(getter, setter)` for an `Option<String>` field, empty meaning None.
macro_rules! opt_text {
    ($draft:ident, $($f:ident).+) => {
        (
            move || $draft.with(|d| d.$($f).+.clone().unwrap_or_default()),
            move |v: String| $draft.update(|d| d.$($f).+ = (!v.trim().is_empty()).then_some(v)),
        )
    };
}

/// `(getter, setter)` for a list of names typed comma-separated.
macro_rules! names {
    ($draft:ident, $($f:ident).+) => {
        (
            move || $draft.with(|d| d.$($f).+.join(", ")),
            move |v: String| $draft.update(|d| d.$($f).+ = kb_domain::incident::split_list(&v)),
        )
    };
}

/// `(getter, setter)` for field `f` of row `i` of list `list` in the parts.
/// A row removed while its controls are being disposed reads as empty.
macro_rules! row {
    ($draft:ident, $list:ident, $i:ident, $($f:ident).+) => {
        (
            move || $draft.with(|d| d.parts.$list.get($i).map(|r| r.$($f).+.clone()).unwrap_or_default()),
            move |v| $draft.update(|d| if let Some(r) = d.parts.$list.get_mut($i) { r.$($f).+ = v; }),
        )
    };
}

macro_rules! opts {
    ($t:ty) => {
        options(<$t>::ALL, <$t>::as_str, <$t>::label)
    };
}

/// A section of the editor: heading, guidance, content.
#[component]
fn Part(
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

/// The rows of one list with their move and remove buttons, and "Add".
#[component]
fn Rows<T, R, V>(
    draft: RwSignal<IncidentInput>,
    /// The list inside the draft.
    list: fn(&mut IncidentInput) -> &mut Vec<T>,
    /// Field prefix, e.g. `timeline`; rows are `timeline.0`, `timeline.1`, ...
    name: &'static str,
    /// What one row is called: "entry" gives "Add entry", "Remove entry 2".
    noun: &'static str,
    /// The controls of row `i`.
    row: R,
    /// The new row's content.
    #[prop(optional)]
    fresh: Option<fn() -> T>,
) -> impl IntoView
where
    T: Default + 'static,
    R: Fn(usize) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let count = Memo::new(move |_| {
        // The lens needs `&mut`; read the length without notifying anyone,
        // and subscribe by hand.
        draft.track();
        let mut n = 0;
        draft.update_untracked(|d| n = list(d).len());
        n
    });
    let move_row = move |from: usize, to: usize| {
        draft.update(|d| {
            let rows = list(d);
            if from < rows.len() && to < rows.len() {
                rows.swap(from, to);
            }
        })
    };
    view! {
        <ol class="rows" data-list=name>
            <For each=move || 0..count.get() key=|i| *i let:i>
                {
                    let n = i + 1;
                    let row = row.clone();
                    view! {
                        <li class="row" data-row=format!("{name}-{i}")>
                            <div class="row-body">{row(i)}</div>
                            <div class="row-tools">
                                <button type="button" class="icon" disabled=i == 0
                                    aria-label=format!("Move {noun} {n} up")
                                    on:click=move |_| move_row(i, i - 1)>"↑"</button>
                                <button type="button" class="icon" disabled=move || { i + 1 >= count.get() }
                                    aria-label=format!("Move {noun} {n} down")
                                    on:click=move |_| move_row(i, i + 1)>"↓"</button>
                                <button type="button" class="icon danger"
                                    aria-label=format!("Remove {noun} {n}")
                                    on:click=move |_| draft.update(|d| {
                                        let rows = list(d);
                                        if i < rows.len() {
                                            rows.remove(i);
                                        }
                                    })>"✕"</button>
                            </div>
                        </li>
                    }
                    .into_any()
                }
            </For>
        </ol>
        <button type="button" class="secondary add" on:click=move |_| draft.update(|d| {
            list(d).push(fresh.map(|f| f()).unwrap_or_default())
        })>{format!("Add {noun}")}</button>
    }
    .into_any()
}

/// Every section of the record. Those a quick write-up skips are shown
/// when `show_all` is set.
#[component]
pub fn Sections(
    draft: RwSignal<IncidentInput>,
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
pub fn one(anchor: &str, draft: RwSignal<IncidentInput>, errors: Errors) -> AnyView {
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
fn Summary(draft: RwSignal<IncidentInput>, errors: Errors) -> impl IntoView {
    let (g, s) = text!(draft, summary);
    view! {
        <Part id="summary" title="Summary" guidance="Two or three sentences a reader skimming the list needs: what broke, for whom, for how long, and what fixed it.">
            <Markdown label="Summary" id="summary".into() field="summary".into() get=g set=s errors rows=5/>
        </Part>
    }
    .into_any()
}

#[component]
fn Narrative(draft: RwSignal<IncidentInput>, errors: Errors) -> impl IntoView {
    let (g, s) = text!(draft, parts.narrative);
    view! {
        <Part id="narrative" title="Narrative" guidance="The story in full: what happened, how it was noticed, how the team responded, what went well and what was hard.">
            <Markdown label="Narrative" id="narrative".into() field="narrative".into() get=g set=s errors rows=12/>
        </Part>
    }
    .into_any()
}

#[component]
pub fn Header(draft: RwSignal<IncidentInput>, errors: Errors) -> impl IntoView {
    let (title_get, title_set) = text!(draft, title);
    let (sev_get, sev_set) = opt_text!(draft, severity);
    let (status_get, status_set) = text!(draft, parts.status);
    let (svc_get, svc_set) = names!(draft, services);
    let (teams_get, teams_set) = names!(draft, parts.teams);
    let (tags_get, tags_set) = names!(draft, labels);
    let (authors_get, authors_set) = names!(draft, parts.authors);
    let mut severities = vec![("", "Choose…")];
    severities.extend(Severity::ALL.iter().map(|s| (s.as_str(), s.as_str())));
    view! {
        <Part id="header" title="Header" guidance="Name the incident by its effect, not its cause (\"Checkout failing every 20 minutes\"). Severity is how bad it was for users.">
            <Text label="Title" id="title".into() field="title".into() get=title_get set=title_set errors
                placeholder="What users saw, in a few words"/>
            <div class="grid">
                <Choice label="Severity" id="severity".into() field="severity".into() options=severities
                    get=sev_get set=sev_set errors/>
                <Choice label="Write-up status" id="status".into() field="status".into()
                    options=opts!(WriteupStatus) get=status_get set=status_set errors/>
            </div>
            <div class="grid">
                <Text label="Services" id="services".into() field="services".into() get=svc_get set=svc_set errors
                    placeholder="payments, checkout"/>
                <Text label="Teams" id="teams".into() field="teams".into() get=teams_get set=teams_set errors
                    placeholder="payments-oncall"/>
                <Text label="Tags" id="labels".into() field="labels".into() get=tags_get set=tags_set errors
                    placeholder="config-change, redis"/>
                <Text label="Authors" id="authors".into() field="authors".into() get=authors_get set=authors_set errors/>
            </div>
        </Part>
    }
    .into_any()
}

#[component]
pub fn Clock(draft: RwSignal<IncidentInput>, errors: Errors) -> impl IntoView {
    let (s_get, s_set) = opt_text!(draft, parts.started_at);
    let (d_get, d_set) = opt_text!(draft, parts.detected_at);
    let (m_get, m_set) = opt_text!(draft, parts.mitigated_at);
    let (r_get, r_set) = opt_text!(draft, parts.resolved_at);
    let durations = move || draft.with(|d| d.parts.durations());
    let show = |m: Option<i64>| {
        m.map(kb_domain::record::format_minutes)
            .unwrap_or_else(|| "—".into())
    };
    view! {
        <Part id="clock" title="Clock" guidance="Times in UTC as YYYY-MM-DD HH:MM. The time to detect, mitigate and resolve follows from them.">
            <div class="grid">
                <Text label="Started" id="started_at".into() field="started_at".into() get=s_get set=s_set errors placeholder="2024-03-15 14:02"/>
                <Text label="Detected" id="detected_at".into() field="detected_at".into() get=d_get set=d_set errors/>
                <Text label="Mitigated" id="mitigated_at".into() field="mitigated_at".into() get=m_get set=m_set errors/>
                <Text label="Resolved" id="resolved_at".into() field="resolved_at".into() get=r_get set=r_set errors/>
            </div>
            <p class="durations">
                {move || format!(
                    "Time to detect: {} · to mitigate: {} · to resolve: {}",
                    show(durations().to_detect),
                    show(durations().to_mitigate),
                    show(durations().to_resolve)
                )}
            </p>
        </Part>
    }
    .into_any()
}

#[component]
pub fn Impact(draft: RwSignal<IncidentInput>, errors: Errors) -> impl IntoView {
    let num = |get: fn(&IncidentInput) -> Option<i64>, set: fn(&mut IncidentInput, Option<i64>)| {
        (
            move || draft.with(get),
            move |v| draft.update(|d| set(d, v)),
        )
    };
    let (u_get, u_set) = num(
        |d| d.parts.users_affected,
        |d, v| d.parts.users_affected = v,
    );
    let (r_get, r_set) = num(
        |d| d.parts.requests_failed,
        |d, v| d.parts.requests_failed = v,
    );
    let (m_get, m_set) = num(|d| d.parts.money_lost, |d, v| d.parts.money_lost = v);
    let (c_get, c_set) = opt_text!(draft, parts.currency);
    let (t_get, t_set) = text!(draft, impact);
    view! {
        <Part id="impact" title="Impact" guidance="Who and what was affected, in numbers where you have them.">
            <div class="grid">
                <Number label="Users affected" id="users_affected".into() field="users_affected".into() get=u_get set=u_set errors min=0/>
                <Number label="Requests or orders failed" id="requests_failed".into() field="requests_failed".into() get=r_get set=r_set errors min=0/>
                <Number label="Money lost" id="money_lost".into() field="money_lost".into() get=m_get set=m_set errors min=0/>
                <Text label="Currency" id="currency".into() field="currency".into() get=c_get set=c_set errors placeholder="USD"/>
            </div>
            <Markdown label="Impact" id="impact".into() field="impact".into() get=t_get set=t_set errors rows=4/>
        </Part>
    }
    .into_any()
}

#[component]
pub fn Timeline(draft: RwSignal<IncidentInput>, errors: Errors) -> impl IntoView {
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
pub fn EvidenceList(draft: RwSignal<IncidentInput>, errors: Errors) -> impl IntoView {
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
pub fn Hypotheses(draft: RwSignal<IncidentInput>, errors: Errors) -> impl IntoView {
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
fn Confidence(draft: RwSignal<IncidentInput>, errors: Errors, i: usize) -> impl IntoView {
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
pub fn Whys(draft: RwSignal<IncidentInput>, errors: Errors) -> impl IntoView {
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
    draft: RwSignal<IncidentInput>,
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
    draft: RwSignal<IncidentInput>,
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

#[component]
pub fn Learnings(draft: RwSignal<IncidentInput>, errors: Errors) -> impl IntoView {
    view! {
        <Part id="learnings" title="Learnings" guidance="A pattern is what the next on-call engineer will recognise: give it a name and describe its symptoms the way they would paste them (alert names, error messages). Other lessons: diagnostic, process, cultural.">
            <Rows draft list=|d| &mut d.parts.learnings name="learnings" noun="learning" row=move |i| {
                let (k_g, k_s) = row!(draft, learnings, i, kind);
                let (t_g, t_s) = row!(draft, learnings, i, title);
                let (x_g, x_s) = row!(draft, learnings, i, text);
                let (s_g, s_s) = row!(draft, learnings, i, symptoms);
                let (r_g, r_s) = row!(draft, learnings, i, root_cause);
                let (d_g, d_s) = row!(draft, learnings, i, detection);
                let (f_g, f_s) = row!(draft, learnings, i, resolution);
                let pattern = move || draft.with(|d| d.parts.learnings.get(i).is_some_and(|l| l.kind == LearningKind::Pattern.as_str()));
                view! {
                    <div class="grid">
                        <Choice label="Kind" id=format!("learnings-{i}-kind") field=format!("learnings.{i}.kind") options=opts!(LearningKind) get=k_g set=k_s errors/>
                        <Text label="Name or lesson" id=format!("learnings-{i}-title") field=format!("learnings.{i}.title") get=t_g set=t_s errors/>
                    </div>
                    <Show when=pattern fallback=move || view! {
                        <Markdown label="Lesson" id=format!("learnings-{i}-text") field=format!("learnings.{i}.text") get=x_g set=x_s errors rows=3/>
                    }>
                        <Markdown label="Symptoms" id=format!("learnings-{i}-symptoms") field=format!("learnings.{i}.symptoms") get=s_g set=s_s errors rows=3/>
                        <Markdown label="Pattern root cause" id=format!("learnings-{i}-root_cause") field=format!("learnings.{i}.root_cause") get=r_g set=r_s errors rows=2/>
                        <Markdown label="How to detect it" id=format!("learnings-{i}-detection") field=format!("learnings.{i}.detection") get=d_g set=d_s errors rows=2/>
                        <Markdown label="How to resolve it" id=format!("learnings-{i}-resolution") field=format!("learnings.{i}.resolution") get=f_g set=f_s errors rows=2/>
                    </Show>
                }
                .into_any()
            }/>
        </Part>
    }
    .into_any()
}

#[component]
pub fn ActionItems(draft: RwSignal<IncidentInput>, errors: Errors) -> impl IntoView {
    view! {
        <Part id="action_items" title="Action items" guidance="Follow-ups that would have prevented this, shortened it or caught it sooner. Each needs an owner and a due date to get done.">
            <Rows draft list=|d| &mut d.parts.action_items name="action_items" noun="action item" row=move |i| {
                let (t_g, t_s) = row!(draft, action_items, i, title);
                let (o_g, o_s) = row!(draft, action_items, i, owner);
                let (d_g, d_s) = (
                    move || draft.with(|d| d.parts.action_items.get(i).and_then(|r| r.due.clone()).unwrap_or_default()),
                    move |v: String| draft.update(|d| if let Some(r) = d.parts.action_items.get_mut(i) { r.due = (!v.trim().is_empty()).then_some(v); }),
                );
                let (p_g, p_s) = row!(draft, action_items, i, priority);
                let (s_g, s_s) = row!(draft, action_items, i, status);
                let (k_g, k_s) = row!(draft, action_items, i, kind);
                let (x_g, x_s) = row!(draft, action_items, i, tracker);
                let (e_g, e_s) = row!(draft, action_items, i, expected_effect);
                view! {
                    <Text label="Action" id=format!("action_items-{i}-title") field=format!("action_items.{i}.title") get=t_g set=t_s errors/>
                    <div class="grid">
                        <Text label="Owner" id=format!("action_items-{i}-owner") field=format!("action_items.{i}.owner") get=o_g set=o_s errors/>
                        <Text label="Due" id=format!("action_items-{i}-due") field=format!("action_items.{i}.due") get=d_g set=d_s errors placeholder="YYYY-MM-DD"/>
                        <Choice label="Priority" id=format!("action_items-{i}-priority") field=format!("action_items.{i}.priority") options=opts!(Priority) get=p_g set=p_s errors/>
                        <Choice label="Status" id=format!("action_items-{i}-status") field=format!("action_items.{i}.status") options=opts!(ActionStatus) get=s_g set=s_s errors/>
                        <Choice label="Kind" id=format!("action_items-{i}-kind") field=format!("action_items.{i}.kind") options=opts!(ActionKind) get=k_g set=k_s errors/>
                        <Text label="Tracker" id=format!("action_items-{i}-tracker") field=format!("action_items.{i}.tracker") get=x_g set=x_s errors placeholder="OPS-123 or a link"/>
                    </div>
                    <Text label="Expected effect" id=format!("action_items-{i}-expected_effect") field=format!("action_items.{i}.expected_effect") get=e_g set=e_s errors/>
                }
                .into_any()
            }/>
        </Part>
    }
    .into_any()
}

#[component]
pub fn Links(draft: RwSignal<IncidentInput>, errors: Errors) -> impl IntoView {
    view! {
        <Part id="links" title="Links" guidance="Earlier occurrences of the same problem and related incidents: #12 for postmortem 12, or its external id. The link shows on both postmortems.">
            <Rows draft list=|d| &mut d.parts.links name="links" noun="link" row=move |i| {
                let (t_g, t_s) = row!(draft, links, i, target);
                let (k_g, k_s) = row!(draft, links, i, kind);
                let (n_g, n_s) = row!(draft, links, i, note);
                view! {
                    <div class="grid">
                        <Text label="Postmortem" id=format!("links-{i}-target") field=format!("links.{i}.target") get=t_g set=t_s errors placeholder="#12"/>
                        <Choice label="Relation" id=format!("links-{i}-kind") field=format!("links.{i}.kind") options=opts!(LinkKind) get=k_g set=k_s errors/>
                        <Text label="Why" id=format!("links-{i}-note") field=format!("links.{i}.note") get=n_g set=n_s errors/>
                    </div>
                }
                .into_any()
            }/>
        </Part>
    }
    .into_any()
}

/// Who may see the postmortem. Shown in every editor, beside the header:
/// it is the one setting whose mistake cannot be taken back by an edit
/// (whoever saw it, saw it).
#[component]
pub fn Visibility(draft: RwSignal<IncidentInput>, errors: Errors) -> impl IntoView {
    let private = move || draft.with(|d| d.parts.access.private);
    let set_private = move |v: bool| draft.update(|d| d.parts.access.private = v);
    let (u_g, u_s) = names!(draft, parts.access.users);
    let (g_g, g_s) = names!(draft, parts.access.groups);
    view! {
        <Part id="access" title="Who can see it" guidance="Everyone who can sign in, unless it is private: then only the people and groups named here, and admins. To anyone else a private postmortem does not exist: it is left out of lists, search, counts, links and exports. Reads and writes of it are written to the audit log.">
            <Check label="Private" id="access-private".into() get=private set=set_private/>
            <Show when=private>
                <div class="grid">
                    <Text label="People" id="access-users".into() field="access.users".into() get=u_g set=u_s errors placeholder="account names, comma-separated"/>
                    <Text label="Groups" id="access-groups".into() field="access.groups".into() get=g_g set=g_s errors placeholder="group names, comma-separated"/>
                </div>
            </Show>
        </Part>
    }
    .into_any()
}
