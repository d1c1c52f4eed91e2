//! The insights figures for one reader: what they may see, for the period
//! and filters asked. `kb_domain::insights` computes; this module checks
//! the request, `kept` holds the facts per replica and `csv` writes them.

mod csv;
mod kept;

pub use csv::csv;
pub use kept::{Current, KeptFacts};

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
        let facts = self
            .insight_facts
            .current(&self.store)
            .await
            .map_err(|e| internal("could not read the insights", e))?;
        // After the facts: a postmortem made private since they were read
        // is hidden here too.
        let hidden = self.hidden(ctx).await?;
        Ok(facts.with(|all| {
            let visible: Vec<_> = all.filter(|p| !hidden.contains(p.incident.id)).collect();
            compute(&visible, &period, &filters, &today)
        }))
    }
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
}
