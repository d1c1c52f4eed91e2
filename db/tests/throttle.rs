//! The sign-in throttle's failures in a real database (see `common`): counted per key
//! up to a limit within a window, refused with the wait beyond it, taken
//! back or forgotten, and shared by two stores on one database (as two
//! replicas are).

mod common;

use kb_db::{AttemptCount, Store};

const WINDOW: i64 = 15 * 60 * 1000;

async fn count(store: &Store, keys: &[(&str, usize)], now: i64) -> AttemptCount {
    store
        .count_sign_in_attempt(keys, WINDOW, now)
        .await
        .unwrap()
}

#[tokio::test]
async fn failures_count_to_the_limit_then_wait_for_the_oldest_to_leave() {
    let (_db, store) = common::store().await;
    let t0 = 1_000_000_000_000;
    for n in 0..3 {
        let counted = count(&store, &[("ada|a", 3)], t0 + n * 1000).await;
        assert!(
            matches!(counted, AttemptCount::Counted(ref ids) if ids.len() == 1),
            "{counted:?}"
        );
    }
    // The fourth waits until the first of the three leaves the window.
    let now = t0 + 10_000;
    assert_eq!(
        count(&store, &[("ada|a", 3)], now).await,
        AttemptCount::Wait(WINDOW - 10_000)
    );
    // Another key is not held back; a refused attempt wrote nothing.
    assert!(matches!(
        count(&store, &[("bob|a", 3)], now).await,
        AttemptCount::Counted(_)
    ));
    // Once the first failure is out of the window, one more may try.
    assert!(matches!(
        count(&store, &[("ada|a", 3)], t0 + WINDOW + 1).await,
        AttemptCount::Counted(_)
    ));
    assert!(matches!(
        count(&store, &[("ada|a", 3)], t0 + WINDOW + 2).await,
        AttemptCount::Wait(_)
    ));

    // Taken back, an attempt no longer counts; forgotten, none do.
    let AttemptCount::Counted(ids) = count(&store, &[("cy|a", 1), ("|a", 10)], t0).await else {
        panic!("the first attempt is counted");
    };
    assert!(matches!(
        count(&store, &[("cy|a", 1)], t0 + 1).await,
        AttemptCount::Wait(_)
    ));
    store.take_back_sign_in_attempts(&ids[..1]).await.unwrap();
    assert!(matches!(
        count(&store, &[("cy|a", 1)], t0 + 2).await,
        AttemptCount::Counted(_)
    ));
    store.forget_sign_in_failures("cy|a").await.unwrap();
    assert!(matches!(
        count(&store, &[("cy|a", 1)], t0 + 3).await,
        AttemptCount::Counted(_)
    ));
    // A refusal on either key refuses the attempt on both.
    assert!(matches!(
        count(&store, &[("dee|a", 5), ("cy|a", 1)], t0 + 4).await,
        AttemptCount::Wait(_)
    ));
    assert!(matches!(
        count(&store, &[("dee|a", 1)], t0 + 5).await,
        AttemptCount::Counted(_)
    ));
}

#[tokio::test]
async fn two_stores_on_one_database_count_the_same_failures() {
    let db = common::TestDb::new().await;
    let (a, b) = (db.store().await, db.store().await);
    let t0 = 1_000_000_000_000;
    // Attempts side by side through both, five allowed in all.
    let tries = (0..12).map(|n| {
        let store = if n % 2 == 0 { a.clone() } else { b.clone() };
        tokio::spawn(async move { count(&store, &[("ada|a", 5)], t0 + n).await })
    });
    let mut counted = 0;
    for t in tries {
        if let AttemptCount::Counted(_) = t.await.unwrap() {
            counted += 1;
        }
    }
    assert_eq!(counted, 5);
}
