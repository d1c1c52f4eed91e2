//! The change log with a writer slow to commit and a fast one beside it,
//! on connections of their own (as two replicas are). A follower reading
//! "entries above my mark", as every replica's indexer does, must see each
//! entry, in order: on PostgreSQL a sequence hands out 42 while 41 is
//! still uncommitted, and a follower that saw 42 first would never read 41.

mod common;

use kb_domain::{NewPostmortem, PostmortemInput};
use std::time::Duration;

fn incident(title: &str) -> NewPostmortem {
    PostmortemInput {
        title: title.into(),
        severity: Some("SEV3".into()),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

/// Reads everything above `mark` as a follower does; returns the entries'
/// numbers and moves the mark past them.
async fn follow(store: &kb_db::Store, mark: &mut i64) -> Vec<i64> {
    let mut seen = Vec::new();
    for entry in store.changes_since(*mark, 100).await.unwrap() {
        seen.push(entry.seq);
        *mark = entry.seq;
    }
    seen
}

#[tokio::test]
async fn a_follower_misses_no_entry_while_a_slow_writer_holds_one_open() {
    let db = common::TestDb::new().await;
    let (follower, fast_writer) = (db.store().await, db.store().await);
    let (first, mut mark) = follower.create(&incident("first"), "t").await.unwrap();

    // The slow writer: the store's own way into a write, on a pool of its
    // own, with an entry appended and not yet committed.
    let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
    let mut slow = db.engine.write(&pool).await.unwrap();
    let slow_seq: i64 = sqlx::query_scalar(
        "insert into change_log (postmortem_id, op) values ($1, 'upsert') returning seq",
    )
    .bind(first)
    .fetch_one(&mut *slow)
    .await
    .unwrap();

    // The fast writer saves meanwhile, through another store.
    let fast = tokio::spawn(async move {
        fast_writer
            .create(&incident("second"), "t")
            .await
            .unwrap()
            .1
    });
    let mut seen = Vec::new();
    for _ in 0..12 {
        tokio::time::sleep(Duration::from_millis(25)).await;
        seen.extend(follow(&follower, &mut mark).await);
    }
    assert!(
        seen.is_empty(),
        "read {seen:?} while an earlier entry was open"
    );
    assert!(
        !fast.is_finished(),
        "the fast writer committed beside an open write"
    );

    slow.commit().await.unwrap();
    let fast_seq = fast.await.unwrap();
    loop {
        let more = follow(&follower, &mut mark).await;
        if more.is_empty() {
            break;
        }
        seen.extend(more);
    }
    assert_eq!(seen, vec![slow_seq, fast_seq]);
}
