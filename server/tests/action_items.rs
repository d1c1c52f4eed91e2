//! The action-item API, the CSV export and the Action items page, through
//! the router against a real data folder.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{app, Reply, TestApp};
use serde_json::{json, Value};

async fn patch(app: &TestApp, id: i64, body: Value) -> Reply {
    app.send(
        Request::patch(format!("/api/v1/action-items/{id}"))
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

/// One postmortem with an overdue item and an undated one; returns the
/// postmortem's id and the items as the API lists them.
async fn seeded(app: &TestApp) -> (i64, Vec<Value>) {
    let id = app
        .create(json!({
            "title": "Queue backlog", "severity": "SEV2", "services": ["queue"], "teams": ["infra"],
            "action_items": [
                {"title": "Alert on backlog, age", "owner": "dana", "due": "2001-01-01", "priority": "high", "kind": "detect"},
                {"title": "=Autoscale workers", "owner": "lee", "kind": "prevent"}
            ]
        }))
        .await;
    let list = app
        .get(&format!("/api/v1/action-items?postmortem={id}"))
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    (id, list.json()["rows"].as_array().unwrap().clone())
}

#[tokio::test]
async fn the_list_filters_and_counts_like_the_page() {
    let app = app().await;
    let (id, rows) = seeded(&app).await;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["title"], "Alert on backlog, age");
    assert_eq!(rows[0]["teams"], json!(["infra"]));

    let overdue = app
        .get(&format!("/api/v1/action-items?postmortem={id}&due=overdue"))
        .await
        .json();
    assert_eq!(overdue["total"], 1);
    assert_eq!(overdue["rows"][0]["owner"], "dana");
    let counts = &app
        .get(&format!("/api/v1/action-items?postmortem={id}&status=done"))
        .await
        .json()["counts"];
    assert_eq!(counts[0], json!({"status": "open", "count": 2}));

    let bad = app
        .get("/api/v1/action-items?status=finished&kind=fix&due=soon")
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let fields: Vec<String> = bad.json()["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["status", "kind", "due"]);
}

#[tokio::test]
async fn patch_changes_records_and_refuses_bad_or_stale_changes() {
    let app = app().await;
    let (_, rows) = seeded(&app).await;
    let item = rows[0]["id"].as_i64().unwrap();

    let done = patch(
        &app,
        item,
        json!({"version": 1, "status": "done", "owner": "kim"}),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.json()["status"], "done");
    assert_eq!(done.json()["version"], 2);

    let stale = patch(&app, item, json!({"version": 1, "status": "open"})).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(stale.json()["error"]
        .as_str()
        .unwrap()
        .contains("changed by someone else"));

    let bad = patch(
        &app,
        item,
        json!({"version": 2, "status": "closed", "due": "next week", "owner": "x".repeat(101)}),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let body = bad.json();
    let message = |field: &str| {
        body["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == field)
            .map(|f| f["message"].as_str().unwrap().to_string())
            .unwrap_or_default()
    };
    assert!(message("status").contains("closed"));
    assert!(message("due").contains("not a date"));
    assert!(message("owner").contains("at most 100"));

    let no_version = patch(&app, item, json!({"status": "open"})).await;
    assert_eq!(no_version.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        patch(&app, 999_999, json!({"version": 1, "status": "open"}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let got = app
        .get(&format!("/api/v1/action-items/{item}"))
        .await
        .json();
    assert_eq!(got["version"], 2);
    let history: Vec<(String, String, String)> = got["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["field"].as_str().unwrap().into(),
                h["from"].as_str().unwrap().into(),
                h["to"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        history,
        [
            ("created".into(), "".into(), "open".into()),
            ("status".into(), "open".into(), "done".into()),
            ("owner".into(), "dana".into(), "kim".into())
        ]
    );
}

#[tokio::test]
async fn csv_exports_the_current_view() {
    let app = app().await;
    let (id, _) = seeded(&app).await;
    let reply = app
        .get(&format!("/action-items.csv?postmortem={id}&sort=priority"))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let lines: Vec<&str> = reply.body.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 3, "{}", reply.body);
    assert!(lines[0].starts_with("id,postmortem_id,postmortem,title,owner,due,overdue"));
    assert!(lines[1].contains(",\"Alert on backlog, age\",dana,2001-01-01,yes,high,open,"));
    // A formula-looking title is defused.
    assert!(lines[2].contains(",'=Autoscale workers,lee,,no,medium,open,"));
    let same = app
        .get(&format!(
            "/api/v1/action-items?postmortem={id}&sort=priority&format=csv"
        ))
        .await;
    assert_eq!(same.body, reply.body);
}

#[tokio::test]
async fn the_page_renders_the_filtered_items_on_the_server() {
    let app = app().await;
    let (id, _) = seeded(&app).await;
    let page = app
        .get(&format!("/action-items?postmortem={id}&due=overdue"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Alert on backlog, age"), "{}", page.body);
    assert!(!page.body.contains("Autoscale workers"));
    let bad = app.get("/action-items?status=finished").await;
    assert!(bad.body.contains("unknown status"));
}
