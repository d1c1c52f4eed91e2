//! Markdown with YAML front matter: the narrative is the body, verbatim;
//! every other field is in the front matter, header first, then the clock,
//! the impact, and the lists.
//!
//! ```text
//! ---
//! hindsight_format: 1
//! id: demo-redis-warmup
//! title: Checkout fails every 20 minutes
//! severity: SEV2
//! status: published
//! services:
//! - checkout
//! - redis
//! started_at: 2024-03-15T14:00:00Z
//! users_affected: 1200
//! timeline:
//! - at: T+00:00
//!   kind: alert
//!   text: p99 latency on checkout above 2 s
//! ---
//!
//! At 14:00 the first alert fired ...
//! ```
//!
//! The rules that make reading exact, whatever the texts hold:
//! - the file starts with a line `---`, and the front matter ends at the
//!   next line that is `---` (trailing blanks forgiven, for hand edits);
//!   the writer never puts such a line inside the front matter (YAML block
//!   texts are indented, and the rest stays on one line), and checks it;
//! - the writer adds one blank line after the closing `---` and one newline
//!   at the end; the reader removes exactly those, and everything between
//!   is the narrative, byte for byte, `---` lines and all;
//! - fields at their empty default (no text, no rows, unset) are left out
//!   of the front matter to keep it readable; leaving a key out reads as
//!   that default, so nothing is lost. Numbers and yes/no stay in.

use crate::error::{self, ExportError};
use crate::nesting;
use crate::shape::{check_version, unknown_keys, Header};
use crate::{Parsed, FORMAT_KEY, FORMAT_VERSION};
use kb_domain::record::{
    ActionItem, Cause, ConfidenceStep, Evidence, Hypothesis, Learning, Link, MitigationAttempt,
    Parts, TimelineEntry, Why,
};
use kb_domain::IncidentInput;
use yaml_serde::{Mapping, Value};

/// Opens and closes the front matter.
const DELIMITER: &str = "---";

/// The order of the front matter: the header, the clock, the impact, the
/// causes and fix in a line, then the lists. A field missing here (added to
/// the record later) still travels, after these.
const ORDER: &[&str] = &[
    "id",
    "title",
    "severity",
    "status",
    "date",
    "services",
    "labels",
    "teams",
    "authors",
    "url",
    "summary",
    "started_at",
    "detected_at",
    "mitigated_at",
    "resolved_at",
    "users_affected",
    "requests_failed",
    "money_lost",
    "currency",
    "impact",
    "root_cause",
    "mitigation",
    "timeline",
    "evidence",
    "hypotheses",
    "whys",
    "causes",
    "mitigations",
    "learnings",
    "action_items",
    "links",
    "access",
];

/// One postmortem as markdown with front matter.
pub fn write(input: &IncidentInput) -> Result<String, ExportError> {
    let front = front_matter(input)?;
    let mut yaml = yaml_serde::to_string(&front).map_err(write_error)?;
    if yaml.lines().any(is_delimiter) {
        // The emitter's settings rule this out, but the reader's rule must
        // hold whatever the emitter does. JSON is YAML too, and pretty JSON
        // never has a line that is only `---`.
        yaml = serde_json::to_string_pretty(&front).map_err(write_error)?;
        yaml.push('\n');
    }
    Ok(format!(
        "{DELIMITER}\n{yaml}{DELIMITER}\n\n{}\n",
        input.parts.narrative
    ))
}

/// One postmortem from markdown with front matter.
pub fn read(text: &str) -> Result<Parsed, ExportError> {
    // Editors on some systems start files with a byte-order mark.
    let text = crate::text::without_bom(text);
    let (yaml, body) = split(text)?;
    let narrative = body
        .strip_prefix('\n')
        .or_else(|| body.strip_prefix("\r\n"))
        .unwrap_or(body);
    let narrative = narrative.strip_suffix('\n').unwrap_or(narrative);

    // Front matter starts on the file's line 2. Its nesting is bounded
    // first: the YAML parser's time grows with the square of it.
    nesting::check(yaml, 2)?;
    let source = if yaml.trim().is_empty() { "{}" } else { yaml };
    let value: Value = yaml_serde::from_str(source).map_err(|e| error::yaml(&e, 2))?;
    let map = match value {
        Value::Mapping(map) => map,
        other => {
            return Err(ExportError::FrontMatterNotAMapping {
                found: yaml_kind(&other),
            })
        }
    };
    check_version(map.get(FORMAT_KEY).and_then(Value::as_u64))?;
    if map
        .get("narrative")
        .is_some_and(|v| !(v.is_null() || v.as_str() == Some("")))
    {
        return Err(ExportError::Field {
            field: "narrative".into(),
            line: key_line(yaml, "narrative"),
            message: "the narrative goes below the front matter, not in it".into(),
        });
    }
    let header: Header = yaml_serde::from_str(source).map_err(|e| error::yaml(&e, 2))?;
    let mut parts: Parts = yaml_serde::from_str(source).map_err(|e| error::yaml(&e, 2))?;
    parts.narrative = narrative.to_string();
    let keys: Vec<String> = map.keys().map(key_text).collect();
    Ok(Parsed {
        input: header.join(parts),
        unknown_keys: unknown_keys(keys.iter().map(String::as_str)),
    })
}

fn is_delimiter(line: &str) -> bool {
    line.trim_end() == DELIMITER
}

/// The front matter's text and the body after the closing line.
fn split(text: &str) -> Result<(&str, &str), ExportError> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    if !is_delimiter(first) {
        return Err(ExportError::NoFrontMatter);
    }
    let start = first.len();
    let mut pos = start;
    for line in lines {
        if is_delimiter(line) {
            return Ok((&text[start..pos], &text[pos + line.len()..]));
        }
        pos += line.len();
    }
    Err(ExportError::UnclosedFrontMatter)
}

/// The file line of a top-level `key:` in front matter starting on line 2.
fn key_line(yaml: &str, key: &str) -> Option<usize> {
    let prefix = format!("{key}:");
    yaml.lines()
        .position(|l| l.starts_with(&prefix))
        .map(|i| i + 2)
}

fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        other => yaml_serde::to_string(other)
            .map(|s| s.trim_end().to_string())
            .unwrap_or_default(),
    }
}

fn yaml_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a yes/no",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

fn write_error(e: impl std::fmt::Display) -> ExportError {
    ExportError::Write(e.to_string())
}

/// Every field but the narrative, ordered, defaults left out.
fn front_matter(input: &IncidentInput) -> Result<Mapping, ExportError> {
    let Value::Mapping(mut all) = yaml_serde::to_value(input).map_err(write_error)? else {
        return Err(write_error("a postmortem is not a mapping"));
    };
    let template = yaml_serde::to_value(template()).map_err(write_error)?;
    all.shift_remove("narrative");
    if input.parts.access == kb_domain::accounts::Access::default() {
        // Public is the default; `private: false` would only be noise.
        all.shift_remove("access");
    }
    let mut out = Mapping::new();
    out.insert(FORMAT_KEY.into(), FORMAT_VERSION.into());
    for key in ORDER {
        if let Some(value) = all.shift_remove(*key) {
            if let Some(value) = prune(value, template.get(*key)) {
                out.insert((*key).into(), value);
            }
        }
    }
    for (key, value) in all {
        if let Some(value) = prune(value, template.get(&key)) {
            out.insert(key, value);
        }
    }
    Ok(out)
}

/// A record at its defaults with one default row in every list (and one
/// confidence step): what "left at its default" means, row fields included.
fn template() -> IncidentInput {
    IncidentInput {
        parts: Parts {
            timeline: vec![TimelineEntry::default()],
            evidence: vec![Evidence::default()],
            hypotheses: vec![Hypothesis {
                confidence: vec![ConfidenceStep::default()],
                ..Hypothesis::default()
            }],
            whys: vec![Why::default()],
            causes: vec![Cause::default()],
            mitigations: vec![MitigationAttempt::default()],
            learnings: vec![Learning::default()],
            action_items: vec![ActionItem::default()],
            links: vec![Link::default()],
            ..Parts::default()
        },
        ..IncidentInput::default()
    }
}

/// `value` without what equals its default in `template`; `None` when the
/// whole value is the default. Only "nothing" is left out (unset, empty
/// text, no rows), and only where the template says that is the default,
/// so that an explicitly empty optional text stays distinct from an unset
/// one.
fn prune(value: Value, template: Option<&Value>) -> Option<Value> {
    match value {
        Value::Null if template.is_some_and(Value::is_null) => None,
        Value::String(s) if s.is_empty() && template.and_then(Value::as_str) == Some("") => None,
        Value::Sequence(items) if items.is_empty() && template.is_some_and(Value::is_sequence) => {
            None
        }
        Value::Sequence(items) => {
            let row = template
                .and_then(Value::as_sequence)
                .and_then(|rows| rows.first());
            Some(Value::Sequence(
                items
                    .into_iter()
                    .map(|item| match item {
                        Value::Mapping(m) => Value::Mapping(prune_mapping(m, row)),
                        other => other,
                    })
                    .collect(),
            ))
        }
        Value::Mapping(m) => Some(Value::Mapping(prune_mapping(m, template))),
        other => Some(other),
    }
}

fn prune_mapping(map: Mapping, template: Option<&Value>) -> Mapping {
    map.into_iter()
        .filter_map(|(key, value)| {
            let t = template.and_then(|t| t.get(&key));
            prune(value, t).map(|v| (key, v))
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Every field set, several rows in every list.
    pub(crate) fn full_record() -> IncidentInput {
        IncidentInput {
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
                            },
                            ConfidenceStep {
                                value: 90,
                                note: "slowlog shows SCAN".into(),
                            },
                        ],
                        evidence_for: "slowlog".into(),
                        evidence_against: "memory is fine".into(),
                        outcome: "confirmed".into(),
                    },
                    Hypothesis {
                        statement: "A bad deploy".into(),
                        confidence: vec![ConfidenceStep {
                            value: 0,
                            note: String::new(),
                        }],
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
                    },
                    Cause {
                        level: "systemic".into(),
                        statement: "No separation of batch and online load".into(),
                        confidence: None,
                        evidence: String::new(),
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

    fn round_trip(input: &IncidentInput) -> IncidentInput {
        let text = write(input).unwrap();
        match read(&text) {
            Ok(parsed) => parsed.input,
            Err(e) => panic!("{e}\n{text}"),
        }
    }

    #[test]
    fn a_full_record_survives_markdown() {
        let input = full_record();
        let text = write(&input).unwrap();
        let parsed = read(&text).unwrap();
        assert_eq!(parsed.input, input, "{text}");
        assert!(parsed.unknown_keys.is_empty(), "{:?}", parsed.unknown_keys);
    }

    #[test]
    fn a_validated_record_exported_validates_to_itself() {
        let new = full_record().validate().unwrap();
        let back = round_trip(&IncidentInput::from(&new));
        assert_eq!(back.validate().unwrap(), new);
    }

    #[test]
    fn the_layout_is_front_matter_in_order_then_the_narrative() {
        let text = write(&full_record()).unwrap();
        assert!(text.starts_with("---\nhindsight_format: 1\nid: demo-redis-warmup\ntitle: Checkout fails every 20 minutes\nseverity: SEV2\nstatus: published\n"), "{text}");
        let keys: Vec<&str> = text
            .lines()
            .skip(1)
            .take_while(|l| *l != "---")
            .filter(|l| !l.starts_with([' ', '-']))
            .filter_map(|l| l.split(':').next())
            .collect();
        let order = [
            "summary",
            "started_at",
            "users_affected",
            "impact",
            "timeline",
            "evidence",
            "hypotheses",
            "whys",
            "causes",
            "mitigations",
            "learnings",
            "action_items",
            "links",
        ];
        let positions: Vec<usize> = order
            .iter()
            .map(|k| {
                keys.iter()
                    .position(|x| x == k)
                    .unwrap_or_else(|| panic!("{k}"))
            })
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
        assert!(!keys.contains(&"narrative"));
        assert!(text.contains("\n---\n\n## What happened\n"), "{text}");
        assert!(
            text.ends_with("title: not front matter\n---\n\n"),
            "{text:?}"
        );
        // Kept: action item ids, so a re-import updates items in place.
        assert!(text.contains("\naction_items:\n- id: 31\n"), "{text}");
    }

    #[test]
    fn defaults_are_left_out_and_read_back() {
        let input = IncidentInput {
            title: "Only a title".into(),
            parts: Parts {
                whys: vec![Why {
                    question: "Why?".into(),
                    ..Why::default()
                }],
                ..Parts::default()
            },
            ..IncidentInput::default()
        };
        let text = write(&input).unwrap();
        assert_eq!(
            text,
            "---\nhindsight_format: 1\ntitle: Only a title\nwhys:\n- question: Why?\n  actionable: false\n---\n\n\n"
        );
        assert_eq!(read(&text).unwrap().input, input);

        // An explicitly empty optional text is not "unset".
        let input = IncidentInput {
            url: Some(String::new()),
            ..input
        };
        assert_eq!(round_trip(&input), input);
    }

    #[test]
    fn adversarial_text_survives_every_field() {
        for s in adversarial_strings() {
            let mut input = full_record();
            input.external_id = Some(s.clone());
            input.title = s.clone();
            input.severity = Some(s.clone());
            input.summary = s.clone();
            input.services = vec![s.clone(), "b".into()];
            input.parts.status = s.clone();
            input.parts.currency = Some(s.clone());
            input.parts.narrative = s.clone();
            input.parts.timeline[1].text = s.clone();
            input.parts.evidence[0].body = s.clone();
            input.parts.evidence[1].caption = s.clone();
            input.parts.hypotheses[0].confidence[1].note = s.clone();
            input.parts.whys[4].answer = s.clone();
            input.parts.learnings[0].symptoms = s.clone();
            input.parts.action_items[1].due = Some(s.clone());
            input.parts.links[0].target = s.clone();
            let text = write(&input).unwrap();
            let back = read(&text).unwrap_or_else(|e| panic!("{s:?}: {e}\n{text}"));
            assert_eq!(back.input, input, "{s:?}\n{text}");
        }
    }

    #[test]
    fn evidence_bodies_survive_byte_for_byte() {
        let bodies = [
            "  indented first line\nsecond",
            "\tTAB-indented\n\t\tdeeper\n",
            "\n\nblank lines first\n\n\nand inside\n\n\n",
            "    4 spaces\n  2 spaces\n        8 spaces\n",
            "ends without newline",
            "trailing blanks  \t\n  \n",
            " ",
        ];
        for body in bodies {
            let mut input = full_record();
            input.parts.evidence[0].body = body.to_string();
            input.parts.narrative = body.to_string();
            let back = round_trip(&input);
            assert_eq!(back.parts.evidence[0].body, body);
            assert_eq!(back.parts.narrative, body);
        }
    }

    #[test]
    fn hand_edited_files_are_forgiven_where_it_is_safe() {
        let text = "\u{feff}--- \r\ntitle: Hand made\r\nid: 42\r\ntimeline:\r\n- at: T+00:10\r\n  who: 123\r\n---\r\n\r\nStory\r\n";
        let parsed = read(text).unwrap();
        assert_eq!(parsed.input.title, "Hand made");
        assert_eq!(parsed.input.external_id.as_deref(), Some("42"));
        assert_eq!(parsed.input.parts.timeline[0].who, "123");
        assert_eq!(parsed.input.parts.narrative, "Story\r");
        // No body at all, no blank line: an empty narrative.
        assert_eq!(
            read("---\ntitle: t\n---").unwrap().input.parts.narrative,
            ""
        );
        assert_eq!(read("---\n---\n").unwrap().input, IncidentInput::default());
        let parsed = read("---\ntitle: t\ncolor: red\n7: seven\n---\nx\n").unwrap();
        assert_eq!(parsed.unknown_keys, ["color", "7"]);
        assert_eq!(parsed.input.parts.narrative, "x");
    }

    #[test]
    fn deep_front_matter_is_refused_before_parsing() {
        // Quadratic in the YAML parser: refused by the scan before it.
        let text = format!("---\ntitle: t\nservices: {}\n---\n", "[".repeat(100_000));
        let err = read(&text).unwrap_err();
        assert_eq!(
            err,
            ExportError::TooDeep {
                line: Some(3),
                limit: nesting::MAX_FLOW_DEPTH
            }
        );
        assert_eq!(
            err.to_string(),
            "line 3: lists and mappings are nested more than 64 deep; a postmortem needs only a few levels"
        );
        let text = format!(
            "\u{feff}---\ntitle: t\nx: {}\n---\n",
            "{a: ".repeat(100_000)
        );
        assert!(
            matches!(read(&text).unwrap_err(), ExportError::TooDeep { .. }),
            "{text:.40}"
        );
        // Block nesting costs the parser nothing extra; its own limit
        // refuses it, said the same way.
        let text = format!("---\ntitle: t\nservices:\n{}x\n---\n", "- ".repeat(100_000));
        assert_eq!(
            read(&text).unwrap_err(),
            ExportError::TooDeep {
                line: Some(4),
                limit: 128
            }
        );

        // Flow style as people write it, and the JSON the writer falls
        // back to, read as before.
        let text = "---\ntitle: Flow\nservices: [checkout, redis]\ntimeline: [{at: 'T+0', text: \"p99 [high]\"}, {at: T+1, text: '{x}'}]\n---\n";
        let parsed = read(text).unwrap();
        assert_eq!(parsed.input.services, ["checkout", "redis"]);
        assert_eq!(parsed.input.parts.timeline[1].text, "{x}");
        let mut input = full_record();
        // The `---` line makes the writer fall back to JSON.
        input.parts.evidence[0].body = format!("{}\n---\n{}", "[".repeat(30), "{".repeat(30));
        let json = serde_json::to_string_pretty(&front_matter(&input).unwrap()).unwrap();
        let text = format!("---\n{json}\n---\n\n{}\n", input.parts.narrative);
        assert_eq!(read(&text).unwrap().input, input);
        assert_eq!(round_trip(&input), input);
    }

    #[test]
    fn errors_name_the_line_and_field() {
        assert_eq!(read("# Title\n").unwrap_err(), ExportError::NoFrontMatter);
        assert_eq!(
            read("---\ntitle: x\n").unwrap_err(),
            ExportError::UnclosedFrontMatter
        );

        let err = read("---\ntitle: x\nhypotheses:\n- statement: s\n  confidence:\n  - value: 10\n  - value: high\n---\n")
            .unwrap_err();
        assert_eq!(
            err,
            ExportError::Field {
                field: "hypotheses.0.confidence.1.value".into(),
                line: Some(7),
                message: "invalid type: string \"high\", expected i64".into(),
            },
            "{err}"
        );
        assert_eq!(
            err.to_string(),
            "line 7: hypotheses.0.confidence.1.value: invalid type: string \"high\", expected i64"
        );

        let err = read("---\ntitle: x\nservices: checkout\n---\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("line 3: services: invalid type"),
            "{err}"
        );

        let err = read("---\ntitle: x\n  bad: indent\n---\n").unwrap_err();
        assert!(
            matches!(err, ExportError::Syntax { line: Some(3), .. }),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .starts_with("not valid YAML front matter at line 3"),
            "{err}"
        );

        let err = read("---\n- a list\n---\n").unwrap_err();
        assert!(err.to_string().contains("found a list"), "{err}");

        let err = read("---\ntitle: x\nnarrative: in the wrong place\n---\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 3: narrative: the narrative goes below the front matter, not in it"
        );

        let err = read("---\nhindsight_format: 9\ntitle: [x]\n---\n").unwrap_err();
        assert_eq!(err, ExportError::NewerFormat { found: 9 });
    }
}
