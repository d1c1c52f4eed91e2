//! The markdown format's round trip, layout, forgiveness and errors.

use super::*;
// The JSON tests take the records from here.
pub(crate) use super::fixtures::{adversarial_strings, full_record};

fn round_trip(input: &PostmortemInput) -> PostmortemInput {
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
    let back = round_trip(&PostmortemInput::from(&new));
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
    let input = PostmortemInput {
        title: "Only a title".into(),
        parts: Parts {
            whys: vec![Why {
                question: "Why?".into(),
                ..Why::default()
            }],
            ..Parts::default()
        },
        ..PostmortemInput::default()
    };
    let text = write(&input).unwrap();
    assert_eq!(
        text,
        "---\nhindsight_format: 1\ntitle: Only a title\nwhys:\n- question: Why?\n  actionable: false\n---\n\n\n"
    );
    assert_eq!(read(&text).unwrap().input, input);

    // An explicitly empty optional text is not "unset".
    let input = PostmortemInput {
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
    assert_eq!(
        read("---\n---\n").unwrap().input,
        PostmortemInput::default()
    );
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
