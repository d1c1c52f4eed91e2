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
        started: seconds(&format!("{month}-10 10:00")),
        detected: seconds(&format!("{month}-10 10:{:02}", id)),
        forecasts: vec![std::sync::Arc::new(Forecast {
            postmortem_id: id,
            statement: "s".into(),
            step: 1,
            stated: 80,
            by: None,
            confirmed: id % 2 == 0,
        })],
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

/// Postmortems 1–4 (4 outside the period), an item each for 2 and 3,
/// and a suggestion each made to 2 (taken) and 3 (not), pointing at 1.
fn set() -> Vec<PostmortemFacts> {
    let item = |id, created: &str| ItemFacts {
        id,
        kind: Some(crate::record::ActionKind::Prevent),
        priority: Some(crate::record::Priority::High),
        status: Some(crate::record::ActionStatus::Open),
        created: seconds(created),
        ..Default::default()
    };
    let with =
        |incident: IncidentFacts, items: Vec<ItemFacts>, accepted: Option<bool>| PostmortemFacts {
            incident,
            items,
            suggestions: Vec::from_iter(accepted.map(|accepted| SuggestionFacts {
                target_id: 1,
                accepted,
            })),
        };
    vec![
        with(pm(1, "2026-01", Severity::Sev1, "pay"), vec![], None),
        with(
            pm(2, "2026-02", Severity::Sev2, "pay"),
            vec![item(2, "2026-02-11T00:00:00.000Z")],
            Some(true),
        ),
        with(
            pm(3, "2026-02", Severity::Sev2, "search"),
            vec![item(3, "2026-02-12T00:00:00.000Z")],
            Some(false),
        ),
        with(pm(4, "2025-06", Severity::Sev2, "pay"), vec![], None),
    ]
}

#[test]
fn the_period_and_filters_choose_what_counts() {
    let all = set();
    let refs: Vec<&PostmortemFacts> = all.iter().collect();
    let period = months("2026-01", "2026-02");
    let pay = Filters {
        team: Some("pay".into()),
        ..Default::default()
    };
    let i = compute(&refs, &period, &pay, "2026-03-01");
    assert_eq!(i.incidents.total.total, 2);
    assert_eq!(i.clock.overall.detect.measured, 2);
    assert_eq!(i.calibration.forecasts.len(), 2);
    assert_eq!(i.action_items.all.items, 1);
    assert_eq!(i.learning.opened_share, Some(100.0));

    let sev2 = Filters {
        severity: Some(Severity::Sev2),
        ..Default::default()
    };
    let i = compute(&refs, &period, &sev2, "2026-03-01");
    assert_eq!(i.incidents.total.total, 2);
    assert_eq!(i.incidents.total.by_severity, [0, 2, 0, 0, 0]);
    assert_eq!(i.action_items.all.items, 2);
    assert_eq!(i.learning.opened_share, Some(50.0));
    // Both forecast 80%: one confirmed (0.04), one refuted (0.64).
    assert!((i.calibration.brier.unwrap() - 0.34).abs() < 1e-12);

    // Without the filters, and the period leaves June out.
    let i = compute(&refs, &period, &Filters::default(), "2026-03-01");
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

#[test]
fn what_points_at_a_postmortem_left_out_counts_as_absent() {
    let mut all = set();
    all[2].incident.earlier = vec![1, 2];
    let period = months("2026-01", "2026-02");
    let figures = |left_out: i64| {
        let refs: Vec<&PostmortemFacts> =
            all.iter().filter(|p| p.incident.id != left_out).collect();
        compute(&refs, &period, &Filters::default(), "2026-03-01")
    };
    // Without 1, the suggestions pointing at it are not shown, and 3's link
    // to 2 is its only one.
    let i = figures(1);
    assert_eq!(i.learning.opened_share, None);
    assert_eq!((i.recurrence.linked, i.recurrence.intervals), (1, 1));
    // Without 2, 3 still links to 1; its suggestion stays.
    let i = figures(2);
    assert_eq!(i.learning.months[1].suggested, 1);
    assert_eq!((i.recurrence.linked, i.recurrence.intervals), (1, 1));
    // Given out of order, the same figures.
    let reversed: Vec<&PostmortemFacts> = all.iter().rev().collect();
    let sorted: Vec<&PostmortemFacts> = all.iter().collect();
    let f = Filters::default();
    assert_eq!(
        compute(&reversed, &period, &f, "2026-03-01"),
        compute(&sorted, &period, &f, "2026-03-01")
    );
}
