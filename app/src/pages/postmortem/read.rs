//! The read view of every section of a postmortem and the panels under
//! it, drawn on the server into HTML the page injects as it is
//! ([`DrawnPage::parts`](super::DrawnPage)). Reading needs no
//! code in the browser: the page hydrates only what acts in place, which
//! kept a long postmortem's hydration from blocking a phone for half a
//! second. Markdown is rendered and sanitized by kb-markdown; every other
//! text is escaped by the view.

use crate::components::HitList;
use crate::pages::label;
use kb_domain::record::format_minutes;
use kb_domain::record::{
    ActionKind, ActionStatus, CauseLevel, EvidenceKind, HypothesisOutcome, LearningKind, LinkKind,
    MitigationResult, Prevents, Priority, TimelineKind,
};
use kb_domain::Postmortem;
use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;

/// Each of [`PARTS`](super::PARTS)' read view, in order, and whether it
/// is empty; `today` (`YYYY-MM-DD`) marks overdue items.
pub(super) fn parts(i: &Postmortem, today: &str) -> Vec<super::Part> {
    let v = Rendered;
    let p = &i.parts;
    let has_clock = p.started_at.is_some()
        || p.detected_at.is_some()
        || p.mitigated_at.is_some()
        || p.resolved_at.is_some();
    let has_figures =
        p.users_affected.is_some() || p.requests_failed.is_some() || p.money_lost.is_some();
    let written = |text: &str| !text.trim().is_empty();
    let shown = [
        has_clock,
        written(&i.summary),
        has_figures || written(&i.impact),
        written(&p.narrative),
        !p.timeline.is_empty(),
        !p.evidence.is_empty(),
        !p.hypotheses.is_empty(),
        !p.whys.is_empty(),
        !p.causes.is_empty() || written(&i.root_cause),
        !p.mitigations.is_empty() || written(&i.mitigation),
        !p.learnings.is_empty(),
        !p.action_items.is_empty(),
        !i.related.is_empty(),
    ];
    let bodies: [(&str, AnyView); 13] = [
        ("clock", clock(i)),
        ("summary", view! { <Md html=v.md(&i.summary)/> }.into_any()),
        ("impact", impact(i)),
        (
            "narrative",
            view! { <Md html=v.md(&i.parts.narrative)/> }.into_any(),
        ),
        ("timeline", timeline(i)),
        ("evidence", evidence(i)),
        ("hypotheses", hypotheses(i)),
        ("whys", whys(i)),
        ("causes", causes(i)),
        ("mitigations", mitigations(i)),
        ("learnings", learnings(i)),
        ("action_items", action_items(i, today)),
        ("links", related(i)),
    ];
    bodies
        .into_iter()
        .zip(super::PARTS)
        .zip(shown)
        .map(|(((anchor, body), (_, expected)), shown)| {
            debug_assert_eq!(anchor, expected, "bodies follow PARTS");
            super::Part {
                empty: !shown,
                html: body.to_html(),
            }
        })
        .collect()
}

/// "Did it work?" and "Similar incidents", as HTML.
pub(super) fn panels(
    earlier: Vec<kb_domain::actions::EarlierItems>,
    similar: Vec<kb_domain::SearchHit>,
) -> String {
    view! {
        <EarlierItemsView earlier/>
        <Similar hits=similar/>
    }
    .to_html()
}

/// Markdown as kb-markdown renders and sanitizes it.
#[derive(Clone, Copy)]
struct Rendered;

impl Rendered {
    fn md(self, text: &str) -> String {
        if text.trim().is_empty() {
            String::new()
        } else {
            kb_markdown::to_html(text)
        }
    }
}

/// Rendered markdown; only kb-markdown's sanitized output is injected.
#[component]
fn Md(html: String) -> impl IntoView {
    (!html.is_empty()).then(|| view! { <div class="markdown" inner_html=html></div> })
}

/// The clock section's body: the four times and the durations between.
fn clock(i: &Postmortem) -> AnyView {
    let p = &i.parts;
    let d = p.durations();
    let dur = |m: Option<i64>| m.map(format_minutes).unwrap_or_else(|| "—".into());
    let at = |t: &Option<String>| t.clone().unwrap_or_else(|| "—".into());
    view! {
        <dl class="clock">
            <dt>"Started"</dt><dd>{at(&p.started_at)}</dd>
            <dt>"Detected"</dt><dd>{at(&p.detected_at)}</dd>
            <dt>"Mitigated"</dt><dd>{at(&p.mitigated_at)}</dd>
            <dt>"Resolved"</dt><dd>{at(&p.resolved_at)}</dd>
        </dl>
        <p class="durations">{format!("Time to detect {} · to mitigate {} · to resolve {}", dur(d.to_detect), dur(d.to_mitigate), dur(d.to_resolve))}</p>
    }
    .into_any()
}

/// The impact section's body: the figures, then the text.
fn impact(i: &Postmortem) -> AnyView {
    view! {
        <dl class="figures">
            {figures(i).into_iter().filter_map(|(k, v)| v.map(|v| view! { <dt>{k}</dt><dd>{v}</dd> })).collect_view()}
        </dl>
        <Md html=Rendered.md(&i.impact)/>
    }
    .into_any()
}

/// The impact's figures, each when given.
pub(super) fn figures(i: &Postmortem) -> [(&'static str, Option<String>); 3] {
    let p = &i.parts;
    [
        ("Users affected", p.users_affected.map(|n| n.to_string())),
        (
            "Requests or orders failed",
            p.requests_failed.map(|n| n.to_string()),
        ),
        (
            "Money lost",
            p.money_lost.map(|n| {
                format!("{n} {}", p.currency.clone().unwrap_or_default())
                    .trim()
                    .to_string()
            }),
        ),
    ]
}

/// The evidence section's body: each block verbatim.
fn evidence(i: &Postmortem) -> AnyView {
    view! {
        {i.parts.evidence.iter().map(|e| view! {
            <figure class="evidence">
                <figcaption>{format!("{} · {}", label(EvidenceKind::parse, EvidenceKind::label, &e.kind), e.caption)}</figcaption>
                <pre>{e.body.clone()}</pre>
            </figure>
        }).collect_view()}
    }
    .into_any()
}

/// The why-chain section's body.
fn whys(i: &Postmortem) -> AnyView {
    view! {
        <ol class="whys">
            {i.parts.whys.iter().map(|w| view! {
                <li class:actionable=w.actionable>
                    <p class="question">{w.question.clone()}</p>
                    <p class="answer">{w.answer.clone()}</p>
                    {w.actionable.then(|| view! { <span class="badge">"Actionable"</span> })}
                </li>
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// The timeline section's body.
fn timeline(i: &Postmortem) -> AnyView {
    let p = &i.parts;
    let h = |text: &str| Rendered.md(text);
    view! {
                <table class="timeline">
                    <thead><tr><th>"Time"</th><th>"Kind"</th><th>"What happened"</th><th>"Who"</th></tr></thead>
                    <tbody>
                        {p.timeline.iter().map(|e| view! {
                            <tr>
                                <td class="at">{e.at.clone()}</td>
                                <td>{label(TimelineKind::parse, TimelineKind::label, &e.kind)}</td>
                                <td><Md html=h(&e.text)/></td>
                                <td>{e.who.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }
    .into_any()
}

/// The hypotheses section's body.
fn hypotheses(i: &Postmortem) -> AnyView {
    let p = &i.parts;
    let h = |text: &str| Rendered.md(text);
    view! {
                <ol class="hypotheses">
                    {p.hypotheses.iter().map(|hy| view! {
                        <li>
                            <p><strong>{hy.statement.clone()}</strong>" "
                                <span class=format!("badge outcome-{}", hy.outcome)>{label(HypothesisOutcome::parse, HypothesisOutcome::label, &hy.outcome)}</span></p>
                            {(!hy.confidence.is_empty()).then(|| view! {
                                <p class="confidence">"Confidence: "
                                    {hy.confidence.iter().map(|s| format!("{}%", s.value)).collect::<Vec<_>>().join(" → ")}
                                </p>
                                <ul class="steps">
                                    {hy.confidence.iter().filter(|s| !s.note.is_empty() || !s.by.is_empty()).map(|s| view! { <li>{step_line(s)}</li> }).collect_view()}
                                </ul>
                            })}
                            {(!hy.evidence_for.is_empty()).then(|| view! { <h3>"Evidence for"</h3><Md html=h(&hy.evidence_for)/> })}
                            {(!hy.evidence_against.is_empty()).then(|| view! { <h3>"Evidence against"</h3><Md html=h(&hy.evidence_against)/> })}
                        </li>
                    }).collect_view()}
                </ol>
            }
    .into_any()
}

/// One confidence step in words: "85%: the config diff (lee)".
fn step_line(s: &kb_domain::record::ConfidenceStep) -> String {
    let mut line = format!("{}%", s.value);
    if !s.note.is_empty() {
        line.push_str(&format!(": {}", s.note));
    }
    if !s.by.is_empty() {
        line.push_str(&format!(" ({})", s.by));
    }
    line
}

/// The root causes section's body.
fn causes(i: &Postmortem) -> AnyView {
    let p = &i.parts;
    let h = |text: &str| Rendered.md(text);
    view! {
                <Md html=h(&i.root_cause)/>
                <ul class="causes">
                    {p.causes.iter().map(|c| view! {
                        <li>
                            <span class="badge">{label(CauseLevel::parse, CauseLevel::label, &c.level)}</span>" "
                            {c.statement.clone()}
                            {c.confidence.map(|v| format!(" ({v}% confident)"))}
                            {Prevents::parse(&c.prevents).map(|answer| view! {
                                <p class="verification">{format!("If we fix this, does it prevent a recurrence? {}", answer.label())}</p>
                            })}
                            <Md html=h(&c.evidence)/>
                        </li>
                    }).collect_view()}
                </ul>
            }
    .into_any()
}

/// The resolution section's body.
fn mitigations(i: &Postmortem) -> AnyView {
    let p = &i.parts;
    let h = |text: &str| Rendered.md(text);
    view! {
                <Md html=h(&i.mitigation)/>
                <ul class="attempts">
                    {p.mitigations.iter().map(|m| view! {
                        <li>
                            {m.action.clone()}" "
                            <span class=format!("badge result-{}", m.result)>{label(MitigationResult::parse, MitigationResult::label, &m.result)}</span>
                            <Md html=h(&m.note)/>
                        </li>
                    }).collect_view()}
                </ul>
            }
    .into_any()
}

/// The learnings section's body.
fn learnings(i: &Postmortem) -> AnyView {
    let p = &i.parts;
    let h = |text: &str| Rendered.md(text);
    view! {
        {p.learnings.iter().map(|l| {
            let kind = label(LearningKind::parse, LearningKind::label, &l.kind);
            if l.kind == LearningKind::Pattern.as_str() {
                view! {
                    <div class="pattern">
                        <h3>{format!("Pattern: {}", l.title)}</h3>
                        <dl>
                            <dt>"Symptoms"</dt><dd><Md html=h(&l.symptoms)/></dd>
                            <dt>"Root cause"</dt><dd><Md html=h(&l.root_cause)/></dd>
                            <dt>"Detection"</dt><dd><Md html=h(&l.detection)/></dd>
                            <dt>"Resolution"</dt><dd><Md html=h(&l.resolution)/></dd>
                        </dl>
                    </div>
                }.into_any()
            } else {
                view! {
                    <div class="lesson">
                        <h3>{format!("{kind}: {}", l.title)}</h3>
                        <Md html=h(&l.text)/>
                    </div>
                }.into_any()
            }
        }).collect_view()}
    }
    .into_any()
}

/// The action items section's body.
fn action_items(i: &Postmortem, today: &str) -> AnyView {
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
fn related(i: &Postmortem) -> AnyView {
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

/// "Did it work?": the action items of the earlier occurrences, each
/// marked closed before this recurrence or still open.
#[component]
fn EarlierItemsView(earlier: Vec<kb_domain::actions::EarlierItems>) -> impl IntoView {
    use kb_domain::actions::RecurrenceMark;
    (!earlier.is_empty()).then(|| view! {
        <section class="earlier-items" aria-label="Earlier occurrences' action items">
            <h2>"Did it work? Earlier occurrences' action items"</h2>
            {earlier.into_iter().map(|e| view! {
                <h3><a href=format!("/incidents/{}", e.postmortem_id)>{e.title.clone()}</a></h3>
                {e.items.is_empty().then(|| view! { <p class="hint">"It had no action items."</p> })}
                <ul class="recurrence-items">
                    {e.items.into_iter().map(|(row, mark)| {
                        let class = match mark {
                            RecurrenceMark::ClosedBefore => "badge mark closed-before",
                            RecurrenceMark::StillOpen => "badge mark still-open",
                        };
                        view! {
                            <li data-item=row.id()>
                                <span class=class>{mark.label()}</span>" "
                                {row.item.title.clone()}
                                <small>{format!(" · {}{}", label(ActionStatus::parse, ActionStatus::label, &row.item.status),
                                    row.closed_at.as_deref().map(|c| format!(", closed {}", &c[..c.len().min(10)])).unwrap_or_default())}</small>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }).collect_view()}
        </section>
    })
}

/// "Similar incidents": what else looked like this one.
#[component]
fn Similar(hits: Vec<kb_domain::SearchHit>) -> impl IntoView {
    let empty = hits.is_empty();
    view! {
        <section class="similar" aria-label="Similar incidents">
            <h2>"Similar incidents"</h2>
            <HitList hits label="Similar incidents list"/>
            {empty.then(|| view! { <p class="hint">"Nothing similar yet."</p> })}
        </section>
    }
    .into_any()
}
