//! The records every format's round-trip tests start from: one with every
//! field set, and texts chosen to break naive front matter, YAML or line
//! handling.

use kb_domain::record::{
    ActionItem, Cause, ConfidenceStep, Evidence, Hypothesis, Learning, Link, MitigationAttempt,
    Parts, TimelineEntry, Why,
};
use kb_domain::PostmortemInput;

/// Every field set, several rows in every list.
pub(crate) fn full_record() -> PostmortemInput {
    PostmortemInput {
        external_id: Some("demo-redis-warmup".into()),
        title: "Checkout fails every 20 minutes".into(),
        severity: Some("SEV2".into()),
        date: Some("2024-03-15".into()),
        summary: "A cache **warming** job saturated Redis.".into(),
        impact: "Checkout failed for 8% of users.".into(),
        root_cause: "The warm-up job ran on the shared cluster.".into(),
        mitigation: "Moved the job to its own cluster.".into(),
        services: vec!["checkout".into(), "redis".into()],
        labels: vec!["capacity/cache".into(), "batch".into()],
        url: Some("https://wiki.example.com/pm/17".into()),
        parts: Parts {
            status: "published".into(),
            teams: vec!["payments".into(), "platform".into()],
            authors: vec!["Ana".into(), "Bo".into()],
            started_at: Some("2024-03-15T14:00:00Z".into()),
            detected_at: Some("2024-03-15T14:12:00Z".into()),
            mitigated_at: Some("2024-03-15T15:05:00Z".into()),
            resolved_at: Some("2024-03-16T09:00:00Z".into()),
            users_affected: Some(1_200),
            requests_failed: Some(48_000),
            money_lost: Some(0),
            currency: Some("EUR".into()),
            narrative: "## What happened\n\nAt 14:00 the first alert fired.\n\n---\n\ntitle: not front matter\n---\n".into(),
            timeline: vec![
                TimelineEntry {
                    at: "T+00:00".into(),
                    kind: "alert".into(),
                    text: "p99 latency above 2 s".into(),
                    who: "pagerduty".into(),
                },
                TimelineEntry {
                    at: "2024-03-15T14:12:00Z".into(),
                    kind: "observation".into(),
                    text: "Redis CPU at 100%".into(),
                    who: "Ana".into(),
                },
                TimelineEntry {
                    at: "T+1:05:00".into(),
                    kind: "action".into(),
                    text: "Paused the warm-up job".into(),
                    who: "Bo".into(),
                },
            ],
            evidence: vec![
                Evidence {
                    kind: "log".into(),
                    caption: "checkout errors".into(),
                    body: "  2024-03-15T14:00:01Z ERROR\ttimeout\n\n    at pool.get()\n\n".into(),
                },
                Evidence {
                    kind: "config_diff".into(),
                    caption: "the fix".into(),
                    body: "- cluster: shared\n+ cluster: warmup\n".into(),
                },
            ],
            hypotheses: vec![
                Hypothesis {
                    statement: "Redis is saturated".into(),
                    confidence: vec![
                        ConfidenceStep {
                            value: 40,
                            note: "CPU graph".into(),
                            ..Default::default()
                        },
                        ConfidenceStep {
                            value: 90,
                            note: "slowlog shows SCAN".into(),
                            by: "dana".into(),
                        },
                    ],
                    evidence_for: "slowlog".into(),
                    evidence_against: "memory is fine".into(),
                    outcome: "confirmed".into(),
                },
                Hypothesis {
                    statement: "A bad deploy".into(),
                    confidence: vec![ConfidenceStep::default()],
                    evidence_for: String::new(),
                    evidence_against: "no deploy that day".into(),
                    outcome: "refuted".into(),
                },
            ],
            whys: (1..=5)
                .map(|i| Why {
                    question: format!("Why {i}?"),
                    answer: format!("Because {i}."),
                    actionable: i % 2 == 0,
                })
                .collect(),
            causes: vec![
                Cause {
                    level: "immediate".into(),
                    statement: "SCAN over 40M keys".into(),
                    confidence: Some(95),
                    evidence: "slowlog".into(),
                    prevents: "yes".into(),
                },
                Cause {
                    level: "systemic".into(),
                    statement: "No separation of batch and online load".into(),
                    confidence: None,
                    evidence: String::new(),
                    prevents: String::new(),
                },
            ],
            mitigations: vec![
                MitigationAttempt {
                    action: "Restarted Redis".into(),
                    result: "failed".into(),
                    note: "came back in 20 minutes".into(),
                },
                MitigationAttempt {
                    action: "Paused the job".into(),
                    result: "worked".into(),
                    note: String::new(),
                },
            ],
            learnings: vec![
                Learning {
                    kind: "pattern".into(),
                    title: "Periodic saturation from a batch job".into(),
                    text: "Look at the period.".into(),
                    symptoms: "errors every N minutes".into(),
                    root_cause: "a scheduled job".into(),
                    detection: "correlate with cron".into(),
                    resolution: "isolate the job".into(),
                },
                Learning {
                    kind: "process".into(),
                    title: "Review batch jobs".into(),
                    text: "Every new job gets a capacity review.".into(),
                    ..Learning::default()
                },
            ],
            action_items: vec![
                ActionItem {
                    id: Some(31),
                    title: "Own cluster for warm-up".into(),
                    owner: "Bo".into(),
                    due: Some("2024-04-01".into()),
                    priority: "high".into(),
                    status: "done".into(),
                    kind: "prevent".into(),
                    tracker: "OPS-123".into(),
                    expected_effect: "no shared load".into(),
                },
                ActionItem {
                    id: None,
                    title: "Alert on Redis CPU".into(),
                    owner: String::new(),
                    due: None,
                    priority: "medium".into(),
                    status: "open".into(),
                    kind: "detect".into(),
                    tracker: "https://tracker.example.com/OPS-124".into(),
                    expected_effect: String::new(),
                },
            ],
            links: vec![
                Link {
                    target: "demo-payment-timeout".into(),
                    kind: "earlier_occurrence".into(),
                    note: "same pool".into(),
                },
                Link {
                    target: "#3".into(),
                    kind: "related".into(),
                    note: String::new(),
                },
            ],
            access: kb_domain::accounts::Access {
                private: true,
                users: vec!["Ana".into()],
                groups: vec!["incident-leads".into()],
            },
        },
    }
}

/// Texts that break naive front matter, YAML or line handling.
pub(crate) fn adversarial_strings() -> Vec<String> {
    let mut out: Vec<String> = [
        "",
        " ",
        "\n",
        "\n\n",
        "\t",
        "---",
        "--- ",
        "...",
        "---\ntitle: injected\n---\n",
        "---\n---\n---",
        "text\n---\nmore\n---\n",
        "  leading spaces\n\ttab\n\n\ntrailing newlines\n\n",
        "trailing spaces   \nline  ",
        "\n\nstarts with blank lines",
        "ends with spaces and newline  \n",
        "ünïcødé 🚨 ошибка 中文 \u{200b}zero-width",
        "null",
        "~",
        "true",
        "yes",
        "no",
        "on",
        "0x1F",
        "1e3",
        "012",
        "1_000",
        ".inf",
        "-.5",
        "2024-03-15",
        "14:32",
        "key: value",
        "- item",
        "# comment",
        "&anchor",
        "*alias",
        "!tag",
        "%YAML 1.2",
        "|",
        ">",
        "'single'",
        "\"double\"",
        "{a: b}",
        "[a, b]",
        "@at",
        "`tick`",
        "<<: *merge",
        "\r\nCRLF\r\n",
        "lone\rcr",
        "\u{85}next line",
        "\u{2028}line sep\u{2029}para sep",
        "\u{1b}[31mred\u{1b}[0m",
        "\u{0}nul \u{7}bell",
        "\u{feff}bom",
        "\u{fffe}\u{ffff}",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    out.push("x".repeat(5_000));
    out.push("word ".repeat(400));
    out
}
