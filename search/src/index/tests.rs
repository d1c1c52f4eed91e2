//! Writes that keep the last change per id, a schema change that wipes the
//! index, and a writer recovered from a panic mid-rebuild.

use super::write::last_change_per_id;
use super::*;
use crate::document::{Change, IndexDoc};

fn doc(id: i64, title: &str) -> IndexDoc {
    IndexDoc {
        id,
        external_id: None,
        title: title.into(),
        ..IndexDoc::default()
    }
}

#[test]
fn is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<SearchIndex>();
}

#[test]
fn last_change_per_id_keeps_the_last_one_in_order() {
    let changes = vec![
        Change::Upsert(doc(1, "first")),
        Change::Delete(2),
        Change::Upsert(doc(3, "three")),
        Change::Upsert(doc(1, "second")),
        Change::Upsert(doc(2, "back")),
    ];
    assert_eq!(
        last_change_per_id(changes),
        [
            Change::Upsert(doc(3, "three")),
            Change::Upsert(doc(1, "second")),
            Change::Upsert(doc(2, "back")),
        ]
    );
}

#[test]
fn schema_version_change_wipes_and_asks_for_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    {
        let opened = SearchIndex::open(dir.path(), Mode::Writer).unwrap();
        opened
            .index
            .apply(vec![Change::Upsert(doc(1, "disk full"))], 5)
            .unwrap();
        opened
            .index
            .commit_state_for_tests(IndexState {
                schema_version: 999,
                high_water: 5,
                grouped: 0,
            })
            .unwrap();
    }

    let err = SearchIndex::open(dir.path(), Mode::ReadOnly).unwrap_err();
    match err {
        SearchError::NotReady(message) => {
            assert!(message.contains("schema version 999"), "{message}");
            assert!(message.contains("hindsight reindex"), "{message}");
        }
        other => panic!("expected NotReady, got {other:?}"),
    }

    let opened = SearchIndex::open(dir.path(), Mode::Writer).unwrap();
    assert_eq!(
        opened.rebuild,
        Some(RebuildReason::SchemaChanged { found: 999 })
    );
    assert_eq!(opened.index.num_docs(), 0);
    assert_eq!(opened.index.state().unwrap(), None);
}

#[test]
fn poisoned_writer_discards_the_half_written_batch() {
    let index = SearchIndex::in_ram().unwrap();
    index
        .apply(vec![Change::Upsert(doc(1, "kept"))], 1)
        .unwrap();
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let docs =
            [doc(2, "half")]
                .into_iter()
                .chain(std::iter::from_fn(|| -> Option<IndexDoc> {
                    panic!("the database went away mid-rebuild")
                }));
        let _ = index.rebuild(docs, 2);
    }));
    assert!(panicked.is_err());

    index
        .apply(vec![Change::Upsert(doc(3, "later"))], 3)
        .unwrap();
    let mut ids: Vec<i64> = ["kept", "half", "later"]
        .iter()
        .flat_map(|word| index.search(word, 10).unwrap().hits)
        .map(|hit| hit.id)
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, [1, 3]);
    assert_eq!(index.state().unwrap().unwrap().high_water, 3);
}
