//! The insights page as the server draws it: the filter form, then one
//! section per figure group, each with its chart, its numbers in a table
//! and how it is computed one click away.

use super::chart::{bars, reliability, Series};
use crate::service::insights::InsightsQuery;
use kb_domain::insights::{Completion, Insights, Measure};
use leptos::prelude::*;

fn opt(v: Option<i64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "—".into())
}

fn percent(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.0}%")).unwrap_or_else(|| "—".into())
}

/// Minutes as people read them.
fn minutes(v: Option<i64>) -> String {
    v.map(kb_domain::record::format_minutes)
        .unwrap_or_else(|| "—".into())
}

fn how(text: &'static str) -> impl IntoView {
    view! { <details class="definition"><summary>"How is this computed?"</summary><p>{text}</p></details> }
}

/// The whole page for `i`, asked as `q`.
pub fn page(i: &Insights, q: &InsightsQuery) -> String {
    let enc = kb_domain::actions::percent_encode;
    let query: Vec<String> = [
        ("from", &q.from),
        ("to", &q.to),
        ("service", &q.service),
        ("team", &q.team),
        ("severity", &q.severity),
    ]
    .into_iter()
    .filter_map(|(k, v)| {
        v.as_deref()
            .filter(|v| !v.is_empty())
            .map(|v| format!("{k}={}", enc(v)))
    })
    .collect();
    let query = query.join("&");
    let first = i.months.first().cloned().unwrap_or_default();
    let last = i.months.last().cloned().unwrap_or_default();
    view! {
        <form class="insight-filters" method="get" action="/insights" aria-label="Period and filters">
            <div class="field"><label for="from">"From"</label>
                <input id="from" name="from" type="month" value=first.clone()/></div>
            <div class="field"><label for="to">"To"</label>
                <input id="to" name="to" type="month" value=last.clone()/></div>
            <div class="field"><label for="service">"Service"</label>
                <input id="service" name="service" type="text" value=q.service.clone().unwrap_or_default()/></div>
            <div class="field"><label for="team">"Team"</label>
                <input id="team" name="team" type="text" value=q.team.clone().unwrap_or_default()/></div>
            <div class="field"><label for="severity">"Severity"</label>
                <select id="severity" name="severity">
                    <option value="">"Any"</option>
                    {kb_domain::Severity::ALL.iter().map(|s| {
                        let chosen = q.severity.as_deref() == Some(s.as_str());
                        view! { <option value=s.as_str() selected=chosen>{s.as_str()}</option> }
                    }).collect_view()}
                </select></div>
            <button type="submit">"Show"</button>
            <p class="downloads">
                <a href=format!("/insights.csv?{query}")>"Download the figures (CSV)"</a>" · "
                <a href=format!("/api/v1/insights?{query}")>"JSON"</a>
            </p>
        </form>
        <p class="hint">{format!("{first} to {last}: {} incidents.", i.incidents.total.total)}</p>
        {incidents(i)}
        {clock(i)}
        {recurrence(i)}
        {action_items(i)}
        {calibration(i)}
        {learning(i)}
    }
    .to_html()
}

fn incidents(i: &Insights) -> AnyView {
    let months = &i.incidents.months;
    let labels: Vec<String> = months.iter().map(|m| m.month.clone()).collect();
    let series: Vec<Series> = ["SEV1", "SEV2", "SEV3", "SEV4", "No severity"]
        .iter()
        .enumerate()
        .map(|(k, name)| Series {
            name,
            class: ["c-sev1", "c-sev2", "c-sev3", "c-sev4", "c-nosev"][k],
            values: months.iter().map(|m| m.by_severity[k] as f64).collect(),
        })
        .collect();
    let chart = bars("Incidents per month by severity", &labels, &series, true);
    view! {
        <section class="insight" aria-labelledby="insight-incidents">
            <h2 id="insight-incidents">"Incidents"</h2>
            {how("An incident counts in the month it started (else its date, else the month it was written). Coverage is the share whose write-up is published; time to publish is from its resolution to its publication, the median over those with both.")}
            <div inner_html=chart></div>
            <table class="stats">
                <caption>"Incidents per month"</caption>
                <thead><tr><th scope="col">"Month"</th><th scope="col">"SEV1"</th><th scope="col">"SEV2"</th><th scope="col">"SEV3"</th><th scope="col">"SEV4"</th><th scope="col">"None"</th><th scope="col">"Total"</th><th scope="col">"Published"</th><th scope="col">"Median hours to publish"</th></tr></thead>
                <tbody>
                    {months.iter().chain([&i.incidents.total]).map(|m| view! {
                        <tr>
                            <th scope="row">{if m.month == "all" { "All".to_string() } else { m.month.clone() }}</th>
                            {m.by_severity.iter().map(|n| view! { <td>{*n}</td> }).collect_view()}
                            <td>{m.total}</td>
                            <td>{format!("{} ({:.0}%)", m.published, m.coverage)}</td>
                            <td>{opt(m.publish_hours_median)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
    .into_any()
}

fn measure_cells(m: &Measure) -> impl IntoView {
    view! {
        <td>{minutes(m.median)}</td>
        <td>{minutes(m.p90)}</td>
        <td>{m.missing}</td>
    }
}

fn clock(i: &Insights) -> AnyView {
    let c = &i.clock;
    let labels: Vec<String> = c.by_month.iter().map(|r| r.key.clone()).collect();
    let median = |f: fn(&kb_domain::insights::ClockRow) -> &Measure| -> Vec<f64> {
        c.by_month
            .iter()
            .map(|r| f(r).median.unwrap_or(0) as f64)
            .collect()
    };
    let chart = bars(
        "Median minutes to detect, mitigate and resolve per month",
        &labels,
        &[
            Series {
                name: "Detect",
                class: "c-detect",
                values: median(|r| &r.detect),
            },
            Series {
                name: "Mitigate",
                class: "c-mitigate",
                values: median(|r| &r.mitigate),
            },
            Series {
                name: "Resolve",
                class: "c-resolve",
                values: median(|r| &r.resolve),
            },
        ],
        false,
    );
    let rows = [&c.overall]
        .into_iter()
        .chain(&c.by_severity)
        .chain(&c.by_month);
    view! {
        <section class="insight" aria-labelledby="insight-clock">
            <h2 id="insight-clock">"Clock"</h2>
            {how("Time to detect, mitigate and resolve run from the incident's start to each of those times. Median and 90th percentile are by nearest rank (a time that was observed). A postmortem missing either time is counted as missing, never as zero; a time before the start counts as missing too.")}
            <div inner_html=chart></div>
            <table class="stats">
                <caption>"Time to detect, mitigate and resolve"</caption>
                <thead><tr><th scope="col"></th><th scope="col">"Incidents"</th>
                    <th scope="col">"Detect, median"</th><th scope="col">"p90"</th><th scope="col">"missing"</th>
                    <th scope="col">"Mitigate, median"</th><th scope="col">"p90"</th><th scope="col">"missing"</th>
                    <th scope="col">"Resolve, median"</th><th scope="col">"p90"</th><th scope="col">"missing"</th></tr></thead>
                <tbody>
                    {rows.map(|r| view! {
                        <tr>
                            <th scope="row">{if r.key == "all" { "All".to_string() } else { r.key.clone() }}</th>
                            <td>{r.incidents}</td>
                            {measure_cells(&r.detect)}
                            {measure_cells(&r.mitigate)}
                            {measure_cells(&r.resolve)}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
    .into_any()
}

fn recurrence(i: &Insights) -> AnyView {
    let r = &i.recurrence;
    view! {
        <section class="insight" aria-labelledby="insight-recurrence">
            <h2 id="insight-recurrence">"Recurrence"</h2>
            {how("A recurrence is a postmortem that links an earlier one as an earlier occurrence. Patterns are the same whatever their case and spacing. The time between recurrences runs from the earlier start to the later one. A recurrence after a fix is one that started after an action item meant to prevent it (kind: prevent) on the earlier postmortem was closed.")}
            <ul class="insight-figures">
                <li>{format!("{} of {} incidents recur an earlier one.", r.linked, r.incidents)}</li>
                <li>{format!("Days between recurrences: median {}, 90th percentile {} (over {}).", opt(r.days_between_median), opt(r.days_between_p90), r.intervals)}</li>
                <li>{format!("{} came back after a prevention item was closed.", r.after_fix.len())}</li>
            </ul>
            {(!r.patterns.is_empty()).then(|| view! {
                <table class="stats"><caption>"Patterns seen more than once"</caption>
                    <thead><tr><th scope="col">"Pattern"</th><th scope="col">"Postmortems"</th></tr></thead>
                    <tbody>{r.patterns.iter().map(|p| view! { <tr><th scope="row">{p.name.clone()}</th><td>{p.seen}</td></tr> }).collect_view()}</tbody>
                </table>
            })}
            {(!r.after_fix.is_empty()).then(|| view! {
                <table class="stats"><caption>"Recurred after a fix"</caption>
                    <thead><tr><th scope="col">"Incident"</th><th scope="col">"Earlier"</th><th scope="col">"Item closed"</th><th scope="col">"Closed at"</th></tr></thead>
                    <tbody>{r.after_fix.iter().map(|f| view! { <tr>
                        <td><a href=format!("/incidents/{}", f.postmortem_id)>{format!("#{}", f.postmortem_id)}</a></td>
                        <td><a href=format!("/incidents/{}", f.earlier_id)>{format!("#{}", f.earlier_id)}</a></td>
                        <td>{f.item_title.clone()}</td><td>{f.closed_on.clone()}</td>
                    </tr> }).collect_view()}</tbody>
                </table>
            })}
        </section>
    }
    .into_any()
}

fn completion_table(caption: &'static str, rows: &[Completion]) -> impl IntoView {
    view! {
        <table class="stats"><caption>{caption}</caption>
            <thead><tr><th scope="col"></th><th scope="col">"Items"</th><th scope="col">"Done"</th><th scope="col">"Completion"</th><th scope="col">"Overdue"</th><th scope="col">"Median days to close"</th></tr></thead>
            <tbody>{rows.iter().map(|c| view! { <tr>
                <th scope="row">{if c.key == "all" { "All".to_string() } else { c.key.clone() }}</th>
                <td>{c.items}</td><td>{c.done}</td><td>{percent(c.rate)}</td><td>{c.overdue}</td><td>{opt(c.days_to_close_median)}</td>
            </tr> }).collect_view()}</tbody>
        </table>
    }
}

fn action_items(i: &Insights) -> AnyView {
    let a = &i.action_items;
    let labels: Vec<String> = a.months.iter().map(|m| m.month.clone()).collect();
    let chart = bars(
        "Action items opened and closed per month",
        &labels,
        &[
            Series {
                name: "Opened",
                class: "c-opened",
                values: a.months.iter().map(|m| m.opened as f64).collect(),
            },
            Series {
                name: "Closed",
                class: "c-closed",
                values: a.months.iter().map(|m| m.closed as f64).collect(),
            },
        ],
        false,
    );
    view! {
        <section class="insight" aria-labelledby="insight-items">
            <h2 id="insight-items">"Action items"</h2>
            {how("Opened and closed count items by when they were created and closed. The other figures are over the items of the period's incidents: completion is done out of all but those marked won't do; overdue is open or in progress past the due date today; days to close run from creation to closing.")}
            <div inner_html=chart></div>
            {completion_table("All items", std::slice::from_ref(&a.all))}
            {completion_table("By kind", &a.by_kind)}
            {completion_table("By priority", &a.by_priority)}
            {completion_table("By team", &a.by_team)}
            {completion_table("By service", &a.by_service)}
        </section>
    }
    .into_any()
}

fn calibration(i: &Insights) -> AnyView {
    let c = &i.calibration;
    let points: Vec<(f64, f64)> = c
        .bins
        .iter()
        .filter_map(|b| Some((b.mean_stated?, b.observed?)))
        .collect();
    let chart = reliability("Stated confidence against how often it came true", &points);
    let brier = c
        .brier
        .map(|b| format!("Brier score {b:.3} over {} forecasts (0 is perfect; always saying 50% scores 0.25).", c.forecasts.len()))
        .unwrap_or_else(|| "No hypothesis with a known outcome yet.".into());
    view! {
        <section class="insight" aria-labelledby="insight-calibration">
            <h2 id="insight-calibration">"Calibration"</h2>
            {how("Every confidence step of a hypothesis later confirmed or refuted is a forecast. The Brier score is the mean of (stated − outcome)², stated as a fraction and the outcome 1 (confirmed) or 0 (refuted). The table groups forecasts by what was stated and shows how often they came true: a calibrated team's 70% come true about 70% of the time. Open hypotheses forecast nothing yet.")}
            <p class="figure">{brier}</p>
            <div inner_html=chart></div>
            <table class="stats"><caption>"Reliability"</caption>
                <thead><tr><th scope="col">"Stated"</th><th scope="col">"Forecasts"</th><th scope="col">"Mean stated"</th><th scope="col">"Came true"</th></tr></thead>
                <tbody>{c.bins.iter().map(|b| view! { <tr>
                    <th scope="row">{format!("{}–{}%", b.from, b.to)}</th><td>{b.count}</td><td>{percent(b.mean_stated)}</td><td>{percent(b.observed)}</td>
                </tr> }).collect_view()}</tbody>
            </table>
            {(!c.people.is_empty()).then(|| view! {
                <table class="stats"><caption>"Per person"</caption>
                    <thead><tr><th scope="col">"Stated by"</th><th scope="col">"Forecasts"</th><th scope="col">"Brier score"</th></tr></thead>
                    <tbody>{c.people.iter().map(|p| view! { <tr><th scope="row">{p.name.clone()}</th><td>{p.count}</td><td>{format!("{:.3}", p.brier)}</td></tr> }).collect_view()}</tbody>
                </table>
            })}
        </section>
    }
    .into_any()
}

fn learning(i: &Insights) -> AnyView {
    let l = &i.learning;
    let labels: Vec<String> = l.months.iter().map(|m| m.month.clone()).collect();
    let chart = bars(
        "Patterns and lessons added per month",
        &labels,
        &[
            Series {
                name: "Patterns",
                class: "c-patterns",
                values: l.months.iter().map(|m| m.patterns as f64).collect(),
            },
            Series {
                name: "Lessons",
                class: "c-lessons",
                values: l.months.iter().map(|m| m.lessons as f64).collect(),
            },
        ],
        true,
    );
    view! {
        <section class="insight" aria-labelledby="insight-learning">
            <h2 id="insight-learning">"Learning"</h2>
            {how("Patterns and lessons count the learnings of the month's postmortems. A suggestion is a past postmortem shown to an ongoing incident as \"seen before?\"; it was taken when the responders accepted it as an earlier occurrence. An incident was helped when it took at least one of its suggestions: its search during the incident led to a past postmortem. A suggestion of a postmortem you may not see is not counted.")}
            <p class="figure">{format!("Incidents whose \"seen before?\" search led to a past postmortem: {}.", percent(l.helped_share))}</p>
            <p class="figure">{format!("Suggestions taken: {}.", percent(l.opened_share))}</p>
            <div inner_html=chart></div>
            <table class="stats"><caption>"Learning per month"</caption>
                <thead><tr><th scope="col">"Month"</th><th scope="col">"Patterns"</th><th scope="col">"Lessons"</th><th scope="col">"Suggestions"</th><th scope="col">"Taken"</th><th scope="col">"Incidents with suggestions"</th><th scope="col">"Incidents helped"</th></tr></thead>
                <tbody>{l.months.iter().map(|m| view! { <tr>
                    <th scope="row">{m.month.clone()}</th><td>{m.patterns}</td><td>{m.lessons}</td><td>{m.suggested}</td><td>{m.opened}</td><td>{m.incidents_suggested}</td><td>{m.incidents_helped}</td>
                </tr> }).collect_view()}</tbody>
            </table>
        </section>
    }
    .into_any()
}
