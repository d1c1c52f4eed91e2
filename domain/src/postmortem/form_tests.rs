//! The editor's fields: round trips, sections, checkboxes, gaps, bounds
//! and errors.

use super::*;
use crate::record::TimelineEntry;

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

/// Every field set, two rows in each list, in the import format.
const FULL: &str = r##"{
  "id": "ext-1", "title": " Checkout timeouts ", "severity": "SEV2", "date": "2024-03-01",
  "summary": "# Summary\n\ntext", "impact": "users could not pay",
  "root_cause": "pool too small", "mitigation": "restarted",
  "services": ["checkout", "payments"], "labels": ["capacity/pool", "db"],
  "url": "https://example.com/pm",
  "status": "in_review", "teams": ["sre", "payments"], "authors": ["ada", "bob"],
  "started_at": "2024-03-01T10:00", "detected_at": "2024-03-01T10:05",
  "mitigated_at": "2024-03-01T10:30", "resolved_at": "2024-03-01T12:00",
  "users_affected": 1200, "requests_failed": -3, "money_lost": 5000, "currency": "EUR",
  "narrative": "It began...",
  "timeline": [
    {"at": "T+00:00", "kind": "alert", "text": "  paged\n", "who": "ada"},
    {"at": "T+05:00", "kind": "action", "text": "restarted", "who": "bob"}
  ],
  "evidence": [
    {"kind": "log", "caption": "pool exhausted", "body": "ERROR pool\n  at x"},
    {"kind": "metric", "caption": "p99", "body": "p99=30s"}
  ],
  "hypotheses": [
    {"statement": "cache", "outcome": "rejected", "evidence_for": "f", "evidence_against": "a",
     "confidence": [{"value": 31, "note": "first look"}, {"value": 5, "note": "no"}]},
    {"statement": "pool", "outcome": "confirmed", "evidence_for": "logs", "evidence_against": "",
     "confidence": [{"value": 32, "note": "first look", "by": "ada"}, {"value": 90, "note": "logs agree", "by": "lee"}]}
  ],
  "whys": [
    {"question": "Why slow?", "answer": "pool", "actionable": true},
    {"question": "Why pool?", "answer": "config", "actionable": false}
  ],
  "causes": [
    {"level": "technical", "statement": "pool size 5", "confidence": 80, "evidence": "graphs",
     "prevents": "yes"},
    {"level": "process", "statement": "no load test", "confidence": null, "evidence": "",
     "prevents": ""}
  ],
  "mitigations": [
    {"action": "restart", "result": "helped", "note": "briefly"},
    {"action": "scale", "result": "fixed", "note": ""}
  ],
  "learnings": [
    {"kind": "pattern", "title": "Pool starvation", "text": "t", "symptoms": "timeouts",
     "root_cause": "small pool", "detection": "pool metric", "resolution": "bigger pool"},
    {"kind": "went_well", "title": "Fast page", "text": "", "symptoms": "", "root_cause": "",
     "detection": "", "resolution": ""}
  ],
  "action_items": [
    {"id": 42, "title": "Alert on pool", "owner": "ada", "due": "2024-04-01", "priority": "high",
     "status": "open", "kind": "detect", "tracker": "OPS-1", "expected_effect": "earlier page"},
    {"title": "Load test", "owner": "", "due": null, "priority": "", "status": "", "kind": "",
     "tracker": "", "expected_effect": ""}
  ],
  "links": [
    {"target": "#12", "kind": "related", "note": "same pool"},
    {"target": "aws-10", "kind": "recurrence", "note": ""}
  ],
  "access": {"private": true, "users": ["ada", "bob"], "groups": ["sre"]}
}"##;

fn full() -> PostmortemInput {
    let input: PostmortemInput = serde_json::from_str(FULL).unwrap();
    // Every field is in FULL, spelled right: serializing gives FULL again.
    let written = serde_json::to_value(&input).unwrap();
    let fixture: serde_json::Value = serde_json::from_str(FULL).unwrap();
    assert_eq!(written, fixture);
    input
}

/// `original` → fields → a cleared copy → fields applied.
fn round_trip(original: &PostmortemInput) -> PostmortemInput {
    let fields = to_fields(original);
    let mut edited = original.clone();
    clear_all(&mut edited);
    apply_fields(&mut edited, &fields).unwrap();
    edited
}

#[test]
fn a_full_input_survives_the_form() {
    let original = full();
    assert_eq!(round_trip(&original), original);

    // Applied to a fresh input, everything but the fields the form lacks.
    let mut fresh = PostmortemInput::default();
    apply_fields(&mut fresh, &to_fields(&original)).unwrap();
    fresh.external_id = original.external_id.clone();
    fresh.date = original.date.clone();
    fresh.url = original.url.clone();
    assert_eq!(fresh, original);
}

#[test]
fn clear_all_keeps_only_what_the_form_does_not_show() {
    let mut cleared = full();
    clear_all(&mut cleared);
    let expected = PostmortemInput {
        external_id: Some("ext-1".into()),
        date: Some("2024-03-01".into()),
        url: Some("https://example.com/pm".into()),
        ..Default::default()
    };
    assert_eq!(cleared, expected);
}

#[test]
fn lists_come_back_as_split_list_reads_them() {
    let mut original = full();
    original.services = vec![" checkout ".into(), String::new(), "payments".into()];
    original.parts.access.groups = vec!["a, b".into()];
    let back = round_trip(&original);

    let mut expected = original.clone();
    expected.services = split_list(&original.services.join(", "));
    expected.parts.access.groups = vec!["a".into(), "b".into()];
    assert_eq!(expected.services, ["checkout", "payments"]);
    assert_eq!(back, expected);
}

#[test]
fn to_fields_writes_checkboxes_options_and_steps_as_the_form_does() {
    let mut input = full();
    input.parts.access.private = false;
    input.severity = None;
    let fields = to_fields(&input);
    let value = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(fields[0], ("title".into(), " Checkout timeouts ".into()));
    assert_eq!(value("access.private"), None);
    assert_eq!(value("whys.0.actionable"), Some("on"));
    assert_eq!(value("whys.1.actionable"), None);
    assert_eq!(value("severity"), Some(""));
    assert_eq!(value("services"), Some("checkout, payments"));
    assert_eq!(value("causes.1.confidence"), Some(""));
    assert_eq!(value("hypotheses.1.confidence.0"), Some("32"));
    assert_eq!(value("hypotheses.1.confidence.1.note"), Some("logs agree"));
    assert_eq!(value("action_items.0.id"), Some("42"));
    assert_eq!(value("action_items.1.due"), Some(""));
    // Scalars come before rows.
    let last_scalar = fields.iter().position(|(n, _)| n == "access.groups");
    let first_row = fields.iter().position(|(n, _)| n.starts_with("timeline."));
    assert!(last_scalar < first_row);
}

#[test]
fn clearing_one_section_leaves_the_others() {
    let original = full();
    let timeline_fields: Vec<_> = to_fields(&original)
        .into_iter()
        .filter(|(n, _)| n.starts_with("timeline."))
        .take(4)
        .collect();
    let mut edited = original.clone();
    assert!(clear_section(&mut edited, "timeline"));
    apply_fields(&mut edited, &timeline_fields).unwrap();

    let mut expected = original.clone();
    expected.parts.timeline.truncate(1);
    assert_eq!(edited, expected);
}

#[test]
fn causes_and_mitigations_own_their_markdown_fields() {
    let mut input = full();
    assert!(clear_section(&mut input, "causes"));
    assert_eq!(input.root_cause, "");
    assert!(input.parts.causes.is_empty());
    assert_eq!(input.mitigation, "restarted");

    assert!(clear_section(&mut input, "mitigations"));
    assert_eq!(input.mitigation, "");
    assert!(input.parts.mitigations.is_empty());
}

#[test]
fn an_unknown_anchor_changes_nothing() {
    let mut input = full();
    assert!(!clear_section(&mut input, "footer"));
    assert!(!clear_section(&mut input, ""));
    assert_eq!(input, full());
    for anchor in SECTIONS {
        assert!(clear_section(&mut input, anchor), "{anchor}");
    }
}

#[test]
fn an_unchecked_box_posts_nothing_and_reads_false() {
    let mut input = full();
    assert!(input.parts.access.private && input.parts.whys[0].actionable);
    clear_section(&mut input, "access");
    clear_section(&mut input, "whys");
    let fields = pairs(&[("access.users", "ada"), ("whys.0.question", "Why?")]);
    apply_fields(&mut input, &fields).unwrap();
    assert!(!input.parts.access.private);
    assert!(!input.parts.whys[0].actionable);

    let fields = pairs(&[("access.private", "on"), ("whys.0.actionable", "true")]);
    apply_fields(&mut input, &fields).unwrap();
    assert!(input.parts.access.private);
    assert!(input.parts.whys[0].actionable);

    apply_fields(&mut input, &pairs(&[("access.private", "false")])).unwrap();
    assert!(!input.parts.access.private);
    let errors = apply_fields(&mut input, &pairs(&[("access.private", "yes")])).unwrap_err();
    assert!(errors.for_field("access.private").is_some());
    assert!(!input.parts.access.private);
}

#[test]
fn a_gap_in_the_rows_becomes_default_rows() {
    let mut input = PostmortemInput::default();
    apply_fields(&mut input, &pairs(&[("timeline.2.at", "T+01:00")])).unwrap();
    assert_eq!(input.parts.timeline.len(), 3);
    assert_eq!(input.parts.timeline[0], TimelineEntry::default());
    assert_eq!(input.parts.timeline[1], TimelineEntry::default());
    assert_eq!(input.parts.timeline[2].at, "T+01:00");

    let steps = pairs(&[("hypotheses.1.confidence.1.note", "later")]);
    apply_fields(&mut input, &steps).unwrap();
    assert_eq!(input.parts.hypotheses.len(), 2);
    assert_eq!(input.parts.hypotheses[1].confidence.len(), 2);
    assert_eq!(input.parts.hypotheses[1].confidence[0].value, 0);
    assert_eq!(input.parts.hypotheses[1].confidence[1].note, "later");
}

/// Applies `bad` between two good pairs: the error is under `field`, and
/// both good pairs still apply.
fn rejects(bad: (&str, &str), field: &str, message: &str) -> PostmortemInput {
    let mut input = PostmortemInput::default();
    let fields = pairs(&[("title", "kept"), bad, ("summary", "also kept")]);
    let errors = apply_fields(&mut input, &fields).unwrap_err();
    assert_eq!(errors.0.len(), 1, "{bad:?}: {errors}");
    assert_eq!(errors.for_field(field), Some(message), "{bad:?}: {errors}");
    assert_eq!(input.title, "kept");
    assert_eq!(input.summary, "also kept");
    input
}

#[test]
fn bad_pairs_are_reported_and_the_rest_applies() {
    let rows = "at most 500 rows";
    for name in ["timeline.500.at", "timeline.01.at", "timeline.-1.at"] {
        let input = rejects((name, "T+00:00"), "timeline", rows);
        assert!(input.parts.timeline.is_empty(), "{name}");
    }
    let huge = rejects(("links.99999999999999999999999.note", "x"), "links", rows);
    assert!(huge.parts.links.is_empty());
    rejects(("timeline.+1.at", "x"), "timeline", rows);
    rejects(("timeline..at", "x"), "timeline", rows);

    let input = rejects(
        ("hypotheses.0.confidence.20", "50"),
        "hypotheses.0.confidence",
        "at most 20 steps",
    );
    assert!(input.parts.hypotheses.is_empty());
    rejects(
        ("hypotheses.3.confidence.x.note", "n"),
        "hypotheses.3.confidence",
        "at most 20 steps",
    );

    let whole = "must be a whole number";
    let input = rejects(("users_affected", "12k"), "users_affected", whole);
    assert_eq!(input.parts.users_affected, None);
    rejects(
        ("causes.0.confidence", "high"),
        "causes.0.confidence",
        whole,
    );
    rejects(
        ("hypotheses.0.confidence.1", "1.5"),
        "hypotheses.0.confidence.1",
        whole,
    );

    rejects(("nonsense", "x"), "form", "unknown field: nonsense");
    let input = rejects(
        ("timeline.0.colour", "red"),
        "form",
        "unknown field: timeline.0.colour",
    );
    assert!(input.parts.timeline.is_empty());
    rejects(("timeline.0", "x"), "form", "unknown field: timeline.0");
    rejects(("access.owner", "x"), "form", "unknown field: access.owner");
    rejects(("title.x", "x"), "form", "unknown field: title.x");

    for id in ["0", "-4", "four"] {
        let input = rejects(
            ("action_items.0.id", id),
            "action_items.0.id",
            "must be a positive whole number",
        );
        assert!(input.parts.action_items.is_empty());
    }
}

#[test]
fn an_unknown_name_is_cut_short_in_its_message() {
    let name = "é".repeat(300);
    let errors = apply_fields(&mut PostmortemInput::default(), &pairs(&[(&name, "")])).unwrap_err();
    let message = errors.for_field("form").unwrap();
    assert_eq!(message, format!("unknown field: {}", "é".repeat(100)));
}

#[test]
fn numbers_and_options_read_blank_as_nothing() {
    let mut input = full();
    let fields = pairs(&[
        ("users_affected", " 7 "),
        ("money_lost", ""),
        ("severity", "  "),
        ("started_at", "  2024-03-01T10:00 "),
        ("currency", ""),
        ("causes.0.confidence", " "),
        ("action_items.0.id", ""),
        ("action_items.0.due", " "),
        ("hypotheses.0.confidence.0", ""),
    ]);
    apply_fields(&mut input, &fields).unwrap();
    let p = &input.parts;
    assert_eq!(p.users_affected, Some(7));
    assert_eq!(p.money_lost, None);
    assert_eq!(input.severity, None);
    assert_eq!(p.started_at.as_deref(), Some("  2024-03-01T10:00 "));
    assert_eq!(p.currency, None);
    assert_eq!(p.causes[0].confidence, None);
    assert_eq!(p.action_items[0].id, None);
    assert_eq!(p.action_items[0].due, None);
    assert_eq!(p.hypotheses[0].confidence[0].value, 0);
}

#[test]
fn the_last_pair_with_a_name_wins() {
    let mut input = PostmortemInput::default();
    let fields = pairs(&[
        ("title", "first"),
        ("services", "a, b"),
        ("title", "second"),
        ("timeline.0.at", "T+00:00"),
        ("services", "c"),
        ("timeline.0.at", "T+09:00"),
        ("access.private", "on"),
        ("access.private", ""),
    ]);
    apply_fields(&mut input, &fields).unwrap();
    assert_eq!(input.title, "second");
    assert_eq!(input.services, ["c"]);
    assert_eq!(input.parts.timeline.len(), 1);
    assert_eq!(input.parts.timeline[0].at, "T+09:00");
    assert!(!input.parts.access.private);
}
