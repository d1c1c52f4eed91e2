//! What a search returns beyond the ranking: patterns, filter counts, paging,
//! why each hit matched, and the cause and fix lines.

use kb_search::{Change, Filters, IndexDoc, IndexPattern, SearchIndex, SearchRequest, SignalKind};

fn incident(id: i64, title: &str, summary: &str) -> IndexDoc {
    IndexDoc {
        id,
        title: title.into(),
        summary: summary.into(),
        ..IndexDoc::default()
    }
}

fn index_of(docs: Vec<IndexDoc>) -> SearchIndex {
    let index = SearchIndex::in_ram().unwrap();
    index
        .apply(docs.into_iter().map(Change::Upsert).collect(), 1)
        .unwrap();
    index
}

fn pool_pattern(name: &str) -> IndexPattern {
    IndexPattern {
        name: name.into(),
        symptoms: "Payment calls time out while the connection pool is exhausted".into(),
        root_cause: "A slow dependency holds connections until the pool runs dry".into(),
        detection: "Pool wait time and timeouts rise together".into(),
        resolution: "Shorter timeouts and a circuit breaker".into(),
    }
}

#[test]
fn patterns_are_results_of_their_own_grouped_by_name() {
    let mut first = incident(1, "Checkout down", "payments timed out");
    first.patterns = vec![pool_pattern("Timeout cascade")];
    let mut second = incident(2, "Refunds slow", "refund calls timed out");
    second.patterns = vec![pool_pattern("timeout CASCADE")];
    let mut third = incident(3, "Disk full", "the disk filled up");
    third.patterns = vec![IndexPattern {
        name: "Log volume surprise".into(),
        symptoms: "disk usage climbs after a verbose release".into(),
        ..IndexPattern::default()
    }];
    let index = index_of(vec![first, second, third]);

    let results = index
        .search_with(&SearchRequest {
            patterns: 5,
            ..SearchRequest::new("connection pool exhausted, payment timeouts", 10)
        })
        .unwrap();

    assert_eq!(results.patterns.len(), 1, "{:?}", results.patterns);
    let pattern = &results.patterns[0];
    assert_eq!(pattern.name.to_lowercase(), "timeout cascade");
    assert_eq!(pattern.resolution, "Shorter timeouts and a circuit breaker");
    let mut seen: Vec<i64> = pattern.seen_in.iter().map(|s| s.id).collect();
    seen.sort_unstable();
    assert_eq!(seen, [1, 2]);
    assert!(
        pattern.matched.iter().any(|w| w == "pool"),
        "{:?}",
        pattern.matched
    );
    // Pattern documents are never incident hits.
    assert!(results.hits.iter().all(|hit| hit.id != 3));
    let ids: Vec<i64> = results.hits.iter().map(|hit| hit.id).collect();
    assert_eq!(ids.iter().filter(|&&id| id == 1).count(), 1, "{ids:?}");
}

#[test]
fn patterns_are_not_asked_for_unless_wanted() {
    let mut doc = incident(1, "Checkout down", "payments timed out");
    doc.patterns = vec![pool_pattern("Timeout cascade")];
    let index = index_of(vec![doc]);
    assert!(index
        .search("pool timeout", 10)
        .unwrap()
        .patterns
        .is_empty());
}

fn tagged(id: i64, service: &str, severity: &str, date: &str, tag: &str) -> IndexDoc {
    IndexDoc {
        services: vec![service.into()],
        severity: Some(severity.into()),
        date: Some(date.into()),
        labels: vec![tag.into()],
        status: Some("published".into()),
        ..incident(id, &format!("Replication lag {id}"), "replica lag grew")
    }
}

#[test]
fn filters_restrict_and_counts_describe_the_ranked_matches() {
    let index = index_of(vec![
        tagged(1, "orders-db", "SEV1", "2023-02-01", "database"),
        tagged(2, "orders-db", "SEV2", "2024-03-01", "database"),
        tagged(3, "billing-db", "SEV2", "2024-04-01", "capacity"),
        incident(4, "Unrelated", "a certificate expired"),
    ]);
    let all = index.search("replica lag", 10).unwrap();
    assert_eq!(all.total, 3);
    assert!(!all.capped);
    let service: Vec<(&str, usize)> = all
        .facets
        .service
        .iter()
        .map(|c| (c.value.as_str(), c.count))
        .collect();
    assert_eq!(service, [("orders-db", 2), ("billing-db", 1)]);
    let years: Vec<(&str, usize)> = all
        .facets
        .year
        .iter()
        .map(|c| (c.value.as_str(), c.count))
        .collect();
    assert_eq!(years, [("2024", 2), ("2023", 1)]);
    assert_eq!(all.facets.status[0].value, "published");

    let only = |filters: Filters| {
        let mut ids: Vec<i64> = index
            .search_with(&SearchRequest {
                filters,
                ..SearchRequest::new("replica lag", 10)
            })
            .unwrap()
            .hits
            .into_iter()
            .map(|hit| hit.id)
            .collect();
        ids.sort_unstable();
        ids
    };
    let service = Filters {
        service: Some("orders-db".into()),
        ..Filters::default()
    };
    assert_eq!(only(service), [1, 2]);
    let year_and_severity = Filters {
        year: Some("2024".into()),
        severity: Some("SEV2".into()),
        ..Filters::default()
    };
    assert_eq!(only(year_and_severity), [2, 3]);
    let tag = Filters {
        tag: Some("capacity".into()),
        ..Filters::default()
    };
    assert_eq!(only(tag), [3]);
    // A filter alone finds nothing: the text must match too.
    let no_text = index
        .search_with(&SearchRequest {
            filters: Filters {
                service: Some("orders-db".into()),
                ..Filters::default()
            },
            ..SearchRequest::new("certificate", 10)
        })
        .unwrap();
    assert!(no_text.hits.is_empty());
}

#[test]
fn pages_follow_the_ranking() {
    let docs = (1..=25)
        .map(|id| incident(id, &format!("Queue backlog {id}"), "queue backlog grew"))
        .collect();
    let index = index_of(docs);
    let page = |offset| {
        index
            .search_with(&SearchRequest {
                offset,
                ..SearchRequest::new("queue backlog", 10)
            })
            .unwrap()
    };
    let (first, second, third) = (page(0), page(10), page(20));
    assert_eq!(first.total, 25);
    assert_eq!(
        (first.hits.len(), second.hits.len(), third.hits.len()),
        (10, 10, 5)
    );
    let mut all: Vec<i64> = [first, second, third]
        .into_iter()
        .flat_map(|r| r.hits)
        .map(|hit| hit.id)
        .collect();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), 25);
    assert!(page(40).hits.is_empty());
}

#[test]
fn hits_say_what_matched_and_what_caused_and_fixed_it() {
    let doc = IndexDoc {
        cause_line: "The DBPool max size was 10 after a config push".into(),
        fix_line: "Raised the pool size and rolled back the push".into(),
        services: vec!["payments-api".into()],
        ..incident(
            1,
            "Payments degraded",
            "DBPool exhausted; payments-api timed out",
        )
    };
    let index = index_of(vec![doc]);
    let results = index
        .search("ERROR DBPool exhausted at 10.0.0.7 on payments-api", 10)
        .unwrap();
    let hit = &results.hits[0];
    assert_eq!(
        hit.root_cause,
        "The DBPool max size was 10 after a config push"
    );
    assert_eq!(hit.fix, "Raised the pool size and rolled back the push");
    assert_eq!(hit.services, ["payments-api"]);
    for word in ["DBPool", "exhausted", "payments-api"] {
        assert!(
            hit.matched.iter().any(|m| m == word),
            "{word} in {:?}",
            hit.matched
        );
    }
    assert!(
        !hit.matched.iter().any(|m| m == "ERROR"),
        "{:?}",
        hit.matched
    );
    // The volatile address is no query term at all.
    assert!(!results.terms.iter().any(|t| t.contains("10.0.0.7")));
}

#[test]
fn tags_the_best_matches_share_lift_their_kind() {
    // Two strong text matches tagged `config`, then a weak `config` one below
    // a medium untagged-kind one: the vote moves the weak `config` one up.
    let mut docs = vec![
        IndexDoc {
            labels: vec!["config".into()],
            ..incident(
                1,
                "Gateway errors",
                "gateway errors gateway errors after push",
            )
        },
        IndexDoc {
            labels: vec!["config".into()],
            ..incident(2, "Gateway errors again", "gateway errors after a push")
        },
        IndexDoc {
            labels: vec!["hardware".into()],
            ..incident(3, "A disk died", "gateway errors, a disk died")
        },
        IndexDoc {
            labels: vec!["config".into()],
            ..incident(4, "Edge outage", "errors at the edge after a flag flip")
        },
    ];
    docs.push(incident(5, "Filler", "nothing alike"));
    let index = index_of(docs);
    let ids: Vec<i64> = index
        .search("gateway errors", 10)
        .unwrap()
        .hits
        .into_iter()
        .map(|hit| hit.id)
        .collect();
    let at = |id| ids.iter().position(|&x| x == id).unwrap();
    assert!(at(4) < at(3), "{ids:?}");
}

#[test]
fn hits_say_which_exception_frames_message_and_service_they_share() {
    // The earlier report wrote the class without its package, a frame of
    // another version (another line) and the same message for another job.
    let earlier = IndexDoc {
        services: vec!["resourcemanager".into()],
        symptoms: "UnknownHostException after the DNS change\n\
                   Could not resolve the host name for job 8812734\n\
                   \tat org.apache.hadoop.yarn.server.ResourceManager.serviceInit(ResourceManager.java:901)"
            .into(),
        ..incident(1, "RM exits when DNS is down", "The RM could not resolve its own host.")
    };
    let unrelated = incident(
        2,
        "Slow job",
        "The scheduler shut down; a job ran slow on a busy host.",
    );
    let index = index_of(vec![earlier, unrelated]);
    let paste = "RM shut down\n\
                 java.net.UnknownHostException: Could not resolve the host name for job 5551212\n\
                 \tat org.apache.hadoop.yarn.server.ResourceManager.serviceInit(ResourceManager.java:233)\n\
                 on the resourcemanager";
    let results = index.search(paste, 10).unwrap();
    let hit = |id| results.hits.iter().find(|h| h.id == id).unwrap();
    let kinds: Vec<(SignalKind, &str)> = hit(1)
        .signals
        .iter()
        .map(|s| (s.kind, s.text.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (SignalKind::Exception, "UnknownHostException"),
            (SignalKind::Frame, "ResourceManager.serviceInit"),
            (
                SignalKind::Message,
                "Could not resolve the host name for job …"
            ),
            (SignalKind::Service, "ResourceManager"),
        ]
    );
    assert_eq!(
        hit(1).signals_line(),
        "Same exception: UnknownHostException; Same frame: ResourceManager.serviceInit; \
         Same message: Could not resolve the host name for job …; Same service: ResourceManager"
    );
    // Sharing words ("host", "job") is no signal.
    assert!(hit(2).signals.is_empty(), "{:?}", hit(2).signals);
}
