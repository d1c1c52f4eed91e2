//! Calibration: does stated confidence mean what it says? Every confidence
//! step of a hypothesis whose outcome is known (confirmed or refuted) is a
//! forecast: "70%" that it is the cause, then right or wrong. The Brier
//! score is the mean of (stated − outcome)², stated as a fraction and the
//! outcome 1 or 0: 0 is perfect, 0.25 is what always saying 50% earns. The
//! reliability table bins forecasts by what was stated and shows how often
//! such hypotheses were confirmed. Open hypotheses forecast nothing yet.

use crate::record::{Hypothesis, HypothesisOutcome};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// One stated confidence whose outcome is known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    /// The postmortem.
    pub postmortem_id: i64,
    /// What was believed (shared: every step of a hypothesis, and every
    /// answer that lists it, holds the one text).
    pub statement: Arc<str>,
    /// Which step of its confidence (1 for the first).
    pub step: usize,
    /// The confidence stated, in percent.
    pub stated: i64,
    /// Who stated it, when the record says.
    pub by: Option<Arc<str>>,
    /// Whether the hypothesis was confirmed (else refuted).
    pub confirmed: bool,
}

/// Forecasts stated within one band of confidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bin {
    /// Lowest stated percent in the band.
    pub from: i64,
    /// Highest (90–100 is the last band).
    pub to: i64,
    /// Forecasts in it.
    pub count: usize,
    /// Their mean stated confidence, in percent.
    pub mean_stated: Option<f64>,
    /// How many came true.
    pub confirmed: usize,
    /// The share that came true, in percent.
    pub observed: Option<f64>,
}

/// One person's forecasts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonScore {
    /// Who stated them.
    pub name: String,
    /// How many.
    pub count: usize,
    /// Their Brier score.
    pub brier: f64,
}

/// The calibration section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// Mean squared error of every forecast; `None` without forecasts.
    pub brier: Option<f64>,
    /// Ten bands: 0–9, 10–19, …, 90–100 percent.
    pub bins: Vec<Bin>,
    /// Per person, for forecasts that name who stated them; by name.
    pub people: Vec<PersonScore>,
    /// Every forecast, shared with the facts they came from.
    pub forecasts: Vec<Arc<Forecast>>,
}

/// The forecasts postmortem `id`'s hypotheses make: each confidence step
/// of those confirmed or refuted.
pub fn forecasts(id: i64, hypotheses: &[Hypothesis]) -> Vec<Forecast> {
    let mut out = Vec::new();
    for h in hypotheses {
        let statement: Arc<str> = h.statement.as_str().into();
        let confirmed = match HypothesisOutcome::parse(&h.outcome) {
            Some(HypothesisOutcome::Confirmed) => true,
            Some(HypothesisOutcome::Refuted) => false,
            _ => continue,
        };
        for (i, step) in h.confidence.iter().enumerate() {
            out.push(Forecast {
                postmortem_id: id,
                statement: statement.clone(),
                step: i + 1,
                stated: step.value.clamp(0, 100),
                by: (!step.by.is_empty()).then(|| step.by.as_str().into()),
                confirmed,
            });
        }
    }
    out
}

/// (stated − outcome)² of one forecast.
fn squared_error(f: &Forecast) -> f64 {
    let p = f.stated as f64 / 100.0;
    let o = if f.confirmed { 1.0 } else { 0.0 };
    (p - o) * (p - o)
}

/// The calibration of `forecasts`: one pass, summing per band and person.
pub fn calibration(forecasts: Vec<&Arc<Forecast>>) -> Calibration {
    // Per band: count, sum of stated, confirmed.
    let mut bands = [(0usize, 0i64, 0usize); 10];
    // Per person: count, sum of squared errors.
    let mut by_person: BTreeMap<&str, (usize, f64)> = BTreeMap::new();
    let mut total = 0.0;
    for f in &forecasts {
        let band = &mut bands[(f.stated / 10).clamp(0, 9) as usize];
        band.0 += 1;
        band.1 += f.stated;
        band.2 += usize::from(f.confirmed);
        let e = squared_error(f);
        total += e;
        if let Some(name) = f.by.as_deref() {
            let p = by_person.entry(name).or_default();
            p.0 += 1;
            p.1 += e;
        }
    }
    let bins = bands
        .iter()
        .zip(0..)
        .map(|(&(count, stated, confirmed), b)| {
            let share = |n: f64| (count > 0).then(|| n / count as f64);
            Bin {
                from: b * 10,
                to: if b == 9 { 100 } else { b * 10 + 9 },
                count,
                mean_stated: share(stated as f64),
                confirmed,
                observed: share(confirmed as f64 * 100.0),
            }
        })
        .collect();
    let people = by_person
        .into_iter()
        .map(|(name, (count, sum))| PersonScore {
            name: name.to_string(),
            count,
            brier: sum / count as f64,
        })
        .collect();
    Calibration {
        brier: (!forecasts.is_empty()).then(|| total / forecasts.len() as f64),
        bins,
        people,
        forecasts: forecasts.into_iter().map(Arc::clone).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::ConfidenceStep;

    fn shared(f: Vec<Forecast>) -> Vec<Arc<Forecast>> {
        f.into_iter().map(Arc::new).collect()
    }

    fn hypothesis(outcome: &str, steps: &[i64]) -> Hypothesis {
        Hypothesis {
            statement: format!("{outcome} {steps:?}"),
            outcome: outcome.into(),
            confidence: steps
                .iter()
                .map(|&value| ConfidenceStep {
                    value,
                    note: String::new(),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn seed_001s_review_is_one_hypothesis_70_then_95_and_right() {
        let f = shared(forecasts(1, &[hypothesis("confirmed", &[70, 95])]));
        let c = calibration(f.iter().collect());
        // ((0.7 − 1)² + (0.95 − 1)²) / 2
        assert!((c.brier.unwrap() - 0.04625).abs() < 1e-12);
        assert_eq!(c.bins[7].count, 1);
        assert_eq!(c.bins[9].count, 1);
        assert_eq!(c.bins[9].observed, Some(100.0));
        assert_eq!(c.forecasts.len(), 2);
        assert_eq!(c.forecasts[1].step, 2);
    }

    #[test]
    fn open_hypotheses_forecast_nothing_and_refuted_ones_count_as_wrong() {
        let f = shared(forecasts(
            4,
            &[
                hypothesis("open", &[60]),
                hypothesis("refuted", &[80, 20]),
                hypothesis("confirmed", &[]),
                hypothesis("", &[50]),
            ],
        ));
        let c = calibration(f.iter().collect());
        assert_eq!(c.forecasts.len(), 2);
        // ((0.8 − 0)² + (0.2 − 0)²) / 2
        assert!((c.brier.unwrap() - 0.34).abs() < 1e-12);
        assert_eq!(c.bins[8].confirmed, 0);
        assert_eq!(c.bins[8].observed, Some(0.0));
        assert_eq!(c.bins[2].mean_stated, Some(20.0));
        assert_eq!(c.bins[5].count, 0);
        assert_eq!(c.bins[5].observed, None);
    }

    #[test]
    fn bins_cover_0_to_100_and_people_are_scored_apart() {
        let mut f = forecasts(
            2,
            &[
                hypothesis("confirmed", &[0, 9, 10, 99, 100]),
                hypothesis("refuted", &[100]),
            ],
        );
        for (i, x) in f.iter_mut().enumerate() {
            x.by = Some(if i % 2 == 0 { "ada" } else { "lee" }.into());
        }
        let f = shared(f);
        let c = calibration(f.iter().collect());
        let counts: Vec<usize> = c.bins.iter().map(|b| b.count).collect();
        assert_eq!(counts, vec![2, 1, 0, 0, 0, 0, 0, 0, 0, 3]);
        assert_eq!((c.bins[9].from, c.bins[9].to), (90, 100));
        assert_eq!(c.people.len(), 2);
        // ada: 0, 10, 100 (all confirmed) → (1 + 0.81 + 0) / 3
        assert_eq!((c.people[0].name.as_str(), c.people[0].count), ("ada", 3));
        assert!((c.people[0].brier - 1.81 / 3.0).abs() < 1e-12);
        // lee: 9, 99 confirmed, 100 refuted → (0.8281 + 0.0001 + 1) / 3
        assert!((c.people[1].brier - 1.8282 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn no_forecast_gives_no_score() {
        let c = calibration(Vec::new());
        assert_eq!(c.brier, None);
        assert_eq!(c.bins.len(), 10);
        assert!(c.people.is_empty());
    }
}
