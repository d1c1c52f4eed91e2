//! A postmortem with every part of the record filled, and the small ones
//! the record tests build around it; used by `record.rs`.

use kb_domain::record::{
    ActionItem, Cause, ConfidenceStep, Evidence, Hypothesis, Learning, Link, MitigationAttempt,
    Parts, TimelineEntry, Why,
};
use kb_domain::{NewPostmortem, PostmortemInput};

pub fn plain(title: &str, external_id: Option<&str>) -> NewPostmortem {
    PostmortemInput {
        external_id: external_id.map(str::to_string),
        title: title.into(),
        severity: Some("SEV3".into()),
        date: Some("2024-01-10".into()),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

pub fn item(title: &str, status: &str) -> ActionItem {
    ActionItem {
        title: title.into(),
        owner: "dana".into(),
        due: Some("2024-04-01".into()),
        priority: "high".into(),
        status: status.into(),
        kind: "prevent".into(),
        tracker: "OPS-12".into(),
        expected_effect: "no more pool exhaustion".into(),
        ..Default::default()
    }
}

/// Every part filled, several rows each, validated as the service would.
pub fn full(links: Vec<Link>) -> NewPostmortem {
    PostmortemInput {
        external_id: Some("demo-pool".into()),
        title: "Checkout pool exhausted".into(),
        severity: Some("SEV2".into()),
        summary: "The **pool** ran dry.".into(),
        impact: "Checkout failed for 40 minutes.".into(),
        root_cause: "A retry storm.".into(),
        mitigation: "Raised the pool size.".into(),
        services: vec!["checkout".into(), "payments".into()],
        labels: vec!["capacity/pool".into()],
        url: Some("https://wiki.example/pm/1".into()),
        parts: Parts {
            status: "in review".into(),
            teams: vec!["Payments".into(), "SRE".into()],
            authors: vec!["alice".into(), "bob".into()],
            started_at: Some("2024-03-15 14:00".into()),
            detected_at: Some("2024-03-15 14:12".into()),
            mitigated_at: Some("2024-03-15 14:40".into()),
            resolved_at: Some("2024-03-15 16:35".into()),
            users_affected: Some(12_000),
            requests_failed: Some(48_311),
            money_lost: Some(9_500),
            currency: Some("eur".into()),
            narrative: "It began with a deploy.".into(),
            timeline: vec![
                TimelineEntry {
                    at: "2024-03-15 14:12".into(),
                    kind: "alert".into(),
                    text: "p99 latency alert".into(),
                    who: "pager".into(),
                },
                TimelineEntry {
                    at: "T+2:00".into(),
                    kind: "action".into(),
                    text: "rolled back the deploy".into(),
                    who: "alice".into(),
                },
                TimelineEntry {
                    at: "2024-03-15 14:40".into(),
                    kind: "decision".into(),
                    text: "raise the pool".into(),
                    who: String::new(),
                },
            ],
            evidence: vec![
                Evidence {
                    kind: "log".into(),
                    caption: "pool errors".into(),
                    body: "  ERROR pool timeout\n\tat Pool.get()\n".into(),
                },
                Evidence {
                    kind: "config diff".into(),
                    caption: "the change".into(),
                    body: "-max=50\n+max=10".into(),
                },
            ],
            hypotheses: vec![
                Hypothesis {
                    statement: "the pool is too small".into(),
                    confidence: vec![
                        ConfidenceStep {
                            value: 40,
                            note: "first guess".into(),
                            ..Default::default()
                        },
                        ConfidenceStep {
                            value: 90,
                            note: "the diff".into(),
                            by: "dana".into(),
                        },
                    ],
                    evidence_for: "errors say timeout".into(),
                    evidence_against: String::new(),
                    outcome: "confirmed".into(),
                },
                Hypothesis {
                    statement: "the database is slow".into(),
                    confidence: vec![ConfidenceStep {
                        value: 10,
                        note: String::new(),
                        ..Default::default()
                    }],
                    evidence_for: String::new(),
                    evidence_against: "db p99 flat".into(),
                    outcome: "refuted".into(),
                },
            ],
            whys: vec![
                Why {
                    question: "Why did checkout fail?".into(),
                    answer: "No connections.".into(),
                    actionable: false,
                },
                Why {
                    question: "Why no connections?".into(),
                    answer: "The pool shrank.".into(),
                    actionable: true,
                },
            ],
            causes: vec![
                Cause {
                    level: "immediate".into(),
                    statement: "pool max lowered to 10".into(),
                    confidence: Some(95),
                    evidence: "the diff".into(),
                    prevents: "partly".into(),
                },
                Cause {
                    level: "systemic".into(),
                    statement: "config changes skip review".into(),
                    confidence: None,
                    evidence: String::new(),
                    prevents: String::new(),
                },
            ],
            mitigations: vec![
                MitigationAttempt {
                    action: "restart".into(),
                    result: "failed".into(),
                    note: String::new(),
                },
                MitigationAttempt {
                    action: "raise the pool".into(),
                    result: "worked".into(),
                    note: "immediately".into(),
                },
            ],
            learnings: vec![
                Learning {
                    kind: "pattern".into(),
                    title: "Shrunken pool".into(),
                    symptoms: "timeouts under normal load".into(),
                    root_cause: "a config change".into(),
                    detection: "pool wait time".into(),
                    resolution: "restore the size".into(),
                    ..Default::default()
                },
                Learning {
                    kind: "process".into(),
                    title: "Review config".into(),
                    text: "Treat config as code.".into(),
                    ..Default::default()
                },
            ],
            action_items: vec![
                item("alert on pool wait", "open"),
                item("review config changes", "in progress"),
                item("load test", "open"),
            ],
            links,
            access: Default::default(),
        },
        ..Default::default()
    }
    .validate()
    .unwrap()
}

pub fn earlier_link(target: &str) -> Link {
    Link {
        target: target.into(),
        kind: "earlier occurrence".into(),
        note: "same pool".into(),
    }
}

/// The content with action item ids forgotten, for comparing a save with
/// what was sent.
pub fn without_ids(mut n: NewPostmortem) -> NewPostmortem {
    for item in &mut n.parts.action_items {
        item.id = None;
    }
    n
}

pub fn item_ids(n: &NewPostmortem) -> Vec<i64> {
    n.parts
        .action_items
        .iter()
        .map(|i| i.id.expect("a stored item has an id"))
        .collect()
}
