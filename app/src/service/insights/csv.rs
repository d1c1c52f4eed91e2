//! The insights figures as CSV: one row per figure.

use kb_domain::insights::Insights;

/// The figures as CSV: one row per figure, `section,group,key,measure,value`
/// (a section's rows for a month, a severity, a kind, a team...).
pub fn csv(i: &Insights) -> String {
    let mut out = String::from("section,group,key,measure,value\r\n");
    let mut row = |section: &str, group: &str, key: &str, measure: &str, value: String| {
        for (i, c) in [section, group, key, measure, &value]
            .into_iter()
            .enumerate()
        {
            if i > 0 {
                out.push(',');
            }
            crate::service::actions::cell(&mut out, c);
        }
        out.push_str("\r\n");
    };
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let num = |v: Option<f64>| v.map(|v| format!("{v:.1}")).unwrap_or_default();
    for m in i.incidents.months.iter().chain([&i.incidents.total]) {
        row("incidents", "month", &m.month, "total", m.total.to_string());
        for (s, n) in ["SEV1", "SEV2", "SEV3", "SEV4", "none"]
            .iter()
            .zip(m.by_severity)
        {
            row("incidents", "month", &m.month, s, n.to_string());
        }
        row(
            "incidents",
            "month",
            &m.month,
            "published",
            m.published.to_string(),
        );
        row(
            "incidents",
            "month",
            &m.month,
            "coverage_percent",
            format!("{:.1}", m.coverage),
        );
        row(
            "incidents",
            "month",
            &m.month,
            "hours_to_publish_median",
            opt(m.publish_hours_median),
        );
    }
    let clock_rows = [
        ("all", vec![&i.clock.overall]),
        ("month", i.clock.by_month.iter().collect()),
        ("severity", i.clock.by_severity.iter().collect()),
    ];
    for (group, rows) in clock_rows {
        for r in rows {
            for (name, m) in [
                ("detect", &r.detect),
                ("mitigate", &r.mitigate),
                ("resolve", &r.resolve),
            ] {
                row(
                    "clock",
                    group,
                    &r.key,
                    &format!("{name}_minutes_median"),
                    opt(m.median),
                );
                row(
                    "clock",
                    group,
                    &r.key,
                    &format!("{name}_minutes_p90"),
                    opt(m.p90),
                );
                row(
                    "clock",
                    group,
                    &r.key,
                    &format!("{name}_missing"),
                    m.missing.to_string(),
                );
            }
        }
    }
    let r = &i.recurrence;
    row(
        "recurrence",
        "all",
        "all",
        "incidents",
        r.incidents.to_string(),
    );
    row(
        "recurrence",
        "all",
        "all",
        "linked_to_earlier",
        r.linked.to_string(),
    );
    row(
        "recurrence",
        "all",
        "all",
        "days_between_median",
        opt(r.days_between_median),
    );
    row(
        "recurrence",
        "all",
        "all",
        "days_between_p90",
        opt(r.days_between_p90),
    );
    row(
        "recurrence",
        "all",
        "all",
        "recurred_after_fix",
        r.after_fix.len().to_string(),
    );
    for p in &r.patterns {
        row("recurrence", "pattern", &p.name, "seen", p.seen.to_string());
    }
    for m in &i.action_items.months {
        row(
            "action_items",
            "month",
            &m.month,
            "opened",
            m.opened.to_string(),
        );
        row(
            "action_items",
            "month",
            &m.month,
            "closed",
            m.closed.to_string(),
        );
    }
    let a = &i.action_items;
    let groups = [
        ("all", vec![&a.all]),
        ("kind", a.by_kind.iter().collect()),
        ("priority", a.by_priority.iter().collect()),
        ("team", a.by_team.iter().collect()),
        ("service", a.by_service.iter().collect()),
    ];
    for (group, rows) in groups {
        for c in rows {
            row("action_items", group, &c.key, "items", c.items.to_string());
            row("action_items", group, &c.key, "done", c.done.to_string());
            row(
                "action_items",
                group,
                &c.key,
                "completion_percent",
                num(c.rate),
            );
            row(
                "action_items",
                group,
                &c.key,
                "overdue",
                c.overdue.to_string(),
            );
            row(
                "action_items",
                group,
                &c.key,
                "days_to_close_median",
                opt(c.days_to_close_median),
            );
        }
    }
    let c = &i.calibration;
    row(
        "calibration",
        "all",
        "all",
        "forecasts",
        c.forecasts.len().to_string(),
    );
    row(
        "calibration",
        "all",
        "all",
        "brier",
        c.brier.map(|b| format!("{b:.4}")).unwrap_or_default(),
    );
    for b in &c.bins {
        let key = format!("{}-{}", b.from, b.to);
        row("calibration", "bin", &key, "forecasts", b.count.to_string());
        row(
            "calibration",
            "bin",
            &key,
            "observed_percent",
            num(b.observed),
        );
    }
    for p in &c.people {
        row(
            "calibration",
            "person",
            &p.name,
            "brier",
            format!("{:.4}", p.brier),
        );
    }
    for m in &i.learning.months {
        row(
            "learning",
            "month",
            &m.month,
            "patterns",
            m.patterns.to_string(),
        );
        row(
            "learning",
            "month",
            &m.month,
            "lessons",
            m.lessons.to_string(),
        );
        row(
            "learning",
            "month",
            &m.month,
            "suggestions",
            m.suggested.to_string(),
        );
        row(
            "learning",
            "month",
            &m.month,
            "suggestions_opened",
            m.opened.to_string(),
        );
        row(
            "learning",
            "month",
            &m.month,
            "incidents_suggested",
            m.incidents_suggested.to_string(),
        );
        row(
            "learning",
            "month",
            &m.month,
            "incidents_helped",
            m.incidents_helped.to_string(),
        );
    }
    let l = &i.learning;
    row(
        "learning",
        "all",
        "all",
        "suggestions_opened_percent",
        num(l.opened_share),
    );
    row(
        "learning",
        "all",
        "all",
        "incidents_helped_percent",
        num(l.helped_share),
    );
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
