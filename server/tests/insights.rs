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

#[tokio::test]
async fn resolved_before_detected_is_refused_and_writes_nothing() {
    let app = seeded().await;
    let reply = app
        .post_json(
            "/api/v1/incidents",
            &json!({
                "title": "Backwards clock", "severity": "SEV2",
                "detected_at": "2026-01-10 10:20", "resolved_at": "2026-01-10 10:05"
            }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let field = &reply.json()["fields"][0];
    assert_eq!(
        (field["field"].as_str(), field["message"].as_str()),
        (
            Some("resolved_at"),
            Some("it cannot be resolved before it was detected")
        )
    );
    let i = app.get("/api/v1/insights?from=2026-01&to=2026-03").await;
    assert_eq!(i.json()["incidents"]["total"]["total"], 2);
}

/// The total, linked and done figures `services` computes for `ctx` over
/// January to March 2026.
async fn totals(
    services: &app::service::Services,
    ctx: &app::context::RequestContext,
) -> (serde_json::Value, serde_json::Value, serde_json::Value) {
    let query = app::service::insights::InsightsQuery {
        from: Some("2026-01".into()),
        to: Some("2026-03".into()),
        ..Default::default()
    };
    let i = serde_json::to_value(services.insights(ctx, &query).await.unwrap()).unwrap();
    (
        i["incidents"]["total"]["by_severity"].clone(),
        i["recurrence"]["linked"].clone(),
        i["action_items"]["all"]["done"].clone(),
    )
}

#[tokio::test]
async fn the_figures_follow_every_write_on_every_replica() {
    let app = seeded().await;
    let a = &app.state.services;
    // A second replica on the same database, with facts of its own.
    let b = hindsight::startup::open(
        app.dir.path(),
        common::database_of(app.dir.path()).as_deref(),
    )
    .await
    .unwrap();
    let ctx = app::context::RequestContext::command_line();
    let before = (json!([0, 1, 1, 0, 0]), json!(1), json!(0));
    assert_eq!(totals(a, &ctx).await, before);
    assert_eq!(totals(&b, &ctx).await, before);

    // A new postmortem on A, an edit, an action item closed: B follows.
    let third = app
        .create(json!({"title": "Queue backlog", "severity": "SEV1",
                       "started_at": "2026-03-02 10:00",
                       "links": [{"target": "#2", "kind": "earlier_occurrence"}]}))
        .await;
    let second = a.store.get(2).await.unwrap();
    let mut input = kb_domain::PostmortemInput::from(&second);
    input.severity = Some("SEV4".into());
    a.update_authored(&ctx, 2, second.version, input)
        .await
        .unwrap();
    let item = a.store.get(1).await.unwrap().parts.action_items[0]
        .id
        .unwrap();
    let row = a.action_item(&ctx, item).await.unwrap().unwrap();
    let patch = kb_domain::actions::ActionPatch {
        version: row.version,
        status: Some("done".into()),
        ..Default::default()
    };
    a.change_action_item(&ctx, item, &patch).await.unwrap();
    let after = (json!([1, 1, 0, 1, 0]), json!(2), json!(1));
    assert_eq!(totals(&b, &ctx).await, after);
    assert_eq!(totals(a, &ctx).await, after);

    // Deleted on B: gone from A's figures, its link with it.
    b.store.delete(third).await.unwrap();
    let deleted = (json!([0, 1, 0, 1, 0]), json!(1), json!(1));
    assert_eq!(totals(a, &ctx).await, deleted);
}

#[tokio::test]
async fn a_private_postmortem_counts_for_its_readers_only() {
    let app = seeded().await;
    common::add_account(&app, "ed", kb_domain::accounts::Role::Editor).await;
    common::add_account(&app, "vi", kb_domain::accounts::Role::Viewer).await;
    let mut secret = common::private_to("ed", "Secret outage", "Rotate keys");
    secret.severity = Some("SEV1".into());
    secret.parts.started_at = Some("2026-02-20 10:00".into());
    secret.parts.links = vec![kb_domain::record::Link {
        target: "#1".into(),
        kind: "earlier_occurrence".into(),
        note: String::new(),
    }];
    let ctx = app::context::RequestContext::command_line();
    app.state.services.create(&ctx, secret).await.unwrap();
    let uri = "/api/v1/insights?from=2026-01&to=2026-03";
    let as_vi = app.get_as(uri, &common::session(&app, "vi").await).await;
    let as_ed = app.get_as(uri, &common::session(&app, "ed").await).await;
    assert_eq!(as_vi.status, StatusCode::OK, "{}", as_vi.body);
    let (vi, ed) = (as_vi.json(), as_ed.json());
    assert_eq!(
        vi["incidents"]["total"]["by_severity"],
        json!([0, 1, 1, 0, 0])
    );
    assert_eq!(vi["recurrence"]["linked"], 1);
    assert_eq!(
        ed["incidents"]["total"]["by_severity"],
        json!([1, 1, 1, 0, 0])
    );
    assert_eq!(ed["recurrence"]["linked"], 2);
}

#[tokio::test]
async fn kept_facts_catch_up_across_batches_and_equal_a_fresh_read() {
    use app::service::insights::KeptFacts;
    let app = seeded().await;
    let store = &app.state.services.store;
    let kept = KeptFacts::with_batch(2);
    kept.catch_up(store).await.unwrap();
    // Seven writes: four batches of two, and 1 deleted on the way.
    for n in 0..6 {
        app.create(json!({"title": format!("Later {n}"), "severity": "SEV3",
                           "started_at": "2026-02-01 10:00",
                           "links": [{"target": "#2", "kind": "earlier_occurrence"}]}))
            .await;
    }
    store.delete(1).await.unwrap();
    kept.catch_up(store).await.unwrap();
    let fresh = KeptFacts::default();
    fresh.catch_up(store).await.unwrap();
    let caught_up = kept.current(store).await.unwrap();
    let caught_up = caught_up.with(|facts| facts.cloned().collect::<Vec<_>>());
    let read_anew = fresh.current(store).await.unwrap();
    let read_anew = read_anew.with(|facts| facts.cloned().collect::<Vec<_>>());
    assert_eq!(caught_up.len(), 7);
    assert!(caught_up.iter().all(|p| p.incident.id != 1));
    assert_eq!(caught_up, read_anew);
}
