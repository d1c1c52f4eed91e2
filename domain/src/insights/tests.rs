//! The whole page's figures from one small set: the period and the
//! filters decide which postmortems, items, suggestions and forecasts
//! count.

use super::*;

fn pm(id: i64, month: &str, severity: Severity, team: &str) -> IncidentFacts {
    IncidentFacts {
        id,
        month: month.into(),
        severity: Some(severity),
        teams: vec![team.into()],
        services: vec!["checkout".into()],
        started_at: Some(format!("{month}-10 10:00")),
        detected_at: Some(format!("{month}-10 10:{:02}", id)),
        forecasts: vec![Forecast {
            postmortem_id: id,
            statement: "s".into(),
            step: 1,
            stated: 80,
            by: None,
            confirmed: id % 2 == 0,
        }],
        ..Default::default()
    }
}

#[test]
fn periods_are_whole_months() {
    assert_eq!(
        months("2025-11", "2026-02"),
        ["2025-11", "2025-12", "2026-01", "2026-02"]
    );
    assert!(months("2026-03", "2026-02").is_empty());
    assert!(months("2026-13", "2026-14").is_empty());
    let year = last_twelve_months("2026-12-05");
    assert_eq!(
        (year.len(), year[0].as_str(), year[11].as_str()),
        (12, "2026-01", "2026-12")
    );
    assert_eq!(last_twelve_months("2026-03-01")[0], "2025-04");
}

#[test]
fn the_period_and_filters_choose_what_counts() {
    let all = vec![
        pm(1, "2026-01", Severity::Sev1, "pay"),
        pm(2, "2026-02", Severity::Sev2, "pay"),
        pm(3, "2026-02", Severity::Sev2, "search"),
        pm(4, "2025-06", Severity::Sev2, "pay"),
    ];
    let item = |postmortem_id, created: &str| ItemFacts {
        postmortem_id,
        kind: "prevent".into(),
        priority: "high".into(),
        status: "open".into(),
        created_at: created.into(),
        ..Default::default()
    };
    let items = vec![
        item(2, "2026-02-11T00:00:00.000Z"),
        item(3, "2026-02-12T00:00:00.000Z"),
    ];
    let suggestions = vec![
        SuggestionFacts {
            postmortem_id: 2,
            month: "2026-02".into(),
            accepted: true,
        },
        SuggestionFacts {
            postmortem_id: 3,
            month: "2026-02".into(),
            accepted: false,
        },
    ];
    let period = months("2026-01", "2026-02");
    let pay = Filters {
        team: Some("pay".into()),
        ..Default::default()
    };
    let i = compute(&all, &items, &suggestions, &period, &pay, "2026-03-01");
    assert_eq!(i.incidents.total.total, 2);
    assert_eq!(i.clock.overall.detect.measured, 2);
    assert_eq!(i.calibration.forecasts.len(), 2);
    assert_eq!(i.action_items.all.items, 1);
    assert_eq!(i.learning.opened_share, Some(100.0));

    let sev2 = Filters {
        severity: Some(Severity::Sev2),
        ..Default::default()
    };
    let i = compute(&all, &items, &suggestions, &period, &sev2, "2026-03-01");
    assert_eq!(i.incidents.total.total, 2);
    assert_eq!(i.incidents.total.by_severity, [0, 2, 0, 0, 0]);
    assert_eq!(i.action_items.all.items, 2);
    assert_eq!(i.learning.opened_share, Some(50.0));
    // Both forecast 80%: one confirmed (0.04), one refuted (0.64).
    assert!((i.calibration.brier.unwrap() - 0.34).abs() < 1e-12);

    // Without the filters, and the period leaves June out.
    let i = compute(
        &all,
        &items,
        &suggestions,
        &period,
        &Filters::default(),
        "2026-03-01",
    );
    assert_eq!(i.incidents.total.total, 3);
    let json = serde_json::to_value(&i).unwrap();
    for section in [
        "incidents",
        "clock",
        "recurrence",
        "action_items",
        "calibration",
        "learning",
    ] {
        assert!(json.get(section).is_some(), "{section}");
    }
    assert!(
        json["calibration"].get("brier").is_some() && json["calibration"].get("bins").is_some()
    );
}
