//! The header's rules: required fields, dates, names, links, the import shape.

use super::*;

fn valid() -> PostmortemInput {
    PostmortemInput {
        title: "Checkout timeouts".into(),
        severity: Some("SEV2".into()),
        ..Default::default()
    }
}

#[test]
fn accepts_a_minimal_incident() {
    let ok = valid().validate().unwrap();
    assert_eq!(ok.title, "Checkout timeouts");
    assert_eq!(ok.severity, Some(Severity::Sev2));
}

#[test]
fn empty_title_and_unknown_severity_are_field_errors() {
    let input = PostmortemInput {
        title: "   ".into(),
        severity: Some("SEV9".into()),
        ..Default::default()
    };
    let errs = input.validate().unwrap_err();
    assert_eq!(errs.for_field("title"), Some("a title is required"));
    assert!(errs.for_field("severity").unwrap().contains("SEV9"));
}

#[test]
fn a_title_as_long_as_a_jira_summary_fits() {
    let longest = PostmortemInput {
        title: "x".repeat(MAX_TITLE),
        ..valid()
    };
    assert!(longest.validate().is_ok());
    assert_eq!(MAX_TITLE, 255);
    let longer = PostmortemInput {
        title: "é".repeat(MAX_TITLE + 1),
        ..valid()
    };
    let errs = longer.validate().unwrap_err();
    assert_eq!(
        errs.for_field("title"),
        Some("keep the title under 255 characters")
    );
}

#[test]
fn authored_postmortems_need_a_severity() {
    let input = PostmortemInput {
        severity: None,
        ..valid()
    };
    assert!(input.validate().is_ok());
    let errs = input.validate_authored().unwrap_err();
    assert_eq!(errs.for_field("severity"), Some("choose a severity"));
}

#[test]
fn dates_must_exist() {
    for good in ["2024-02-29", "2012-10-22", "1999-12-31"] {
        assert!(is_calendar_date(good), "{good}");
    }
    for bad in [
        "2023-02-29",
        "2024-13-01",
        "2024-1-1",
        "yesterday",
        "2024-04-31",
    ] {
        assert!(!is_calendar_date(bad), "{bad}");
    }
}

#[test]
fn names_are_trimmed_and_deduplicated() {
    let input = PostmortemInput {
        services: vec![
            " payments ".into(),
            "Payments".into(),
            "".into(),
            "redis".into(),
        ],
        ..valid()
    };
    assert_eq!(
        input.validate().unwrap().services,
        vec!["payments", "redis"]
    );
}

#[test]
fn only_web_links() {
    let input = PostmortemInput {
        url: Some("javascript:alert(1)".into()),
        ..valid()
    };
    assert!(input.validate().unwrap_err().for_field("url").is_some());
}

#[test]
fn import_line_shape_deserializes() {
    let line =
        r#"{"id":"aws-1","title":"T","services":["EC2"],"labels":["a/b"],"date":"2012-10-22"}"#;
    let input: PostmortemInput = serde_json::from_str(line).unwrap();
    assert_eq!(input.external_id.as_deref(), Some("aws-1"));
    assert_eq!(input.validate().unwrap().services, vec!["EC2"]);
}
