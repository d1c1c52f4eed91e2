//! Names, clock, per-row field errors and durations of the parts.

use super::*;
use crate::postmortem::ValidationErrors;

#[test]
fn enums_forgive_spelling_and_refuse_the_unknown() {
    assert_eq!(
        WriteupStatus::parse("In review"),
        Some(WriteupStatus::InReview)
    );
    assert_eq!(
        WriteupStatus::parse("IN-REVIEW"),
        Some(WriteupStatus::InReview)
    );
    assert_eq!(WriteupStatus::parse("shipped"), None);
    let parts = Parts {
        status: "shipped".into(),
        ..Parts::default()
    };
    let mut errors = ValidationErrors::default();
    parts.validate(&mut errors);
    assert!(errors
        .for_field("status")
        .unwrap()
        .contains("draft, in_review, published"));
}

#[test]
fn times_normalize_and_relative_times_sort_from_the_start() {
    assert_eq!(
        normalize_datetime("2024-03-15 14:32").as_deref(),
        Some("2024-03-15T14:32:00Z")
    );
    assert_eq!(
        normalize_datetime("2024-03-15T14:32:09Z").as_deref(),
        Some("2024-03-15T14:32:09Z")
    );
    assert_eq!(normalize_datetime("2024-03-15 25:00"), None);
    assert_eq!(relative_seconds("T+05:30"), Some(330));
    assert_eq!(relative_seconds("T+1:02:03"), Some(3_723));
    assert_eq!(relative_seconds("T+5:60"), None);
    let parts = Parts {
        started_at: Some("2024-03-15 14:00".into()),
        timeline: vec![
            TimelineEntry {
                at: "2024-03-15 14:20".into(),
                text: "third".into(),
                ..Default::default()
            },
            TimelineEntry {
                at: "T+5:00".into(),
                text: "second".into(),
                ..Default::default()
            },
            TimelineEntry {
                at: "2024-03-15 14:01".into(),
                text: "first".into(),
                ..Default::default()
            },
        ],
        ..Parts::default()
    };
    let mut errors = ValidationErrors::default();
    let out = parts.validate(&mut errors);
    assert!(errors.is_empty(), "{errors}");
    let texts: Vec<_> = out.timeline.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(texts, ["first", "second", "third"]);
    assert_eq!(out.timeline[1].at, "T+05:00");
    assert_eq!(out.timeline[1].kind, "observation");
}

#[test]
fn each_part_reports_its_own_field() {
    let parts = Parts {
        started_at: Some("2024-03-15 14:00".into()),
        resolved_at: Some("2024-03-15 13:00".into()),
        hypotheses: vec![Hypothesis {
            statement: "pool exhausted".into(),
            confidence: vec![
                ConfidenceStep {
                    value: 70,
                    note: String::new(),
                    ..Default::default()
                },
                ConfidenceStep {
                    value: 140,
                    note: String::new(),
                    ..Default::default()
                },
            ],
            ..Default::default()
        }],
        action_items: vec![ActionItem {
            title: "add alert".into(),
            status: "finished".into(),
            due: Some("next week".into()),
            ..Default::default()
        }],
        learnings: vec![Learning {
            kind: "pattern".into(),
            title: "Retry storm".into(),
            ..Default::default()
        }],
        ..Parts::default()
    };
    let mut errors = ValidationErrors::default();
    parts.validate(&mut errors);
    assert_eq!(
        errors.for_field("resolved_at"),
        Some("it cannot be resolved before it started")
    );
    assert!(errors
        .for_field("hypotheses.0.confidence.1")
        .unwrap()
        .contains("0 to 100"));
    assert!(errors.for_field("hypotheses.0.confidence.0").is_none());
    assert!(errors
        .for_field("action_items.0.status")
        .unwrap()
        .contains("wont_do"));
    assert!(errors.for_field("action_items.0.due").is_some());
    assert!(errors.for_field("learnings.0.symptoms").is_some());
}

#[test]
fn durations_count_minutes_from_the_start() {
    let parts = Parts {
        started_at: Some("2024-03-15T14:00:00Z".into()),
        detected_at: Some("2024-03-15T14:12:00Z".into()),
        resolved_at: Some("2024-03-15T16:35:00Z".into()),
        ..Parts::default()
    };
    let d = parts.durations();
    assert_eq!(d.to_detect, Some(12));
    assert_eq!(d.to_mitigate, None);
    assert_eq!(format_minutes(d.to_resolve.unwrap()), "2 h 35 min");
    assert_eq!(epoch_seconds("1970-01-02T00:00:00Z"), Some(86_400));
}

#[test]
fn the_clock_runs_forwards() {
    let check = |started: &str, detected: &str, mitigated: &str, resolved: &str| {
        let given = |v: &str| (!v.is_empty()).then(|| v.to_string());
        let parts = Parts {
            started_at: given(started),
            detected_at: given(detected),
            mitigated_at: given(mitigated),
            resolved_at: given(resolved),
            ..Parts::default()
        };
        let mut errors = ValidationErrors::default();
        parts.validate(&mut errors);
        ["detected_at", "mitigated_at", "resolved_at"]
            .map(|f| errors.for_field(f).map(str::to_string))
    };
    // Resolved before detected, with no start or mitigation to compare.
    assert_eq!(
        check("", "2024-03-15 14:10", "", "2024-03-15 14:05"),
        [
            None,
            None,
            Some("it cannot be resolved before it was detected".into())
        ]
    );
    // Before the start is reported first, once.
    assert_eq!(
        check(
            "2024-03-15 14:00",
            "2024-03-15 14:10",
            "",
            "2024-03-15 13:00"
        ),
        [
            None,
            None,
            Some("it cannot be resolved before it started".into())
        ]
    );
    assert_eq!(
        check("", "", "2024-03-15 14:30", "2024-03-15 14:20"),
        [
            None,
            None,
            Some("it cannot be resolved before it was mitigated".into())
        ]
    );
    // A failover may mitigate before anyone detects; equal times are fine.
    assert_eq!(
        check(
            "2024-03-15 14:00",
            "2024-03-15 14:10",
            "2024-03-15 14:05",
            "2024-03-15 14:10"
        ),
        [None, None, None]
    );
    // To the minute, as typed: an alert detected at 14:10:23, resolved
    // "14:10".
    assert_eq!(
        check("", "2024-03-15T14:10:23Z", "", "2024-03-15 14:10"),
        [None, None, None]
    );
    assert_eq!(
        check("2024-03-15 14:00", "2024-03-15 13:59", "", ""),
        [
            Some("it cannot be detected before it started".into()),
            None,
            None
        ]
    );
}
