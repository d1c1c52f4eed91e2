//! Filters in and out of the URL, patches, tracker links, days and marks.

use super::*;

#[test]
fn filters_round_trip_through_the_url_and_refuse_unknown_values() {
    let f = ActionFilters::from_pairs([
        ("status", "In progress"),
        ("owner", "dana lee"),
        ("due", "overdue"),
        ("recurred", "1"),
        ("page", "2"),
        ("junk", "x"),
    ]);
    let v = f.validate().unwrap();
    assert_eq!(v.status.as_deref(), Some("in_progress"));
    assert_eq!(
        v.query_string(),
        "?status=in_progress&owner=dana%20lee&due=overdue&recurred=1&page=2"
    );
    let back = ActionFilters::from_pairs(v.pairs().iter().map(|(k, v)| (*k, v.as_str())));
    assert_eq!(back, v);

    let bad = ActionFilters::from_pairs([("status", "finished"), ("kind", "fix"), ("due", "soon")])
        .validate()
        .unwrap_err();
    assert!(bad.for_field("status").unwrap().contains("finished"));
    assert!(bad.for_field("kind").unwrap().contains("mitigate"));
    assert!(bad.for_field("due").unwrap().contains("overdue"));
}

#[test]
fn a_patch_refuses_bad_status_dates_and_long_owners() {
    let bad = ActionPatch {
        version: 1,
        status: Some("closed".into()),
        owner: Some("x".repeat(101)),
        due: Some("2024-02-30".into()),
    }
    .validate()
    .unwrap_err();
    assert!(bad.for_field("status").is_some());
    assert!(bad.for_field("owner").is_some());
    assert!(bad.for_field("due").unwrap().contains("not a date"));
    let ok = ActionPatch {
        version: 3,
        status: Some("wont do".into()),
        owner: Some(" dana ".into()),
        due: Some("".into()),
    }
    .validate()
    .unwrap();
    assert_eq!(ok.status.as_deref(), Some("wont_do"));
    assert_eq!(ok.owner.as_deref(), Some("dana"));
}

#[test]
fn tracker_keys_become_links_under_a_base() {
    let base = Some("https://jira.example/browse/");
    assert_eq!(
        tracker_link("OPS-12", base).as_deref(),
        Some("https://jira.example/browse/OPS-12")
    );
    assert_eq!(tracker_link("OPS-12", None), None);
    assert_eq!(
        tracker_link("https://t.example/1", None).as_deref(),
        Some("https://t.example/1")
    );
    assert_eq!(tracker_link("", base), None);
}

#[test]
fn dates_and_marks() {
    assert_eq!(date_from_days(0), "1970-01-01");
    assert_eq!(add_days("2024-02-27", 3).as_deref(), Some("2024-03-01"));
    assert_eq!(add_days("2023-12-30", 6).as_deref(), Some("2024-01-05"));
    assert_eq!(
        recurrence_mark(Some("2024-03-01T10:00:00.000Z"), "2024-03-02T00:00:00Z"),
        RecurrenceMark::ClosedBefore
    );
    assert_eq!(
        recurrence_mark(Some("2024-03-03T10:00:00.000Z"), "2024-03-02T00:00:00Z"),
        RecurrenceMark::StillOpen
    );
    assert_eq!(
        recurrence_mark(None, "2024-03-02T00:00:00Z"),
        RecurrenceMark::StillOpen
    );
    assert_eq!(median(&mut [3.0, 1.0, 2.0, 10.0]), Some(2.5));
}
