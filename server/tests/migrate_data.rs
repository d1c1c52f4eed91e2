//! `hindsight migrate-data`: an instance in a SQLite data folder moved into
//! an empty database (PostgreSQL when `HINDSIGHT_TEST_DATABASE` names a
//! server, else another SQLite file), then served from there by a data
//! folder of its own, as a replica is.

mod common;

use common::{hindsight, ok};

#[test]
fn an_instance_moves_to_another_database_and_answers_the_same_there() {
    let root = tempfile::tempdir().unwrap();
    let (from, to) = (root.path().join("from"), root.path().join("to"));
    ok(&hindsight(&from, &["demo"]));
    let to_url = match std::env::var("HINDSIGHT_TEST_DATABASE") {
        Ok(server) if !server.is_empty() => tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(kb_db::new_postgres_database(&server))
            .unwrap(),
        _ => format!("sqlite://{}", root.path().join("to.db").display()),
    };
    let from_url = format!("sqlite://{}", from.join("hindsight.db").display());
    let args = ["migrate-data", "--from", &from_url, "--to", &to_url];
    let out = ok(&hindsight(&from, &args));
    assert!(out.contains("copied 6 postmortems"), "{out}");

    // A folder of its own on the copy answers as the original does.
    std::fs::create_dir_all(&to).unwrap();
    std::fs::write(to.join("test-database-url"), &to_url).unwrap();
    for text in [
        "payment timeouts connection pool",
        "checkout fails every 20 minutes redis",
        "noisy neighbour",
    ] {
        let search = |data| ok(&hindsight(data, &["search", text, "--json"]));
        let (a, b): (serde_json::Value, serde_json::Value) = (
            serde_json::from_str(&search(&from)).unwrap(),
            serde_json::from_str(&search(&to)).unwrap(),
        );
        // The same postmortems in the same order (scores may differ in
        // the last digits: two indexes built apart round apart).
        let hits = |v: &serde_json::Value| -> Vec<(i64, String)> {
            v["incidents"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| {
                    (
                        h["id"].as_i64().unwrap(),
                        h["title"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        };
        assert!(!hits(&a).is_empty(), "{text}");
        assert_eq!(hits(&a), hits(&b), "{text}");
    }

    // Copying again into the same database is refused, and says why.
    let again = hindsight(&from, &args);
    assert!(!again.status.success());
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("already holds data"), "{stderr}");
}
