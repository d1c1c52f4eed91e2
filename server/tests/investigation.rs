//! A postmortem's Investigate panel through the router: its findings as
//! JSON (`GET /api/v1/incidents/{id}/investigation`), accepting one into
//! the record or dismissing it (remembered with who and when), a stale or
//! unknown one refused with nothing written, and a postmortem started from
//! pasted evidence.

mod common;

use app::pages::investigate::{DecideFinding, StartPostmortem};
use app::pages::Submitted;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{add_account, encode, session, TestApp};
use kb_domain::accounts::Role;
use leptos::server_fn::ServerFn;
use serde_json::{json, Value};

async fn demo(app: &TestApp) {
    hindsight::cli::load_demo(&app.state.services)
        .await
        .unwrap();
}

/// The id of the demo postmortem with external id `demo-{name}`.
async fn demo_id(app: &TestApp, name: &str) -> i64 {
    app.state
        .services
        .store
        .id_by_external_id(&format!("demo-{name}"))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no demo {name}"))
}

async fn panel(app: &TestApp, id: i64) -> Value {
    let reply = app
        .get(&format!("/api/v1/incidents/{id}/investigation"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.json()
}

/// The first finding of `kind` in a panel.
fn first(panel: &Value, kind: &str) -> Value {
    panel["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == kind)
        .cloned()
        .unwrap_or_else(|| panic!("no {kind} finding in {panel:#}"))
}

/// Form fields, URL-encoded.
fn form_body(fields: &[(&str, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Calls a server function with form fields, as the browser does.
async fn call(app: &TestApp, path: &str, fields: &[(&str, String)], cookie: Option<&str>) -> Value {
    let body = form_body(fields);
    let mut request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let reply = app.send(request.body(Body::from(body)).unwrap()).await;
    assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
    reply.json()
}

/// The fields deciding on `finding` of postmortem `id` at `version`.
fn decision(id: i64, version: i64, finding: &Value, into: &str) -> Vec<(&'static str, String)> {
    vec![
        ("id", id.to_string()),
        ("version", version.to_string()),
        ("kind", finding["kind"].as_str().unwrap().to_string()),
        (
            "statement",
            finding["statement"].as_str().unwrap().to_string(),
        ),
        ("into", into.to_string()),
    ]
}

async fn decide(app: &TestApp, id: i64, version: i64, finding: &Value, into: &str) -> Submitted {
    let fields = decision(id, version, finding, into);
    serde_json::from_value(call(app, DecideFinding::PATH, &fields, None).await).unwrap()
}

#[tokio::test]
async fn a_postmortem_panel_reads_its_whole_record() {
    let app = common::app().await;
    demo(&app).await;
    let id = demo_id(&app, "checkout-redis-cache-warming").await;
    let json = panel(&app, id).await;
    let rhythm = first(&json, "rhythm");
    let statement = rhythm["statement"].as_str().unwrap();
    assert!(statement.contains("25, 30 and 20 minutes"), "{statement}");
    // Every line it rests on says where in the record it is.
    for cited in rhythm["evidence"].as_array().unwrap() {
        assert!(
            cited["source"].as_str().is_some_and(|s| !s.is_empty()),
            "{cited}"
        );
    }
    let challenge = first(&json, "challenge");
    assert!(challenge["statement"]
        .as_str()
        .unwrap()
        .contains("Hypothesis"));
    assert!(json["chart"].as_str().unwrap().starts_with("<svg"));
    assert!(!json["lanes"].as_array().unwrap().is_empty());
    assert!(json["update"].as_str().unwrap().contains("What happened"));
    // Another demo shares the cache's symptoms: seen before, with its source.
    let kinds: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"why_chain"), "{kinds:?}");
}

#[tokio::test]
async fn a_postmortem_one_may_not_see_has_no_panel() {
    let app = common::app().await;
    add_account(&app, "admin", Role::Admin).await;
    add_account(&app, "vera", Role::Viewer).await;
    let admin = session(&app, "admin").await;
    let input = common::private_to("admin", "Hidden outage", "Rotate the key");
    let reply = app
        .send(
            Request::post("/api/v1/incidents")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::COOKIE, &admin)
                .body(Body::from(serde_json::to_string(&input).unwrap()))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let id = reply.json()["id"].as_i64().unwrap();
    let vera = session(&app, "vera").await;
    let hidden = app
        .get_as(&format!("/api/v1/incidents/{id}/investigation"), &vera)
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{}", hidden.body);
    let missing = app
        .get_as("/api/v1/incidents/999999/investigation", &vera)
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(hidden.body, missing.body, "a hidden one reads as missing");
}

#[tokio::test]
async fn an_accepted_finding_goes_into_the_record_and_is_remembered() {
    let app = common::app().await;
    demo(&app).await;
    let id = demo_id(&app, "flash-sale-oversell").await;
    let before = app.postmortem(id).await;
    let json = panel(&app, id).await;
    let finding = first(&json, "mitigation");
    let statement = finding["statement"].as_str().unwrap().to_string();

    let Submitted::Saved(version) = decide(&app, id, before.version, &finding, "why").await else {
        panic!("not saved");
    };
    assert_eq!(version, before.version + 1);
    let after = app.postmortem(id).await;
    assert_eq!(after.parts.whys.len(), before.parts.whys.len() + 1);
    let added = after.parts.whys.last().unwrap();
    assert_eq!(added.answer, statement);

    let json = panel(&app, id).await;
    let shown = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["statement"] == statement.as_str())
        .unwrap()
        .clone();
    assert_eq!(shown["decision"]["decision"], "accepted");
    assert_eq!(shown["decision"]["accepted_into"], "why");
    assert!(!shown["decision"]["who"].as_str().unwrap().is_empty());
    assert!(shown["decision"]["at"].as_str().unwrap().starts_with("20"));

    // On the old version: refused, and nothing more is written.
    let other = first(&json, "sequence");
    let stale = decide(&app, id, before.version, &other, "timeline").await;
    assert!(
        matches!(&stale, Submitted::Refused(e) if e.for_field("version").is_some()),
        "{stale:?}"
    );
    let unchanged = app.postmortem(id).await;
    assert_eq!(unchanged.version, version);
    assert_eq!(unchanged.parts.timeline, after.parts.timeline);

    // Dismissing writes no revision, and is remembered.
    let dismissed = decide(&app, id, version, &other, "").await;
    assert_eq!(dismissed, Submitted::Saved(version));
    let json = panel(&app, id).await;
    let shown = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["statement"] == other["statement"])
        .unwrap()
        .clone();
    assert_eq!(shown["decision"]["decision"], "dismissed");
    assert_eq!(app.postmortem(id).await.version, version);
}

/// Posts the panel's form as a browser without JavaScript does.
async fn post_form(app: &TestApp, fields: &[(&str, String)]) -> (StatusCode, String) {
    app.submit_form(DecideFinding::PATH, form_body(fields), "")
        .await
}

#[tokio::test]
async fn the_panel_forms_decide_without_javascript_and_return_to_the_page() {
    let app = common::app().await;
    demo(&app).await;
    let id = demo_id(&app, "flash-sale-oversell").await;
    let before = app.postmortem(id).await;
    // The page carries the forms: each on the version it shows.
    let page = app.get(&format!("/incidents/{id}")).await;
    assert!(
        page.body
            .contains(&format!("action=\"{}\"", DecideFinding::PATH)),
        "no decision form"
    );
    assert!(page
        .body
        .contains(&format!("name=\"version\" value=\"{}\"", before.version)));

    let json = panel(&app, id).await;
    let finding = first(&json, "mitigation");
    let fields = |version: i64, finding: &Value, into: &str, button: &str| {
        let mut fields = decision(id, version, finding, into);
        fields.push(("decision", button.to_string()));
        fields
    };
    let (status, location) =
        post_form(&app, &fields(before.version, &finding, "why", "accept")).await;
    assert_eq!(status, StatusCode::FOUND);
    assert_eq!(location, format!("/incidents/{id}#investigate-heading"));
    let after = app.postmortem(id).await;
    assert_eq!(after.version, before.version + 1);
    assert_eq!(after.parts.whys.len(), before.parts.whys.len() + 1);

    // From the page as it was before: refused, said on the page, nothing written.
    let other = first(&json, "sequence");
    let (status, location) =
        post_form(&app, &fields(before.version, &other, "timeline", "accept")).await;
    assert_eq!(status, StatusCode::FOUND);
    assert_eq!(location, format!("/incidents/{id}?refused=stale#refused"));
    assert_eq!(app.postmortem(id).await.version, after.version);
    let page = app.get(&format!("/incidents/{id}?refused=stale")).await;
    assert!(page.body.contains("Not saved: this postmortem changed"));

    // Accept without choosing where: refused; Dismiss needs no choice.
    let (_, location) = post_form(&app, &fields(after.version, &other, "", "accept")).await;
    assert!(location.contains("?refused=finding"), "{location}");
    let (_, location) = post_form(&app, &fields(after.version, &other, "", "dismiss")).await;
    assert_eq!(location, format!("/incidents/{id}#investigate-heading"));
    let page = app.get(&format!("/incidents/{id}")).await;
    assert!(page.body.contains("Dismissed by"), "dismissal not shown");
    assert_eq!(app.postmortem(id).await.version, after.version);
}

#[tokio::test]
async fn a_finding_the_panel_does_not_show_is_refused() {
    let app = common::app().await;
    demo(&app).await;
    let id = demo_id(&app, "flash-sale-oversell").await;
    let pm = app.postmortem(id).await;
    let made_up = json!({"kind": "challenge", "statement": "The database did it."});
    let answer = decide(&app, id, pm.version, &made_up, "why").await;
    assert!(
        matches!(&answer, Submitted::Refused(e) if e.for_field("finding").is_some()),
        "{answer:?}"
    );
    let after = app.postmortem(id).await;
    assert_eq!(after.version, pm.version);
    assert_eq!(after.parts.whys, pm.parts.whys);
    // Evidence for a hypothesis that does not exist: a field error.
    let json = panel(&app, id).await;
    let finding = first(&json, "mitigation");
    let fields = [
        ("id", id.to_string()),
        ("version", pm.version.to_string()),
        ("kind", "mitigation".to_string()),
        (
            "statement",
            finding["statement"].as_str().unwrap().to_string(),
        ),
        ("into", "evidence_for".to_string()),
        ("hypothesis", "99".to_string()),
    ];
    let answer: Submitted =
        serde_json::from_value(call(&app, DecideFinding::PATH, &fields, None).await).unwrap();
    assert!(
        matches!(&answer, Submitted::Refused(e) if e.for_field("hypothesis").is_some()),
        "{answer:?}"
    );
    assert_eq!(app.postmortem(id).await.version, pm.version);
}

#[tokio::test]
async fn a_paste_with_a_hypothesis_is_challenged_and_starts_a_postmortem() {
    let app = common::app().await;
    // Fixes that each held about twenty minutes, in our own words.
    let text = "\
2024-04-12T15:06:00Z ERROR checkout: redis pool timeout
2024-04-12T15:17:00Z INFO ops: rolling restart of checkout; quiet for about 25 minutes
2024-04-12T15:42:00Z ERROR checkout: redis pool timeout
2024-04-12T15:52:00Z INFO ops: database pool raised from 50 to 100; quiet for about 30 minutes
2024-04-12T16:22:00Z ERROR checkout: redis pool timeout
2024-04-12T16:42:00Z INFO ops: two more application servers added; quiet for about 20 minutes
2024-04-12T17:02:00Z ERROR checkout: redis pool timeout
";
    let hypothesis = "The database is the bottleneck";
    let reply = app
        .post_json(
            "/api/v1/investigate",
            &json!({"text": text, "hypothesis": hypothesis}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let json = reply.json();
    let rhythm = first(&json, "rhythm");
    let challenge = first(&json, "challenge");
    assert!(
        challenge["statement"]
            .as_str()
            .unwrap()
            .contains("database"),
        "{challenge}"
    );
    // A paste is one source: its lines keep their pasted numbers.
    assert!(rhythm["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c.get("source").is_none()));

    // No title: a field error, nothing created.
    let start = |title: &str| {
        [
            ("title", title.to_string()),
            ("text", text.to_string()),
            ("hypothesis", hypothesis.to_string()),
            ("kind", "rhythm".to_string()),
            (
                "statement",
                rhythm["statement"].as_str().unwrap().to_string(),
            ),
        ]
    };
    let answer: Submitted =
        serde_json::from_value(call(&app, StartPostmortem::PATH, &start(""), None).await).unwrap();
    assert!(
        matches!(&answer, Submitted::Refused(e) if e.for_field("title").is_some()),
        "{answer:?}"
    );
    let answer: Submitted = serde_json::from_value(
        call(
            &app,
            StartPostmortem::PATH,
            &start("Checkout keeps failing"),
            None,
        )
        .await,
    )
    .unwrap();
    let Submitted::Saved(id) = answer else {
        panic!("{answer:?}")
    };
    let pm = app.postmortem(id).await;
    assert_eq!(pm.title, "Checkout keeps failing");
    assert_eq!(pm.parts.evidence[0].body.trim_end(), text.trim_end());
    assert_eq!(pm.parts.hypotheses[0].statement, hypothesis);
    assert_eq!(
        pm.parts.whys[0].answer,
        rhythm["statement"].as_str().unwrap()
    );
    let json = panel(&app, id).await;
    let decided = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "rhythm")
        .unwrap()
        .clone();
    assert_eq!(decided["decision"]["accepted_into"], "why", "{decided}");
}

#[tokio::test]
async fn the_oversell_demo_sees_its_growing_recurrence_through_its_links() {
    let app = common::app().await;
    demo(&app).await;
    let id = demo_id(&app, "flash-sale-oversell").await;
    let json = panel(&app, id).await;
    let recurrence = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "seen_before")
        .map(|f| f["statement"].as_str().unwrap())
        .find(|s| s.contains("12, 8, then 47 customers"))
        .unwrap_or_else(|| panic!("no recurrence trend in {json:#}"));
    assert!(recurrence.contains("it grows"), "{recurrence}");
    // The linked earlier occurrences are not offered again as matches.
    let first = demo_id(&app, "oversell-2024-01-15").await;
    let offered = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["kind"] == "seen_before" && !f["statement"].as_str().unwrap().contains("12, 8")
        })
        .flat_map(|f| f["evidence"].as_array().unwrap().iter())
        .any(|c| c["source"] == format!("Postmortem #{first}"));
    assert!(!offered, "{json:#}");
    let no_effect = first_of(
        &json,
        "mitigation",
        "had no effect: the pool is not the limit",
    );
    assert!(no_effect.contains("from 40 to 80"), "{no_effect}");
}

/// The statement of the first finding of `kind` containing `part`.
fn first_of(panel: &Value, kind: &str, part: &str) -> String {
    panel["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == kind)
        .map(|f| f["statement"].as_str().unwrap().to_string())
        .find(|s| s.contains(part))
        .unwrap_or_else(|| panic!("no {kind} finding saying {part:?} in {panel:#}"))
}

#[tokio::test]
async fn the_page_never_lets_record_text_out_of_the_panel_as_markup() {
    let app = common::app().await;
    let markup = "</textarea></svg><script>alert(1)</script><img src=x onerror=alert(2)>";
    let id = app
        .create(json!({
            "title": format!("Hostile {markup}"),
            "summary": markup,
            "evidence": [{"kind": "log", "caption": markup, "body": format!(
                "2024-01-15T09:32:15Z ERROR web {markup}\n2024-01-15T09:32:18Z ERROR db {markup} again\n"
            )}],
            "hypotheses": [{"statement": markup, "outcome": "open"}],
        }))
        .await;
    let page = app.get(&format!("/incidents/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("class=\"investigate\""), "no panel");
    assert!(!page.body.contains("<script>alert(1)"), "a script got out");
    assert!(!page.body.contains("<img src=x"), "an element got out");
}
