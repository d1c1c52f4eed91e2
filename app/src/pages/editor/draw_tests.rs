//! The drawn forms post back exactly the record they were drawn from: every
//! control's name is a path `kb_domain::postmortem::form` reads, and every
//! value survives the trip (a textarea's leading newline, quotes, `<`).
//! The HTML is read as a browser would read it for `FormData`: controls
//! in document order, nothing inside a `<template>`.

use super::draw::{self, Target};
use super::sections::Shown;
use kb_domain::postmortem::form;
use kb_domain::PostmortemInput;

/// A record with every field the editor shows written, and text that
/// HTML must escape.
fn full() -> PostmortemInput {
    serde_json::from_value(serde_json::json!({
        "id": "ext-7", "url": "https://wiki.example/pm/7", "date": "2026-03-15",
        "title": "Checkout \"502\" <for> 38 minutes & more", "severity": "SEV2",
        "summary": "\nStarts with a newline.\n\n- and a list", "impact": "Orders < 10",
        "root_cause": "The pool ran dry", "mitigation": "Rolled back",
        "services": ["payments", "checkout"], "labels": ["config-change"],
        "status": "in_review", "teams": ["payments-oncall"], "authors": ["dana", "lee"],
        "started_at": "2026-03-15 14:00", "detected_at": "2026-03-15 14:07",
        "mitigated_at": "2026-03-15 14:30", "resolved_at": "2026-03-15 15:10",
        "users_affected": 1200, "requests_failed": 40, "money_lost": 900, "currency": "EUR",
        "narrative": "## What happened\n\nIt broke.",
        "timeline": [
            {"at": "T+00:00", "kind": "alert", "text": "Alert fired", "who": "pager"},
            {"at": "2026-03-15 14:07", "kind": "action", "text": "Acked", "who": "dana"}
        ],
        "evidence": [{"kind": "log", "caption": "api log", "body": "  14:03 ERROR pool\n\tat x"}],
        "hypotheses": [{"statement": "Pool too small", "outcome": "confirmed",
            "evidence_for": "metrics", "evidence_against": "none",
            "confidence": [{"value": 40, "note": "pool metrics", "by": "dana"}, {"value": 85, "note": "diff"}]},
            {"statement": "DNS", "outcome": "refuted", "confidence": []}],
        "whys": [{"question": "Why?", "answer": "Because", "actionable": false},
                 {"question": "And why?", "answer": "Config", "actionable": true}],
        "causes": [{"level": "immediate", "statement": "Timeout raised", "confidence": 90,
                    "evidence": "diff", "prevents": "yes"}],
        "mitigations": [{"action": "Roll back", "result": "worked", "note": "fast"}],
        "learnings": [
            {"kind": "pattern", "title": "Pool starvation", "symptoms": "timeouts",
             "root_cause": "timeouts", "detection": "saturation", "resolution": "roll back"},
            {"kind": "process", "title": "Load-test config", "text": "Always"}
        ],
        "action_items": [{"id": 31, "title": "Alert on saturation", "owner": "dana",
            "due": "2026-04-01", "priority": "high", "status": "open", "kind": "detect",
            "tracker": "OPS-1", "expected_effect": "Earlier page"}],
        "links": [{"target": "#12", "kind": "earlier_occurrence", "note": "same pool"}],
        "access": {"private": true, "users": ["dana"], "groups": ["sre"]}
    }))
    .unwrap()
}

#[test]
fn the_whole_form_posts_back_the_record_it_shows() {
    let input = full();
    let html = draw::whole(
        &Target {
            id: Some(7),
            version: 3,
        },
        &input,
        Shown::All,
    );
    let mut back = input.clone();
    form::clear_all(&mut back);
    form::apply_fields(&mut back, &fields_of(&html)).unwrap();
    assert_eq!(back, input);
    // A quick write-up hides sections, and still posts them.
    let quick = draw::whole(
        &Target {
            id: None,
            version: 0,
        },
        &input,
        Shown::Quick,
    );
    assert!(quick.contains("data-more"));
    assert_eq!(fields_of(&quick), fields_of(&html));
}

#[test]
fn text_that_closes_a_textarea_stays_text() {
    let mut input = full();
    input.summary = "</textarea><script>alert(1)</script> & more".into();
    input.parts.evidence[0].body = "</TEXTAREA ><img src=x onerror=alert(2)>".into();
    let html = draw::whole(
        &Target {
            id: Some(7),
            version: 3,
        },
        &input,
        Shown::All,
    );
    assert!(!html.contains("<script>alert"), "a script got through");
    assert!(!html.to_ascii_lowercase().contains("</textarea ><img"));
    assert_eq!(
        html.matches("</textarea>").count(),
        html.matches("<textarea").count()
    );
    let mut back = input.clone();
    form::clear_all(&mut back);
    form::apply_fields(&mut back, &fields_of(&html)).unwrap();
    assert_eq!(back, input);
}

#[test]
fn each_section_form_posts_back_its_section_and_leaves_the_rest() {
    let input = full();
    for anchor in form::SECTIONS {
        let html = draw::section(7, 3, anchor, &input).unwrap();
        let mut back = input.clone();
        assert!(form::clear_section(&mut back, anchor));
        form::apply_fields(&mut back, &fields_of(&html)).unwrap();
        assert_eq!(back, input, "section {anchor}");
    }
    assert!(draw::section(7, 3, "nonsense", &input).is_none());
}

#[test]
fn every_row_template_names_fields_the_form_reads() {
    let html = draw::whole(
        &Target {
            id: None,
            version: 0,
        },
        &full(),
        Shown::All,
    );
    let mut kinds = 0;
    for (kind, body) in templates(&html) {
        kinds += 1;
        let list = if kind == "confidence" {
            "hypotheses.0.confidence".to_string()
        } else {
            kind.clone()
        };
        let row = body
            .replace("__L__.", &format!("{list}."))
            .replace("__L__-", &format!("{}-", list.replace('.', "-")))
            .replace("__i__", "1");
        let fields = fields_of(&row);
        assert!(!fields.is_empty(), "template {kind} has no fields");
        let mut input = PostmortemInput::default();
        form::apply_fields(&mut input, &fields).unwrap_or_else(|e| panic!("template {kind}: {e}"));
        assert!(!row.contains("__"), "template {kind} left a placeholder");
    }
    assert_eq!(kinds, 10);
}

/// `(kind, content)` of each `<template data-kind>` in `html`.
fn templates(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<template data-kind=\"") {
        let after = &rest[start + 21..];
        let kind_end = after.find('"').unwrap();
        let open_end = after.find('>').unwrap();
        let close = after.find("</template>").unwrap();
        out.push((
            after[..kind_end].to_string(),
            after[open_end + 1..close].to_string(),
        ));
        rest = &after[close..];
    }
    out
}

/// The pairs a browser's `FormData` would hold for the controls in
/// `html`, in document order, skipping `<template>` content.
fn fields_of(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        let end = rest.find('>').unwrap();
        let tag = &rest[..end];
        let name = tag.split_whitespace().next().unwrap_or_default();
        let attrs = attributes(tag);
        let attr = |a: &str| attrs.iter().find(|(k, _)| k == a).map(|(_, v)| v.clone());
        rest = &rest[end + 1..];
        match name {
            "template" => rest = &rest[rest.find("</template>").unwrap()..],
            "input" => {
                let Some(field) = attr("name") else { continue };
                if attr("type").as_deref() == Some("checkbox") {
                    if attr("checked").is_some() {
                        out.push((field, "on".into()));
                    }
                } else {
                    out.push((field, attr("value").unwrap_or_default()));
                }
            }
            "textarea" => {
                let close = rest.find("</textarea>").unwrap();
                let text = unescape(&rest[..close]);
                // The HTML parser drops one newline right after the tag.
                let text = text.strip_prefix('\n').unwrap_or(&text).to_string();
                out.push((attr("name").unwrap(), text));
            }
            "select" => {
                let close = rest.find("</select>").unwrap();
                let options: Vec<Vec<(String, String)>> = rest[..close]
                    .split("<option")
                    .skip(1)
                    .map(|o| attributes(&o[..o.find('>').unwrap()]))
                    .collect();
                let value = |o: &Vec<(String, String)>| {
                    o.iter().find(|(k, _)| k == "value").map(|(_, v)| v.clone())
                };
                let chosen = options
                    .iter()
                    .find(|o| o.iter().any(|(k, _)| k == "selected"))
                    .or(options.first())
                    .and_then(value)
                    .unwrap_or_default();
                out.push((attr("name").unwrap(), chosen));
            }
            _ => {}
        }
    }
    out
}

/// The attributes of a tag's text (`input name="a" checked`).
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = tag
        .split_once(char::is_whitespace)
        .map(|t| t.1)
        .unwrap_or("");
    loop {
        rest = rest.trim_start().trim_start_matches('/').trim_start();
        if rest.is_empty() {
            return out;
        }
        let key_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let key = rest[..key_end].to_string();
        rest = &rest[key_end..];
        if let Some(quoted) = rest.strip_prefix("=\"") {
            let close = quoted.find('"').unwrap();
            out.push((key, unescape(&quoted[..close])));
            rest = &quoted[close + 1..];
        } else {
            out.push((key, String::new()));
        }
    }
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn a_blank_choice_shows_what_validation_makes_of_it() {
    let template = super::templates::Template::Full.input();
    let html = draw::whole(
        &Target {
            id: None,
            version: 0,
        },
        &template,
        Shown::All,
    );
    let fields = fields_of(&html);
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(get("action_items.0.priority"), Some("medium"));
    assert_eq!(get("action_items.0.kind"), Some("prevent"));
    assert_eq!(get("timeline.0.kind"), Some("observation"));
    assert_eq!(get("mitigations.0.result"), Some("unknown"));
    // Where blank is an answer of its own, it stays blank.
    assert_eq!(get("severity"), Some(""));
    assert_eq!(get("causes.0.prevents"), Some(""));
}
