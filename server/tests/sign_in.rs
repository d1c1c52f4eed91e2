//! Signing in under attack, through the account service and the router:
//! guesses sent side by side, a flood of unknown names, and what a
//! password change or disabling leaves working. Real argon2 hashes.

mod common;

use app::error::AppError;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{add_account, app, PASSWORD};
use kb_domain::accounts::Role;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn guesses_sent_at_once_are_checked_no_more_than_the_limit_allows() {
    let app = app().await;
    add_account(&app, "ada", Role::Editor).await;
    let accounts = app.state.services.accounts.clone();
    // 29 wrong passwords and the right one, all at once, from one address.
    let attempts: Vec<_> = (0..30)
        .map(|n| {
            let accounts = accounts.clone();
            tokio::spawn(async move {
                let password = if n == 17 {
                    PASSWORD.to_string()
                } else {
                    format!("wrong guess {n}")
                };
                accounts.sign_in("ada", &password, "203.0.113.9").await
            })
        })
        .collect();
    let mut checked = 0;
    let mut throttled = 0;
    let mut got_in = false;
    for attempt in attempts {
        match attempt.await.unwrap() {
            Ok(_) => {
                checked += 1;
                got_in = true;
            }
            Err(AppError::Unauthorized(_)) => checked += 1,
            Err(AppError::TooManyAttempts(_)) => throttled += 1,
            Err(other) => panic!("unexpected answer: {other:?}"),
        }
    }
    // Five failures for an account from an address are allowed: no more
    // than five passwords were compared, whichever they were.
    assert!(checked <= 5, "{checked} passwords were checked");
    assert_eq!(checked + throttled, 30);
    if !got_in {
        // Five wrong ones were checked: now even the right password waits.
        assert_eq!(checked, 5);
        let right = accounts.sign_in("ada", PASSWORD, "203.0.113.9").await;
        assert!(
            matches!(right, Err(AppError::TooManyAttempts(_))),
            "{right:?}"
        );
    }
    // From elsewhere, the account is not locked.
    accounts
        .sign_in("ada", PASSWORD, "198.51.100.1")
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_of_unknown_names_is_refused_never_let_in() {
    let app = app().await;
    add_account(&app, "root", Role::Admin).await;
    let accounts = app.state.services.accounts.clone();
    // Forty at once, each from its own address so the throttle does not
    // stop them first: the hashing bound is what holds.
    let attempts: Vec<_> = (0..40)
        .map(|n| {
            let accounts = accounts.clone();
            tokio::spawn(async move {
                accounts
                    .sign_in(
                        &format!("nobody{n}"),
                        "a long password",
                        &format!("10.9.0.{n}"),
                    )
                    .await
            })
        })
        .collect();
    let mut refused = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            Err(AppError::Unauthorized(_)) | Err(AppError::Busy) => refused += 1,
            other => panic!("an unknown name got {other:?}"),
        }
    }
    assert_eq!(refused, 40);
}

/// The API answer to a write with `secret`.
async fn write_with(app: &common::TestApp, secret: &str) -> StatusCode {
    app.send(
        Request::post("/api/v1/incidents")
            .header(header::AUTHORIZATION, format!("Bearer {secret}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                json!({"title": "Written by a token"}).to_string(),
            ))
            .unwrap(),
    )
    .await
    .status
}

#[tokio::test]
async fn a_password_change_or_disabling_ends_sessions_and_revokes_tokens() {
    let app = app().await;
    add_account(&app, "root", Role::Admin).await;
    add_account(&app, "ed", Role::Editor).await;
    let accounts = &app.state.services.accounts;
    let ed = common::account(&app, "ed").await;
    // An intruder with ed's password minted a token.
    let (_, minted) = accounts
        .create_token(&ed, "intruder", "write")
        .await
        .unwrap();
    assert_eq!(write_with(&app, &minted).await, StatusCode::CREATED);
    let cookie = common::session(&app, "ed").await;
    accounts
        .set_password("ed", "a brand new passphrase")
        .await
        .unwrap();
    assert_eq!(write_with(&app, &minted).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get_as("/api/v1/action-items", &cookie).await.status,
        StatusCode::UNAUTHORIZED
    );
    let listed = accounts.tokens(&ed).await.unwrap();
    assert!(listed[0].revoked_at.is_some(), "{listed:?}");

    // Disabling does the same, and enabling again brings neither back.
    let (_, second) = accounts.create_token(&ed, "deploy", "write").await.unwrap();
    assert_eq!(write_with(&app, &second).await, StatusCode::CREATED);
    accounts.change(ed.id, None, Some(true)).await.unwrap();
    accounts.change(ed.id, None, Some(false)).await.unwrap();
    assert_eq!(write_with(&app, &second).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_on_one_database_share_the_throttle() {
    let first = app().await;
    add_account(&first, "ada", Role::Editor).await;
    // A second server process on the same data folder, as a replica is.
    let second = hindsight::startup::open(first.dir.path(), first.database().as_deref())
        .await
        .unwrap();
    let replicas = [
        first.state.services.accounts.clone(),
        second.accounts.clone(),
    ];
    // Wrong guesses spread over both: five in all are checked, not ten.
    let mut checked = 0;
    for n in 0..10 {
        match replicas[n % 2]
            .sign_in("ada", &format!("wrong guess {n}"), "203.0.113.7")
            .await
        {
            Err(AppError::Unauthorized(_)) => checked += 1,
            Err(AppError::TooManyAttempts(_)) => {}
            other => panic!("unexpected answer: {other:?}"),
        }
    }
    assert_eq!(checked, 5);
    for accounts in &replicas {
        let right = accounts.sign_in("ada", PASSWORD, "203.0.113.7").await;
        assert!(
            matches!(right, Err(AppError::TooManyAttempts(_))),
            "{right:?}"
        );
    }
    // A restart forgets nothing either.
    let restarted = hindsight::startup::open(first.dir.path(), first.database().as_deref())
        .await
        .unwrap();
    let right = restarted
        .accounts
        .sign_in("ada", PASSWORD, "203.0.113.7")
        .await;
    assert!(
        matches!(right, Err(AppError::TooManyAttempts(_))),
        "{right:?}"
    );
}
