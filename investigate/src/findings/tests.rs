//! The data model, the wording helpers and the whole reading of a paste.

use super::*;

#[test]
fn durations_in_words() {
    let cases = [
        (0, "0 s"),
        (40, "0 s"),
        (400, "0.4 s"),
        (949, "0.9 s"),
        (950, "1 s"),
        (3_000, "3 s"),
        (3_499, "3 s"),
        (59_400, "59 s"),
        (59_600, "1 min"),
        (135_000, "2 min 15 s"),
        (3_599_000, "59 min 59 s"),
        (3_600_000, "1 h"),
        (3_900_000, "1 h 5 min"),
        (3_959_000, "1 h 5 min"),
        (26 * HOUR + 3 * MINUTE, "26 h 3 min"),
        (-3_000, "3 s"),
    ];
    for (ms, words) in cases {
        assert_eq!(duration_words(ms), words, "{ms} ms");
    }
    // No overflow at the ends of the range.
    assert!(!duration_words(i64::MIN).is_empty());
    assert!(!duration_words(i64::MAX).is_empty());
}

#[test]
fn times_of_day() {
    assert_eq!(time_of_day(0), "00:00:00");
    assert_eq!(
        time_of_day((9 * 3600 + 32 * 60 + 15) * 1000 + 999),
        "09:32:15"
    );
    // 2024-01-15T09:32:15.120Z as Unix milliseconds.
    assert_eq!(time_of_day(1_705_311_135_120), "09:32:15");
    // The next day on the axis of times of day only.
    assert_eq!(time_of_day(DAY + 5_000), "00:00:05");
    assert_eq!(time_of_day(-1_000), "23:59:59");
}

#[test]
fn kinds_are_named_as_the_api_names_them() {
    let kinds = [
        (FindingKind::Sequence, "sequence"),
        (FindingKind::Change, "change"),
        (FindingKind::Rhythm, "rhythm"),
        (FindingKind::Mitigation, "mitigation"),
        (FindingKind::Challenge, "challenge"),
        (FindingKind::SeenBefore, "seen_before"),
        (FindingKind::WhyChain, "why_chain"),
        (FindingKind::Confidence, "confidence"),
    ];
    for (kind, name) in kinds {
        assert_eq!(kind.as_str(), name);
        assert_eq!(
            serde_json::to_string(&kind).ok(),
            Some(format!("\"{name}\""))
        );
    }
}

#[test]
fn a_finding_serialises_with_its_evidence() {
    let finding = Finding {
        kind: FindingKind::Sequence,
        statement: "A began 3 s before B.".to_string(),
        evidence: vec![Cited {
            line: 4,
            text: "connection timeout".to_string(),
            source: String::new(),
        }],
    };
    let json = serde_json::to_value(&finding).unwrap_or_default();
    assert_eq!(
        json,
        serde_json::json!({
            "kind": "sequence",
            "statement": "A began 3 s before B.",
            "evidence": [{"line": 4, "text": "connection timeout"}],
        })
    );
    assert_eq!(serde_json::from_value::<Finding>(json).ok(), Some(finding));
}

#[test]
fn cited_text_is_cut() {
    let paste = format!("[ERROR] 10:00:00 - svc: {}", "very long words ".repeat(30));
    let cited = Cited::of(&read_lines(&paste)[0]);
    assert_eq!(cited.line, 1);
    assert_eq!(cited.text.chars().count(), MAX_CITED_CHARS);
}

#[test]
fn findings_gathers_sequence_then_rhythm() {
    // A cascade that came back three times, twenty minutes apart.
    let mut paste = String::new();
    for start in ["14:00", "14:20", "14:40"] {
        paste.push_str(&format!(
            "[ERROR] {start}:01 - PaymentService: connection timeout to stripe\n\
             [ERROR] {start}:04 - DBPool: no available connections\n"
        ));
    }
    let found = findings(&paste);
    let kinds: Vec<FindingKind> = found.iter().map(|f| f.kind).collect();
    assert_eq!(kinds, [FindingKind::Sequence, FindingKind::Rhythm]);
    assert!(found[0].statement.contains("began 3 s before"));
    assert!(found[1]
        .statement
        .contains("3 bursts, 20 and 20 minutes apart"));
}

#[test]
fn nothing_to_find() {
    assert_eq!(findings(""), []);
    assert_eq!(findings("\n\n   \n"), []);
    let untimed = "\
ERROR PaymentService: connection timeout to stripe
ERROR DBPool: no available connections
WARN APIGateway: slow upstream
";
    assert_eq!(findings(untimed), []);
}

#[test]
fn binary_ish_text_does_not_panic() {
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let text = String::from_utf8_lossy(&bytes);
    let _ = findings(&text);
    let mixed = "\u{0}\u{1b}[31m[ERROR]\u{1b}[0m 09:32:15 \u{fffd}\u{fffd} - X: \u{7f}\u{0}\n\
                 \u{feff}[ERROR] 09:32:18 - DBPool: no available connections \u{0}\n";
    let found = findings(mixed);
    assert!(found.len() <= MAX_SEQUENCE_FINDINGS + 1);
    for finding in &found {
        assert!(!finding.evidence.is_empty());
    }
}
