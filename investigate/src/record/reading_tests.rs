//! A record read into lines: times, levels, sources and odd input.

use kb_domain::record::{Evidence, MitigationAttempt, TimelineEntry};

use super::*;
use crate::findings::{Finding, FindingKind};
use crate::level::Level;

fn entry(at: &str, kind: &str, text: &str, who: &str) -> TimelineEntry {
    TimelineEntry {
        at: at.to_string(),
        kind: kind.to_string(),
        text: text.to_string(),
        who: who.to_string(),
    }
}

fn evidence(caption: &str, body: &str) -> Evidence {
    Evidence {
        kind: "log".to_string(),
        caption: caption.to_string(),
        body: body.to_string(),
    }
}

fn record(started_at: Option<&str>, timeline: Vec<TimelineEntry>, bodies: Vec<Evidence>) -> Parts {
    Parts {
        started_at: started_at.map(str::to_string),
        timeline,
        evidence: bodies,
        ..Parts::default()
    }
}

/// The time of day each line of the reading was placed at, by number.
fn times(reading: &Reading) -> Vec<(usize, Option<String>)> {
    reading
        .lines
        .iter()
        .map(|l| (l.number, l.at.map(crate::findings::time_of_day)))
        .collect()
}

fn statements(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.statement.as_str()).collect()
}

#[test]
fn the_timeline_is_rendered_with_its_times_from_the_start() {
    let parts = record(
        Some("2024-04-12T15:02:00Z"),
        vec![
            entry(
                "2024-04-12T15:06",
                "alert",
                "`CheckoutErrorRateHigh` fired",
                "Alertmanager",
            ),
            entry(
                "T+15:00",
                "action",
                "Rolling restart of\nthe checkout service.",
                "Luis",
            ),
            entry("T+1:05:30", "observation", "Errors back", ""),
            entry(
                "T+16:00",
                "communication",
                "Told the CEO, errors already falling",
                "Hana",
            ),
        ],
        Vec::new(),
    );
    let reading = read_record(&parts);
    assert_eq!(
        reading.text,
        "2024-04-12T15:06:00Z `CheckoutErrorRateHigh` fired (Alertmanager)\n\
         2024-04-12T15:17:00Z Rolling restart of the checkout service. (Luis)\n\
         2024-04-12T16:07:30Z Errors back\n\
         2024-04-12T15:18:00Z Told the CEO, errors already falling (Hana)"
    );
    // The communication keeps its number but is no line.
    assert_eq!(
        times(&reading),
        [
            (1, Some("15:06:00".to_string())),
            (2, Some("15:17:00".to_string())),
            (3, Some("16:07:30".to_string())),
        ]
    );
    let levels: Vec<Option<Level>> = reading.lines.iter().map(|l| l.level).collect();
    assert_eq!(
        levels,
        [Some(Level::Error), Some(Level::Info), Some(Level::Info)]
    );
    assert_eq!(
        reading.lines[1].message,
        "Rolling restart of the checkout service."
    );
    assert_eq!(reading.lines[1].component, None);
    assert_eq!(
        reading.sources,
        [Source {
            name: "Timeline".to_string(),
            first: 1,
            len: 4
        }]
    );
}

#[test]
fn without_a_start_relative_entries_are_not_placed() {
    let parts = record(
        None,
        vec![
            entry("2024-04-12T15:06:00Z", "alert", "checkout failing", ""),
            entry("T+15:00", "action", "restarted checkout", ""),
            entry("soon", "action", "flushed the cache", ""),
        ],
        Vec::new(),
    );
    let reading = read_record(&parts);
    assert_eq!(
        times(&reading),
        [(1, Some("15:06:00".to_string())), (2, None), (3, None)]
    );
    assert!(reading
        .text
        .contains("\nT+15:00 restarted checkout\nsoon flushed the cache"));
}

#[test]
fn each_evidence_body_is_a_source_of_its_own() {
    let parts = record(
        Some("2024-01-15T09:32:15Z"),
        vec![entry(
            "2024-01-15T09:30:00Z",
            "action",
            "deployed payments v2.4.2",
            "",
        )],
        vec![
            evidence(
                "payment-service logs in the first minute, with request ids kept for tracing",
                "2024-01-15T09:32:15Z ERROR payments: connect timed out\n\n\
                 2024-01-15T09:32:18Z ERROR pool: connection pool exhausted",
            ),
            evidence("", ""),
            evidence("", "09:33:10 pages fired\n09:37:15 errors 45%"),
        ],
    );
    let reading = read_record(&parts);
    let names: Vec<(&str, usize, usize)> = reading
        .sources
        .iter()
        .map(|s| (s.name.as_str(), s.first, s.len))
        .collect();
    assert_eq!(
        names,
        [
            ("Timeline", 1, 1),
            ("Evidence 1: payment-service logs in the first minut…", 2, 3),
            ("Evidence 3", 5, 2),
        ]
    );
    assert_eq!(reading.text.lines().count(), 6);
    assert_eq!(reading.locate(1), Some(("Timeline", 1)));
    assert_eq!(reading.locate(4), Some((names[1].0, 3)));
    assert_eq!(reading.locate(6), Some(("Evidence 3", 2)));
    assert_eq!(reading.locate(0), None);
    assert_eq!(reading.locate(7), None);
    let mut cited = Cited {
        line: 6,
        text: "errors 45%".to_string(),
        source: String::new(),
    };
    reading.place(&mut cited);
    assert_eq!((cited.source.as_str(), cited.line), ("Evidence 3", 2));
    // Placed once: a placed citation is left as it is.
    reading.place(&mut cited);
    assert_eq!(cited.line, 2);
    // Times of day take the start's date, so they fall after the logs.
    let third: Vec<Option<i64>> = reading.lines[3..].iter().map(|l| l.at).collect();
    let logs = reading.lines[1].at.unwrap_or_default();
    assert!(
        third.iter().all(|at| at.is_some_and(|at| at > logs)),
        "{third:?}"
    );
}

#[test]
fn relative_evidence_counts_from_the_start() {
    let body = "T+00:30 checkout stalled\nT+20:30 checkout stalled";
    let started = read_record(&record(
        Some("2024-04-12T15:02:00Z"),
        Vec::new(),
        vec![evidence("", body)],
    ));
    assert_eq!(
        times(&started),
        [
            (1, Some("15:02:30".to_string())),
            (2, Some("15:22:30".to_string()))
        ]
    );
    let dated = entry("2024-04-12T15:06:00Z", "alert", "checkout failing", "");
    let unstarted = read_record(&record(None, vec![dated], vec![evidence("", body)]));
    assert_eq!(times(&unstarted)[1..], [(2, None), (3, None)]);
}

#[test]
fn a_block_without_levels_is_no_error_beside_a_timeline() {
    let stalls = "14:00:00 checkout stalled\n14:20:00 checkout stalled\n14:40:00 checkout stalled";
    let alone = investigate_record(&record(None, Vec::new(), vec![evidence("", stalls)]));
    // Alone, it reads as the paste would.
    assert_eq!(
        alone.investigation.findings[0].kind,
        FindingKind::Rhythm,
        "{:?}",
        alone.investigation.findings
    );
    let parts = record(
        Some("2024-03-08T13:50:00Z"),
        vec![entry(
            "2024-03-08T13:55:00Z",
            "observation",
            "checkout slow",
            "",
        )],
        vec![evidence("", stalls)],
    );
    let found = investigate_record(&parts);
    assert_eq!(
        statements(&found.investigation.findings),
        Vec::<&str>::new()
    );
    // Nor does it turn the timeline's lines into errors.
    assert_eq!(found.onsets, []);
}

#[test]
fn an_alert_entry_is_the_first_error_when_nothing_else_is() {
    let parts = record(
        Some("2024-01-15T09:30:00Z"),
        vec![
            entry(
                "T+00:00",
                "action",
                "payment-service v2.4.2 deployed",
                "pipeline",
            ),
            entry("T+02:15", "alert", "payments failing", "PagerDuty"),
            entry("T+03:00", "decision", "restart the payment pods", ""),
            entry(
                "T+05:00",
                "observation",
                "restarted payments, errors stopped",
                "",
            ),
        ],
        Vec::new(),
    );
    let found = investigate_record(&parts);
    assert_eq!(
        statements(&found.investigation.findings),
        [
            "\"payment-service v2.4.2 deployed\" at 09:30:00, 2 min 15 s before the first error \
          (payments failing, 09:32:15): look at what it changed first."
        ]
    );
    assert_eq!(found.investigation.findings[0].evidence[1].line, 2);
    // A decision or an observation is no attempt to fix.
    assert_eq!(found.attempts, []);
    assert_eq!(found.onsets.len(), 1);
}

#[test]
fn odd_records_read_without_panic() {
    assert_eq!(read_record(&Parts::default()).lines, []);
    let empty = investigate_record(&Parts::default());
    assert_eq!(empty.investigation.lines, 0);
    assert_eq!(empty.investigation.findings, []);
    let odd = record(
        Some("not a date"),
        vec![
            entry("", "", "", ""),
            entry(
                "T+99999:00",
                "nonsense",
                "\u{1b}[31mrestarted\u{0} api",
                "\n",
            ),
            entry("T-5:00", "action", "-key: 1", ""),
            entry("9999-12-31T23:59:59Z", "alert", "last", ""),
        ],
        vec![
            evidence("\n\n", "\u{0}\u{1}\r\n+key: 2\n\u{fffd}"),
            evidence("x", &"T+1:00 y\n".repeat(10)),
        ],
    );
    let found = investigate_record(&odd);
    assert!(found.investigation.lines > 0);
    let many = record(
        Some("2024-01-01T00:00:00Z"),
        (0..MAX_LINES + 10)
            .map(|i| entry("T+00:01", "action", &format!("restarted {i}"), ""))
            .collect(),
        vec![evidence("late", "2024-01-01T00:00:00Z ERROR late")],
    );
    let reading = read_record(&many);
    assert_eq!(reading.text.lines().count(), MAX_LINES);
    assert_eq!(reading.sources.len(), 1);
    let mitigations = Parts {
        mitigations: vec![MitigationAttempt::default(); 3],
        ..Parts::default()
    };
    assert_eq!(investigate_record(&mitigations).attempts, []);
}
