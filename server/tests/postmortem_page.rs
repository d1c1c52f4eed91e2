//! A postmortem's page without JavaScript: the server draws it whole, and
//! its forms (the write-up status moves, restoring a revision) post and
//! come back to the page; a stale post is refused with the reason on the
//! page and nothing written. A revision's changes arrive as HTML.

mod common;

use app::pages::postmortem::{ChangeStatus, RestoreRevision, RevisionChanges};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{add_account, session};
use kb_domain::accounts::Role;
use leptos::server_fn::ServerFn;
use serde_json::json;

#[tokio::test]
async fn the_status_moves_and_a_restore_work_as_plain_forms() {
    let app = common::app().await;
    let id = app
        .create(json!({"title": "Forms", "severity": "SEV3", "summary": "First words."}))
        .await;

    // The page carries the status moves as a form on the version it shows.
    let page = app.get(&format!("/incidents/{id}")).await;
    assert!(page
        .body
        .contains(&format!("action=\"{}\"", ChangeStatus::PATH)));
    assert!(page.body.contains(r#"name="version" value="1""#));
    assert!(page.body.contains(r#"name="status" value="in_review""#));

    let (status, location) = app
        .submit_form(
            ChangeStatus::PATH,
            format!("id={id}&version=1&status=in_review"),
            "",
        )
        .await;
    assert_eq!(status, StatusCode::FOUND);
    assert_eq!(location, format!("/incidents/{id}"));
    let now = app.postmortem(id).await;
    assert_eq!((now.version, now.parts.status.as_str()), (2, "in_review"));

    // A second post from the page as it was: refused, said on the page.
    let (status, location) = app
        .submit_form(
            ChangeStatus::PATH,
            format!("id={id}&version=1&status=published"),
            "",
        )
        .await;
    assert_eq!(status, StatusCode::FOUND);
    assert_eq!(location, format!("/incidents/{id}?refused=stale#refused"));
    assert_eq!(app.postmortem(id).await.version, 2);
    let page = app.get(&format!("/incidents/{id}?refused=stale")).await;
    assert!(page.body.contains("Not saved: this postmortem changed"));
    // An unknown status is refused as such.
    let (_, location) = app
        .submit_form(
            ChangeStatus::PATH,
            format!("id={id}&version=2&status=shipped"),
            "",
        )
        .await;
    assert_eq!(location, format!("/incidents/{id}?refused=status#refused"));
    assert_eq!(app.postmortem(id).await.version, 2);

    // The history offers restoring version 1, which is a new revision.
    let page = app.get(&format!("/incidents/{id}")).await;
    assert!(page.body.contains("Restore version 1"));
    assert!(!page.body.contains("Restore version 2"), "the current one");
    let (status, location) = app
        .submit_form(
            RestoreRevision::PATH,
            format!("id={id}&version=1&current=2"),
            "",
        )
        .await;
    assert_eq!(status, StatusCode::FOUND);
    assert_eq!(location, format!("/incidents/{id}#history"));
    let now = app.postmortem(id).await;
    assert_eq!((now.version, now.parts.status.as_str()), (3, "draft"));

    // The page's code asks for a revision's changes and gets HTML.
    let reply = app
        .send(
            Request::post(RevisionChanges::PATH)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("id={id}&version=2")))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let html: String = serde_json::from_str(&reply.body).unwrap();
    assert!(
        html.contains("<del>draft</del> → <ins>in_review</ins>"),
        "{html}"
    );
}

#[tokio::test]
async fn a_viewer_gets_no_forms_and_a_posted_one_writes_nothing() {
    let app = common::app().await;
    let id = app
        .create(json!({"title": "Read only", "severity": "SEV3"}))
        .await;
    add_account(&app, "ed", Role::Editor).await;
    add_account(&app, "vi", Role::Viewer).await;
    let viewer = session(&app, "vi").await;

    let page = app.get_as(&format!("/incidents/{id}"), &viewer).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Read only"));
    assert!(!page.body.contains("<form"), "a viewer's page has no forms");

    let (status, _) = app
        .submit_form(
            ChangeStatus::PATH,
            format!("id={id}&version=1&status=in_review"),
            &viewer,
        )
        .await;
    assert!(status.is_client_error(), "{status}");
    assert_eq!(app.postmortem(id).await.version, 1);

    let editor = session(&app, "ed").await;
    let page = app.get_as(&format!("/incidents/{id}"), &editor).await;
    assert!(page.body.contains("Send for review"));
}
