//! `GET /api/v1/insights` and `GET /insights.csv` through the router:
//! exact figures on a small hand-built set, filters, and bad fields
//! refused by name.

mod common;

use axum::http::{header, StatusCode};
use serde_json::json;

async fn seeded() -> common::TestApp {
    let app = common::app().await;
    app.create(json!({
        "title": "Checkout pool starvation", "severity": "SEV2", "teams": ["pay"],
        "services": ["checkout"],
        "started_at": "2026-01-10 10:00", "detected_at": "2026-01-10 10:20",
        "mitigated_at": "2026-01-10 11:00", "resolved_at": "2026-01-10 12:00",
        "learnings": [{"kind": "pattern", "title": "Pool starvation", "symptoms": "timeouts"}],
        "hypotheses": [{"statement": "The pool is too small", "outcome": "confirmed",
                        "confidence": [{"value": 70, "by": "ada"}, {"value": 95, "by": "ada"}]}],
        "action_items": [{"title": "Alert on saturation", "kind": "prevent", "priority": "high",
                          "status": "open", "due": "2026-02-01"}]
    }))
    .await;
    app.create(json!({
        "title": "Search slow again", "severity": "SEV3", "teams": ["search"],
        "started_at": "2026-02-03 08:00", "detected_at": "2026-02-03 09:00",
        "links": [{"target": "#1", "kind": "earlier_occurrence"}],
        "learnings": [{"kind": "pattern", "title": "pool starvation", "symptoms": "slow"}],
        "hypotheses": [{"statement": "A bad index", "outcome": "refuted",
                        "confidence": [{"value": 60}]},
                       {"statement": "Still open", "outcome": "open", "confidence": [{"value": 50}]}]
    }))
    .await;
    app
}

#[tokio::test]
async fn the_figures_of_a_small_set_are_exact() {
    let app = seeded().await;
    let reply = app.get("/api/v1/insights?from=2026-01&to=2026-03").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let i = reply.json();
    assert_eq!(i["months"], json!(["2026-01", "2026-02", "2026-03"]));
    assert_eq!(i["incidents"]["total"]["total"], 2);
    assert_eq!(
        i["incidents"]["total"]["by_severity"],
        json!([0, 1, 1, 0, 0])
    );
    assert_eq!(i["incidents"]["months"][2]["total"], 0);
    let detect = &i["clock"]["overall"]["detect"];
    assert_eq!(
        (detect["median"].clone(), detect["p90"].clone()),
        (json!(20), json!(60))
    );
    assert_eq!(i["clock"]["overall"]["resolve"]["missing"], 1);
    assert_eq!(i["recurrence"]["linked"], 1);
    assert_eq!(
        i["recurrence"]["patterns"],
        json!([{"name": "Pool starvation", "seen": 2}])
    );
    assert_eq!(i["recurrence"]["days_between_median"], 23);
    assert_eq!(i["action_items"]["all"]["items"], 1);
    assert_eq!(i["action_items"]["all"]["overdue"], 1);
    // 70% and 95% right, 60% wrong: (0.09 + 0.0025 + 0.36) / 3.
    let brier = i["calibration"]["brier"].as_f64().unwrap();
    assert!((brier - 0.4525 / 3.0).abs() < 1e-9, "{brier}");
    assert_eq!(i["calibration"]["forecasts"].as_array().unwrap().len(), 3);
    assert_eq!(i["calibration"]["people"][0]["name"], "ada");
    assert_eq!(i["learning"]["months"][0]["patterns"], 1);

    // Filters: one team, one severity.
    let pay = app
        .get("/api/v1/insights?from=2026-01&to=2026-03&team=pay")
        .await
        .json();
    assert_eq!(pay["incidents"]["total"]["total"], 1);
    assert_eq!(pay["recurrence"]["linked"], 0);
    let sev3 = app
        .get("/api/v1/insights?from=2026-01&to=2026-03&severity=SEV3")
        .await
        .json();
    assert_eq!(
        sev3["calibration"]["forecasts"].as_array().unwrap().len(),
        1
    );
}

#[tokio::test]
async fn bad_fields_are_refused_by_name_and_the_csv_has_every_figure() {
    let app = seeded().await;
    let reply = app.get("/api/v1/insights?from=2026-13&severity=SEV9").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let fields: Vec<String> = reply.json()["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["from", "severity"]);

    let csv = app.get("/insights.csv?from=2026-01&to=2026-03").await;
    assert_eq!(csv.status, StatusCode::OK);
    let kind = csv
        .headers
        .get(header::CONTENT_TYPE)
        .unwrap()
        .to_str()
        .unwrap();
    assert_eq!(kind, "text/csv; charset=utf-8");
    let disposition = csv.headers.get(header::CONTENT_DISPOSITION).unwrap();
    assert_eq!(
        disposition.to_str().unwrap(),
        "attachment; filename=\"insights-2026-01-2026-03.csv\""
    );
    for line in [
        "incidents,month,all,total,2",
        "clock,all,all,detect_minutes_median,20",
        "recurrence,pattern,Pool starvation,seen,2",
        "calibration,person,ada,brier,0.0463",
    ] {
        assert!(
            csv.body.contains(&format!("{line}\r\n")),
            "{line}\n{}",
            csv.body
        );
    }
}

#[tokio::test]
async fn the_page_draws_every_section_with_its_chart_table_and_definition() {
    let app = seeded().await;
    let page = app.get("/insights?from=2026-01&to=2026-03&team=pay").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = &page.body;
    for section in [
        "Incidents",
        "Clock",
        "Recurrence",
        "Action items",
        "Calibration",
        "Learning",
    ] {
        assert!(html.contains(&format!(">{section}</h2>")), "{section}");
    }
    assert_eq!(
        html.matches("<summary>How is this computed?</summary>")
            .count(),
        6
    );
    // Recurrence is a few figures and tables; the other five have a chart.
    assert_eq!(html.matches("<svg class=\"ins-chart").count(), 5);
    // The team filter: one incident, its two forecasts by ada.
    assert!(html.contains("2026-01 to 2026-03: 1 incidents."), "{html}");
    assert!(html.contains("Brier score 0.046 over 2 forecasts"));
    assert!(html.contains("href=\"/insights.csv?from=2026-01&amp;to=2026-03&amp;team=pay\""));
    // A refused field says why, on the page.
    let bad = app.get("/insights?severity=SEV9").await;
    assert!(
        bad.body.contains("SEV1, SEV2, SEV3 or SEV4"),
        "{}",
        bad.body
    );
}
