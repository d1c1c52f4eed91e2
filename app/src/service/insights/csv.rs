//! The insights figures as CSV: one row per figure.

use kb_domain::insights::Insights;

/// The figures as CSV: one row per figure, `section,group,key,measure,value`
/// (a section's rows for a month, a severity, a kind, a team...).
pub fn csv(i: &Insights) -> String {
    let mut out = String::from("section,group,key,measure,value\r\n");
    // Every measure of one key, in order.
    let mut rows = |section: &str, group: &str, key: &str, measures: &[(&str, String)]| {
        for (measure, value) in measures {
            for (at, c) in [section, group, key, measure, value]
                .into_iter()
                .enumerate()
            {
                if at > 0 {
                    out.push(',');
                }
                crate::service::actions::cell(&mut out, c);
            }
            out.push_str("\r\n");
        }
    };
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let num = |v: Option<f64>| v.map(|v| format!("{v:.1}")).unwrap_or_default();
    for m in i.incidents.months.iter().chain([&i.incidents.total]) {
        let mut measures = vec![("total", m.total.to_string())];
        let severities = ["SEV1", "SEV2", "SEV3", "SEV4", "none"];
        measures.extend(
            severities
                .into_iter()
                .zip(m.by_severity.map(|n| n.to_string())),
        );
        measures.extend([
            ("published", m.published.to_string()),
            ("coverage_percent", format!("{:.1}", m.coverage)),
            ("hours_to_publish_median", opt(m.publish_hours_median)),
        ]);
        rows("incidents", "month", &m.month, &measures);
    }
    let clock_rows = [
        ("all", vec![&i.clock.overall]),
        ("month", i.clock.by_month.iter().collect()),
        ("severity", i.clock.by_severity.iter().collect()),
    ];
    for (group, clock) in clock_rows {
        for r in clock {
            for (name, m) in [
                ("detect", &r.detect),
                ("mitigate", &r.mitigate),
                ("resolve", &r.resolve),
            ] {
                let measures = [
                    (&*format!("{name}_minutes_median"), opt(m.median)),
                    (&*format!("{name}_minutes_p90"), opt(m.p90)),
                    (&*format!("{name}_missing"), m.missing.to_string()),
                ];
                rows("clock", group, &r.key, &measures);
            }
        }
    }
    let r = &i.recurrence;
    rows(
        "recurrence",
        "all",
        "all",
        &[
            ("incidents", r.incidents.to_string()),
            ("linked_to_earlier", r.linked.to_string()),
            ("days_between_median", opt(r.days_between_median)),
            ("days_between_p90", opt(r.days_between_p90)),
            ("recurred_after_fix", r.after_fix.len().to_string()),
        ],
    );
    for p in &r.patterns {
        rows(
            "recurrence",
            "pattern",
            &p.name,
            &[("seen", p.seen.to_string())],
        );
    }
    for m in &i.action_items.months {
        let measures = [
            ("opened", m.opened.to_string()),
            ("closed", m.closed.to_string()),
        ];
        rows("action_items", "month", &m.month, &measures);
    }
    let a = &i.action_items;
    let groups = [
        ("all", vec![&a.all]),
        ("kind", a.by_kind.iter().collect()),
        ("priority", a.by_priority.iter().collect()),
        ("team", a.by_team.iter().collect()),
        ("service", a.by_service.iter().collect()),
    ];
    for (group, completions) in groups {
        for c in completions {
            let measures = [
                ("items", c.items.to_string()),
                ("done", c.done.to_string()),
                ("completion_percent", num(c.rate)),
                ("overdue", c.overdue.to_string()),
                ("days_to_close_median", opt(c.days_to_close_median)),
            ];
            rows("action_items", group, &c.key, &measures);
        }
    }
    let c = &i.calibration;
    let brier = c.brier.map(|b| format!("{b:.4}")).unwrap_or_default();
    let measures = [
        ("forecasts", c.forecasts.len().to_string()),
        ("brier", brier),
    ];
    rows("calibration", "all", "all", &measures);
    for b in &c.bins {
        let measures = [
            ("forecasts", b.count.to_string()),
            ("observed_percent", num(b.observed)),
        ];
        rows(
            "calibration",
            "bin",
            &format!("{}-{}", b.from, b.to),
            &measures,
        );
    }
    for p in &c.people {
        rows(
            "calibration",
            "person",
            &p.name,
            &[("brier", format!("{:.4}", p.brier))],
        );
    }
    let l = &i.learning;
    for m in &l.months {
        let measures = [
            ("patterns", m.patterns.to_string()),
            ("lessons", m.lessons.to_string()),
            ("suggestions", m.suggested.to_string()),
            ("suggestions_opened", m.opened.to_string()),
            ("incidents_suggested", m.incidents_suggested.to_string()),
            ("incidents_helped", m.incidents_helped.to_string()),
        ];
        rows("learning", "month", &m.month, &measures);
    }
    let measures = [
        ("suggestions_opened_percent", num(l.opened_share)),
        ("incidents_helped_percent", num(l.helped_share)),
    ];
    rows("learning", "all", "all", &measures);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kb_domain::insights::{compute, months, Filters};

    #[test]
    fn the_csv_has_a_row_per_figure_and_quotes_what_a_spreadsheet_would_run() {
        let mut i = compute(
            &[],
            &months("2026-01", "2026-02"),
            &Filters::default(),
            "2026-03-01",
        );
        i.recurrence
            .patterns
            .push(kb_domain::insights::RepeatedPattern {
                name: "=HYPERLINK(\"x\"), pool".into(),
                seen: 2,
            });
        let text = csv(&i);
        assert!(text.starts_with("section,group,key,measure,value\r\n"));
        assert!(text.contains("incidents,month,2026-01,total,0\r\n"));
        assert!(text.contains("calibration,bin,90-100,forecasts,0\r\n"));
        assert!(
            text.contains("recurrence,pattern,\"'=HYPERLINK(\"\"x\"\"), pool\",seen,2\r\n"),
            "{text}"
        );
    }
}
