//! The Investigate panel, drawn on the server into HTML that the page
//! injects as it is: the browser gets no code for it, so a postmortem page
//! hydrates without the dozens of findings (each with its cited lines)
//! that made it block for a second on a phone.
//!
//! Accept and dismiss are plain forms posting to [`DecideFinding`]; the
//! server function answers a form post with a redirect back to the page
//! (`decide_finding`), so they work without JavaScript too. "Start a
//! postmortem" on `/investigate` is a button the page listens for; it
//! carries the finding in its `data-` attributes.

use super::{kind_label, DecideFinding};
use kb_domain::findings::AcceptInto;
use kb_investigate::{FindingKind, Lane, Report, Shown};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos::tachys::view::RenderHtml;

/// What deciding on a postmortem's findings needs to know.
#[derive(Debug, Clone)]
pub struct Decide {
    /// The postmortem.
    pub id: i64,
    /// The version the page shows: a decision on top of an older one is
    /// refused like any stale edit.
    pub version: i64,
    /// The record's hypotheses, for "evidence for/against".
    pub hypotheses: Vec<String>,
}

/// The panel as HTML: the chart, its table, the findings, and accept and
/// dismiss forms (`decide`) or "start a postmortem" buttons (`start`).
/// Every text is escaped by the view; the chart is escaped where it is
/// drawn (`kb_investigate::swimlanes`).
pub fn panel_html(report: Report, decide: Option<Decide>, start: bool) -> String {
    view! { <Findings report decide start/> }.to_html()
}

#[component]
fn Findings(report: Report, decide: Option<Decide>, start: bool) -> impl IntoView {
    let Report {
        findings,
        lines,
        timed,
        lanes,
        chart,
        update,
    } = report;
    view! {
        <section class="investigate" aria-labelledby="investigate-heading">
            <h2 id="investigate-heading">"Investigate"</h2>
            <p class="hint">{format!("Read {lines} lines, {timed} of them with a time. Each finding names the lines it rests on; none is surer than they are.")}</p>
            {(!chart.is_empty()).then(|| view! { <Swimlanes chart lanes/> })}
            {if findings.is_empty() {
                view! { <p class="empty">"No findings: nothing in this evidence stands out yet. More lines with times help."</p> }.into_any()
            } else {
                view! {
                    <ol class="findings">
                        {findings.into_iter().map(|shown| view! {
                            <FindingItem shown decide=decide.clone() start/>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            {(!update.is_empty()).then(|| view! {
                <details class="stakeholder-update">
                    <summary>"Draft a stakeholder update"</summary>
                    <p class="hint">"Drafted from the record, in Markdown: edit it, then copy it."</p>
                    // Escaped here: tachys writes a textarea's children
                    // as they are, so a record holding `</textarea>`
                    // would end the element and run what follows.
                    <textarea rows="14" aria-label="Stakeholder update" inner_html=crate::escape_html(&update)></textarea>
                </details>
            })}
        </section>
    }
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
}

#[component]
fn FindingItem(shown: Shown, decide: Option<Decide>, start: bool) -> impl IntoView {
    let finding = shown.finding;
    let kind = finding.kind;
    let decided = shown.decision;
    let controls = decide
        .filter(|_| decided.is_none())
        .map(|d| decide_form(&d, kind, &finding.statement));
    let starter = start.then(|| {
        view! {
            <div class="finding-actions">
                <button type="button" class="secondary start-from"
                    data-kind=kind.as_str() data-statement=finding.statement.clone()>
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
                {finding.evidence.into_iter().map(|c| view! {
                    <li>
                        <span class="cited-where">{if c.source.is_empty() { format!("line {}", c.line) } else { format!("{} · {}", c.source, c.line) }}</span>" "
                        <code>{c.text}</code>
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
}

/// Accept (into the chosen part) or dismiss: one form, the button says
/// which. Choosing a part is required to accept, not to dismiss.
fn decide_form(d: &Decide, kind: FindingKind, statement: &str) -> impl IntoView {
    let select_id = format!("into-{}", statement_key(statement));
    view! {
        <form class="finding-actions" method="post" action=DecideFinding::PATH>
            <input type="hidden" name="id" value=d.id.to_string()/>
            <input type="hidden" name="version" value=d.version.to_string()/>
            <input type="hidden" name="kind" value=kind.as_str()/>
            <input type="hidden" name="statement" value=statement.to_string()/>
            <label class="visually-hidden" for=select_id.clone()>"Accept into"</label>
            <select id=select_id name="into" required>
                <option value="">"Accept into…"</option>
                {targets(kind, &d.hypotheses).into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
            </select>
            <button type="submit" name="decision" value="accept">"Accept"</button>
            <button type="submit" name="decision" value="dismiss" class="secondary" formnovalidate>"Dismiss"</button>
        </form>
    }
}

/// Where a finding of `kind` may go: `(value, label)`; evidence names its
/// hypothesis after a colon (`evidence_for:0`).
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
    let mut plain = vec![AcceptInto::Timeline, AcceptInto::Why];
    if kind == FindingKind::SeenBefore {
        plain.push(AcceptInto::Link);
    }
    out.extend(
        plain
            .into_iter()
            .map(|a| (a.as_str().to_string(), a.label().to_string())),
    );
    out
}

/// A short stable key for a statement, for element ids.
fn statement_key(statement: &str) -> u32 {
    statement.bytes().fold(2_166_136_261u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(16_777_619)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kb_investigate::{Cited, Finding};

    fn report(statement: &str, cited: &str) -> Report {
        Report {
            findings: vec![Shown {
                finding: Finding {
                    kind: FindingKind::Sequence,
                    statement: statement.into(),
                    evidence: vec![Cited {
                        line: 3,
                        text: cited.into(),
                        source: "Evidence 1".into(),
                    }],
                },
                decision: None,
            }],
            update: "What happened </textarea><script>alert(1)</script>".into(),
            ..Report::default()
        }
    }

    #[test]
    fn record_text_stays_text_in_the_panel() {
        let _owner = Owner::new();
        let html = panel_html(
            report("<b>bold</b> \" claim", "<script>x()</script>"),
            Some(Decide {
                id: 7,
                version: 3,
                hypotheses: vec!["<i>db</i>".into()],
            }),
            false,
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(!html.contains("<i>db"), "{html}");
        assert!(html.contains("&lt;/textarea&gt;"), "{html}");
        assert!(html.contains(r#"name="version" value="3""#), "{html}");
        assert!(html.contains(r#"value="evidence_against:0""#), "{html}");
    }

    #[test]
    fn a_decided_finding_has_no_form_and_a_viewer_gets_none() {
        let _owner = Owner::new();
        let mut decided = report("s", "line");
        decided.findings[0].decision = Some(kb_domain::findings::FindingDecision {
            kind: "sequence".into(),
            statement: "s".into(),
            decision: "dismissed".into(),
            accepted_into: String::new(),
            who: "ana".into(),
            at: "2024-01-01T00:00:00Z".into(),
        });
        let decide = Decide {
            id: 1,
            version: 1,
            hypotheses: Vec::new(),
        };
        let html = panel_html(decided, Some(decide), false);
        assert!(html.contains("Dismissed by ana"), "{html}");
        assert!(!html.contains("<form"), "{html}");
        let html = panel_html(report("s", "line"), None, true);
        assert!(!html.contains("<form"), "{html}");
        assert!(html.contains(r#"data-statement="s""#), "{html}");
    }
}
