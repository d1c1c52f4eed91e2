//! Investigate: `/investigate` (findings from evidence pasted without a
//! postmortem) and the Investigate panel every postmortem page shows.
//! Each finding is stated with the lines it rests on; an editor accepts
//! it into the record or dismisses it.
//!
//! The swimlane chart arrives drawn: the server makes the SVG
//! (`kb_investigate::swimlanes`, every label escaped there) and the page
//! injects it, so it reads without JavaScript and costs the browser
//! bundle no drawing code. A table of the same lanes stands beside it.

use crate::error::AppError;
use crate::pages::{ErrorNote, Submitted};
use kb_domain::findings::AcceptInto;
use kb_investigate::{FindingKind, Lane, Report, Shown};
use leptos::prelude::*;
use leptos_meta::Title;

/// The findings pasted evidence `text` gives, set against `hypothesis`.
#[server]
pub async fn investigate_evidence(text: String, hypothesis: String) -> Result<Report, AppError> {
    let ctx = crate::request::request_context().await?;
    crate::state::services()?
        .investigate_text(&ctx, text, hypothesis)
        .await
}

/// Accepts finding (`kind`, `statement`) of postmortem `id` into `into`
/// (an [`AcceptInto`] name; `hypothesis` names which one, from 0), on top
/// of `version`; or dismisses it when `into` is empty.
#[server]
pub async fn decide_finding(
    id: i64,
    version: i64,
    kind: String,
    statement: String,
    into: String,
    hypothesis: Option<usize>,
) -> Result<Submitted, AppError> {
    use crate::service::investigate::Target;
    let ctx = crate::request::request_context().await?;
    let target = if into.is_empty() {
        None
    } else {
        let Some(into) = AcceptInto::parse(&into) else {
            return Ok(Submitted::Refused(refusal("into", "choose where it goes")));
        };
        Some(Target { into, hypothesis })
    };
    super::postmortem::answer(
        crate::state::services()?
            .decide_finding(&ctx, id, version, &kind, &statement, target)
            .await,
    )
}

/// Starts a draft postmortem titled `title` from pasted evidence, with
/// finding (`kind`, `statement`) as the first level of its why-chain.
#[server]
pub async fn start_postmortem(
    title: String,
    text: String,
    hypothesis: String,
    kind: String,
    statement: String,
) -> Result<Submitted, AppError> {
    let ctx = crate::request::request_context().await?;
    Submitted::answer(
        crate::state::services()?
            .start_from_finding(&ctx, title, text, hypothesis, &kind, &statement)
            .await,
    )
}

#[cfg(feature = "ssr")]
fn refusal(field: &str, message: &str) -> kb_domain::ValidationErrors {
    let mut errors = kb_domain::ValidationErrors::default();
    errors.push(field, message);
    errors
}

/// The name a finding's kind is shown by.
pub fn kind_label(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Sequence => "Sequence",
        FindingKind::Change => "Change",
        FindingKind::Rhythm => "Rhythm",
        FindingKind::Mitigation => "Mitigation",
        FindingKind::Challenge => "Hypothesis challenged",
        FindingKind::SeenBefore => "Seen before",
        FindingKind::WhyChain => "Why-chain",
        FindingKind::Confidence => "Confidence",
    }
}

/// `/investigate`: paste evidence, name the working hypothesis, read the
/// findings; start a postmortem from one of them.
#[component]
pub fn InvestigatePage() -> impl IntoView {
    let run = ServerAction::<InvestigateEvidence>::new();
    let start = ServerAction::<StartPostmortem>::new();
    let text = RwSignal::new(String::new());
    let hypothesis = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(Submitted::Saved(id))) = start.value().get() {
            let navigate = leptos_router::hooks::use_navigate();
            navigate(&format!("/incidents/{id}"), Default::default());
        }
    });
    let may = crate::can_write().0;
    view! {
        <Title text="Investigate"/>
        <h1>"Investigate"</h1>
        <p class="guidance">"Paste what you have: log lines, alerts, a config diff, notes with times. Hindsight reads the order things began in, changes before the first error, fixes and how long they held, and rhythms, each with the lines it rests on, and sets them against your working hypothesis."</p>
        <form class="investigate-form" on:submit=move |ev| {
            ev.prevent_default();
            run.dispatch(InvestigateEvidence { text: text.get_untracked(), hypothesis: hypothesis.get_untracked() });
        }>
            <div class="field">
                <label for="evidence">"Evidence"</label>
                <textarea id="evidence" name="text" rows="12" spellcheck="false"
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </div>
            <div class="field">
                <label for="hypothesis">"Working hypothesis (optional)"</label>
                <input id="hypothesis" name="hypothesis" type="text" maxlength="500" autocomplete="off"
                    placeholder="The database is the bottleneck"
                    prop:value=move || hypothesis.get() on:input=move |ev| hypothesis.set(event_target_value(&ev))/>
            </div>
            <button type="submit" disabled=move || run.pending().get()>"Investigate"</button>
        </form>
        {move || match run.value().get() {
            None => ().into_any(),
            Some(Err(error)) => view! { <ErrorNote error/> }.into_any(),
            Some(Ok(report)) => {
                let start_with = Callback::new(move |shown: Shown| {
                    start.dispatch(StartPostmortem {
                        title: title.get_untracked(),
                        text: text.get_untracked(),
                        hypothesis: hypothesis.get_untracked(),
                        kind: shown.finding.kind.as_str().to_string(),
                        statement: shown.finding.statement,
                    });
                });
                view! {
                    {may.then(|| view! {
                        <div class="field start-title">
                            <label for="start-title">"Title for a new postmortem"</label>
                            <input id="start-title" type="text" maxlength="200" autocomplete="off"
                                aria-describedby="start-title-error"
                                prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
                            <p class="error" id="start-title-error" role="alert">{move || start.value().get().as_ref().and_then(|r| Submitted::field_error(r, "title"))}</p>
                        </div>
                    })}
                    <Findings report decide=None start=may.then_some(start_with)/>
                }.into_any()
            }
        }}
    }
}

/// Where an accepted finding goes, as the page offers it.
#[derive(Clone)]
pub struct Decide {
    /// The postmortem.
    pub id: i64,
    /// The version the page shows.
    pub version: i64,
    /// The record's hypotheses, for "evidence for/against".
    pub hypotheses: Vec<String>,
    /// Reloads the page after a decision.
    pub reload: Callback<()>,
}

/// The Investigate panel: the chart, its table and the findings, with
/// accept and dismiss (`decide`) or "start a postmortem" (`start`).
#[component]
pub fn Findings(
    report: Report,
    decide: Option<Decide>,
    start: Option<Callback<Shown>>,
) -> impl IntoView {
    let Report {
        findings,
        lines,
        timed,
        lanes,
        chart,
        update,
    } = report;
    let action = ServerAction::<DecideFinding>::new();
    let reload = decide.as_ref().map(|d| d.reload);
    Effect::new(move |_| {
        if let (Some(Ok(Submitted::Saved(_))), Some(reload)) = (action.value().get(), reload) {
            reload.run(());
        }
    });
    let may = crate::can_write().0;
    view! {
        <section class="investigate" aria-labelledby="investigate-heading">
            <h2 id="investigate-heading">"Investigate"</h2>
            <p class="hint">{format!("Read {lines} lines, {timed} of them with a time. Each finding names the lines it rests on; none is surer than they are.")}</p>
            {(!chart.is_empty()).then(|| view! { <Swimlanes chart=chart.clone() lanes=lanes.clone()/> })}
            {if findings.is_empty() {
                view! { <p class="empty">"No findings: nothing in this evidence stands out yet. More lines with times help."</p> }.into_any()
            } else {
                view! {
                    <ol class="findings">
                        {findings.into_iter().map(|shown| view! {
                            <FindingItem shown decide=decide.clone().filter(|_| may) start action/>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            <p class="error" role="alert">{move || match action.value().get() {
                Some(Ok(Submitted::Refused(e))) => Some(e.to_string()),
                Some(Err(e)) => Some(e.to_string()),
                _ => None,
            }}</p>
            {(!update.is_empty()).then(|| view! {
                <details class="stakeholder-update">
                    <summary>"Draft a stakeholder update"</summary>
                    <p class="hint">"Drafted from the record, in Markdown: edit it, then copy it."</p>
                    // A property, never children: tachys writes a
                    // textarea's children unescaped, so a record holding
                    // `</textarea>` would end it and run what follows.
                    <textarea rows="14" aria-label="Stakeholder update" prop:value=update.clone()></textarea>
                </details>
            })}
        </section>
    }
    .into_any()
}

/// The chart as the server drew it, and the same lanes as a table.
#[component]
fn Swimlanes(chart: String, lanes: Vec<Lane>) -> impl IntoView {
    view! {
        <figure class="swimlane-chart">
            <div class="chart" inner_html=chart aria-hidden="true"></div>
            <figcaption>"When each signal appeared, one lane per signal."</figcaption>
        </figure>
        <div class="table-scroll">
            <table class="lanes">
                <caption>"Signals by first appearance"</caption>
                <thead><tr><th scope="col">"Signal"</th><th scope="col">"First"</th><th scope="col">"Last"</th><th scope="col">"Lines"</th></tr></thead>
                <tbody>
                    {lanes.into_iter().map(|lane| view! {
                        <tr><td>{lane.label}</td><td>{lane.first}</td><td>{lane.last}</td><td>{lane.count}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn FindingItem(
    shown: Shown,
    decide: Option<Decide>,
    start: Option<Callback<Shown>>,
    action: ServerAction<DecideFinding>,
) -> impl IntoView {
    let finding = shown.finding.clone();
    let kind = finding.kind;
    let decided = shown.decision.clone();
    let target = RwSignal::new(String::new());
    let controls = decide.filter(|_| decided.is_none()).map(|d| {
        let options = targets(kind, &d.hypotheses);
        let statement = finding.statement.clone();
        let send = move |into: String| {
            let (into, hypothesis) = match into.split_once(':') {
                Some((into, n)) => (into.to_string(), n.parse().ok()),
                None => (into, None),
            };
            action.dispatch(DecideFinding {
                id: d.id,
                version: d.version,
                kind: kind.as_str().to_string(),
                statement: statement.clone(),
                into,
                hypothesis,
            });
        };
        let accept = send.clone();
        view! {
            <div class="finding-actions">
                <label class="visually-hidden" for=format!("into-{}", statement_key(&finding.statement))>"Accept into"</label>
                <select id=format!("into-{}", statement_key(&finding.statement))
                    on:change=move |ev| target.set(event_target_value(&ev))>
                    <option value="">"Accept into…"</option>
                    {options.into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                </select>
                <button type="button" disabled=move || action.pending().get() || target.get().is_empty()
                    on:click=move |_| accept(target.get_untracked())>"Accept"</button>
                <button type="button" class="secondary" disabled=move || action.pending().get()
                    on:click=move |_| send(String::new())>"Dismiss"</button>
            </div>
        }
    });
    let starter = start.map(|start| {
        let shown = shown.clone();
        view! {
            <div class="finding-actions">
                <button type="button" class="secondary" on:click=move |_| start.run(shown.clone())>
                    "Start a postmortem with this in its why-chain"
                </button>
            </div>
        }
    });
    view! {
        <li class=format!("finding kind-{}", kind.as_str()) data-kind=kind.as_str()>
            <p class="finding-statement">
                <span class=format!("badge finding-kind kind-{}", kind.as_str())>{kind_label(kind)}</span>" "
                {finding.statement.clone()}
            </p>
            <ul class="cited">
                {finding.evidence.iter().map(|c| view! {
                    <li>
                        <span class="cited-where">{if c.source.is_empty() { format!("line {}", c.line) } else { format!("{} · {}", c.source, c.line) }}</span>" "
                        <code>{c.text.clone()}</code>
                    </li>
                }).collect_view()}
            </ul>
            {decided.map(|d| view! {
                <p class="decision">{if d.decision == "accepted" {
                    format!("Accepted into {} by {} on {}", AcceptInto::parse(&d.accepted_into).map(|a| a.label()).unwrap_or("the record"), d.who, d.at)
                } else {
                    format!("Dismissed by {} on {}", d.who, d.at)
                }}</p>
            })}
            {controls}
            {starter}
        </li>
    }
    .into_any()
}

/// Where a finding of `kind` may go: `(value, label)`.
fn targets(kind: FindingKind, hypotheses: &[String]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (n, statement) in hypotheses.iter().enumerate() {
        let short: String = statement.chars().take(60).collect();
        out.push((
            format!("{}:{n}", AcceptInto::EvidenceFor.as_str()),
            format!("Evidence for: {short}"),
        ));
        out.push((
            format!("{}:{n}", AcceptInto::EvidenceAgainst.as_str()),
            format!("Evidence against: {short}"),
        ));
    }
    out.push((
        AcceptInto::Timeline.as_str().to_string(),
        AcceptInto::Timeline.label().to_string(),
    ));
    out.push((
        AcceptInto::Why.as_str().to_string(),
        AcceptInto::Why.label().to_string(),
    ));
    if kind == FindingKind::SeenBefore {
        out.push((
            AcceptInto::Link.as_str().to_string(),
            AcceptInto::Link.label().to_string(),
        ));
    }
    out
}

/// A short stable key for a statement, for element ids.
fn statement_key(statement: &str) -> u32 {
    statement.bytes().fold(2_166_136_261u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(16_777_619)
    })
}
