//! The full postmortem record (every part of `kb_domain::record::Parts`)
//! through the store, against a real database (see `common`).

use kb_db::Hidden;
use kb_db::{DbError, ImportOutcome};
use kb_domain::record::{Link, Parts};
use kb_domain::PostmortemInput;
mod common;

use common::record::*;

#[tokio::test]
async fn a_full_record_reads_back_as_saved() {
    let (_db, store) = common::store().await;
    let (earlier, _) = store
        .create(
            &plain("Pool, the first time", Some("demo-earlier")),
            "alice",
        )
        .await
        .unwrap();
    let new = full(vec![earlier_link("demo-earlier")]);
    let (id, _) = store.create(&new, "alice").await.unwrap();
    let later_links = vec![Link {
        target: format!("#{id}"),
        kind: "related".into(),
        note: "similar".into(),
    }];
    let mut later = plain("Pool again", None);
    later.parts.links = later_links.clone();
    let (later_id, _) = store.create(&later, "bob").await.unwrap();

    let got = store.get(id).await.unwrap();
    assert_eq!(without_ids(got.content()), new);
    assert_eq!(got.parts.status, "in_review");
    assert_eq!(got.parts.currency.as_deref(), Some("EUR"));
    assert_eq!(got.parts.hypotheses[0].confidence.len(), 2);
    assert_eq!(got.parts.timeline[0].at, "T+02:00");
    assert_eq!(item_ids(&got.content()).len(), 3);
    assert_eq!(
        got.related
            .iter()
            .map(|r| (r.id, r.outgoing))
            .collect::<Vec<_>>(),
        vec![(earlier, true), (later_id, false)]
    );
    let later_got = store.get(later_id).await.unwrap();
    assert_eq!(later_got.parts.links, later_links);

    // The batched reads group every child row under its own postmortem.
    let page = store.incidents_after(0, 10).await.unwrap();
    assert_eq!(page.len(), 3);
    assert_eq!(page[1], got);
    assert_eq!(page[2], later_got);
    assert!(page[0].parts.timeline.is_empty());
    let picked = store.incidents_by_ids(&[later_id, id, 999]).await.unwrap();
    assert_eq!(picked, vec![got.clone(), later_got]);

    // The revision holds the same content, items with their ids.
    assert_eq!(store.revision_content(id, 1).await.unwrap(), got.content());
}

#[tokio::test]
async fn an_edit_reorders_and_removes_rows() {
    let (_db, store) = common::store().await;
    let (id, _) = store.create(&full(vec![]), "alice").await.unwrap();
    let mut edit = store.get(id).await.unwrap().content();
    let p = &mut edit.parts;
    p.teams.reverse();
    p.authors.remove(0);
    p.whys.reverse();
    p.evidence.remove(0);
    p.hypotheses.swap(0, 1);
    p.hypotheses[1].confidence.remove(0);
    p.causes.pop();
    p.mitigations.clear();
    p.learnings.reverse();
    p.timeline.remove(1);
    p.action_items.reverse();
    p.narrative = "Rewritten.".into();
    p.users_affected = None;
    store.update(id, 1, &edit, "bob").await.unwrap();

    let got = store.get(id).await.unwrap();
    assert_eq!(got.content(), edit);
    assert_eq!(got.parts.teams, vec!["SRE", "Payments"]);
    assert_eq!(got.parts.hypotheses[1].confidence[0].value, 90);
    assert!(got.parts.mitigations.is_empty());
    assert_eq!(got.version, 2);
}

#[tokio::test]
async fn action_item_ids_survive_edits() {
    let (_db, store) = common::store().await;
    let (other, _) = store.create(&plain("Other", None), "alice").await.unwrap();
    let mut other_edit = plain("Other", None);
    other_edit.parts.action_items = vec![item("theirs", "open")];
    store.update(other, 1, &other_edit, "alice").await.unwrap();
    let theirs = item_ids(&store.get(other).await.unwrap().content())[0];

    let (id, _) = store.create(&full(vec![]), "alice").await.unwrap();
    let before = store.get(id).await.unwrap().content();
    let [first, second, third] = item_ids(&before)[..] else {
        panic!("three items")
    };

    // Mark the first done, drop the second, add two new ones: one without
    // an id, one carrying another postmortem's id (a copied item).
    let mut edit = before.clone();
    edit.parts.action_items[0].status = "done".into();
    edit.parts.action_items.remove(1);
    let mut copied = item("copied", "open");
    copied.id = Some(theirs);
    edit.parts.action_items.insert(0, item("new one", "open"));
    edit.parts.action_items.push(copied);
    store.update(id, 1, &edit, "bob").await.unwrap();

    let after = store.get(id).await.unwrap().content();
    let ids = item_ids(&after);
    assert_eq!(ids[1], first);
    assert_eq!(ids[2], third);
    assert_eq!(after.parts.action_items[1].status, "done");
    for fresh in [ids[0], ids[3]] {
        assert!(![first, second, third, theirs].contains(&fresh), "{ids:?}");
    }
    assert_eq!(ids[0].max(ids[3]), ids.iter().copied().max().unwrap());
    // The other postmortem keeps its item.
    assert_eq!(
        item_ids(&store.get(other).await.unwrap().content()),
        vec![theirs]
    );
    // The revision records the ids the items got.
    assert_eq!(item_ids(&store.revision_content(id, 2).await.unwrap()), ids);

    // Saving the same content again keeps every id.
    store.update(id, 2, &after, "bob").await.unwrap();
    assert_eq!(item_ids(&store.get(id).await.unwrap().content()), ids);
}

#[tokio::test]
async fn links_to_nothing_or_to_itself_are_refused_and_write_nothing() {
    let (_db, store) = common::store().await;
    let (existing, _) = store
        .create(&plain("Existing", Some("demo-existing")), "alice")
        .await
        .unwrap();
    let log_before = store.last_seq().await.unwrap();

    for (links, field) in [
        (vec![earlier_link("#999")], "links.0.target"),
        (
            vec![earlier_link("demo-existing"), earlier_link("no-such-id")],
            "links.1.target",
        ),
        // Its own external id: the postmortem itself.
        (vec![earlier_link("demo-pool")], "links.0.target"),
        // The same postmortem under two names.
        (
            vec![
                earlier_link("demo-existing"),
                earlier_link(&format!("#{existing}")),
            ],
            "links.1.target",
        ),
    ] {
        let refused = store.create(&full(links.clone()), "alice").await;
        match refused {
            Err(DbError::Invalid { field: f, message }) => {
                assert_eq!(f, field, "{links:?}: {message}");
                assert!(!message.is_empty());
            }
            other => panic!("{links:?} gave {other:?}"),
        }
        let refused = store.import(&full(links.clone()), "cli").await;
        assert!(
            matches!(refused, Err(DbError::Invalid { .. })),
            "{refused:?}"
        );
    }
    assert_eq!(store.count(&Hidden::none()).await.unwrap(), 1);
    assert_eq!(store.last_seq().await.unwrap(), log_before);

    // An edit linking to itself by id is refused and leaves the row as it was.
    let mut edit = plain("Existing, edited", Some("demo-existing"));
    edit.parts.links = vec![earlier_link(&format!("#{existing}"))];
    let refused = store.update(existing, 1, &edit, "bob").await;
    assert!(
        matches!(&refused, Err(DbError::Invalid { field, .. }) if field == "links.0.target"),
        "{refused:?}"
    );
    let stored = store.get(existing).await.unwrap();
    assert_eq!((stored.title.as_str(), stored.version), ("Existing", 1));
    assert_eq!(store.revisions(existing).await.unwrap().len(), 1);
    assert_eq!(store.last_seq().await.unwrap(), log_before);
}

#[tokio::test]
async fn related_shows_a_link_on_both_sides() {
    let (_db, store) = common::store().await;
    let (earlier, _) = store
        .create(&plain("First time", Some("demo-first")), "alice")
        .await
        .unwrap();
    let mut again = PostmortemInput::from(&plain("Second time", None));
    again.date = Some("2024-06-01".into());
    again.parts.links = vec![earlier_link(" demo-first ")];
    let again = again.validate().unwrap();
    let (later, _) = store.create(&again, "alice").await.unwrap();

    let from = store.get(later).await.unwrap();
    assert_eq!(from.parts.links, again.parts.links);
    assert_eq!(from.parts.links[0].target, "demo-first");
    assert_eq!(from.related.len(), 1);
    let r = &from.related[0];
    assert_eq!(
        (r.id, r.title.as_str(), r.date.as_deref(), r.kind.as_str()),
        (
            earlier,
            "First time",
            Some("2024-01-10"),
            "earlier_occurrence"
        )
    );
    assert!(r.outgoing);
    assert_eq!(r.note, "same pool");

    let to = store.get(earlier).await.unwrap();
    assert!(
        to.parts.links.is_empty(),
        "the target does not own the link"
    );
    assert_eq!(to.related.len(), 1);
    let r = &to.related[0];
    assert_eq!(
        (r.id, r.title.as_str(), r.date.as_deref(), r.outgoing),
        (later, "Second time", Some("2024-06-01"), false)
    );

    // Deleting the target takes the link with it.
    store.delete(earlier).await.unwrap();
    let from = store.get(later).await.unwrap();
    assert!(from.parts.links.is_empty() && from.related.is_empty());
}

#[tokio::test]
async fn publishing_stamps_who_and_when_until_it_is_unpublished() {
    let (_db, store) = common::store().await;
    let with_status = |status: &str| {
        let mut n = plain("Stamped", None);
        n.parts.status = status.into();
        n
    };
    let (id, _) = store.create(&with_status("draft"), "alice").await.unwrap();
    let got = store.get(id).await.unwrap();
    assert_eq!((got.published_by, got.published_at), (None, None));

    store
        .update(id, 1, &with_status("published"), "bob")
        .await
        .unwrap();
    let published = store.get(id).await.unwrap();
    assert_eq!(published.published_by.as_deref(), Some("bob"));
    let at = published.published_at.clone().expect("a publication time");
    assert!(at.ends_with('Z') && at.len() >= 20, "{at}");

    // Still published after carol's edit: bob published it, then.
    let mut edited = with_status("published");
    edited.summary = "typo fixed".into();
    store.update(id, 2, &edited, "carol").await.unwrap();
    let kept = store.get(id).await.unwrap();
    assert_eq!(kept.published_by.as_deref(), Some("bob"));
    assert_eq!(kept.published_at, Some(at));

    store
        .update(id, 3, &with_status("in_review"), "carol")
        .await
        .unwrap();
    let cleared = store.get(id).await.unwrap();
    assert_eq!((cleared.published_by, cleared.published_at), (None, None));

    // Created or imported already published: stamped by whoever saved it.
    let (direct, _) = store
        .create(&with_status("published"), "dana")
        .await
        .unwrap();
    assert_eq!(
        store.get(direct).await.unwrap().published_by.as_deref(),
        Some("dana")
    );
    let mut imported = with_status("published");
    imported.external_id = Some("ext-published".into());
    let (imp, _, _) = store.import(&imported, "cli").await.unwrap();
    let got = store.get(imp).await.unwrap();
    assert_eq!(got.published_by.as_deref(), Some("cli"));
    assert!(got.published_at.is_some());
}

#[tokio::test]
async fn reimporting_an_export_is_unchanged_whatever_its_item_ids() {
    let (_db, store) = common::store().await;
    let new = full(vec![]);
    let (id, outcome, _) = store.import(&new, "cli").await.unwrap();
    assert_eq!(outcome, ImportOutcome::Added);
    let (_, outcome, seq) = store.import(&new, "cli").await.unwrap();
    assert_eq!((outcome, seq), (ImportOutcome::Unchanged, None));

    let export = store.get(id).await.unwrap().content();
    assert!(export.parts.action_items.iter().all(|i| i.id.is_some()));
    let (_, outcome, _) = store.import(&export, "cli").await.unwrap();
    assert_eq!(outcome, ImportOutcome::Unchanged);

    let mut changed = export.clone();
    changed.parts.action_items[2].status = "done".into();
    let (_, outcome, _) = store.import(&changed, "cli").await.unwrap();
    assert_eq!(outcome, ImportOutcome::Updated);
    let got = store.get(id).await.unwrap().content();
    assert_eq!(item_ids(&got), item_ids(&export));
    assert_eq!(got.parts.action_items[2].status, "done");
    assert_eq!(store.revisions(id).await.unwrap().len(), 2);
}

#[tokio::test]
async fn revisions_saved_before_the_record_read_with_empty_parts() {
    let (db, store) = common::store().await;
    let (id, _) = store.create(&plain("Old", None), "alice").await.unwrap();
    let mut conn = db.connect().await;
    // The shape 0002 wrote and the skeleton saved: no parts at all.
    sqlx::query(
        "insert into postmortem_revision (postmortem_id, version, author, snapshot)
         values ($1, 0, 'unknown', $2)",
    )
    .bind(id)
    .bind(
        r#"{"external_id":null,"title":"Old","severity":"SEV3","date":"2024-01-10",
            "summary":"","impact":"","root_cause":"","mitigation":"",
            "services":["api"],"labels":[],"url":null}"#,
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let old = store.revision_content(id, 0).await.unwrap();
    assert_eq!(old.title, "Old");
    assert_eq!(old.services, vec!["api"]);
    assert_eq!(old.parts, Parts::default());
}

#[tokio::test]
async fn check_constraints_refuse_unknown_enum_values() {
    let (db, store) = common::store().await;
    let (id, _) = store.create(&full(vec![]), "alice").await.unwrap();
    let mut conn = db.connect().await;
    for bad in [
        "update postmortem set status = 'shipped' where postmortem_id = $1",
        "update timeline_entry set kind = 'rumour' where postmortem_id = $1",
        "update evidence set kind = 'screenshot' where postmortem_id = $1",
        "update hypothesis set outcome = 'maybe' where postmortem_id = $1",
        "update hypothesis_confidence set value = 140
          where hypothesis_id in (select hypothesis_id from hypothesis where postmortem_id = $1)",
        "update root_cause set level = 'deep' where postmortem_id = $1",
        "update mitigation_attempt set result = 'meh' where postmortem_id = $1",
        "update learning set kind = 'folklore' where postmortem_id = $1",
        "update action_item set status = 'finished' where postmortem_id = $1",
        "update action_item set priority = 'urgent' where postmortem_id = $1",
        "update action_item set kind = 'hope' where postmortem_id = $1",
        "insert into postmortem_link (postmortem_id, position, to_postmortem_id, target_ref, kind)
         select postmortem_id, 9, postmortem_id, 'self', 'related'
           from postmortem where postmortem_id = $1",
    ] {
        let refused = sqlx::query(bad).bind(id).execute(&mut conn).await;
        let message = refused.expect_err(bad).to_string();
        assert!(
            message.contains("CHECK constraint failed")
                || message.contains("violates check constraint"),
            "{bad}: {message}"
        );
    }
    // The canonical names go in.
    sqlx::query("update action_item set status = 'wont_do' where postmortem_id = $1")
        .bind(id)
        .execute(&mut conn)
        .await
        .unwrap();
}

#[tokio::test]
async fn id_by_external_id_finds_imported_postmortems() {
    let (_db, store) = common::store().await;
    let (id, _) = store
        .create(&plain("Imported", Some("aws-10")), "cli")
        .await
        .unwrap();
    assert_eq!(store.id_by_external_id("aws-10").await.unwrap(), Some(id));
    assert_eq!(store.id_by_external_id("aws-11").await.unwrap(), None);
}
