//! The insights figures for one reader: what they may see, for the period
//! and filters asked (`kb_domain::insights` computes; this module reads,
//! checks the request and writes the CSV).

use super::{internal, Services};
use crate::context::RequestContext;
use crate::error::AppError;
use kb_domain::insights::{compute, last_twelve_months, months, Filters, Insights};
use kb_domain::{Severity, ValidationErrors};
use serde::{Deserialize, Serialize};

/// Longest period asked at once, in months.
pub const MAX_MONTHS: usize = 120;

/// What the page, the API and the CSV are asked: a period (`from`, `to`:
/// `YYYY-MM`; the last twelve months by default) and filters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InsightsQuery {
    /// First month, `YYYY-MM`.
    #[serde(default)]
    pub from: Option<String>,
    /// Last month, `YYYY-MM`.
    #[serde(default)]
    pub to: Option<String>,
    /// Only postmortems naming this service.
    #[serde(default)]
    pub service: Option<String>,
    /// Only postmortems of this team.
    #[serde(default)]
    pub team: Option<String>,
    /// Only this severity (`SEV1`…`SEV4`).
    #[serde(default)]
    pub severity: Option<String>,
}

/// A field's text, if anything was written in it.
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl InsightsQuery {
    /// The period's months and the filters, or the fields that cannot be
    /// read.
    pub fn read(&self, today: &str) -> Result<(Vec<String>, Filters), AppError> {
        let mut errors = ValidationErrors::default();
        let default = last_twelve_months(today);
        let (from, to) = (
            given(&self.from)
                .map(str::to_string)
                .or_else(|| default.first().cloned()),
            given(&self.to)
                .map(str::to_string)
                .or_else(|| default.last().cloned()),
        );
        let (from, to) = (from.unwrap_or_default(), to.unwrap_or_default());
        for (field, value) in [("from", &from), ("to", &to)] {
            if months(value, value).len() != 1 {
                errors.push(field, "a month, YYYY-MM");
            }
        }
        let period = months(&from, &to);
        if errors.is_empty() && period.is_empty() {
            errors.push("to", "the period ends before it starts");
        }
        if period.len() > MAX_MONTHS {
            errors.push("from", format!("at most {MAX_MONTHS} months at once"));
        }
        let severity = match given(&self.severity) {
            None => None,
            Some(s) => match s.parse::<Severity>() {
                Ok(s) => Some(s),
                Err(_) => {
                    errors.push("severity", "SEV1, SEV2, SEV3 or SEV4");
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let filters = Filters {
            service: given(&self.service).map(str::to_string),
            team: given(&self.team).map(str::to_string),
            severity,
        };
        Ok((period, filters))
    }
}

impl Services {
    /// The figures `ctx` may see for `query`.
    pub async fn insights(
        &self,
        ctx: &RequestContext,
        query: &InsightsQuery,
    ) -> Result<Insights, AppError> {
        let today = super::actions::today();
        let (period, filters) = query.read(&today)?;
        let hidden = self.hidden(ctx).await?;
        let facts = self
            .store
            .insight_facts(&hidden)
            .await
            .map_err(|e| internal("could not read the insights", e))?;
        Ok(compute(
            &facts.incidents,
            &facts.items,
            &facts.suggestions,
            &period,
            &filters,
            &today,
        ))
    }
}

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
            super::actions::cell(&mut out, c);
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
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_period_defaults_to_a_year_and_bad_fields_are_named() {
        let (months, filters) = InsightsQuery::default().read("2026-12-05").unwrap();
        assert_eq!((months.len(), months[0].as_str()), (12, "2026-01"));
        assert_eq!(filters, Filters::default());
        let bad = InsightsQuery {
            from: Some("2026-13".into()),
            to: Some("last week".into()),
            severity: Some("SEV9".into()),
            ..Default::default()
        };
        let Err(AppError::Invalid(e)) = bad.read("2026-12-05") else {
            panic!()
        };
        for field in ["from", "to", "severity"] {
            assert!(e.for_field(field).is_some(), "{field}: {e}");
        }
        let backwards = InsightsQuery {
            from: Some("2026-05".into()),
            to: Some("2026-01".into()),
            ..Default::default()
        };
        assert!(matches!(
            backwards.read("2026-12-05"),
            Err(AppError::Invalid(_))
        ));
        let decade = InsightsQuery {
            from: Some("2000-01".into()),
            to: Some("2026-01".into()),
            ..Default::default()
        };
        assert!(matches!(
            decade.read("2026-12-05"),
            Err(AppError::Invalid(_))
        ));
    }

    #[test]
    fn the_csv_has_a_row_per_figure_and_quotes_what_a_spreadsheet_would_run() {
        let mut i = compute(
            &[],
            &[],
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
