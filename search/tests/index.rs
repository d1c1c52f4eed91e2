//! Behaviour of the index through its public API, on disk where it matters.

use std::time::{Duration, Instant};

use kb_search::{
    Change, IndexDoc, IndexState, Mode, RebuildReason, SearchError, SearchIndex, REGROUP_MIN,
    SCHEMA_VERSION,
};

fn doc(id: i64, title: &str, summary: &str) -> IndexDoc {
    IndexDoc {
        id,
        external_id: Some(format!("INC-{id}")),
        title: title.into(),
        summary: summary.into(),
        severity: Some("SEV2".into()),
        date: Some("2024-05-01".into()),
        ..IndexDoc::default()
    }
}

fn ids(index: &SearchIndex, text: &str) -> Vec<i64> {
    index
        .search(text, 10)
        .unwrap()
        .hits
        .into_iter()
        .map(|hit| hit.id)
        .collect()
}

fn upsert(doc: IndexDoc) -> Change {
    Change::Upsert(doc)
}

#[test]
fn upsert_replaces_instead_of_duplicating() {
    let index = index_with(vec![upsert(doc(1, "Checkout outage", "kafka lag"))]);
    index
        .apply(vec![upsert(doc(1, "Checkout outage", "redis eviction"))], 2)
        .unwrap();

    assert_eq!(index.num_docs(), 1);
    assert_eq!(ids(&index, "redis"), [1]);
    assert!(ids(&index, "kafka").is_empty());
}

#[test]
fn same_id_twice_in_one_batch_last_wins() {
    let index = index_with(vec![
        upsert(doc(1, "first", "kafka lag")),
        upsert(doc(1, "second", "redis eviction")),
    ]);
    assert_eq!(index.num_docs(), 1);
    assert_eq!(index.search("redis", 10).unwrap().hits[0].title, "second");
    assert!(ids(&index, "kafka").is_empty());
}

#[test]
fn delete_removes() {
    let index = index_with(vec![
        upsert(doc(1, "DNS outage", "resolver timeouts")),
        upsert(doc(2, "DNS flapping", "resolver restarts")),
    ]);
    index
        .apply(vec![Change::Delete(1), Change::Delete(404)], 2)
        .unwrap();

    assert_eq!(index.num_docs(), 1);
    assert_eq!(ids(&index, "dns resolver"), [2]);
}

#[test]
fn rebuild_replaces_everything() {
    let index = SearchIndex::in_ram().unwrap();
    index
        .apply(
            vec![
                upsert(doc(1, "old one", "disk")),
                upsert(doc(2, "old two", "disk")),
            ],
            10,
        )
        .unwrap();
    index.rebuild([doc(3, "new three", "disk")], 7).unwrap();

    assert_eq!(index.num_docs(), 1);
    assert_eq!(ids(&index, "disk"), [3]);
    assert_eq!(
        index.state().unwrap(),
        Some(IndexState {
            schema_version: SCHEMA_VERSION,
            high_water: 7,
            grouped: 1,
        })
    );
}

#[test]
fn rebuild_leaves_one_segment() {
    let index = SearchIndex::in_ram().unwrap();
    // Enough documents for both indexing threads to write segments of their own.
    let docs: Vec<IndexDoc> = (1..=400)
        .map(|id| doc(id, &format!("incident {id}"), "disk full on the primary"))
        .collect();
    index.rebuild(docs, 1).unwrap();
    assert_eq!(index.segment_count(), 1);
    assert_eq!(ids(&index, "disk").len(), 10);
    assert_eq!(index.state().unwrap().unwrap().high_water, 1);
}

/// A rebuild adds postmortems grouped by topic, not by id; what a search
/// finds and how it scores them must not depend on that.
#[test]
fn a_rebuilt_index_ranks_as_one_written_incrementally() {
    let kinds = [
        (
            "DNS lookups failed",
            "coredns resolver nxdomain timeout on lookups",
        ),
        (
            "Connection pool exhausted",
            "hikari pool timeout, database connections saturated",
        ),
        (
            "Certificate expired",
            "tls handshake failed, certificate expiry missed",
        ),
        (
            "Disk full",
            "volume filled with logs, rotation stopped, database writes failed",
        ),
    ];
    let docs: Vec<IndexDoc> = (1..=200)
        .map(|id| {
            let (title, summary) = kinds[id as usize % kinds.len()];
            // Some repeat a word, so scores differ within a kind.
            let extra = "timeout ".repeat(id as usize % 5);
            doc(id, title, &format!("{summary} {extra} on host-{id}"))
        })
        .collect();
    let written = SearchIndex::in_ram().unwrap();
    written
        .apply(docs.iter().cloned().map(upsert).collect(), 1)
        .unwrap();
    let rebuilt = SearchIndex::in_ram().unwrap();
    rebuilt.rebuild(docs, 1).unwrap();
    // Scores, best first, and the ids above the last score: which of the
    // postmortems tied at the cut (the best 100) make it may differ.
    let ranked = |index: &SearchIndex, text: &str| {
        let hits = index.search(text, 100).unwrap().hits;
        let scores: Vec<String> = hits.iter().map(|hit| format!("{:.6}", hit.score)).collect();
        let last = hits.last().map_or(0.0, |hit| hit.score);
        let mut above: Vec<i64> = hits
            .iter()
            .filter(|hit| hit.score > last)
            .map(|hit| hit.id)
            .collect();
        above.sort_unstable();
        (scores, above)
    };
    for text in [
        "timeout",
        "database connections timeout",
        "certificate expiry tls",
        "logs filled the volume",
        "nxdomain on host-17",
    ] {
        let expected = ranked(&written, text);
        assert!(!expected.1.is_empty(), "{text}");
        assert_eq!(ranked(&rebuilt, text), expected, "{text}");
    }
}

#[test]
fn asks_to_regroup_each_time_the_index_doubles() {
    let docs = |ids: std::ops::RangeInclusive<i64>| -> Vec<IndexDoc> {
        ids.map(|id| doc(id, &format!("incident {id}"), "disk full"))
            .collect()
    };
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path(), Mode::Writer).unwrap().index;
    let min = REGROUP_MIN as i64;
    index
        .apply(docs(1..=min - 1).into_iter().map(upsert).collect(), 1)
        .unwrap();
    assert!(!index.should_regroup().unwrap(), "too small to matter");
    index
        .apply(vec![upsert(doc(min, "one more", "disk"))], 2)
        .unwrap();
    assert!(index.should_regroup().unwrap(), "never grouped");

    index.rebuild(docs(1..=min), 2).unwrap();
    assert_eq!(index.state().unwrap().unwrap().grouped, REGROUP_MIN);
    assert!(!index.should_regroup().unwrap(), "just grouped");
    // Writes carry the count forward, up to twice as many documents.
    index
        .apply(
            docs(min + 1..=2 * min - 1)
                .into_iter()
                .map(upsert)
                .collect(),
            3,
        )
        .unwrap();
    assert_eq!(index.state().unwrap().unwrap().grouped, REGROUP_MIN);
    assert!(!index.should_regroup().unwrap(), "not yet doubled");
    index
        .apply(vec![upsert(doc(2 * min, "doubled", "disk"))], 4)
        .unwrap();
    assert!(index.should_regroup().unwrap(), "doubled");

    // The count is in the commit, so it survives a restart.
    index.rebuild(docs(1..=2 * min), 4).unwrap();
    drop(index);
    let reopened = SearchIndex::open(dir.path(), Mode::Writer).unwrap().index;
    assert_eq!(reopened.state().unwrap().unwrap().grouped, 2 * REGROUP_MIN);
    assert!(!reopened.should_regroup().unwrap());
}

#[test]
fn a_repeated_search_sees_every_write_since() {
    let index = index_with(vec![upsert(doc(1, "Disk full", "disk"))]);
    assert_eq!(ids(&index, "disk"), [1]);
    assert_eq!(ids(&index, "disk"), [1], "asked again, answered the same");
    index
        .apply(vec![upsert(doc(2, "Disk again", "disk"))], 2)
        .unwrap();
    let mut found = ids(&index, "disk");
    found.sort_unstable();
    assert_eq!(found, [1, 2]);
    index.apply(vec![Change::Delete(1)], 3).unwrap();
    assert_eq!(ids(&index, "disk"), [2]);
}

#[test]
fn junk_syntax_is_just_text() {
    let index = index_with(vec![
        upsert(doc(1, "Unbalanced quote broke the config parser", "")),
        upsert(doc(2, "Foo service", "bar cache stampede")),
        upsert(doc(
            3,
            "Envoy resets",
            "upstream connect error or disconnect/reset before headers",
        )),
    ]);

    assert_eq!(ids(&index, "\"unbalanced quote"), [1]);
    assert!(ids(&index, "title:foo AND (bar").contains(&2));

    let punctuation = index.search("[]{}^~*:!", 10).unwrap();
    assert!(punctuation.hits.is_empty());
    assert_eq!(punctuation.total, 0);
    for blank in ["", "   \n\t"] {
        assert!(index.search(blank, 10).unwrap().hits.is_empty());
    }

    let mut log = String::new();
    let mut line = 0;
    while log.len() < 10_000 {
        log.push_str(&format!(
            "2024-05-01T12:{:02}:{:02}.{line:03}Z ERROR [pod=api-{line:x}] upstream connect error \
             or disconnect/reset before headers. reset reason: connection failure, \
             request_id={line:08x}{{\"retry\":{line}}}\n",
            line / 60 % 60,
            line % 60,
        ));
        line += 1;
    }
    assert!(log.len() >= 10_000);
    let results = index.search(&log, 10).unwrap();
    assert_eq!(results.hits.first().map(|hit| hit.id), Some(3));
}

#[test]
fn limit_bounds_hits_but_not_total() {
    let index = SearchIndex::in_ram().unwrap();
    let docs = (1..=5).map(|id| upsert(doc(id, "disk full", "")));
    index.apply(docs.collect(), 1).unwrap();

    let results = index.search("disk", 2).unwrap();
    assert_eq!(results.hits.len(), 2);
    assert_eq!(results.total, 5);

    let results = index.search("disk", 0).unwrap();
    assert!(results.hits.is_empty());
    assert_eq!(results.total, 5);

    assert_eq!(index.search("disk", usize::MAX).unwrap().hits.len(), 5);
}

#[test]
fn hits_carry_stored_fields() {
    let index = index_with(vec![upsert(doc(42, "Disk full on db-1", "disk"))]);
    let hit = &index.search("disk", 10).unwrap().hits[0];
    assert_eq!(hit.id, 42);
    assert_eq!(hit.external_id.as_deref(), Some("INC-42"));
    assert_eq!(hit.title, "Disk full on db-1");
    assert!(hit.score > 0.0);
}

#[test]
fn snippets_are_plain_text_with_ranges_on_stemmed_words() {
    let index = SearchIndex::in_ram().unwrap();
    let mut xss = doc(1, "Rendering bug", "");
    xss.root_cause =
        "A label containing <script>alert(1)</script> was rendered raw and raised alerts.".into();
    index.apply(vec![upsert(xss)], 1).unwrap();

    let snippet = snippet_of(&index.search("alerting", 10).unwrap().hits[0]);
    assert!(
        snippet.text.contains("<script>alert(1)</script>"),
        "{:?}",
        snippet.text
    );
    let words: Vec<&str> = snippet
        .highlights
        .iter()
        .map(|&(start, end)| {
            assert!(start < end && end <= snippet.text.len());
            assert!(snippet.text.is_char_boundary(start) && snippet.text.is_char_boundary(end));
            &snippet.text[start..end]
        })
        .collect();
    assert_eq!(words, ["alert", "alerts"]);
}

#[test]
fn snippet_ranges_respect_multibyte_text() {
    let index = index_with(vec![upsert(doc(
        1,
        "Encoding",
        "Ünïcödé façade — the café's payment façades failed ✓ twice",
    ))]);
    let snippet = snippet_of(&index.search("façade", 10).unwrap().hits[0]);
    let words: Vec<&str> = snippet
        .highlights
        .iter()
        .map(|&(start, end)| &snippet.text[start..end])
        .collect();
    assert_eq!(words, ["façade", "façades"]);
}

#[test]
fn title_only_match_falls_back_to_the_start_of_the_body() {
    let index = SearchIndex::in_ram().unwrap();
    let mut long = doc(1, "Kafka rebalance storm", "");
    long.summary = "Consumers kept leaving the group. ".repeat(20);
    long.impact = "Orders were delayed.".into();
    index.apply(vec![upsert(long)], 1).unwrap();

    let snippet = snippet_of(&index.search("kafka", 10).unwrap().hits[0]);
    assert!(snippet.highlights.is_empty());
    assert!(snippet
        .text
        .starts_with("Consumers kept leaving the group."));
    assert!(snippet.text.chars().count() <= 200);
    assert!(!snippet.text.ends_with(' '));
}

#[test]
fn title_match_outranks_body_only_match() {
    let index = index_with(vec![
        // Three body mentions in a short body: without the title boost this
        // one scores higher.
        upsert(doc(
            1,
            "Network blip",
            "replication replication replication",
        )),
        upsert(doc(2, "Replication lag", "the standby fell behind")),
        upsert(doc(3, "Unrelated", "nothing to see")),
    ]);
    assert_eq!(ids(&index, "replication"), [2, 1]);
}

#[test]
fn high_water_mark_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    {
        let opened = SearchIndex::open(dir.path(), Mode::Writer).unwrap();
        assert_eq!(opened.rebuild, Some(RebuildReason::Missing));
        assert_eq!(opened.index.state().unwrap(), None);
        opened
            .index
            .apply(vec![upsert(doc(1, "Disk full", ""))], 42)
            .unwrap();
        assert_eq!(
            opened.index.state().unwrap(),
            Some(IndexState {
                schema_version: SCHEMA_VERSION,
                high_water: 42,
                grouped: 0,
            })
        );
    }
    let opened = SearchIndex::open(dir.path(), Mode::Writer).unwrap();
    assert_eq!(opened.rebuild, None);
    assert_eq!(
        opened.index.state().unwrap(),
        Some(IndexState {
            schema_version: SCHEMA_VERSION,
            high_water: 42,
            grouped: 0,
        })
    );
    assert_eq!(ids(&opened.index, "disk"), [1]);
}

#[test]
fn created_but_never_committed_asks_for_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    drop(SearchIndex::open(dir.path(), Mode::Writer).unwrap());

    let opened = SearchIndex::open(dir.path(), Mode::Writer).unwrap();
    assert_eq!(opened.rebuild, Some(RebuildReason::NeverCommitted));
    drop(opened);
    assert!(matches!(
        SearchIndex::open(dir.path(), Mode::ReadOnly),
        Err(SearchError::NotReady(_))
    ));
}

#[test]
fn second_writer_is_locked_out_and_readers_coexist() {
    let dir = tempfile::tempdir().unwrap();
    let writer = SearchIndex::open(dir.path(), Mode::Writer).unwrap().index;
    writer
        .apply(vec![upsert(doc(1, "Disk full", ""))], 1)
        .unwrap();

    match SearchIndex::open(dir.path(), Mode::Writer) {
        Err(SearchError::Locked { dir: locked }) => assert_eq!(locked, dir.path()),
        other => panic!("expected Locked, got {other:?}"),
    }
    // The failed open must not have damaged the index the writer is using.
    assert_eq!(ids(&writer, "disk"), [1]);

    let reader = SearchIndex::open(dir.path(), Mode::ReadOnly).unwrap();
    assert_eq!(reader.rebuild, None);
    let reader = reader.index;
    assert_eq!(ids(&reader, "disk"), [1]);
    assert!(matches!(
        reader.apply(vec![], 2),
        Err(SearchError::ReadOnly)
    ));
    assert!(matches!(reader.rebuild([], 2), Err(SearchError::ReadOnly)));

    // The read-only handle picks up the writer's later commits by itself.
    writer
        .apply(vec![upsert(doc(2, "Disk latency", ""))], 2)
        .unwrap();
    assert_eq!(
        reader.state().unwrap().map(|state| state.high_water),
        Some(2)
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while reader.num_docs() < 2 {
        assert!(Instant::now() < deadline, "read-only handle never reloaded");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(ids(&reader, "disk").len(), 2);

    // Once the writer is gone, a new writer may take over.
    drop(writer);
    assert!(SearchIndex::open(dir.path(), Mode::Writer).is_ok());
}

#[test]
fn read_only_never_creates_anything() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("index");
    match SearchIndex::open(&dir, Mode::ReadOnly) {
        Err(SearchError::NotReady(message)) => {
            assert!(message.contains("hindsight reindex"), "{message}");
        }
        other => panic!("expected NotReady, got {other:?}"),
    }
    assert!(!dir.exists());

    std::fs::create_dir(&dir).unwrap();
    assert!(matches!(
        SearchIndex::open(&dir, Mode::ReadOnly),
        Err(SearchError::NotReady(_))
    ));
    assert!(std::fs::read_dir(&dir).unwrap().next().is_none());
}

#[test]
fn corrupt_index_is_wiped_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = SearchIndex::open(dir.path(), Mode::Writer).unwrap().index;
        index
            .apply(vec![upsert(doc(1, "Disk full", ""))], 9)
            .unwrap();
    }
    std::fs::write(dir.path().join("meta.json"), b"{ this is not json").unwrap();
    std::fs::write(dir.path().join("operator-notes.txt"), b"keep me").unwrap();

    assert!(matches!(
        SearchIndex::open(dir.path(), Mode::ReadOnly),
        Err(SearchError::NotReady(_))
    ));
    // Read-only mode left the garbage alone.
    assert_eq!(
        std::fs::read(dir.path().join("meta.json")).unwrap(),
        b"{ this is not json"
    );

    let opened = SearchIndex::open(dir.path(), Mode::Writer).unwrap();
    assert!(
        matches!(opened.rebuild, Some(RebuildReason::Unreadable(_))),
        "{:?}",
        opened.rebuild
    );
    let index = opened.index;
    assert_eq!(index.num_docs(), 0);
    assert_eq!(index.state().unwrap(), None);
    assert!(dir.path().join("operator-notes.txt").exists());

    index
        .apply(vec![upsert(doc(2, "Disk again", ""))], 10)
        .unwrap();
    assert_eq!(ids(&index, "disk"), [2]);
}

#[test]
fn missing_segment_file_is_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = SearchIndex::open(dir.path(), Mode::Writer).unwrap().index;
        index
            .apply(vec![upsert(doc(1, "Disk full", ""))], 1)
            .unwrap();
    }
    let segment_file = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|ext| ext == "idx"))
        .expect("a committed index has a term index file");
    std::fs::remove_file(segment_file).unwrap();

    let opened = SearchIndex::open(dir.path(), Mode::Writer).unwrap();
    assert!(
        matches!(opened.rebuild, Some(RebuildReason::Unreadable(_))),
        "{:?}",
        opened.rebuild
    );
    assert_eq!(opened.index.num_docs(), 0);
}

#[test]
fn identifiers_match_by_their_words_and_whole() {
    let index = SearchIndex::in_ram().unwrap();
    let mut stripe = doc(1, "Card payments failing", "");
    stripe.symptoms = "WARN stripe_read_timeout exceeded calling api.stripe.com".into();
    let mut pool = doc(2, "Checkout latency", "");
    pool.symptoms = "HikariPool-1 - Connection is not available, DBPool exhausted".into();
    index
        .apply(
            vec![
                upsert(stripe),
                upsert(pool),
                upsert(doc(3, "Unrelated", "disk")),
            ],
            1,
        )
        .unwrap();

    assert_eq!(ids(&index, "stripe_read_timeout"), [1]);
    assert_eq!(ids(&index, "read timeout"), [1]);
    assert_eq!(ids(&index, "db pool exhausted"), [2]);
    assert_eq!(ids(&index, "hikari"), [2]);
}

#[test]
fn volatile_tokens_neither_match_nor_hide_the_rest() {
    let index = SearchIndex::in_ram().unwrap();
    let mut logged = doc(1, "Gateway errors", "");
    logged.symptoms = "2023-11-02T03:14:07Z upstream 10.0.3.17:9000 returned 502 \
                       trace=9f8e7d6c5b4a3921"
        .into();
    index
        .apply(vec![upsert(logged), upsert(doc(2, "Other", "503 once"))], 1)
        .unwrap();

    // Another day, another address, another trace id: only the words count.
    assert!(ids(&index, "2025-01-01T00:00:00Z 192.168.1.1 0a1b2c3d4e5f6789").is_empty());
    assert_eq!(
        ids(
            &index,
            "2025-01-01T00:00:00Z upstream 172.16.0.9:9000 returned 502"
        ),
        [1]
    );
}

#[test]
fn symptoms_outrank_the_same_words_in_the_narrative() {
    let index = SearchIndex::in_ram().unwrap();
    let mut seen = doc(1, "Incident one", "");
    seen.symptoms = "consumer lag alert on the orders topic".into();
    let mut told = doc(2, "Incident two", "");
    told.narrative = "consumer lag alert on the orders topic".into();
    index.apply(vec![upsert(told), upsert(seen)], 1).unwrap();
    assert_eq!(ids(&index, "consumer lag alert"), [1, 2]);
}

#[test]
fn every_part_of_the_record_is_searchable() {
    let index = SearchIndex::in_ram().unwrap();
    let mut full = doc(1, "t", "");
    full.impact = "alphaimpact".into();
    full.root_cause = "betaroot".into();
    full.mitigation = "gammamitigation".into();
    full.symptoms = "deltasymptom".into();
    full.narrative = "epsilonnarrative".into();
    full.timeline = "zetatimeline".into();
    full.causes = "etacause".into();
    full.resolution = "thetaresolution".into();
    full.services = vec!["iotaservice".into()];
    full.teams = vec!["kappateam".into()];
    full.labels = vec!["lambdalabel".into()];
    index.apply(vec![upsert(full)], 1).unwrap();
    for word in [
        "alphaimpact",
        "betaroot",
        "gammamitigation",
        "deltasymptom",
        "epsilonnarrative",
        "zetatimeline",
        "etacause",
        "thetaresolution",
        "iotaservice",
        "kappateam",
        "lambdalabel",
    ] {
        assert_eq!(ids(&index, word), [1], "{word}");
    }
}

#[test]
fn snippet_comes_from_the_field_that_matched() {
    let index = SearchIndex::in_ram().unwrap();
    let mut doc = doc(1, "Queue backlog", "Orders were slow for an hour.");
    doc.symptoms = "ALERT KafkaConsumerLagHigh group=billing lag=120k".into();
    doc.resolution = "Scaled the billing consumers to twelve replicas.".into();
    index.apply(vec![upsert(doc)], 1).unwrap();

    let snippet = snippet_of(&index.search("consumer lag", 10).unwrap().hits[0]);
    assert!(
        snippet.text.starts_with("ALERT KafkaConsumerLagHigh"),
        "{snippet:?}"
    );
    for &(start, end) in &snippet.highlights {
        assert!(start < end && end <= snippet.text.len(), "{snippet:?}");
    }

    let snippet = snippet_of(&index.search("twelve replicas", 10).unwrap().hits[0]);
    assert!(snippet.text.starts_with("Scaled"), "{snippet:?}");
}

#[test]
fn highlights_stay_inside_the_fragment_around_identifiers() {
    let index = SearchIndex::in_ram().unwrap();
    let mut doc = doc(1, "Long evidence", "");
    doc.symptoms = "filler words here ".repeat(12)
        + "com.example.billing.InvoiceRenderer.renderPdfDocument failed "
        + &"more filler text ".repeat(20);
    index.apply(vec![upsert(doc)], 1).unwrap();
    for query in ["renderer", "invoice pdf failed", "filler billing"] {
        let snippet = snippet_of(&index.search(query, 10).unwrap().hits[0]);
        for &(start, end) in &snippet.highlights {
            assert!(
                start < end && end <= snippet.text.len(),
                "{query}: {snippet:?}"
            );
            assert!(snippet.text.is_char_boundary(start) && snippet.text.is_char_boundary(end));
        }
    }
}

/// A hit's snippet with its highlights, as the snippet cutter made them.
fn snippet_of(hit: &kb_search::SearchHit) -> kb_search::Snippet {
    kb_search::Snippet {
        text: hit.snippet.clone(),
        highlights: hit.highlights.clone(),
    }
}

/// An index in memory holding `changes`, applied at mark 1.
fn index_with(changes: Vec<Change>) -> SearchIndex {
    let index = SearchIndex::in_ram().unwrap();
    index.apply(changes, 1).unwrap();
    index
}
