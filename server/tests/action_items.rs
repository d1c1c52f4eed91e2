//! The action-item API, the CSV export, the Action items page and its
//! server functions (bulk change, "my items"), the summary page and the
//! recurrence view, through the router against a real data folder.

mod common;

use app::pages::action_items::{ChangeActionItems, SetMyName};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{app, app_with, Reply, TestApp};
use leptos::server_fn::ServerFn;
use serde_json::{json, Value};
use tower::ServiceExt;

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

/// GET `uri` as the person whose owner name is `name` (the cookie "my
/// items" reads).
async fn get_as(app: &TestApp, uri: &str, name: &str) -> Reply {
    app.send(
        Request::get(uri)
            .header(
                header::COOKIE,
                format!("hindsight_name={}", common::encode(name)),
            )
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

/// What the Action items page's bulk bar sends: the server function
/// `change_action_items` with `(id, patch)` pairs, as `name` when given.
async fn bulk(app: &TestApp, changes: Value, name: Option<&str>) -> Reply {
    let mut request = Request::post(<ChangeActionItems as ServerFn>::PATH)
        .header("content-type", "application/json")
        .header("accept", "application/json");
    if let Some(name) = name {
        request = request.header(header::COOKIE, format!("hindsight_name={name}"));
    }
    app.send(
        request
            .body(Body::from(json!({ "changes": changes }).to_string()))
            .unwrap(),
    )
    .await
}

/// An item as the API shows it, with its history.
async fn item(app: &TestApp, id: i64) -> Value {
    let reply = app.get(&format!("/api/v1/action-items/{id}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

/// The ids of the items the list API shows for `query`, as `name` when given.
async fn ids(app: &TestApp, query: &str, name: Option<&str>) -> Vec<i64> {
    let uri = format!("/api/v1/action-items?{query}");
    let reply = match name {
        Some(name) => get_as(app, &uri, name).await,
        None => app.get(&uri).await,
    };
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let mut ids: Vec<i64> = reply.json()["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    ids.sort();
    ids
}

/// The version of postmortem `id`.
async fn version_of(app: &TestApp, id: i64) -> i64 {
    let reply = app.get(&format!("/api/v1/incidents/{id}")).await;
    reply.json()["version"].as_i64().unwrap()
}

/// The item ids of postmortem `id` by title.
async fn items_by_title(app: &TestApp, id: i64) -> std::collections::HashMap<String, i64> {
    app.get(&format!("/api/v1/action-items?postmortem={id}"))
        .await
        .json()["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["title"].as_str().unwrap().to_string(),
                r["id"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_bulk_change_from_the_page_is_all_or_nothing() {
    let app = app().await;
    let (pm, rows) = seeded(&app).await;
    let a = rows[0]["id"].as_i64().unwrap();
    let b = rows[1]["id"].as_i64().unwrap();
    // Someone else changes b after the page showed version 1 of both.
    assert_eq!(
        patch(&app, b, json!({"version": 1, "owner": "kim"}))
            .await
            .status,
        StatusCode::OK
    );

    let refused = bulk(
        &app,
        json!([[a, {"version": 1, "status": "done"}], [b, {"version": 1, "status": "done"}]]),
        None,
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::OK,
        "a refusal is an answer: {}",
        refused.body
    );
    let errors = &refused.json()["Refused"];
    assert_eq!(errors[0]["field"], "version", "{}", refused.body);
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .contains(&format!("action item {b} was changed by someone else")));
    // Neither item changed, not even the fresh one.
    let (fresh, stale) = (item(&app, a).await, item(&app, b).await);
    assert_eq!(
        (fresh["status"].as_str(), fresh["version"].as_i64()),
        (Some("open"), Some(1))
    );
    assert_eq!(fresh["history"].as_array().unwrap().len(), 1);
    assert_eq!(
        (stale["status"].as_str(), stale["version"].as_i64()),
        (Some("open"), Some(2))
    );
    assert_eq!(version_of(&app, pm).await, 2);

    // At the current versions, both change at once, recorded as the person.
    let saved = bulk(
        &app,
        json!([[a, {"version": 1, "status": "in_progress", "due": "2030-01-31"}],
               [b, {"version": 2, "status": "in_progress", "due": "2030-01-31"}]]),
        Some("sam"),
    )
    .await;
    assert_eq!(saved.json(), json!({"Saved": 2}), "{}", saved.body);
    for (id, version) in [(a, 2), (b, 3)] {
        let now = item(&app, id).await;
        assert_eq!(now["status"], "in_progress");
        assert_eq!(now["due"], "2030-01-31");
        assert_eq!(now["version"], version);
        let last: Vec<(&str, &str)> = now["history"].as_array().unwrap()[version as usize - 1..]
            .iter()
            .map(|h| {
                (
                    h["field"].as_str().unwrap(),
                    h["changed_by"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(last, [("status", "sam"), ("due", "sam")], "{id}");
    }
    // One new version of the postmortem for the whole selection.
    assert_eq!(version_of(&app, pm).await, 3);

    // Bad values refuse the batch the same way.
    let bad = bulk(
        &app,
        json!([[a, {"version": 2, "status": "finished"}]]),
        None,
    )
    .await;
    assert_eq!(bad.json()["Refused"][0]["field"], "status", "{}", bad.body);
    assert_eq!(item(&app, a).await["status"], "in_progress");
}

#[tokio::test]
async fn my_items_are_the_items_of_the_name_in_the_cookie() {
    let app = app().await;
    let first = app
        .create(json!({"title": "Disk full", "action_items": [
            {"title": "Rotate logs", "owner": "dana"},
            {"title": "Alert on disk", "owner": "lee"},
            {"title": "Bigger volume", "owner": "dana lee"}
        ]}))
        .await;
    let second = app
        .create(json!({"title": "Disk full again", "action_items": [
            {"title": "Clean tmp", "owner": "dana", "status": "done"},
            {"title": "Quota", "owner": ""}
        ]}))
        .await;
    let (one, two) = (
        items_by_title(&app, first).await,
        items_by_title(&app, second).await,
    );
    let mut danas = vec![one["Rotate logs"], two["Clean tmp"]];
    danas.sort();
    assert_eq!(ids(&app, "mine=1", Some("dana")).await, danas);
    assert_eq!(
        ids(&app, "mine=1", Some("dana lee")).await,
        [one["Bigger volume"]]
    );
    assert_eq!(
        ids(&app, "mine=1&status=done", Some("dana")).await,
        [two["Clean tmp"]]
    );
    // Without the cookie there is no "me": refused, not everyone's items.
    let anonymous = app.get("/api/v1/action-items?mine=1").await;
    assert_eq!(anonymous.status, StatusCode::BAD_REQUEST);
    assert_eq!(anonymous.json()["fields"][0]["field"], "mine");

    // The page shows the same, and offers the way back to everyone's.
    let page = get_as(&app, "/action-items?mine=1", "dana").await;
    assert_eq!(page.status, StatusCode::OK);
    for (title, shown) in [
        ("Rotate logs", true),
        ("Clean tmp", true),
        ("Alert on disk", false),
        ("Bigger volume", false),
    ] {
        assert_eq!(page.body.contains(title), shown, "{title}");
    }
    assert!(page.body.contains("All owners"));
    assert!(get_as(&app, "/action-items", "dana")
        .await
        .body
        .contains("My items (dana)"));

    // Saying one's name sets the cookie; an empty name is refused.
    let set = |name: &'static str| {
        app.router.clone().oneshot(
            Request::post(<SetMyName as ServerFn>::PATH)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "application/json")
                .body(Body::from(format!("name={name}")))
                .unwrap(),
        )
    };
    let named = set("dana+lee").await.unwrap();
    let cookie = named
        .headers()
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("hindsight_name=dana%20lee;"), "{cookie}");
    let nameless = set("+").await.unwrap();
    assert!(nameless.headers().get(header::SET_COOKIE).is_none());

    // The page's form, posted without JavaScript, comes back to the list.
    let (status, location) = app
        .submit_form(SetMyName::PATH, "name=dana".into(), "")
        .await;
    assert_eq!(status, StatusCode::FOUND);
    assert_eq!(location, "/action-items?mine=1");
    let (_, location) = app.submit_form(SetMyName::PATH, "name=+".into(), "").await;
    assert_eq!(location, "/action-items?refused=name#my-name");
    let page = app.get("/action-items?refused=name").await;
    assert!(page.body.contains("Not saved: give your name"));
}

/// The cells of the row named `name` in the summary page's table `caption`,
/// as text.
#[track_caller]
fn stats_row(html: &str, caption: &str, name: &str) -> Vec<String> {
    let table = html
        .split(&format!("aria-label=\"{caption}\""))
        .nth(1)
        .unwrap_or_else(|| panic!("no table {caption}"))
        .split("</table>")
        .next()
        .unwrap();
    table
        .split("<tr")
        .map(|tr| {
            tr.split("</t")
                .filter_map(|cell| Some(text(cell.split_once("<t")?.1.split_once('>')?.1)))
                .collect::<Vec<String>>()
        })
        .find(|cells| cells.first().map(String::as_str) == Some(name))
        .unwrap_or_else(|| panic!("no row {name} in {caption}: {table}"))
}

/// `html` without its tags and comments.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// Sets when the item titled `title` was created and closed: a test
/// cannot wait days for an item to be closed.
async fn stamp(app: &TestApp, title: &str, created: &str, closed: Option<&str>) {
    let url = app
        .database()
        .unwrap_or_else(|| format!("sqlite:{}", app.dir.path().join("hindsight.db").display()));
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    let done =
        sqlx::query("update action_item set created_at = $1, closed_at = $2 where title = $3")
            .bind(created)
            .bind(closed)
            .bind(title)
            .execute(&pool)
            .await
            .unwrap();
    assert_eq!(done.rows_affected(), 1, "{title}");
    pool.close().await;
}

#[tokio::test]
async fn the_summary_page_gives_the_figures_per_team_and_service() {
    let app = app().await;
    app.create(
        json!({"title": "Queue stuck", "teams": ["infra"], "services": ["queue", "api"],
        "action_items": [
            {"title": "i1", "due": "2001-01-01"},
            {"title": "i2", "status": "done"},
            {"title": "i3", "status": "wont_do"}
        ]}),
    )
    .await;
    let second = app
        .create(
            json!({"title": "API slow", "teams": ["infra", "web"], "services": ["api"],
            "action_items": [
                {"title": "j1", "status": "in_progress", "due": "2999-01-01"},
                {"title": "j2", "status": "done"},
                {"title": "j3"}
            ]}),
        )
        .await;
    let day = |d: u32| format!("2024-01-{d:02}T00:00:00.000Z");
    for (title, closed) in [
        ("i1", None),
        ("i2", Some(4)),
        ("i3", Some(2)),
        ("j1", None),
        ("j2", Some(11)),
        ("j3", None),
    ] {
        stamp(&app, title, &day(1), closed.map(day).as_deref()).await;
    }

    let page = app.get("/action-items/summary").await;
    assert_eq!(page.status, StatusCode::OK);
    let row = |caption: &str, name: &str| stats_row(&page.body, caption, name);
    // name, open, overdue, done, won't do, completion (done of all but
    // won't do), median days to close (over done and won't do).
    assert_eq!(
        row("Overall", "All items"),
        ["All items", "3", "1", "2", "1", "40%", "3.0"]
    );
    assert_eq!(
        row("Per team", "infra"),
        ["infra", "3", "1", "2", "1", "40%", "3.0"]
    );
    assert_eq!(
        row("Per team", "web"),
        ["web", "2", "0", "1", "0", "33%", "10.0"]
    );
    assert_eq!(
        row("Per service", "api"),
        ["api", "3", "1", "2", "1", "40%", "3.0"]
    );
    assert_eq!(
        row("Per service", "queue"),
        ["queue", "1", "1", "1", "1", "50%", "2.0"]
    );
    // Most open first.
    let infra = page.body.find(">infra<").unwrap();
    assert!(infra < page.body.find(">web<").unwrap());

    // Closing j3 now moves the numbers of both its teams.
    let j3 = items_by_title(&app, second).await["j3"];
    assert_eq!(
        patch(&app, j3, json!({"version": 1, "status": "done"}))
            .await
            .status,
        StatusCode::OK
    );
    let page = app.get("/action-items/summary").await;
    let row = |caption: &str, name: &str| stats_row(&page.body, caption, name);
    // Its days to close are years; the median of 1, 3, 10 and years is 6.5.
    assert_eq!(
        row("Per team", "infra"),
        ["infra", "2", "1", "3", "1", "60%", "6.5"]
    );
    assert_eq!(
        row("Per team", "web")[..6],
        ["web", "1", "0", "2", "0", "67%"]
    );
}

#[tokio::test]
async fn a_recurrence_shows_the_earlier_items_marked_and_the_recurred_filter_finds_them() {
    let app = app().await;
    let earlier = app
        .create(json!({"title": "Cache stampede", "action_items": [
            {"title": "Jittered expiry", "status": "done"},
            {"title": "Request coalescing", "status": "in_progress"},
            {"title": "Dashboards", "status": "wont_do"}
        ]}))
        .await;
    // A closed item of an incident that never recurred.
    app.create(json!({"title": "Unrelated", "action_items": [{"title": "Unrelated fix", "status": "done"}]}))
        .await;
    let link = json!([{"target": format!("#{earlier}"), "kind": "earlier_occurrence"}]);
    let later = app
        .create(json!({"title": "Cache stampede again", "started_at": "2099-01-01 00:00", "links": link}))
        .await;
    // A recurrence that began before anything was closed.
    let before = app
        .create(json!({"title": "Stampede in the past", "started_at": "2001-01-01 00:00", "links": link}))
        .await;
    let items = items_by_title(&app, earlier).await;

    /// The mark each earlier item has on postmortem `id`'s page.
    async fn marks(
        app: &TestApp,
        id: i64,
        items: &std::collections::HashMap<String, i64>,
    ) -> Vec<(String, String)> {
        let page = app.get(&format!("/incidents/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Did it work?"), "{}", page.body);
        let mut out: Vec<(String, String)> = items
            .iter()
            .map(|(title, item)| {
                let li = page
                    .body
                    .split(&format!("<li data-item=\"{item}\""))
                    .nth(1)
                    .unwrap_or_else(|| panic!("{title} not on the page"))
                    .split("</li>")
                    .next()
                    .unwrap();
                assert!(text(li).contains(title.as_str()), "{li}");
                let mark = ["Closed before this recurrence", "Still open"]
                    .into_iter()
                    .find(|m| li.contains(m))
                    .unwrap_or_else(|| panic!("{title} unmarked: {li}"));
                (title.clone(), mark.to_string())
            })
            .collect();
        out.sort();
        out
    }
    let closed = "Closed before this recurrence".to_string();
    let open = "Still open".to_string();
    assert_eq!(
        marks(&app, later, &items).await,
        [
            ("Dashboards".to_string(), closed.clone()),
            ("Jittered expiry".to_string(), closed.clone()),
            ("Request coalescing".to_string(), open.clone())
        ]
    );
    assert!(marks(&app, before, &items)
        .await
        .iter()
        .all(|(_, m)| *m == open));
    // The earlier postmortem itself recurred; it shows no such section.
    assert!(!app
        .get(&format!("/incidents/{earlier}"))
        .await
        .body
        .contains("Did it work?"));

    // Items closed before their incident recurred: the API and the page.
    let mut recurred = vec![items["Jittered expiry"], items["Dashboards"]];
    recurred.sort();
    assert_eq!(ids(&app, "recurred=1", None).await, recurred);
    assert_eq!(
        ids(&app, "recurred=1&status=done", None).await,
        [items["Jittered expiry"]]
    );
    let page = app.get("/action-items?recurred=1").await;
    assert!(page.body.contains("Jittered expiry") && page.body.contains("Dashboards"));
    assert!(!page.body.contains("Request coalescing") && !page.body.contains("Unrelated fix"));
}

/// `(title, tracker_link)` of the items of postmortem `id`.
async fn links(app: &TestApp, id: i64) -> Vec<(String, Value)> {
    let rows = app
        .get(&format!("/api/v1/action-items?postmortem={id}"))
        .await
        .json()["rows"]
        .clone();
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["title"].as_str().unwrap().to_string(),
                r["tracker_link"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn tracker_keys_link_under_the_configured_address() {
    let body = json!({"title": "Tracked", "action_items": [
        {"title": "Keyed", "tracker": "OPS-7"},
        {"title": "Linked", "tracker": "https://tracker.example/9"},
        {"title": "Untracked"}
    ]});
    let configured =
        app_with(|services| services.tracker_url = Some("https://jira.example/browse/".into()))
            .await;
    let id = configured.create(body.clone()).await;
    assert_eq!(
        links(&configured, id).await,
        [
            (
                "Keyed".to_string(),
                json!("https://jira.example/browse/OPS-7")
            ),
            ("Linked".to_string(), json!("https://tracker.example/9")),
            ("Untracked".to_string(), Value::Null)
        ]
    );
    let page = configured
        .get(&format!("/action-items?postmortem={id}"))
        .await;
    assert!(
        page.body
            .contains("href=\"https://jira.example/browse/OPS-7\""),
        "{}",
        page.body
    );

    let plain = app().await;
    let id = plain.create(body).await;
    assert_eq!(links(&plain, id).await[0].1, Value::Null);
}
