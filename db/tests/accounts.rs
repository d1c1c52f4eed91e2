//! Accounts and sessions through the store: names are unique whatever the
//! case, the first admin can be made only once, and a session works only
//! while it is live and its account enabled.

use kb_db::DbError;
use kb_domain::accounts::Role;

mod common;

use common::store;

#[tokio::test]
async fn names_are_unique_ignoring_case() {
    let (_dir, store) = store().await;
    let ada = store
        .create_account("Ada", "h1", Role::Editor)
        .await
        .unwrap();
    assert_eq!(ada.role, Role::Editor);
    let again = store.create_account("ada", "h2", Role::Viewer).await;
    assert!(
        matches!(again, Err(DbError::NameTaken(ref n)) if n == "ada"),
        "{again:?}"
    );
    let found = store.account_for_sign_in(" ADA ").await.unwrap().unwrap();
    assert_eq!(found.account, ada);
    assert_eq!(found.password_hash, "h1");
    assert!(!found.disabled);
    assert!(store.account_for_sign_in("bob").await.unwrap().is_none());
}

#[tokio::test]
async fn the_first_admin_is_made_once() {
    let (_dir, store) = store().await;
    assert!(!store.has_admin().await.unwrap());
    // An editor is not an admin: setup stays open.
    store.create_account("ed", "h", Role::Editor).await.unwrap();
    assert!(!store.has_admin().await.unwrap());
    let admin = store.create_first_admin("root", "h").await.unwrap();
    assert_eq!(admin.role, Role::Admin);
    assert!(store.has_admin().await.unwrap());
    let second = store.create_first_admin("mallory", "h").await;
    assert!(matches!(second, Err(DbError::AdminExists)), "{second:?}");
    let names: Vec<String> = store
        .accounts()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.account.name)
        .collect();
    assert_eq!(names, ["ed", "root"]);
}

#[tokio::test]
async fn sessions_live_until_they_end_expire_or_the_password_changes() {
    let (_dir, store) = store().await;
    let ada = store
        .create_account("ada", "h", Role::Viewer)
        .await
        .unwrap();
    store.start_session("t1", ada.id, 3600).await.unwrap();
    assert_eq!(
        store.session_account("t1").await.unwrap(),
        Some(ada.clone())
    );
    assert_eq!(store.session_account("t2").await.unwrap(), None);

    store.end_session("t1").await.unwrap();
    assert_eq!(store.session_account("t1").await.unwrap(), None);

    // Already expired when made.
    store.start_session("old", ada.id, -1).await.unwrap();
    assert_eq!(store.session_account("old").await.unwrap(), None);
    assert_eq!(store.end_expired_sessions().await.unwrap(), 1);

    store.start_session("t3", ada.id, 3600).await.unwrap();
    store.set_password_hash("ADA", "h2").await.unwrap();
    assert_eq!(store.session_account("t3").await.unwrap(), None);
    assert_eq!(
        store
            .account_for_sign_in("ada")
            .await
            .unwrap()
            .unwrap()
            .password_hash,
        "h2"
    );
    assert!(matches!(
        store.set_password_hash("nobody", "h").await,
        Err(DbError::NotFound)
    ));
}

#[tokio::test]
async fn the_schema_refuses_unknown_roles() {
    let (db, store) = store().await;
    drop(store);
    let mut conn = db.connect().await;
    let bad =
        sqlx::query("insert into account (name, password_hash, role) values ('x', 'h', 'root')")
            .execute(&mut conn)
            .await;
    assert!(bad.is_err());
}

#[tokio::test]
async fn roles_change_and_accounts_disable_but_one_admin_always_remains() {
    let (_dir, store) = store().await;
    let root = store.create_first_admin("root", "h").await.unwrap();
    let ada = store
        .create_account("ada", "h", Role::Viewer)
        .await
        .unwrap();
    store.start_session("s", ada.id, 3600).await.unwrap();

    store
        .change_account(ada.id, Some(Role::Editor), None)
        .await
        .unwrap();
    let found = store.session_account("s").await.unwrap().unwrap();
    assert_eq!(found.role, Role::Editor);

    store
        .change_account(ada.id, None, Some(true))
        .await
        .unwrap();
    assert_eq!(store.session_account("s").await.unwrap(), None);
    assert!(
        store
            .account_for_sign_in("ada")
            .await
            .unwrap()
            .unwrap()
            .disabled
    );
    store
        .change_account(ada.id, None, Some(false))
        .await
        .unwrap();
    assert!(
        !store
            .account_for_sign_in("ada")
            .await
            .unwrap()
            .unwrap()
            .disabled
    );

    for change in [(Some(Role::Editor), None), (None, Some(true))] {
        let refused = store.change_account(root.id, change.0, change.1).await;
        assert!(matches!(refused, Err(DbError::LastAdmin)), "{refused:?}");
    }
    assert_eq!(
        store
            .account_for_sign_in("root")
            .await
            .unwrap()
            .unwrap()
            .account
            .role,
        Role::Admin
    );
    // With a second admin, the first may step down.
    store
        .change_account(ada.id, Some(Role::Admin), None)
        .await
        .unwrap();
    store
        .change_account(root.id, Some(Role::Viewer), None)
        .await
        .unwrap();
    assert!(matches!(
        store.change_account(999, Some(Role::Viewer), None).await,
        Err(DbError::NotFound)
    ));
}
